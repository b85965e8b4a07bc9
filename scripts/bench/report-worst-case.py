# The worst case for `heapgraph report` (scripts/bench/report): 300 leak groups with
# rings of 80 objects, 20,000 types, about 1.5M objects in all (gc disabled, so the rings stay).
import gc
gc.disable()
held = []
for t in range(20000):   # 20,000 types, one held instance each
    cls = type("module_with_a_long_name.HeldType%05d" % t, (), {})
    held.append(cls())
for g in range(300):     # 300 distinct cyclic-garbage shapes (one class each), rings of 80
    cls = type("leaky.RingNode%03d" % g, (), {})
    for r in range(40):
        first = prev = cls()
        for _ in range(79):
            node = cls(); prev.next = node; prev = node
        prev.next = first
    del first, prev, node
extra = [[i] for i in range(150000)]
