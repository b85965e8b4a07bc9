#!/usr/bin/env python3
"""CPython's side of the runtime benchmarks: the same workloads as
Benchmarks/RuntimeBenchmarks, timed the same way (median of several runs, ns per
operation). Run by scripts/bench/run; prints one JSON object per line."""
import gc
import json
import statistics
import sys
import time

now = time.perf_counter


def measure(key, name, repeats, body):
    runs = []
    for _ in range(repeats):
        seconds, operations = body()
        runs.append(seconds * 1e9 / operations)
    print(json.dumps({"key": key, "name": name, "median_ns": round(statistics.median(runs), 2),
                      "runs": [round(r, 2) for r in runs]}), flush=True)


def empty_list():
    n = 20_000_000
    start = now()
    for _ in range(n):
        x = []
    total = now() - start
    start = now()
    for _ in range(n):
        pass
    loop = now() - start
    return total - loop, n  # net of the loop itself, as the reference figure is


class C:
    def __init__(self, a, b):
        self.a = a
        self.b = b


def instances():
    gc.disable()
    n = 10_000_000
    start = now()
    objects = [C(i, i) for i in range(n)]
    del objects
    seconds = now() - start
    gc.enable()
    return seconds, n


def full_collection(n):
    def body():
        gc.disable()
        root = [[] for _ in range(n)]
        start = now()
        gc.collect()
        seconds = now() - start
        del root
        gc.enable()
        return seconds, n + 1
    return body


def cyclic_garbage():
    gc.disable()
    for _ in range(500_000):
        a = []
        b = [a]
        a.append(b)
    del a, b
    start = now()
    found = gc.collect()
    seconds = now() - start
    gc.enable()
    assert found >= 1_000_000, found
    return seconds, found


class Node:
    def __init__(self):
        self.next = None
        self.prev = None


def link(a, b):
    a.next = b
    b.prev = a


def create_cycle(node, n_links):
    current = node
    for _ in range(n_links):
        following = Node()
        link(current, following)
        current = following
    link(current, node)


def gc_collect_workload():
    gc.disable()
    total = 0.0
    loops = 10
    for _ in range(loops):
        for _ in range(100):
            create_cycle(Node(), 20)
        start = now()
        n = gc.collect()
        total += now() - start
        assert n >= 2100, n
    gc.enable()
    return total, loops


def gc_traversal_workload():
    gc.disable()
    current = []
    for n in range(1000):
        level = [None] * n
        for i in range(n):
            level[i] = current
        current = level
    total = 0.0
    loops = 10
    for _ in range(loops):
        start = now()
        gc.collect()
        total += now() - start
    gc.enable()
    return total, loops


def build(collector):
    def body():
        if collector:
            gc.enable()
        else:
            gc.disable()
        n = 10_000_000
        root = []
        append = root.append
        start = now()
        for _ in range(n):
            append([])
        seconds = now() - start
        gc.disable()
        del root
        gc.enable()
        return seconds, n
    return body


ALL = [
    ("empty_list", "create+destroy empty list (net of loop)", 5, empty_list),
    ("instances_gc_off", "10M instances, 2 attributes, gc off", 3, instances),
    ("full_collect_1m", "full collection, 1M live lists", 5, full_collection(1_000_000)),
    ("full_collect_4m", "full collection, 4M live lists", 3, full_collection(4_000_000)),
    ("cyclic_garbage", "collect 500k list pairs (1M garbage)", 3, cyclic_garbage),
    ("gc_collect", "pyperformance gc_collect (100 x 21 nodes)", 5, gc_collect_workload),
    ("gc_traversal", "pyperformance gc_traversal (1000 levels)", 5, gc_traversal_workload),
    ("build_gc_on", "build 10M lists, gc on", 3, build(True)),
    ("build_gc_off", "build 10M lists, gc off", 3, build(False)),
]

if __name__ == "__main__":
    wanted = set(a for a in sys.argv[1:] if not a.startswith("-"))
    for key, name, repeats, body in ALL:
        if not wanted or key in wanted:
            measure(key, name, repeats, body)
