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
import sys

import pytest

from heapgraph_dump.snapshot import _type_name, dump


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


def _root_trace(target, ignore):
    """A backward chain from a module to `target` (breadth-first over gc.get_referrers)."""
    modules = {id(m.__dict__): name for name, m in list(sys.modules.items()) if hasattr(m, "__dict__")}
    parent = {id(target): None}
    frontier = [target]
    for _depth in range(12):
        found = None
        next_frontier = []
        for o in frontier:
            for r in gc.get_referrers(o):
                if id(r) in parent or id(r) in ignore or type(r).__name__ == "frame":
                    continue
                parent[id(r)] = o
                if id(r) in modules:
                    found = r
                    break
                next_frontier.append(r)
            if found is not None:
                break
        if found is not None:
            steps = []
            o = found
            while o is not None:
                steps.append(o)
                o = parent[id(o)]
            name = [k for k, v in found.items() if v is steps[1]] if len(steps) > 1 else []
            head = "Root: module global %s.%s" % (modules[id(found)], name[0] if name else "?")
            return "\n".join([head] + ["├─ %s" % _describe(x) for x in steps[1:]])
        frontier = next_frontier[:2000]
    return "(no path from a module global within 12 steps)"


def _judge(before_ids, garbage_before, types, runs_counts):
    finding = _Finding()
    enabled_debug = gc.get_debug()
    gc.set_debug(enabled_debug | gc.DEBUG_SAVEALL)
    try:
        gc.collect()
    finally:
        gc.set_debug(enabled_debug)
    new_garbage = [o for o in gc.garbage[garbage_before:] if id(o) not in before_ids]
    if new_garbage:
        by_type = {}
        for o in new_garbage:
            by_type[_describe(o)] = by_type.get(_describe(o), 0) + 1
        # Uncollectable objects (legacy tp_del) land in gc.garbage too, so they are counted here.
        finding.lines.append("new cyclic garbage: %d objects (%s)" % (
            len(new_garbage), ", ".join("%s %d" % kv for kv in sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0])))))
        finding.lines.append("  cycle: " + _cycle_text(new_garbage))
    del new_garbage
    if types:
        wanted = set(types)
        alive = [o for o in gc.get_objects() if id(o) not in before_ids and
                 (_type_name(type(o)) in wanted or type(o).__name__ in wanted)]
        if alive:
            finding.lines.append("still alive: %d new objects of %s" % (len(alive), ", ".join(sorted(wanted))))
            finding.lines.append(_root_trace(alive[0], {id(alive), id(finding)}))
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
        message = None
        try:
            for _ in range(runs):
                result = original(*args, **kw)
                if runs > 1:
                    gc.collect()
                    counts.append(_type_counts())
            finding, start = _judge(before_ids, garbage_before, types, counts if runs > 1 else None)
            if finding.lines:
                message = "heapgraph: the test leaks\n" + "\n".join(finding.lines)
                report = _save(pyfuncitem, finding)
                if report:
                    message += "\nsnapshot and report: %s" % report
            # What DEBUG_SAVEALL kept goes back to the collector.
            del gc.garbage[start:]
            finding.objects = []
        finally:
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


def _save(item, finding):
    directory = item.config.getoption("heapgraph_dir") or os.environ.get("HEAPGRAPH_DIR")
    if not directory:
        return None
    os.makedirs(directory, exist_ok=True)
    base = os.path.join(directory, re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid))
    dump(base + ".heapgraph")
    with open(base + ".txt", "w") as out:
        out.write("\n".join(finding.lines) + "\n")
    return base + ".heapgraph"
