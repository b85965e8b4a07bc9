"""Orphaned cycles with the collector disabled: 30 Node pairs nobody refers to."""
import gc
import sys

from _counting import counted_dump

gc.disable()


class Node:
    def __init__(self):
        self.other = None


def make():
    a = Node()
    b = Node()
    a.other = b
    b.other = a


for _ in range(30):
    make()
counted_dump(sys.argv[1])
print("orphan_cycles: done")
