"""`python3 -m heapgraph_dump run OUT.heapgraph -- prog.py ARGS...`"""
import sys

from heapgraph_dump.runner import main

if __name__ == "__main__":
    sys.exit(main())
