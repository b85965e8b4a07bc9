"""Ends as its first argument says: return, exit N, raise."""
import sys

KEPT = [bytearray(10) for _ in range(7)]
print("exits: out", sys.argv[1:])
sys.stderr.write("exits: err\n")
if sys.argv[1] == "exit":
    sys.exit(int(sys.argv[2]))
if sys.argv[1] == "raise":
    raise RuntimeError("boom from exits")
