# Cases from CPython's Lib/test/test_gc.py (as the collector issue ported them), written
# as a program: each prints what gc.collect() found.
import gc

def case(name, found):
    print(name, found)

gc.collect()

# test_list
l = []
l.append(l)
del l
case("list", gc.collect())

# test_dict
d = {}
d[1] = d
del d
case("dict", gc.collect())

# test_tuple: a tuple in a cycle through a list.
l = []
t = (l,)
l.append(t)
del t
del l
case("tuple", gc.collect())

# test_instance
class A:
    pass

a = A()
a.a = a
del a
case("instance", gc.collect())

# test_newinstance: a subclass.
class B(A):
    pass

b = B()
b.b = b
del b
case("subclass instance", gc.collect())

# test_method: an instance holding its own bound method.
class C:
    def __init__(self):
        self.init = self.__init__

c = C()
del c
case("bound method", gc.collect())

# test_finalizer: objects with __del__ in a cycle are collected (PEP 442).
class WithDel:
    def __del__(self):
        pass

a = WithDel()
a.a = a
del a
case("finalizer", gc.collect())
case("garbage", len(gc.garbage))

# test_saveall: with DEBUG_SAVEALL, unreachable objects go to gc.garbage instead.
gc.set_debug(gc.DEBUG_SAVEALL)
l = []
l.append(l)
del l
gc.collect()
case("saveall garbage", len(gc.garbage))
case("saved is a list", type(gc.garbage[0]).__name__)
gc.garbage.clear()
gc.set_debug(0)

# test_del: disabling inside __del__ does not break anything.
class Disabler:
    def __del__(self):
        gc.disable()

gc.enable()
x = Disabler()
x.x = x
del x
gc.collect()
case("enabled after __del__ disabled it", gc.isenabled())
gc.enable()

# test_is_tracked
case("tracked", (gc.is_tracked(None), gc.is_tracked(1), gc.is_tracked("a"), gc.is_tracked([]), gc.is_tracked(A())))

# test_collect_generations
gc.collect()
case("gen0", gc.collect(0))
case("gen1", gc.collect(1))
case("gen2", gc.collect(2))

# test_callbacks
calls = []

def callback(phase, info):
    calls.append((phase, info["generation"], info["collected"]))

gc.callbacks.append(callback)
l = []
l.append(l)
del l
gc.collect()
gc.callbacks.remove(callback) if hasattr(gc.callbacks, "remove") else gc.callbacks.clear()
case("callbacks", calls)

# test_bug1055820b-like: a weakref callback that sees the collected object as dead.
import weakref

class Obj:
    pass

seen = []
o = Obj()
o.me = o
w = weakref.ref(o, lambda ref: seen.append(ref() is None))
del o
gc.collect()
case("weakref callback saw dead referent", seen)

# test_get_referents on a list and a dict
x = [1, 2]
case("referents", len(gc.get_referents([x, x])))

# A large structure freed by reference counting alone: nothing left for the collector.
big = [[i] for i in range(10000)]
del big
case("refcount freed", gc.collect())

# A deep chain freed without recursion overflow (test_trashcan).
chain = None
for i in range(100000):
    chain = [chain]
del chain
case("deep chain", gc.collect())
