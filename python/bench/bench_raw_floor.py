"""Benchmark (not a test): the least a "raw edges" CPython dumper would do, phase by phase.

    python3 python/bench/bench_raw_floor.py [OBJECTS]

Measures, on the heap of bench_dump.py, every C-level loop (`map`, `array`, `chain`) that a
dumper must still run when the reader, not Python, resolves edge targets (ids) to ordinals and
derives the labels: no per-reference Python work at all, nothing written to a file. Each phase
is printed as a median of 3 and as a multiple of the bare `gc.get_referents` walk timed in the
same round. Two ways to get the 64-bit ids are timed: `array('Q', map(id, ...))`, and copying
the pointer array of a `list` with `ctypes` (CPython's `PyListObject` keeps `ob_item` right
after the variable-size header; checked at start against `id()`, skipped when it differs).
"""
import ctypes
import gc
import os
import statistics
import sys
import time
from array import array
from itertools import chain, filterfalse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_dump import bare_walk, build  # noqa: E402

_OB_ITEM_OFFSET = 3 * ctypes.sizeof(ctypes.c_void_p)  # ob_refcnt, ob_type, ob_size


def list_pointers(objects):
    """The ids of a list's items as bytes, copied from its item array (one memcpy)."""
    if not objects:
        return b""
    items = ctypes.c_void_p.from_address(id(objects) + _OB_ITEM_OFFSET).value
    return bytes((ctypes.c_uint64 * len(objects)).from_address(items))


def list_layout_ok():
    sample = [object(), 12345678901, "text", None]
    ids = array("Q")
    ids.frombytes(list_pointers(sample))
    return ids.tolist() == [id(o) for o in sample]


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def phases(use_ctypes):
    objects = gc.get_objects()
    out = {}
    out["node ids: map(id)"], _ = timed(lambda: array("Q", map(id, objects)))
    if use_ctypes:
        out["node ids: ctypes copy"], _ = timed(lambda: list_pointers(objects))
    out["referent lists"], referents = timed(lambda: list(map(gc.get_referents, objects)))
    out["edge counts: map(len)"], _ = timed(lambda: array("I", map(len, referents)))
    out["flatten (chain)"], flat = timed(lambda: list(chain.from_iterable(referents)))
    out["target ids: map(id)"], _ = timed(lambda: array("Q", map(id, flat)))
    if use_ctypes:
        out["target ids: ctypes copy"], _ = timed(lambda: list_pointers(flat))
    out["untracked: filterfalse"], untracked = timed(lambda: list(filterfalse(gc.is_tracked, flat)))
    out["untracked: dedupe by id"], _ = timed(lambda: dict(zip(map(id, untracked), untracked)))
    out["sizes: getsizeof"], _ = timed(lambda: array("Q", map(sys.getsizeof, objects)))
    out["refcounts: getrefcount"], _ = timed(lambda: array("Q", map(sys.getrefcount, objects)))

    def type_indexes():
        types = list(map(type, objects))
        index = {t: i for i, t in enumerate(set(types))}
        return array("I", map(index.__getitem__, types))

    out["type index: map(type)"], _ = timed(type_indexes)
    return out


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
    use_ctypes = list_layout_ok()
    heap = build(count)
    gc.collect()
    gc.disable()
    tracked = len(gc.get_objects())
    rounds = []
    for _ in range(3):
        walk, _ = timed(bare_walk)
        row = phases(use_ctypes)
        row["bare walk"] = walk
        rounds.append(row)
        # The lambdas' cells are among gc.get_objects() and hold that list: a cycle.
        gc.collect()
    median = {k: statistics.median(r[k] for r in rounds) for k in rounds[0]}
    walk = median.pop("bare walk")
    print("CPython %s, %d tracked objects, load %.1f, list layout %s"
          % (sys.version.split()[0], tracked, os.getloadavg()[0],
             "ok" if use_ctypes else "differs (ctypes copy skipped)"))
    print("%-26s %.3f s   1.00x" % ("bare walk", walk))
    for name, seconds in median.items():
        print("%-26s %.3f s  %5.2fx" % (name, seconds, seconds / walk))
    ids = "ctypes copy" if use_ctypes else "map(id)"
    unused = "map(id)" if use_ctypes else "ctypes copy"
    floor = sum(s for name, s in median.items() if not name.endswith(": " + unused))
    atoms = median["untracked: filterfalse"] + median["untracked: dedupe by id"]
    print("raw floor, ids by %s: %.3f s  %.2fx  (without atoms: %.2fx)"
          % (ids, floor, floor / walk, (floor - atoms) / walk))
    del heap


if __name__ == "__main__":
    main()
