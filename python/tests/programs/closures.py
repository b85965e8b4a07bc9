"""Closures that capture their owner: each Owner keeps a callback whose closure refers back to it."""
import sys

from _counting import counted_dump


class Owner:
    def __init__(self, n):
        self.n = n
        owner = self

        def callback():
            return owner.n

        self.callback = callback


OWNERS = [Owner(n) for n in range(12)]
counted_dump(sys.argv[1])
print("closures: done")
