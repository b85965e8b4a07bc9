# Weak references, from the documents' session example: a weak reference does not keep
# its referent alive, and its callback runs when the referent dies.
import gc
import weakref

class Session:
    def __init__(self, user):
        self.user = user
        self.data = {}

user = "alice"
session = weakref.ref(Session(user))
print(session() is None)

s = Session(user)
r = weakref.ref(s)
print(r() is s, weakref.getweakrefcount(s))
print(weakref.ref(s) is r)

def gone(ref):
    print("callback: referent gone", ref() is None)

r2 = weakref.ref(s, gone)
print(weakref.getweakrefcount(s))
del s
print(r() is None, r2() is None)

# A session and its user that refer to each other: weak references die when the
# collector frees the cycle, and callbacks run after every reference is cleared.
class User:
    def __init__(self, name):
        self.name = name
        self.session = None

u = User("bob")
s = Session(u)
u.session = s
events = []
ru = weakref.ref(u, lambda ref: events.append(("user", ref() is None, rs() is None)))
rs = weakref.ref(s, lambda ref: events.append(("session", ref() is None, ru() is None)))
del u, s
print(ru() is None, rs() is None)
print(gc.collect())
print(sorted(events))

# A weak reference back from child to parent does not make a cycle.
class Parent:
    def __init__(self):
        self.children = []

class Child:
    def __init__(self, parent):
        self.parent = weakref.ref(parent)

p = Parent()
p.children.append(Child(p))
p.children.append(Child(p))
print(p.children[0].parent() is p)
del p
print(gc.collect())

try:
    weakref.ref(1)
except TypeError as e:
    print("TypeError:", e)
