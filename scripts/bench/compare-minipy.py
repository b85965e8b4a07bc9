"""Runs one minipy program under several minipy binaries (and CPython, with `python3` as a
binary) alternately, RUNS times each in one go, and prints the medians of CPU time (user +
system of the child) and wall time, and each one's CPU ratio to the first binary's.

Usage: python3 scripts/bench/compare-minipy.py RUNS PROGRAM BINARY [BINARY ...]
e.g.   python3 scripts/bench/compare-minipy.py 7 Benchmarks/minipy/binary_trees.py \\
           OLD_CHECKOUT/.build/release/minipy .build/release/minipy python3
Each BINARY is a release build of minipy from the checkout to compare (swift build -c
release --product minipy). Every run's output must equal the first binary's: a faster
wrong answer is not a speed-up. (CPython's count for cycles.py differs from minipy's,
docs/performance.md says why: compare it between minipy binaries only.)
"""
import os, statistics, subprocess, sys, time

if len(sys.argv) < 4 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 1:
    print(__doc__, file=sys.stderr)
    sys.exit(64)
runs, program, binaries = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
cpu = {binary: [] for binary in binaries}
wall = {binary: [] for binary in binaries}
expected = None
for _ in range(runs):
    for binary in binaries:
        before = os.times()
        start = time.perf_counter()
        result = subprocess.run([binary, program], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        wall[binary].append(time.perf_counter() - start)
        after = os.times()
        if result.returncode != 0:
            sys.exit(f"{binary} {program} failed: {result.stderr.decode()}")
        if expected is None:
            expected = result.stdout
        elif result.stdout != expected:
            sys.exit(f"{binary} {program} printed something else than {binaries[0]}")
        cpu[binary].append((after.children_user - before.children_user) + (after.children_system - before.children_system))
first = statistics.median(cpu[binaries[0]])
print("| binary | CPU | wall | CPU / first |")
print("|---|---:|---:|---:|")
for binary in binaries:
    median = statistics.median(cpu[binary])
    print(f"| {binary} | {median:.3f} s | {statistics.median(wall[binary]):.3f} s | {median / first:.2f} |")
