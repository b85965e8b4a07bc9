"""A cycle kept alive from a module global: REGISTRY holds 40 Handlers, each in a pair with a peer."""
import sys

from _counting import counted_dump


class Handler:
    def __init__(self, n):
        self.n = n
        self.peer = None


REGISTRY = []
for i in range(40):
    a = Handler(i)
    b = Handler(-i)
    a.peer = b
    b.peer = a
    REGISTRY.append(a)
del a, b
counted_dump(sys.argv[1])
print("global_cycle: done")
