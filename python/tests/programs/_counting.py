"""Shared by the test programs: type counts from gc.get_objects(), then a dump, then the counts saved."""
import gc
import json

from heapgraph_dump import dump
from heapgraph_dump.snapshot import _type_name


def _counts():
    counts = {}
    for o in gc.get_objects():
        name = _type_name(type(o))
        counts[name] = counts.get(name, 0) + 1
    return counts


def counted_dump(path):
    """Count what gc.get_objects() sees, dump at once (the collector held off in between)."""
    enabled = gc.isenabled()
    gc.disable()
    before = _counts()
    dump(path)
    if enabled:
        gc.enable()
    with open(path + ".counts.json", "w") as out:
        # json.dumps, not json.dump: the latter's pure-Python encoder leaves cyclic garbage
        # (its closures) that a later count would see.
        out.write(json.dumps(before))
