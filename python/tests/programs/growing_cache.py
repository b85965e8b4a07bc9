"""A growing cache: every request adds an Entry to CACHE and nothing evicts. Two dumps."""
import sys

from _counting import counted_dump


class Entry:
    def __init__(self, key):
        self.key = key
        self.payload = [key] * 3


CACHE = {}


def handle(n):
    CACHE["request-%d" % n] = Entry(n)


for n in range(10):
    handle(n)
counted_dump(sys.argv[1] + ".1")
for n in range(10, 35):
    handle(n)
counted_dump(sys.argv[1] + ".2")
print("growing_cache: %d entries" % len(CACHE))
