"""A small request handler that leaks on purpose, for scripts/demo.

Every request makes a Session; closed sessions should go, but a module-level cache keeps
each one through its handler (a bound method), and each session and its user point at
each other, so the leak is a cycle held from a global. Run it through the dumper:

    python3 scripts/heapdump.py run demo-out/python.heapgraph -- \
        samples/python-leak/leaky_cache.py demo-out/python-baseline.heapgraph

With a path argument it also dumps a baseline after the first 50 requests, so
`heapgraph leaks python.heapgraph --baseline python-baseline.heapgraph` sees the growth.
"""
import sys


class User:
    def __init__(self, name):
        self.name = name
        self.session = None


class Session:
    def __init__(self, user, request_id):
        self.user = user
        self.request_id = request_id
        self.payload = bytearray(256)
        user.session = self          # a cycle: session <-> user

    def on_close(self):
        pass


# The leak: handlers of closed sessions are never removed from this cache.
_close_handlers = {}


def handle(request_id):
    session = Session(User(f"user{request_id}"), request_id)
    _close_handlers[request_id] = session.on_close   # keeps the session alive
    return len(session.payload)


def main():
    total = sum(handle(request_id) for request_id in range(50))
    if len(sys.argv) > 1:
        from heapgraph_dump import dump   # on the path under scripts/heapdump.py run
        dump(sys.argv[1])
    total += sum(handle(request_id) for request_id in range(50, 200))
    print(f"leaky_cache: served 200 requests ({total} bytes of payload)")


if __name__ == "__main__":
    main()
