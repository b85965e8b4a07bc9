"""Waits for signals (SIGUSR2 dumps, through install), or to be attached to; SIGTERM ends it."""
import os
import signal
import sys
import time

from heapgraph_dump import install


class Victim:
    def __init__(self, n):
        self.n = n


KEEP = [Victim(n) for n in range(17)]
if len(sys.argv) > 1:
    install(signal.SIGUSR2, sys.argv[1])


def wait_here():
    marker = "waiting"  # noqa: F841 - a frame local the snapshot names
    print("ready %d" % os.getpid(), flush=True)
    while True:
        time.sleep(0.05)


wait_here()
