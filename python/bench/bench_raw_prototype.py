"""Benchmark (not a test): an end-to-end prototype of a "raw edges" dump, beside the bare walk.

    python3 python/bench/bench_raw_prototype.py [OBJECTS] [OUT_DIR]

What bench_raw_floor.py times as separate phases, here as one streaming pass that writes a
file, a chunk of 32,768 objects at a time: per chunk the node ids, type indexes, sizes and
counts, the finalized flags (3.9+), per-node edge counts and the targets' ids (item pointers of the flattened referent
lists, copied with ctypes), the key ids of the chunk's dicts; then the untracked atoms found
among the targets and keys, deduplicated by id, with their ids, type indexes, sizes and value
reprs. No labels beyond that, no frames or roots, and the file is a plain concatenation, not
the .heapgraph format: nothing reads it. Prints medians of 3 beside the bare walk and the
peak memory added (VmHWM of a fresh child, as bench_dump.py does).
"""
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from array import array
from itertools import chain, compress, filterfalse, repeat

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_dump import _peak_kib, bare_walk, build  # noqa: E402
from bench_raw_floor import list_layout_ok, list_pointers  # noqa: E402

CHUNK = 32768


def raw_dump(path, pointers):
    ids_of = pointers if pointers else (lambda objs: array("Q", map(id, objs)).tobytes())
    get_referents, is_tracked, getsizeof, getrefcount = (
        gc.get_referents, gc.is_tracked, sys.getsizeof, sys.getrefcount)
    is_finalized = getattr(gc, "is_finalized", None)  # 3.9+
    objects = gc.get_objects()
    type_index = {}
    atoms = {}
    with open(path, "wb") as out:
        for start in range(0, len(objects), CHUNK):
            chunk = objects[start:start + CHUNK]
            referents = list(map(get_referents, chunk))
            flat = list(chain.from_iterable(referents))
            types = list(map(type, chunk))
            for new in set(types).difference(type_index):
                type_index[new] = len(type_index)
            dicts = list(compress(chunk, map(isinstance, chunk, repeat(dict))))
            keys = list(chain.from_iterable(dicts))
            out.write(ids_of(chunk))
            out.write(array("I", map(type_index.__getitem__, types)).tobytes())
            out.write(array("Q", map(getsizeof, chunk)).tobytes())
            out.write(array("Q", map(getrefcount, chunk)).tobytes())
            if is_finalized:
                out.write(array("B", map(is_finalized, chunk)).tobytes())
            out.write(array("I", map(len, referents)).tobytes())
            out.write(ids_of(flat))
            out.write(array("I", map(len, dicts)).tobytes())
            out.write(ids_of(keys))
            untracked = list(filterfalse(is_tracked, chain(flat, keys)))
            atoms.update(zip(map(id, untracked), untracked))
            del chunk, referents, flat, types, dicts, keys, untracked
        atom_list = list(atoms.values())
        atoms.clear()
        types = list(map(type, atom_list))
        for new in set(types).difference(type_index):
            type_index[new] = len(type_index)
        out.write(ids_of(atom_list))
        out.write(array("I", map(type_index.__getitem__, types)).tobytes())
        out.write(array("Q", map(getsizeof, atom_list)).tobytes())
        for start in range(0, len(atom_list), CHUNK):
            text = "\0".join(map(repr, atom_list[start:start + CHUNK]))
            out.write(text.encode("utf-8", "backslashreplace"))
    return len(objects) + len(atom_list)


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
    out_dir = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="hgraw-")
    path = os.path.join(out_dir, "raw.bin")
    pointers = list_pointers if list_layout_ok() else None
    heap = build(count)
    gc.collect()
    if os.environ.get("HG_BENCH_MEMORY"):
        before = _peak_kib()
        raw_dump(path, pointers)
        print("%d %d %d" % (len(gc.get_objects()), before, _peak_kib()))
        return
    gc.disable()
    tracked = len(gc.get_objects())
    walks, dumps = [], []
    for _ in range(3):
        walks.append(timed(bare_walk))
        dumps.append(timed(lambda: raw_dump(path, pointers)))
        gc.collect()
    walk, dumped = statistics.median(walks), statistics.median(dumps)
    print("CPython %s, %d tracked objects, load %.1f, ids by %s, file %.1f MB"
          % (sys.version.split()[0], tracked, os.getloadavg()[0],
             "ctypes copy" if pointers else "map(id)", os.path.getsize(path) / 1e6))
    print("bare walk           median %.3f s" % walk)
    print("raw dump prototype  median %.3f s  (%.2fx the walk)" % (dumped, dumped / walk))
    del heap
    env = dict(os.environ, HG_BENCH_MEMORY="1")
    line = subprocess.check_output([sys.executable, __file__, str(count), out_dir], env=env,
                                   universal_newlines=True)
    objects, before, after = (int(x) for x in line.split())
    print("peak memory added: %.0f bytes per tracked object (VmHWM %d -> %d KiB)"
          % ((after - before) * 1024.0 / objects, before, after))


if __name__ == "__main__":
    main()
