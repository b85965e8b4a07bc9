# __del__ (PEP 442 finalizers): when it runs, in which order, and resurrection.
import gc

class Noisy:
    def __init__(self, name):
        self.name = name
        self.other = None
    def __del__(self):
        print("del", self.name)

a = Noisy("a")
del a
print("after del a")

b = Noisy("b")
b = Noisy("b2")
print("after rebinding b")

def scope():
    local = Noisy("local")
    print("leaving scope")

scope()
print("after scope")

# A container's items die when it does, in order.
items = [Noisy("x"), Noisy("y")]
del items
print("after list")

# A cycle of finalizable objects: the collector runs each finalizer once and frees both.
c = Noisy("c")
d = Noisy("d")
c.other = d
d.other = c
del c, d
print("collect:", gc.collect())
print("collect again:", gc.collect())

# Resurrection: a finalizer that stores its object keeps it alive; it never runs again.
saved = []

class Phoenix:
    def __del__(self):
        print("phoenix finalizer")
        saved.append(self)

p = Phoenix()
p.me = p
del p
print("collect:", gc.collect())
print(len(saved), gc.is_finalized(saved[0]))
saved[0].me = None
saved.clear()
print("cleared")
print("collect:", gc.collect())

# An exception in __del__ is reported and ignored.
class Broken:
    def __del__(self):
        raise ValueError("in __del__")

x = Broken()
del x
print("still running")

# Finalizers at exit run for what the globals still hold.
keep = Noisy("at exit")
print("end of program")
