"""Real programs with known leaks, dumped on every interpreter present, read back and analysed."""
import json
import os
import subprocess
import sys

import pytest

from conftest import PACKAGE_DIR, PROGRAMS, REPO, counts_before, run_cli, run_program
from hgread import Snapshot

HEAPDUMP = os.path.join(REPO, "scripts", "heapdump.py")


def _exact_counts(snapshot_path):
    snap = Snapshot(snapshot_path)
    before = counts_before(snapshot_path)
    assert snap.tracked_counts() == before
    return snap


def _referrers(snap, target):
    found = []
    for i in range(len(snap.nodes)):
        for edge in snap.out_edges(i):
            if edge[0] == target:
                found.append((i, edge))
    return found


def _classes(group):
    """A leak group's types without the instance dicts (3.8-3.10 keep the instance -> __dict__ shape)."""
    return tuple(t for t in group["types"] if t != "dict")


def _leaks_json(heapgraph, *args):
    result = run_cli(heapgraph, "leaks", "--format", "json", *args)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_global_cycle(python, heapgraph, tmp_path):
    out = str(tmp_path / "global.heapgraph")
    result = run_program(python, "global_cycle.py", out)
    assert result.returncode == 0, result.stderr
    snap = _exact_counts(out)
    # A file of ids (header field 116 = 1): edges and roots name nodes by id(), hgread resolves them.
    assert snap.by_id == 1
    assert snap.tracked_counts()["__main__.Handler"] == 80
    assert snap.meta["runtime"] == "CPython %s" % python.split("/versions/")[1][:4].rstrip(".")
    handlers = [i for i, n in enumerate(snap.nodes) if n["type"] == "__main__.Handler"]
    # Each Handler: the peer's attribute (named 'peer', directly or through its __dict__ by key).
    for h in handlers:
        names = [snap.edge_name(e) for _i, e in _referrers(snap, h)]
        assert "peer" in names or "['peer']" in names, names
        assert snap.nodes[h]["external"] == 0
    registry = [o for o, name, cat in snap.roots if name == "__main__.REGISTRY"]
    assert len(registry) == 1 and snap.nodes[registry[0]]["type"] == "list"
    assert snap.nodes[registry[0]]["count"] == 40
    trace = run_cli(heapgraph, "backrefs", out, "--type", "__main__.Handler", "--nth", "2")
    assert trace.returncode == 0, trace.stderr
    assert "Root: module global __main__.REGISTRY" in trace.stdout
    assert "__main__.Handler instance" in trace.stdout
    # refs, chain and dominators read it too.
    first = snap.nodes[handlers[0]]
    refs = run_cli(heapgraph, "refs", out, "--id", str(first["id"]))
    assert refs.returncode == 0, refs.stderr
    assert ".peer __main__.Handler" in refs.stdout or ".__dict__ dict" in refs.stdout, refs.stdout
    chain = run_cli(heapgraph, "chain", out, "--from", str(snap.nodes[registry[0]]["id"]),
                    "--to-type", "__main__.Handler")
    assert chain.returncode == 0, chain.stderr
    assert chain.stdout.splitlines()[1] == "│ Root: module global __main__.REGISTRY"
    assert "↓ list[0]" in chain.stdout
    dominators = run_cli(heapgraph, "dominators", out, "--limit", "5")
    assert dominators.returncode == 0 and dominators.stdout.startswith("Top 5 retainers"), dominators.stdout
    # Reachable from a global, never used again: not garbage.
    report = _leaks_json(heapgraph, out)
    assert not [g for g in report["leaks"] if "__main__.Handler" in g["types"]]
    summary = run_cli(heapgraph, "summary", out)
    assert summary.returncode == 0 and "80 tracked" not in summary.stdout
    assert "objects" in summary.stdout.splitlines()[1]


def test_orphaned_cycles(python, heapgraph, tmp_path):
    out = str(tmp_path / "orphans.heapgraph")
    result = run_program(python, "orphan_cycles.py", out)
    assert result.returncode == 0, result.stderr
    snap = _exact_counts(out)
    assert snap.tracked_counts()["__main__.Node"] == 60
    report = _leaks_json(heapgraph, out)
    groups = [g for g in report["leaks"] if _classes(g) == ("__main__.Node",)]
    assert len(groups) == 1
    assert groups[0]["category"] == "cyclic-garbage" and groups[0]["count"] == 30


def test_del_cycle_and_saveall_garbage(python, heapgraph, tmp_path):
    out = str(tmp_path / "del.heapgraph")
    result = run_program(python, "del_cycle.py", out)
    assert result.returncode == 0, result.stderr
    assert "del_cycle: 10 finalized" in result.stdout
    snap = _exact_counts(out)
    assert snap.tracked_counts()["__main__.Finalizable"] == 16
    fin = [n for n in snap.nodes if n["type"] == "__main__.Finalizable"]
    assert all(n["flags"] & 4 for n in fin)  # has a finalizer (__del__)
    in_garbage = [n for n in fin if n["flags"] & 16]
    assert len(in_garbage) == 10
    plain_garbage = [n for n in snap.nodes if n["type"] == "__main__.Plain" and n["flags"] & 16]
    assert len(plain_garbage) == 8
    if python_version(python) >= (3, 9):
        # The collector ran their finalizers before DEBUG_SAVEALL kept them.
        assert all(n["flags"] & 2 for n in in_garbage)
        assert not any(n["flags"] & 2 for n in fin if not n["flags"] & 16)
    assert any(name == "gc.garbage" and cat == 5 for _o, name, cat in snap.roots)
    report = _leaks_json(heapgraph, out)
    by_types = {(g["category"], _classes(g)): g["count"] for g in report["leaks"]}
    assert by_types[("uncollectable", ("__main__.Finalizable",))] == 5
    assert by_types[("uncollectable", ("__main__.Plain",))] == 4
    assert by_types[("cyclic-garbage", ("__main__.Finalizable",))] == 3
    trace = run_cli(heapgraph, "backrefs", out, "--type", "__main__.Plain", "--nth", "1")
    assert "Root: gc.garbage" in trace.stdout


def test_growing_cache_two_dumps(python, heapgraph, tmp_path):
    out = str(tmp_path / "cache.heapgraph")
    result = run_program(python, "growing_cache.py", out)
    assert result.returncode == 0, result.stderr
    first = _exact_counts(out + ".1")
    second = _exact_counts(out + ".2")
    assert first.tracked_counts()["__main__.Entry"] == 10
    assert second.tracked_counts()["__main__.Entry"] == 35
    growth = run_cli(heapgraph, "growth", out + ".1", out + ".2")
    assert growth.returncode in (0, 1), growth.stderr
    line = [row for row in growth.stdout.splitlines() if row.split()[:1] == ["__main__.Entry"]]
    assert line and line[0].split()[1:4] == ["10", "35", "+25"], growth.stdout
    report = _leaks_json(heapgraph, out + ".2", "--baseline", out + ".1")
    entry = [g for g in report["leaks"] if g["category"] == "growth" and g["types"] == ["__main__.Entry"]]
    assert entry and entry[0]["count"] == 25
    trace = run_cli(heapgraph, "backrefs", out + ".2", "--type", "__main__.Entry", "--nth", "30")
    assert "Root: module global __main__.CACHE" in trace.stdout
    assert "['request-" in trace.stdout


def test_closures_capture_owner(python, heapgraph, tmp_path):
    out = str(tmp_path / "closures.heapgraph")
    result = run_program(python, "closures.py", out)
    assert result.returncode == 0, result.stderr
    snap = _exact_counts(out)
    assert snap.tracked_counts()["__main__.Owner"] == 12
    owners = [i for i, n in enumerate(snap.nodes) if n["type"] == "__main__.Owner"]
    for owner in owners:
        cells = [i for i, e in _referrers(snap, owner)
                 if snap.nodes[i]["type"] == "cell" and snap.edge_name(e) == "cell_contents"]
        assert len(cells) == 1
        # The closure tuple names the cell by the captured variable.
        holders = [(snap.nodes[i]["type"], e[2] & 63, snap.edge_name(e)) for i, e in _referrers(snap, cells[0])]
        assert ("tuple", 6, "owner") in holders, holders
    trace = run_cli(heapgraph, "backrefs", out, "--type", "__main__.Owner", "--nth", "5")
    assert "Root: module global __main__.OWNERS" in trace.stdout


def python_version(python):
    out = subprocess.check_output([python, "-c", "import sys; print('%d %d' % sys.version_info[:2])"],
                                  universal_newlines=True)
    return tuple(int(x) for x in out.split())


def _heapdump(python, out, program, *args, cwd=None):
    return subprocess.run([python, HEAPDUMP, "run", out, "--", program] + list(args), cwd=cwd,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=120)


@pytest.mark.parametrize("how,status", [(["return"], 0), (["exit", "7"], 7), (["raise"], 1)])
def test_run_keeps_status_output_and_writes(python, heapgraph, tmp_path, how, status):
    out = str(tmp_path / "exits.heapgraph")
    result = _heapdump(python, out, os.path.join(PROGRAMS, "exits.py"), *how)
    assert result.returncode == status
    assert result.stdout == "exits: out %r\n" % (how,)
    assert result.stderr.startswith("exits: err\n")
    if how == ["raise"]:
        assert result.stderr.splitlines()[-1] == "RuntimeError: boom from exits"
        assert "heapdump.py" not in result.stderr and "runner.py" not in result.stderr
    else:
        assert result.stderr == "exits: err\n"
    snap = Snapshot(out)
    assert snap.tracked_counts().get("bytearray", 0) == 0  # bytearray is not tracked by gc
    kept = [o for o, name, cat in snap.roots if name == "__main__.KEPT" and cat == 1]
    assert len(kept) == 1 and snap.nodes[kept[0]]["count"] == 7
    assert run_cli(heapgraph, "summary", out).returncode == 0


def test_run_missing_program(python, tmp_path):
    out = str(tmp_path / "x.heapgraph")
    result = _heapdump(python, out, str(tmp_path / "nope.py"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "heapgraph-dump: cannot run %s: No such file or directory" % (tmp_path / "nope.py")]
    assert not os.path.exists(out)


def test_run_program_failing_import(python, tmp_path):
    out = str(tmp_path / "x.heapgraph")
    result = _heapdump(python, out, os.path.join(PROGRAMS, "import_fails.py"))
    assert result.returncode == 1
    assert result.stdout == "import_fails: before\n"
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ModuleNotFoundError: No module named 'no_such_module_heapgraph'")
    Snapshot(out)


def test_run_unwritable_output(python, tmp_path):
    out = str(tmp_path / "missing-dir" / "x.heapgraph")
    result = _heapdump(python, out, os.path.join(PROGRAMS, "exits.py"), "exit", "5")
    assert result.returncode == 5  # the program's own status stays
    assert result.stdout == "exits: out ['exit', '5']\n"
    assert result.stderr.splitlines() == [
        "exits: err", "heapgraph-dump: cannot write the snapshot %s: No such file or directory" % out]
    ok = _heapdump(python, out, os.path.join(PROGRAMS, "exits.py"), "return")
    assert ok.returncode == 1 and ok.stdout == "exits: out ['return']\n"
    assert not os.path.exists(os.path.dirname(out))


def test_module_entry_point_runs(python, tmp_path):
    out = str(tmp_path / "m.heapgraph")
    env = dict(os.environ, PYTHONPATH=PACKAGE_DIR)
    result = subprocess.run([python, "-m", "heapgraph_dump", "run", out, "--", os.path.join(PROGRAMS, "exits.py"),
                             "exit", "3"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True, timeout=120)
    assert result.returncode == 3, result.stderr
    Snapshot(out)


def test_usage_error(python):
    result = subprocess.run([python, HEAPDUMP, "run", "only-one-arg"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
    assert result.returncode == 2 and result.stderr.startswith("usage: heapgraph-dump run")


def test_a_dump_leaves_the_heap_as_it_found_it(python, tmp_path):
    # Reading an instance's or a function's __dict__ creates one (3.11+ instances keep their
    # attributes inline; functions make theirs on demand): a dump must not, or the next dump
    # counts dicts that the program never made (it once showed +1,185).
    out = str(tmp_path / "twice.heapgraph")
    result = run_program(python, "twice.py", out)
    assert result.returncode == 0, result.stderr
    first = counts_before(out + ".1")
    second = counts_before(out + ".2")
    assert second.get("dict", 0) == first.get("dict", 0)
    assert second.get("__main__.Plain") == first.get("__main__.Plain") == 30
    # Untracked dicts too (an empty __dict__ made by reading it is untracked).
    dicts = [sum(1 for n in Snapshot(out + suffix).nodes if n["type"] == "dict") for suffix in (".1", ".2")]
    assert dicts[0] == dicts[1]
    _exact_counts(out + ".2")


def test_held_from_c_is_count_minus_references_found(python, tmp_path):
    # External counts are the interpreter's count less every reference the snapshot has:
    # not inflated by the dumper's own frames and tables, by code objects' fields (which
    # gc.get_referents does not report), by class names, or by immortal and cached objects.
    out = str(tmp_path / "held.heapgraph")
    result = run_program(python, "held_from_c.py", out)
    assert result.returncode == 0, result.stderr
    snap = _exact_counts(out)
    held_roots = {o: name for o, name, cat in snap.roots if cat == 3}

    def only(type_name, label=None):
        found = [i for i, n in enumerate(snap.nodes)
                 if n["type"] == type_name and (label is None or n["label"] == label)]
        assert len(found) == 1, (type_name, label, found)
        return found[0]

    held = only("__main__.Held")
    assert snap.nodes[held]["external"] == 1
    assert held_roots[held] == "held from C (1)"
    for plain in [i for i, n in enumerate(snap.nodes) if n["type"] == "__main__.Plain"]:
        assert snap.nodes[plain]["external"] == 0 and plain not in held_roots
    # The classes, the function, its code and its name: referenced only from the heap.
    init = only("function", "Plain.__init__")
    init_code = [e[0] for e in snap.out_edges(init) if snap.edge_name(e) == "__code__"]
    assert len(init_code) == 1
    for node in (only("type", "Plain"), only("type", "Held"), only("function", "keeper"), only("code", "keeper"),
                 init, init_code[0]):
        assert snap.nodes[node]["external"] == 0, snap.nodes[node]
    # The dumper's own functions and code, which its running frames hold, are not "held from C".
    for name in ("dump", "_dump", "_Dump.write", "write"):
        for i, n in enumerate(snap.nodes):
            if n["type"] in ("function", "code") and n["label"] == name:
                assert n["external"] == 0, n
    # Interpreter singletons: immortal (flag 128), never held from C.
    for type_name, label in (("NoneType", "None"), ("int", "1"), ("bool", "True")):
        matches = [i for i, n in enumerate(snap.nodes) if n["type"] == type_name and n["label"] == label]
        assert matches, (type_name, label)
        for i in matches:
            assert snap.nodes[i]["flags"] & 128 and snap.nodes[i]["external"] == 0
    # Code objects held from C are only those the interpreter is running (the program's
    # frames that called dump; its stack holds them), not every function's as before.
    code_held = [snap.nodes[o]["label"] for o in held_roots if snap.nodes[o]["type"] == "code"]
    assert set(code_held) <= {"<module>", "counted_dump"}, code_held
