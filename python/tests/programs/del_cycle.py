"""Objects with __del__ in a cycle (collectable since PEP 442), and gc.garbage through DEBUG_SAVEALL."""
import gc
import sys

from _counting import counted_dump

gc.disable()
FINALIZED = []


class Finalizable:
    def __init__(self):
        self.partner = None

    def __del__(self):
        FINALIZED.append(1)


class Plain:
    def __init__(self):
        self.partner = None


def cycle(kind):
    a = kind()
    b = kind()
    a.partner = b
    b.partner = a


for _ in range(5):
    cycle(Finalizable)
gc.set_debug(gc.DEBUG_SAVEALL)
for _ in range(4):
    cycle(Plain)
# SAVEALL: the collector finalizes the Finalizable pairs, then keeps all 18 objects in gc.garbage.
gc.collect()
gc.set_debug(0)
# 3 more Finalizable pairs, left as cyclic garbage (finalizer not run).
for _ in range(3):
    cycle(Finalizable)
counted_dump(sys.argv[1])
print("del_cycle: %d finalized, %d in gc.garbage" % (len(FINALIZED), len(gc.garbage)))
