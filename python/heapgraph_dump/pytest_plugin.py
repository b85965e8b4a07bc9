"""pytest plugin: fail a test that leaks (registered through the `pytest11` entry point).

    @pytest.mark.no_leaks                         # new cyclic garbage or uncollectable objects
    @pytest.mark.no_leaks(types=["app.Session"])  # ... or Sessions it made that are still alive
    @pytest.mark.no_leaks(runs=5)                 # ... or a type that grows at every one of 5 runs

`--heapgraph` applies `no_leaks` to every test; `--heapgraph-dir DIR` (or HEAPGRAPH_DIR) keeps a
snapshot and a report for each failing test.

The verdict does not depend on when the collector runs: it is disabled while the test body runs
and everything it made is judged by one collection under DEBUG_SAVEALL afterwards; garbage made
before the body (pytest, fixtures, earlier tests) is collected before the body starts.
"""
import gc
import os
import re
import shutil
import tempfile

import pytest

from heapgraph_dump import trace as _trace
from heapgraph_dump.snapshot import _own_file, _type_name, dump

# Its frames and lists are not part of the heap it reports on.
_own_file(__file__)
_own_file(_trace.__file__)


def pytest_addoption(parser):
    group = parser.getgroup("heapgraph", "leak checks with heapgraph")
    group.addoption("--heapgraph", action="store_true", default=False,
                    help="check every test for leaks as @pytest.mark.no_leaks does")
    group.addoption("--heapgraph-dir", default=None,
                    help="directory for the snapshot and report of each leaking test (default: $HEAPGRAPH_DIR)")


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "no_leaks(types=(), runs=1): fail the test when it leaves cyclic garbage, uncollectable objects, "
        "live objects of the named types, or a type that grows at every one of `runs` runs")


def _type_counts():
    counts = {}
    for o in gc.get_objects():
        name = _type_name(type(o))
        counts[name] = counts.get(name, 0) + 1
    return counts


class _Finding:
    def __init__(self):
        self.lines = []
        self.objects = []
        self.has_garbage = False


def _describe(o):
    return _type_name(type(o))


def _cycle_text(objects):
    """One cycle among `objects`, as types and the references between them (no recursion)."""
    members = {id(o): o for o in objects}
    start = objects[0]
    parent = {id(start): None}
    queue = [start]
    while queue:
        o = queue.pop(0)
        for r in gc.get_referents(o):
            if id(r) in members:
                if r is start:
                    chain = [o]
                    while parent[id(chain[-1])] is not None:
                        chain.append(parent[id(chain[-1])])
                    chain.reverse()
                    return " → ".join(_describe(x) for x in chain + [start])
                if id(r) not in parent:
                    parent[id(r)] = o
                    queue.append(r)
    return _describe(start)


class _GarbageLog:
    """A gc callback that tells uncollectable objects from the rest of gc.garbage.

    Under DEBUG_SAVEALL a collection appends everything unreachable to gc.garbage; the objects
    it cannot free (legacy finalizers, `tp_del`, and what they reach) are appended last
    (handle_legacy_finalizers runs after delete_garbage), and the stop callback's
    `uncollectable` counts them. So the last `uncollectable` entries of each collection are
    the uncollectable ones, on every CPython 3.8-3.13.
    """

    def __init__(self):
        self.uncollectable_ids = set()

    def __call__(self, phase, info):
        if phase == "stop":
            n = info.get("uncollectable", 0)
            if n:
                self.uncollectable_ids.update(map(id, gc.garbage[len(gc.garbage) - n:]))


def _counted(objects):
    by_type = {}
    for o in objects:
        by_type[_describe(o)] = by_type.get(_describe(o), 0) + 1
    return ", ".join("%s %d" % kv for kv in sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0])))


def _judge(before_ids, garbage_before, types, runs_counts, log):
    finding = _Finding()
    enabled_debug = gc.get_debug()
    gc.set_debug(enabled_debug | gc.DEBUG_SAVEALL)
    try:
        gc.collect()
    finally:
        gc.set_debug(enabled_debug)
    new_garbage = [o for o in gc.garbage[garbage_before:] if id(o) not in before_ids]
    uncollectable = [o for o in new_garbage if id(o) in log.uncollectable_ids]
    cyclic = [o for o in new_garbage if id(o) not in log.uncollectable_ids]
    if uncollectable:
        finding.lines.append("new uncollectable objects: %d (%s), which the collector cannot free "
                             "(legacy finalizers): they stay in gc.garbage" % (len(uncollectable), _counted(uncollectable)))
        finding.lines.append("  cycle: " + _cycle_text(uncollectable))
    if cyclic:
        finding.lines.append("new cyclic garbage: %d objects (%s)" % (len(cyclic), _counted(cyclic)))
        finding.lines.append("  cycle: " + _cycle_text(cyclic))
    finding.has_garbage = bool(new_garbage)
    del new_garbage, uncollectable, cyclic
    if types:
        wanted = set(types)
        alive = [o for o in gc.get_objects() if id(o) not in before_ids and
                 (_type_name(type(o)) in wanted or type(o).__name__ in wanted)]
        if alive:
            finding.lines.append("still alive: %d new objects of %s" % (len(alive), ", ".join(sorted(wanted))))
            finding.objects = alive
        del alive
    if runs_counts is not None and len(runs_counts) > 1:
        grew = []
        for name in runs_counts[-1]:
            series = [c.get(name, 0) for c in runs_counts]
            if all(b > a for a, b in zip(series, series[1:])):
                grew.append("%s %s" % (name, " → ".join(map(str, series))))
        if grew:
            finding.lines.append("grew at every one of %d runs: %s" % (len(runs_counts), "; ".join(sorted(grew))))
    return finding, garbage_before


def _snapshot_and_trace(item, finding, garbage_start, log):
    """Writes the snapshot (kept when a directory is configured) while the test's garbage is
    held: uncollectable objects in gc.garbage (flagged so), cyclic garbage out of it (so the
    snapshot shows it as unreachable cycles, not as uncollectable); adds the leak trace of the
    first live object of a named type, found in that snapshot from a named root."""
    directory = item.config.getoption("heapgraph_dir") or os.environ.get("HEAPGRAPH_DIR")
    if not directory and not finding.objects:
        return None
    kept = gc.garbage[garbage_start:]
    del gc.garbage[garbage_start:]
    gc.garbage.extend(o for o in kept if id(o) in log.uncollectable_ids)
    alive = finding.objects
    finding.objects = []
    hidden = [kept, alive]
    temporary = None
    try:
        if directory:
            os.makedirs(directory, exist_ok=True)
            base = os.path.join(directory, re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid))
        else:
            temporary = tempfile.mkdtemp(prefix="heapgraph-")
            base = os.path.join(temporary, "test")
        path = base + ".heapgraph"
        dump(path, _hidden=hidden)
        if alive:
            ids = list(map(id, alive))
            del alive, hidden[1]
            finding.lines.append(_trace.Snapshot(path).trace_text(ids))
        if directory:
            with open(base + ".txt", "w") as out:
                out.write("\n".join(finding.lines) + "\n")
            return path
        return None
    finally:
        del gc.garbage[garbage_start:]
        gc.garbage.extend(kept)
        del kept, hidden
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_pyfunc_call(pyfuncitem):
    marker = pyfuncitem.get_closest_marker("no_leaks")
    if marker is None and not pyfuncitem.config.getoption("heapgraph"):
        yield
        return
    kwargs = marker.kwargs if marker is not None else {}
    types = tuple(kwargs.get("types", ()))
    runs = int(kwargs.get("runs", 1))
    original = pyfuncitem.obj
    state = {}

    def checked(*args, **kw):
        counts = []
        gc.collect()
        garbage_before = len(gc.garbage)
        before_ids = set(map(id, gc.get_objects()))
        enabled = gc.isenabled()
        debug = gc.get_debug()
        gc.disable()
        # A collection the test itself triggers keeps what it finds in gc.garbage, so the
        # verdict is the same whenever (or whether) the collector runs during the body.
        gc.set_debug(debug | gc.DEBUG_SAVEALL)
        log = _GarbageLog()
        gc.callbacks.append(log)
        message = None
        try:
            for _ in range(runs):
                result = original(*args, **kw)
                if runs > 1:
                    gc.collect()
                    counts.append(_type_counts())
            finding, start = _judge(before_ids, garbage_before, types, counts if runs > 1 else None, log)
            if finding.lines:
                message = "heapgraph: the test leaks\n" + "\n".join(finding.lines)
                report = _snapshot_and_trace(pyfuncitem, finding, start, log)
                message = "heapgraph: the test leaks\n" + "\n".join(finding.lines)
                if report:
                    message += "\nsnapshot and report: %s" % report
            # What DEBUG_SAVEALL kept goes back to the collector.
            del gc.garbage[start:]
            finding.objects = []
        finally:
            gc.callbacks.remove(log)
            gc.set_debug(debug)
            if enabled:
                gc.enable()
            gc.collect()
        if message is not None:
            pytest.fail(message, pytrace=False)
        return result

    pyfuncitem.obj = checked
    try:
        yield
    finally:
        pyfuncitem.obj = original
