# Runaway recursion is a RecursionError, not a crash; exceptions unwind through frames.
import sys

def forever(n):
    return forever(n + 1)

try:
    forever(0)
except RecursionError as e:
    print("RecursionError:", e)

def depth(n):
    if n == 0:
        return 0
    return 1 + depth(n - 1)

print(depth(500))

def fails(kind):
    if kind == "key":
        return {}["k"]
    if kind == "index":
        return [][0]
    if kind == "zero":
        return 1 // 0
    if kind == "type":
        return "a" + 1
    if kind == "name":
        return undefined_name
    if kind == "attr":
        return None.attr
    if kind == "value":
        return int("x")
    raise RuntimeError(kind)

for kind in ["key", "index", "zero", "type", "name", "attr", "value", "other"]:
    try:
        fails(kind)
    except Exception as e:
        print(type(e).__name__, e)

def cleanup():
    try:
        return "from try"
    finally:
        print("finally runs before the return")

print(cleanup())

try:
    try:
        raise ValueError("inner")
    except ValueError:
        raise
except ValueError as e:
    print("re-raised", e)

class Custom(Exception):
    def __init__(self, code):
        super().__init__("code %d" % code)
        self.code = code

try:
    raise Custom(7)
except Custom as e:
    print(e, e.code, e.args)

print(sys.getrecursionlimit())
