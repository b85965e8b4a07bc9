"""Benchmark (not a test): where a dump of ~1M tracked objects spends its time, by phase.

    python3 python/bench/bench_dump_phases.py [OBJECTS] [OUT_DIR]

The heap of bench_dump.py. Times the bare gc.get_referents walk (median of 3), then three
dumps with the dumper's phases timed (each phase's median of the three), every figure also
as a multiple of the walk:

- discover: finding the untracked objects the tracked ones reach (a second referent pass);
- layout: grouping by type, sorting by id, dropping repeated atoms (discover excluded);
- counts, first read: every node's sys.getrefcount before the edges;
- edges: the edge records (targets by id, labels), target lists kept;
- nodes: counts read again, sizes, flags, records;
- atom labels: the reprs of ints, strs ... in the string table;
- rest: roots, strings, metadata, the CRC-32 read-back, the rename.
"""
import gc
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from bench_dump import bare_walk, build, timed  # noqa: E402
from heapgraph_dump import snapshot  # noqa: E402

PHASES = ("discover", "layout", "counts, first read", "edges", "nodes", "atom labels", "rest")


def timed_dump(path):
    """One dump with its phases timed: {phase: seconds}."""
    spent = {}
    originals = {}

    def wrap(name, phase_of):
        original = getattr(snapshot._Dump, name)
        originals[name] = original

        def timed_method(self, *args):
            start = time.perf_counter()
            try:
                return original(self, *args)
            finally:
                phase = phase_of(args)
                spent[phase] = spent.get(phase, 0.0) + time.perf_counter() - start
        setattr(snapshot._Dump, name, timed_method)

    wrap("_discover", lambda args: "discover")
    wrap("_layout", lambda args: "layout")
    wrap("_edges", lambda args: "edges")
    wrap("_write_nodes", lambda args: "counts, first read" if args[3] is None else "nodes")
    wrap("_write_atom_labels", lambda args: "atom labels")
    try:
        start = time.perf_counter()
        snapshot.dump(path)
        total = time.perf_counter() - start
    finally:
        for name, original in originals.items():
            setattr(snapshot._Dump, name, original)
    spent["layout"] -= spent.get("discover", 0.0)
    spent["rest"] = total - sum(spent.values())
    spent["total"] = total
    return spent


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
    out_dir = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="hgbench-")
    heap = build(count)
    gc.collect()
    gc.disable()
    tracked = len(gc.get_objects())
    walk = statistics.median(timed(bare_walk) for _ in range(3))
    path = os.path.join(out_dir, "phases.heapgraph")
    runs = [timed_dump(path) for _ in range(3)]
    print("CPython %s, %d tracked objects, load %.1f" % (sys.version.split()[0], tracked, os.getloadavg()[0]))
    print("%-22s %7.3f s  %5.2fx" % ("bare walk", walk, 1.0))
    for phase in PHASES + ("total",):
        seconds = statistics.median(run.get(phase, 0.0) for run in runs)
        print("%-22s %7.3f s  %5.2fx" % (phase, seconds, seconds / walk))
    del heap


if __name__ == "__main__":
    main()
