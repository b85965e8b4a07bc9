"""One object held only from C (ctypes Py_IncRef), next to objects held only from Python."""
import ctypes
import sys

from _counting import counted_dump


class Held:
    pass


class Plain:
    def __init__(self, n):
        self.value = [n]


def keeper():
    return KEEP


HELD = Held()
ctypes.pythonapi.Py_IncRef(ctypes.py_object(HELD))  # a reference no Python object holds
KEEP = [Plain(n) for n in range(5)]
counted_dump(sys.argv[1])
