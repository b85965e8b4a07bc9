# The language subset minipy runs: closures, exceptions, classes with inheritance and
# super(), containers, slicing, sorting, formatting, comprehensions.
import gc, sys, weakref
# closures and nonlocal
def counter():
    n = 0
    def inc(step=1):
        nonlocal n
        n += step
        return n
    return inc
c = counter()
c(); c(5)
print("closure", c())
adders = [lambda x, i=i: x + i for i in range(3)]
print([f(10) for f in adders])
# exceptions
def boom(x):
    if x > 2:
        raise ValueError("too big: %d" % x)
    return x
for v in [1, 3]:
    try:
        boom(v)
    except ValueError as e:
        print("caught", e, repr(e), e.args)
    else:
        print("no error", v)
    finally:
        print("finally", v)
try:
    {}["missing"]
except KeyError as e:
    print("KeyError", e)
try:
    [][1]
except (IndexError, KeyError) as e:
    print(type(e).__name__, e)
try:
    1 / 0
except ZeroDivisionError as e:
    print(e)
class MyError(Exception):
    pass
try:
    raise MyError("custom")
except Exception as e:
    print(isinstance(e, MyError), e)
# inheritance and super
class Animal:
    kind = "animal"
    def __init__(self, name):
        self.name = name
    def speak(self):
        return f"{self.name} makes a sound"
class Dog(Animal):
    def __init__(self, name, breed):
        super().__init__(name)
        self.breed = breed
    def speak(self):
        return super().speak() + " (woof)"
d = Dog("Rex", "lab")
print(d.speak(), d.kind, isinstance(d, Animal), type(d).__name__, Dog.__name__)
m = d.speak
print(m())
# dicts, sets, slicing, sorting
dd = {"b": 2, "a": 1}
dd["c"] = 3
print(dd, list(dd.keys()), sorted(dd.items()), dd.get("z", 0), len(dd))
for k in dd:
    print(k, dd[k], end="; ")
print()
s = {3, 1, 2}
print(sorted(s), 2 in s, len(s))
l = list(range(10))
print(l[2:5], l[::-1], l[-3:], l[::3])
words = "the quick brown fox".split()
print(sorted(words, key=len), " ".join(reversed(words)), words[1].upper())
print("%s=%d %5.2f|%-4s|%04d" % ("x", 42, 3.14159, "ab", 7))
print("{} and {name}".format(1, name="two"), f"{3.5:.3f} {42:>6} {'s':^5}|")
a, b = 1, 2
a, b = b, a
print(a, b, divmod(17, 5), abs(-3), min(3, 1, 2), max([4, 9, 2]), sum(range(101)))
print(list(enumerate("ab")), list(zip([1, 2], "xy")), any([0, 1]), all([]))
x = [1, 2]
x += [3]
x *= 2
print(x, x.pop(), x.index(2), x.count(1))
print(1 < 2 < 3, 1 < 3 < 2, not None, None is None, "a" in "cat")
print(int("42") + 1, float("2.5"), str(12) + "!", bool([]), 10 ** 20 if False else 2 ** 40)
print(0.1 + 0.2, 1e16, 1e15, 2.0, -0.5, 1 / 3, 100.0)
i = 0
while True:
    i += 1
    if i % 2:
        continue
    if i > 6:
        break
print("while", i)
def kw(a, b=2, *args, **kwargs):
    return (a, b, args, sorted(kwargs.items()))
print(kw(1), kw(1, 3, 4, 5, z=1, y=2))
print({k: v * 2 for k, v in [("a", 1)]}, {n % 3 for n in range(10)})
print([(i, j) for i in range(3) for j in range(i)])
g = globals()
print("g" in g, g["a"])
t = (1, [2])
print(t, hash((1, 2)) == hash((1, 2)))
class P:
    def __init__(self, x):
        self.x = x
    def __eq__(self, other):
        return self.x == other.x
    def __len__(self):
        return self.x
    def __str__(self):
        return "P" + str(self.x)
print(P(1) == P(1), len(P(3)), str(P(2)), P(2))
print(hex(255), repr("it's"), repr('say "hi"'), ord("a"), chr(98))
