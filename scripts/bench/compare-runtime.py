"""Runs RuntimeBenchmarks workloads and SnapshotBenchmarks' write of two release builds
alternately (old, new, old, new, ...) in one run, and prints medians and ratios.

Usage: python3 scripts/bench/compare-runtime.py OLD_CHECKOUT NEW_CHECKOUT [ROUNDS] [KEY ...]
Each checkout needs release builds of RuntimeBenchmarks and SnapshotBenchmarks
(swift build -c release --product RuntimeBenchmarks; ... SnapshotBenchmarks). To time a
workload the old checkout lacks, copy the new Benchmarks/RuntimeBenchmarks/main.swift into
it before building (it uses public API only), so both builds run the same benchmark source.
Snapshot files go to a temporary directory and are removed.
"""
import json, os, re, shutil, statistics, subprocess, sys, tempfile

old, new = sys.argv[1], sys.argv[2]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 2
keys = sys.argv[4:] or ["pool", "empty_list", "instances_gc_off", "empty_list_after_snapshot",
                        "instances_after_snapshot", "free_snapshotted"]
builds = {"old": old, "new": new}
figures = {}
work = tempfile.mkdtemp(prefix="heapgraph-compare-runtime-")


def binary(build, name):
    return os.path.join(builds[build], ".build/release", name)


try:
    for _ in range(rounds):
        for build in ("old", "new"):
            out = subprocess.run([binary(build, "RuntimeBenchmarks"), *keys, "--json"],
                                 capture_output=True, text=True, check=True).stdout
            for line in out.splitlines():
                row = json.loads(line)
                figures.setdefault((row["name"], "ns/op"), {}).setdefault(build, []).append(row["median_ns"])
            out = subprocess.run([binary(build, "SnapshotBenchmarks"), "--nodes", "2000000", "--runs", "3",
                                  "--path", f"{work}/{build}.heapgraph"],
                                 capture_output=True, text=True, check=True).stdout
            write = float(re.search(r"write: median ([\d.]+)", out).group(1))
            figures.setdefault(("write a 2M-node snapshot", "s"), {}).setdefault(build, []).append(write)
finally:
    shutil.rmtree(work, ignore_errors=True)

print(f"| workload | old | new | new/old |")
print(f"|---|---:|---:|---:|")
for (name, unit), runs in figures.items():
    o, n = statistics.median(runs["old"]), statistics.median(runs["new"])
    print(f"| {name} | {o:.2f} {unit} | {n:.2f} {unit} | {n / o:.2f} |")
