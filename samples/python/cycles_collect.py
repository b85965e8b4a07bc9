# Reference cycles that reference counting cannot free, and the collector that can.
import gc

gc.collect()

# Two lists that hold each other.
a = []
b = [a]
a.append(b)
del a
del b
print(gc.collect())

# One list that holds itself.
a = []
a.append(a)
del a
print(gc.collect())

# The Node pair from the documents.
class Node:
    def __init__(self):
        self.next = None

a = Node()
b = Node()
a.next = b
b.next = a
del a, b
print(gc.collect())

# A cycle through a dict and a tuple.
d = {}
l = [d]
t = (l,)
d["t"] = t
del d, l, t
print(gc.collect())

# Nothing left to collect.
print(gc.collect())

# An object reachable from a live name survives.
keep = []
keep.append(keep)
print(gc.collect())
print(len(keep))

# A long ring of nodes.
class Ring:
    def __init__(self):
        self.next = None

first = Ring()
node = first
for i in range(999):
    node.next = Ring()
    node = node.next
node.next = first
del first, node
print(gc.collect())
