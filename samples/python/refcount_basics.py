# Reference counts, from the source documents: sys.getrefcount counts the argument's own
# reference too, so a list held by one name reports 2.
from sys import getrefcount
import sys

a = [1, 2, 3]
print(getrefcount(a))
b = a
print(getrefcount(b))

# A container holds references to its items: b holds a twice.
a = [1, 2, 3]
print(getrefcount(a))
b = [a, a]
print(getrefcount(a))

# del removes a reference; rebinding a name drops the old object's count.
a = [1, 2, 3]
b = a
print(getrefcount(b))
del a
print(getrefcount(b))
a = [1, 2, 3]
b = a
print(getrefcount(b))
a = 1
print(getrefcount(b))

# del on a container item.
a = [1, 2, 3]
del a[0]
print(a)

# A list that holds itself.
a = []
a.append(a)
print(getrefcount(a))

# Small ints and identifier-like strings are shared; a new list is a new object.
a = 1
b = 1
print(a is b)
a = "good"
b = "good"
print(a is b)
a = [1, 2]
b = [1, 2]
print(a is b, a == b)
a = 10
b = 10
print(a is b)

# An object referring to another (the documents' from_obj).
class from_obj(object):
    def __init__(self, to_obj):
        self.to_obj = to_obj

b = [1, 2, 3]
a = from_obj(b)
print(id(a.to_obj) == id(b), a.to_obj is b)
print(getrefcount(b))

# A function's parameter, its caller's argument and getrefcount's argument.
def inside(x):
    return sys.getrefcount(x)

c = [1]
print(inside(c))
print(sys.getrefcount(c))
