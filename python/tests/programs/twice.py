"""Two dumps in a row with nothing in between: the first must leave the heap as it found it."""
import gc
import json
import sys

from _counting import counted_dump


class Plain:
    def __init__(self, n):
        self.n = n
        self.items = [n]


def handler(x, y=2):
    return x + y


KEEP = [Plain(n) for n in range(30)]
# No collection between the two counts may free anything either.
gc.collect()
gc.disable()
# counted_dump writes its counts as JSON: the first write looks the codec up (a CodecInfo and
# its __dict__ stay cached), which must happen before the first count, not between the two.
with open(sys.argv[1] + ".warm", "w") as warm:
    warm.write(json.dumps({"warm": 1}))
counted_dump(sys.argv[1] + ".1")
counted_dump(sys.argv[1] + ".2")
