#!/usr/bin/env python3
"""objgraph 3.7's side of Benchmarks/ObjgraphBenchmarks: the same 1M-object heap built in
CPython, and objgraph's typestats, find_backref_chain (to the module-level registry, from the
same deep object) and get_leaking_objects timed on it (median of several runs, after one
warm-up). Prints one JSON object per line, keys as the Swift benchmark's.

    python3 scripts/bench/objgraph_peer.py [--records N] [--runs N]
"""
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

try:
    import objgraph
except ImportError:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "objgraph==3.7.0"])
    import objgraph


def option(name, default):
    if name in sys.argv:
        return int(sys.argv[sys.argv.index(name) + 1])
    return default


class Record:
    def __init__(self, name, value, tags, meta, pair):
        self.name = name
        self.value = value
        self.tags = tags
        self.meta = meta
        self.pair = pair


class Node:
    pass


registry = {}


def build(records):
    """As the Swift benchmark: 6 objects per record (instance, name, value, tags, meta,
    pair) in bucket lists of 1,000, and a chain of 15 Nodes ending at the deep list."""
    red, blue = "red", "blue"
    bucket = None
    for i in range(records):
        if i % 1000 == 0:
            bucket = []
            registry["bucket%d" % (i // 1000)] = bucket
        name = "record-%d" % i
        value = 1_000_000 + i
        bucket.append(Record(name, value, [red, blue], {"id": value}, (value, name)))
    deep = []
    node = Node()
    node.payload = deep
    for _ in range(14):
        previous = Node()
        previous.next = node
        node = previous
    registry["chain"] = node
    gc.collect()
    return id(deep)


def measure(key, name, runs, body):
    body()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        body()
        samples.append((time.perf_counter() - start) * 1e9)
    print(json.dumps({"key": key, "name": name, "median_ns": int(statistics.median(samples)),
                      "runs": [int(s) for s in samples]}), flush=True)


def main():
    records = option("--records", 166_667)
    runs = option("--runs", 5)
    deep_id = build(records)
    deep = objgraph.at(deep_id)
    chain = objgraph.find_backref_chain(deep, lambda o: o is registry)
    print("heap: %d gc-tracked objects; chain of %d from %s"
          % (len(gc.get_objects()), len(chain), type(chain[0]).__name__), file=sys.stderr)
    measure("typestats", "objgraph.typestats()", runs, lambda: objgraph.typestats())
    measure("backref_chain_with_index", "objgraph.find_backref_chain to the registry", runs,
            lambda: objgraph.find_backref_chain(deep, lambda o: o is registry))
    measure("leaking_objects", "objgraph.get_leaking_objects()", max(3, runs // 2),
            lambda: len(objgraph.get_leaking_objects()))
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "backrefs.dot")

        def show_backrefs():
            stdout, sys.stdout = sys.stdout, open(os.devnull, "w")
            try:
                objgraph.show_backrefs([deep], filename=path)
            finally:
                sys.stdout.close()
                sys.stdout = stdout
        measure("show_backrefs", "objgraph.show_backrefs to .dot", runs, show_backrefs)


if __name__ == "__main__":
    main()
