"""Runs the snapshot, leak-report and `heapgraph leaks` benchmarks of two release builds
alternately (old, new, old, new, ...) in one run, and prints medians and ratios.

Usage: python3 scripts/bench/compare-builds.py OLD_CHECKOUT NEW_CHECKOUT [ROUNDS]
Each checkout needs release builds of SnapshotBenchmarks, LeakBenchmarks, heapgraph and
LeakyApp (swift build -c release --product ...). `heapgraph leaks` reads a 1M-object LeakyApp
snapshot written by each checkout's own LeakyApp (so each reads its own format version), and
also the new build reads the old build's file. Reports go to a temporary directory.
"""
import os, re, statistics, subprocess, sys, tempfile, time

old, new = sys.argv[1], sys.argv[2]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 2
builds = {"old": old, "new": new}
figures = {}

def add(key, value):
    figures.setdefault(key, []).append(value)

def run(build, *args):
    out = subprocess.run([os.path.join(builds[build], ".build/release", args[0]), *args[1:]],
                         capture_output=True, text=True, check=True, cwd=builds[build]).stdout
    return out

work = tempfile.mkdtemp(prefix="heapgraph-compare-")
for build in builds:
    os.makedirs(f"{work}/{build}")
    run(build, "LeakyApp", f"{work}/{build}", "--requests", "230000")

for _ in range(rounds):
    for build in ("old", "new"):
        out = run(build, "SnapshotBenchmarks", "--runs", "3", "--path", f"{work}/{build}-bench.heapgraph")
        add((build, "10M write"), float(re.search(r"write: median ([\d.]+)", out).group(1)))
        add((build, "10M read"), float(re.search(r"read:  median ([\d.]+)", out).group(1)))
        out = run(build, "LeakBenchmarks", "5")
        add((build, "1M LeakReport.analyze"), float(re.search(r"LeakReport.analyze: +([\d.]+)", out).group(1)))
    for _ in range(5):
        for build, snapshot in (("old", "old"), ("new", "new"), ("new", "old")):
            start = time.perf_counter()
            done = subprocess.run([os.path.join(builds[build], ".build/release/heapgraph"), "leaks",
                                   f"{work}/{snapshot}/app.heapgraph", "-q", "-o", f"{work}/report.txt"],
                                  capture_output=True)
            add((build, f"heapgraph leaks (1M, {snapshot} file)"), time.perf_counter() - start)
            assert done.returncode in (0, 1), done.stderr

subprocess.run(["rm", "-rf", work])
print("| workload | old (median) | new (median) | new / old |")
print("|---|---:|---:|---:|")
for key in ["10M write", "10M read", "1M LeakReport.analyze", "heapgraph leaks (1M, old file)"]:
    o, n = statistics.median(figures[("old", key)]), statistics.median(figures[("new", key)])
    print(f"| {key} | {o:.3f} s | {n:.3f} s | {n / o:.2f} |")
o = statistics.median(figures[("old", "heapgraph leaks (1M, old file)")])
n = statistics.median(figures[("new", "heapgraph leaks (1M, new file)")])
print(f"| heapgraph leaks (1M, each its own file) | {o:.3f} s | {n:.3f} s | {n / o:.2f} |")
print("all runs:", {f"{b} {k}": [round(v, 3) for v in vs] for (b, k), vs in figures.items()})
