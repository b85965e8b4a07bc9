"""`heapgraph leaks` on a 1M-object LeakyApp snapshot, two release builds alternately
(old, new, old, new, ...), whole processes, medians and ratios; then the new build alone
with memlab's three snapshots (--target). Each run is measured as CPU time (user + system,
from getrusage of the child), which a machine shared with other builds disturbs far less
than wall time; wall times are printed too.

Usage: python3 scripts/bench/compare-leak-gates.py OLD_CHECKOUT NEW_CHECKOUT [ROUNDS]
Each checkout needs `swift build -c release --product heapgraph`; NEW_CHECKOUT also
`--product LeakyApp`, whose snapshots both builds read (their format is the same).
"""
import os, resource, statistics, subprocess, sys, tempfile, time

old, new = sys.argv[1], sys.argv[2]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 7
work = tempfile.mkdtemp(prefix="heapgraph-gates-bench-")
subprocess.run([os.path.join(new, ".build/release/LeakyApp"), work, "--requests", "230000"],
               capture_output=True, check=True)
app, base = f"{work}/app.heapgraph", f"{work}/baseline.heapgraph"
workloads = {
    "leaks FILE": [app],
    "leaks FILE --baseline OLD": [app, "--baseline", base],
}
times = {}

walls = {}

def timed(checkout, arguments):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([os.path.join(checkout, ".build/release/heapgraph"), "leaks", *arguments,
                           "-q", "-o", f"{work}/report.txt"], capture_output=True)
    walls.setdefault((checkout, tuple(arguments)), []).append(time.perf_counter() - start)
    assert done.returncode in (0, 1), done.stderr
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

for _ in range(rounds):
    for name, arguments in workloads.items():
        for build, checkout in (("old", old), ("new", new)):
            times.setdefault((build, name), []).append(timed(checkout, arguments))
three = [timed(new, [app, "--baseline", base, "--target", app]) for _ in range(rounds)]
subprocess.run(["rm", "-rf", work])
print("CPU time (user + system), median of", rounds, "runs each")
print("| workload | old (median) | new (median) | new / old |")
print("|---|---:|---:|---:|")
for name in workloads:
    o, n = statistics.median(times[("old", name)]), statistics.median(times[("new", name)])
    print(f"| `heapgraph {name}` | {o:.3f} s | {n:.3f} s | {n / o:.2f} |")
print(f"| `heapgraph leaks FILE --baseline OLD --target FILE` (new only) | — | {statistics.median(three):.3f} s | — |")
print("CPU, all runs:", {f"{b} {k}": [round(v, 3) for v in vs] for (b, k), vs in times.items()},
      "three:", [round(v, 3) for v in three])
print("wall medians:", {f"{os.path.basename(c)} {' '.join(a[1:]) or 'FILE'}": round(statistics.median(v), 3)
                        for (c, a), v in walls.items()})
