"""Snapshots on a signal: Python runs signal handlers in the main thread between bytecodes."""
import os
import signal as _signal
import sys

from heapgraph_dump.snapshot import _own_file, dump

_own_file(__file__)


def install(signum, path_pattern):
    """Make signal `signum` write a snapshot to `path_pattern`.

    The pattern may use `{pid}` and `{n}` (1 for the first snapshot, then 2, ...).
    Returns the previous handler. A snapshot that cannot be written prints one line to stderr;
    the program goes on.
    """
    state = {"n": 0}

    def _heapgraph_on_signal(signum, frame):
        state["n"] += 1
        path = path_pattern.format(pid=os.getpid(), n=state["n"])
        try:
            dump(path)
        except OSError as error:
            sys.stderr.write("heapgraph-dump: cannot write %s: %s\n" % (path, error.strerror or error))

    return _signal.signal(signum, _heapgraph_on_signal)
