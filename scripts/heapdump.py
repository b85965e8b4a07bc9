#!/usr/bin/env python3
"""Run a program and write a .heapgraph snapshot of it when it ends (docs/cpython.md).

    python3 scripts/heapdump.py run OUT.heapgraph -- prog.py ARGS...
    python3 scripts/heapdump.py --pid PID OUT.heapgraph
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))

from heapgraph_dump.runner import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
