"""Times heapgraph commands as whole processes and objgraph on an equal CPython heap.

Usage: cli_runs.py SNAPSHOT REQUESTS. Prints a Markdown table (medians of 5 runs)."""
import json, statistics, subprocess, sys, time

snapshot, requests = sys.argv[1], int(sys.argv[2])
binary = ".build/release/heapgraph"

def timed(args, expect):
    times = []
    for _ in range(5):
        start = time.perf_counter()
        done = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - start)
        if done.returncode not in expect:
            sys.exit(f"{args} exited {done.returncode}: {done.stderr.decode()}")
    return statistics.median(times)

summary = json.loads(subprocess.run([binary, "summary", snapshot, "--json"], capture_output=True, check=True).stdout)
objects = summary["objects"]
leaks = timed([binary, "leaks", snapshot, "-q", "-o", "/dev/null"], expect=(0, 1))
baseline = snapshot.replace("app.heapgraph", "baseline.heapgraph")
leaks_baseline = timed([binary, "leaks", snapshot, "--baseline", baseline, "-q", "-o", "/dev/null"], expect=(0, 1))
backrefs = timed([binary, "backrefs", snapshot, "-q", "--type", "Session", "--nth", "1"], expect=(0,))
summary_time = timed([binary, "summary", snapshot, "-q"], expect=(0,))

# The peer: the same service shape in CPython, and objgraph's answer to "why is this
# session alive" (find_backref_chain to a module-level object), in one process.
peer = f"""
import gc, sys, time
t0 = time.perf_counter()
import objgraph
class Session: pass
class Listener: pass
class Request: pass
class Parser: pass
gc.disable()
listeners, sessions = [], {{}}
first = None
for i in range({requests}):
    if i % 10 == 0:
        s = Session(); l = Listener(); s.name = 'session-%d' % i; s.listener = l; l.session = s; l.events = []
        listeners.append(l)
        if first is None: first = s
    r = Request(); p = Parser(); r.parser = p; p.request = r; r.path = '/items/%d' % i; r.headers = {{}}
del r, p, s, l
tracked = len(gc.get_objects())
t1 = time.perf_counter()
# objgraph runs gc.collect() first, which frees the request/parser cycles: part of its cost.
chain = objgraph.find_backref_chain(first, lambda o: o is listeners)
t2 = time.perf_counter()
print(t1 - t0, t2 - t1, len(chain), tracked)
"""
peer_times = []
for _ in range(3):
    out = subprocess.run([sys.executable, "-c", peer], capture_output=True, text=True, check=True).stdout.split()
    peer_times.append((float(out[0]), float(out[1])))
    peer_objects = int(out[3])
peer_chain = statistics.median(t[1] for t in peer_times)

print(f"snapshot: {objects:,} objects, {summary['edges']:,} references ({requests:,} LeakyApp requests)")
print("| command (whole process, median of 5) | time | target |")
print("|---|---:|---:|")
print(f"| heapgraph leaks | {leaks:.3f} s | ≤ 1 s |")
print(f"| heapgraph leaks --baseline (a second, 1/5-size snapshot) | {leaks_baseline:.3f} s | — |")
print(f"| heapgraph backrefs --type Session | {backrefs:.3f} s | ≤ 1 s |")
print(f"| heapgraph summary (load + typestats) | {summary_time:.3f} s | — |")
print(f"| peer: objgraph.find_backref_chain on an equal CPython heap ({peer_objects:,} tracked objects before its gc.collect(); chain only, heap already built; median of 3) | {peer_chain:.3f} s | — |")
