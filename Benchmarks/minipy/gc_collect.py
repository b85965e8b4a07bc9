# pyperformance's gc_collect: rings of Node instances built, dropped and collected.
import gc

CYCLES = 100
LINKS = 20
LOOPS = 100


class Node:
    def __init__(self):
        self.next = None
        self.prev = None

    def link_next(self, next):
        self.next = next
        self.next.prev = self


def create_cycle(node, n_links):
    if n_links == 0:
        return
    current = node
    for i in range(n_links):
        next_node = Node()
        current.link_next(next_node)
        current = next_node
    current.link_next(node)


def create_gc_cycles(n_cycles, n_links):
    cycles = []
    for _ in range(n_cycles):
        node = Node()
        cycles.append(node)
        create_cycle(node, n_links)
    return cycles


total = 0
for _ in range(LOOPS):
    gc.collect()
    all_cycles = create_gc_cycles(CYCLES, LINKS)
    del all_cycles
    collected = gc.collect()
    assert collected >= CYCLES * (LINKS + 1)
    total += collected
print(total)
