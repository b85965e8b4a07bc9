"""Snapshots of live child processes: on SIGUSR2 through install(), and by PID through gdb."""
import os
import signal
import stat
import subprocess
import time

import pytest

from conftest import PACKAGE_DIR, PROGRAMS, REPO, run_cli
from hgread import Snapshot

HEAPDUMP = os.path.join(REPO, "scripts", "heapdump.py")


def _start(python, *args):
    env = dict(os.environ, PYTHONPATH=PACKAGE_DIR)
    child = subprocess.Popen([python, os.path.join(PROGRAMS, "waits.py")] + list(args), env=env,
                             stdout=subprocess.PIPE, universal_newlines=True)
    line = child.stdout.readline()
    assert line.startswith("ready "), line
    return child


def _wait_for(path, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if os.path.exists(path):
            size = os.path.getsize(path)
            time.sleep(0.2)
            if size and os.path.getsize(path) == size:
                return
        time.sleep(0.05)
    raise AssertionError("no snapshot at %s" % path)


def _stop(child):
    child.send_signal(signal.SIGTERM)
    child.wait(timeout=30)
    child.stdout.close()


def _check_victims(snap, heapgraph, path):
    assert snap.tracked_counts()["__main__.Victim"] == 17
    keep = [o for o, name, cat in snap.roots if name == "__main__.KEEP" and cat == 1]
    assert len(keep) == 1 and snap.nodes[keep[0]]["count"] == 17
    frames = [name for _o, name, cat in snap.roots if cat == 2]
    assert any(name.startswith("thread MainThread: wait_here (") and "waits.py:" in name for name in frames), frames
    assert not any("heapgraph_dump" in name or "inject.py" in name for name in frames), frames
    trace = run_cli(heapgraph, "backrefs", path, "--type", "__main__.Victim", "--nth", "4")
    assert "Root: module global __main__.KEEP" in trace.stdout


def test_signal_writes_numbered_snapshots(python, heapgraph, tmp_path):
    pattern = str(tmp_path / "sig-{pid}-{n}.heapgraph")
    child = _start(python, pattern)
    try:
        for n in (1, 2):
            child.send_signal(signal.SIGUSR2)
            path = pattern.format(pid=child.pid, n=n)
            _wait_for(path)
            snap = Snapshot(path)
            _check_victims(snap, heapgraph, path)
        # The frame interrupted by the signal holds its locals by name.
        waiting = [i for i, node in enumerate(snap.nodes) if node["label"] == "'waiting'"]
        holders = [snap.edge_name(e) for i in range(len(snap.nodes)) for e in snap.out_edges(i)
                   if e[0] in waiting and snap.nodes[i]["kind"] in (0, 9) and snap.nodes[i]["type"] == "frame"]
        assert "marker" in holders
        assert child.poll() is None  # the program goes on
    finally:
        _stop(child)


def test_attach_by_pid(python, heapgraph, tmp_path):
    if not os.path.exists("/usr/bin/gdb") and not any(
            os.access(os.path.join(d, "gdb"), os.X_OK) for d in os.environ.get("PATH", "").split(os.pathsep)):
        pytest.skip("gdb is not installed")
    child = _start(python)
    out = str(tmp_path / "pid.heapgraph")
    try:
        result = subprocess.run([python, HEAPDUMP, "--pid", str(child.pid), out], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, universal_newlines=True, timeout=180)
        if "ptrace is not permitted" in result.stderr:
            pytest.skip("ptrace is not permitted on this machine")
        assert result.returncode == 0, result.stderr
        _check_victims(Snapshot(out), heapgraph, out)
        assert child.poll() is None
    finally:
        _stop(child)


def test_attach_without_ptrace_says_so(tmp_path):
    fake = tmp_path / "bin"
    fake.mkdir()
    gdb = fake / "gdb"
    gdb.write_text("#!/bin/sh\necho 'ptrace: Operation not permitted.'\nexit 1\n")
    gdb.chmod(stat.S_IRWXU)
    env = dict(os.environ, PATH=str(fake) + os.pathsep + os.environ.get("PATH", ""))
    result = subprocess.run(["python3", HEAPDUMP, "--pid", str(os.getpid()), str(tmp_path / "x.heapgraph")],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                            timeout=60)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "heapgraph-dump: cannot attach to process %d: ptrace is not permitted here: run as root or as the "
        "process's user with /proc/sys/kernel/yama/ptrace_scope at 0, or give the container "
        "--cap-add=SYS_PTRACE" % os.getpid()]
    assert not (tmp_path / "x.heapgraph").exists()


def test_attach_bad_pid(tmp_path):
    for pid, line in (("abc", "heapgraph-dump: --pid needs a process id, not 'abc'"),
                      ("999999999", "heapgraph-dump: no process 999999999")):
        result = subprocess.run(["python3", HEAPDUMP, "--pid", pid, str(tmp_path / "x.heapgraph")],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
        assert result.returncode != 0 and result.stderr.splitlines() == [line]
