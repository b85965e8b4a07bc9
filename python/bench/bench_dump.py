"""Benchmark (not a test): dump a heap of ~1M tracked objects vs a bare gc.get_referents walk.

    python3 python/bench/bench_dump.py [OBJECTS] [OUT_DIR]

Prints the median of 3 runs of each: the bare walk, objgraph.typestats (when installed), the
floor (below), the dump; then the dump's peak memory increase per object (tracemalloc is not
used: the peak RSS of a fresh child process that builds the heap: VmHWM before and after one
dump).

The floor is what a pure-Python dumper that numbers its targets itself must do at the least,
each step a C loop (`map`) over the whole heap: every object's referents, id, type, size and
count, and each reference's target resolved to an ordinal (a bisect into the sorted ids), with
no labels and no file. The dumper no longer does that (it writes ids, which the reader
resolves); the line is kept for comparison with earlier figures. bench_raw_floor.py measures
the loops it still runs, bench_dump_phases.py where its time goes.
"""
import gc
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from bisect import bisect_left
from itertools import chain, repeat

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from heapgraph_dump import dump  # noqa: E402


class Item:
    def __init__(self, n, parent):
        self.n = n
        self.parent = parent
        self.tags = [n, "x"]


def build(count):
    # Each Item: the instance and its list (2 tracked objects), +1 dict per item on <3.11.
    items = []
    parent = None
    per = 2 if sys.version_info >= (3, 11) else 3
    for n in range(count // per):
        parent = Item(n, parent if n % 100 else None)
        items.append(parent)
    return items


def bare_walk():
    get_referents = gc.get_referents
    for o in gc.get_objects():
        get_referents(o)


def floor():
    objs = gc.get_objects()
    targets = list(chain.from_iterable(map(gc.get_referents, objs)))
    ids = sorted(map(id, objs))
    ordinals = list(map(bisect_left, repeat(ids), map(id, targets)))
    columns = [list(map(type, objs)), list(map(sys.getsizeof, objs)), list(map(sys.getrefcount, objs))]
    return len(ordinals) + len(columns)


def _peak_kib():
    # VmHWM, not ru_maxrss: the latter keeps the parent's peak across fork and exec.
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def timed(fn):
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
    out_dir = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="hgbench-")
    if os.environ.get("HG_BENCH_MEMORY"):
        heap = build(count)
        gc.collect()
        before = _peak_kib()
        dump(os.path.join(out_dir, "mem.heapgraph"))
        after = _peak_kib()
        print("%d %d %d" % (len(gc.get_objects()), before, after))
        return
    heap = build(count)
    gc.collect()
    gc.disable()
    tracked = len(gc.get_objects())
    walks = [timed(bare_walk) for _ in range(3)]
    try:
        import objgraph
        stats = [timed(objgraph.typestats) for _ in range(3)]
    except ImportError:
        stats = None
    floors = [timed(floor) for _ in range(3)]
    path = os.path.join(out_dir, "bench.heapgraph")
    dumps = [timed(lambda: dump(path)) for _ in range(3)]
    walk, dumped = statistics.median(walks), statistics.median(dumps)
    print("CPython %s, %d tracked objects, snapshot %.1f MB" % (sys.version.split()[0], tracked, os.path.getsize(path) / 1e6))
    print("bare get_referents walk  median %.3f s" % walk)
    if stats:
        print("objgraph.typestats       median %.3f s" % statistics.median(stats))
    print("old floor (bisect)       median %.3f s  (%.2fx the walk)" % (statistics.median(floors),
                                                                    statistics.median(floors) / walk))
    print("dump                     median %.3f s  (%.2fx the walk)" % (dumped, dumped / walk))
    del heap
    env = dict(os.environ, HG_BENCH_MEMORY="1")
    line = subprocess.check_output([sys.executable, __file__, str(count), out_dir], env=env, universal_newlines=True)
    objects, before, after = (int(x) for x in line.split())
    print("peak memory added by the dump: %.0f bytes per tracked object (ru_maxrss %d -> %d KiB)"
          % ((after - before) * 1024.0 / objects, before, after))


if __name__ == "__main__":
    main()
