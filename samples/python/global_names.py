# Global and built-in names that change while a function keeps reading them: rebinding,
# deleting, shadowing a built-in and removing the shadow, a dict that grows and is
# rebuilt (so every entry moves), and arithmetic and comparisons at the edges of ints.
counter = 0


def read_counter():
    return counter


def bump():
    global counter
    counter += 1


for _ in range(3):
    bump()
    print("counter", read_counter())

del counter
try:
    read_counter()
except NameError as error:
    print("NameError:", error)
counter = 10
print("counter again", read_counter())


def length(items):
    return len(items)


print("len", length([1, 2, 3]))
len = lambda items: "shadowed"
print("len", length([1, 2, 3]))
del len
print("len", length([1, 2, 3]))

# Enough new globals to rebuild the module's dict several times over; a deleted name in
# between leaves a hole the rebuild closes.
for i in range(200):
    globals()["name_%d" % i] = i
    if i % 50 == 0:
        print("counter while growing", read_counter(), length("abc"))
    if i == 100:
        del globals()["name_50"]
print("grown", read_counter(), "name_50" in globals(), globals()["name_199"])

# Ints near the 64-bit edge, bools that are ints, ints beside floats.
big = 2 ** 61
print(big + big - 1 > big, big * 2 // 4 == big // 2, -big - big)
one = 1
print(True + True, True < 2, 1 == True, one is True, 3 - True * 2)
print(7 // 2, -7 // 2, 7 % -3, 2 * 3 <= 6, 5 != 5.0, 4 == 4.0, 3 < 3.5)
values = [None, 0, 1, (), (1,)]
for value in values:
    if value is None:
        print("none")
    elif value is not None and value == 0:
        print("zero")
    elif value:
        print("truthy", value)
    else:
        print("falsy", value)
