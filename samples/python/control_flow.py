# Control flow through try/finally, closures over loop variables, scoping errors, and the
# built-ins' everyday answers.
for i in range(3):
    try:
        if i == 1:
            continue
        print("body", i)
    finally:
        print("finally", i)
def f():
    for i in range(5):
        try:
            if i == 2:
                return i
        finally:
            print("cleanup", i)
print(f())
class E:
    def __init__(self):
        raise ValueError("init failed")
try:
    E()
except ValueError as e:
    print(e)
class Rec:
    def __repr__(self):
        return repr(self)
try:
    repr(Rec())
except RecursionError:
    print("repr recursion")
x = 5
def g():
    global x
    x += 1
    return x
print(g(), x)
def outer():
    v = 1
    def inner():
        return v
    v = 2
    return inner
print(outer()())
fs = []
for i in range(3):
    fs.append(lambda: i)
print([f() for f in fs])
try:
    undefined
except NameError as e:
    print(e)
def h():
    print(y)
    y = 1
try:
    h()
except UnboundLocalError as e:
    print(e)
a = b = []
a.append(1)
print(b, a is b)
print(1 if [] else 2, [] or "empty", 0 and 1)
print(divmod(-7, 2), -7 % 2, 7.5 // 2, round(2.5), round(3.14159, 2))
print(int("-12"), float("1e3"), str(None), bool("x"))
print(isinstance(True, int), isinstance(1, (str, float)), type(1) is int)
print(max("abc"), min([3, 1], key=lambda v: -v), sum([0.5, 0.25]))
print(list(map(lambda v: v * 2, [1, 2])), list(filter(None, [0, 1, 2])))
print({1, 2} | {3}, {1, 2} & {2}, {1, 2} - {2})
print("a,b,,c".split(","), " x y ".split(), "-".join(["a", "b"]))
print("%r %s %5.1f%%" % ("q", [1], 99.44))
print(f"{'x'!r:>5}|{3:03d}|{1234567:,}|{0.5:.0%}")
