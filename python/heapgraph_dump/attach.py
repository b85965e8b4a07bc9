"""`heapgraph-dump --pid PID OUT`: dump a process that did not prepare for it, as pyrasite does.

gdb attaches, takes the GIL with PyGILState_Ensure, runs a small script with PyRun_SimpleString
(it imports this package from where it is installed and calls dump), and releases the GIL.
The script reports through a status file, since PyRun_SimpleString only returns 0 or -1.
"""
import os
import shutil
import subprocess
import sys
import tempfile

PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PTRACE_HELP = ("ptrace is not permitted here: run as root or as the process's user with "
               "/proc/sys/kernel/yama/ptrace_scope at 0, or give the container --cap-add=SYS_PTRACE")

_SCRIPT = """\
import sys as _hg_sys
_hg_sys.path.insert(0, {parent!r})
try:
    from heapgraph_dump import dump as _hg_dump
    from heapgraph_dump.snapshot import _own_file as _hg_own
    _hg_own({script!r})
    del _hg_own
    _hg_n = _hg_dump({out!r})
    _hg_status = "ok %d" % _hg_n
except BaseException as _hg_error:
    _hg_status = "error %s: %s" % (type(_hg_error).__name__, _hg_error)
finally:
    del _hg_sys.path[0]
with open({status!r}, "w") as _hg_file:
    _hg_file.write(_hg_status)
del _hg_sys, _hg_file, _hg_status
try:
    del _hg_dump, _hg_n
except NameError:
    pass
try:
    del _hg_error
except NameError:
    pass
"""


def _error(message):
    sys.stderr.write("heapgraph-dump: %s\n" % message)
    return 1


def attach(pid_text, out, timeout=120):
    """Inject a dump of process `pid_text` into `out`; returns an exit status (0 written)."""
    try:
        pid = int(pid_text)
        if pid <= 0:
            raise ValueError
    except ValueError:
        sys.stderr.write("heapgraph-dump: --pid needs a process id, not %r\n" % pid_text)
        return 2
    if not os.path.exists("/proc/%d" % pid):
        return _error("no process %d" % pid)
    gdb = shutil.which("gdb")
    if gdb is None:
        return _error("gdb is not installed; it is needed to attach to process %d (apt-get install gdb)" % pid)
    out = os.path.abspath(out)
    directory = os.path.dirname(out)
    if not os.path.isdir(directory) or not os.access(directory, os.W_OK):
        return _error("cannot write the snapshot %s: its directory is missing or not writable" % out)
    work = tempfile.mkdtemp(prefix="heapgraph-dump-")
    try:
        os.chmod(work, 0o755)
        status = os.path.join(work, "status")
        script = os.path.join(work, "inject.py")
        with open(script, "w") as f:
            f.write(_SCRIPT.format(parent=PACKAGE_PARENT, out=out, status=status, script=script))
        os.chmod(script, 0o644)
        code = 'exec(compile(open(%r).read(), %r, "exec"))' % (script, script)
        command = [gdb, "-p", str(pid), "-batch", "-nx", "-nh",
                   "-ex", "set scheduler-locking off",
                   "-ex", "call (void*) PyGILState_Ensure()",
                   "-ex", "call (int) PyRun_SimpleString(%s)" % _c_string(code),
                   "-ex", "call (void) PyGILState_Release((int) $1)"]
        try:
            result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    universal_newlines=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return _error("gdb did not finish within %d s attached to process %d" % (timeout, pid))
        text = result.stdout
        if "ptrace: Operation not permitted" in text or "Could not attach to process" in text:
            return _error("cannot attach to process %d: %s" % (pid, PTRACE_HELP))
        if os.path.exists(status):
            with open(status) as f:
                outcome = f.read()
            if outcome.startswith("ok "):
                return 0
            return _error("the dump failed inside process %d: %s" % (pid, outcome[len("error "):]))
        if "No symbol" in text or "unknown return type" in text:
            return _error("process %d has no CPython symbols gdb can call (PyGILState_Ensure); is it a CPython process?"
                          % pid)
        last = [line for line in text.splitlines() if line.strip()][-1:] or ["no output"]
        return _error("the dump did not run in process %d (gdb: %s)" % (pid, last[0]))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _c_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
