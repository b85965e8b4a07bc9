"""heapgraph_dump: write `.heapgraph` snapshots (format version 2) of a running CPython process.

    from heapgraph_dump import dump, install
    dump("now.heapgraph")                         # from inside the program
    install(signal.SIGUSR2, "/tmp/app-{pid}-{n}.heapgraph")   # kill -USR2 PID writes one

Standard library only; CPython 3.8 to 3.13.
"""
from heapgraph_dump.snapshot import dump
from heapgraph_dump.trigger import install

__all__ = ["dump", "install"]
