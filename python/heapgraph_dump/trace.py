"""Leak traces from a `.heapgraph` snapshot, as `heapgraph backrefs` prints them.

A small reader of the file's records (docs/snapshot-format.md) and a breadth-first search from
the snapshot's named roots (module globals, then frame locals) to an object, so that the pytest
plugin's failure message shows the same path, with the same edge labels, as the CLI would on
the snapshot it saves:

    ┬───
    │ Root: module global app.SESSIONS
    │
    ├─ list instance
    │    ↓ list[0]
    ╰→ app.Session instance
"""
import struct
from collections import deque
from itertools import accumulate, chain, compress, repeat
from operator import is_not, not_

_HEADER = struct.Struct("<8sII12Q")
_CATEGORY = {1: "module global", 2: "local variable"}


class Snapshot:
    """The records of a snapshot file: enough for paths and their labels."""

    def __init__(self, path):
        with open(path, "rb") as f:
            data = f.read()
        (magic, _version, _size, n, e, s, nodes_at, edges_at, strings_at, _meta_at, _meta_len, _length,
         _checksum, r, roots_at) = _HEADER.unpack_from(data, 0)
        if magic != b"HEAPGRPH":
            raise ValueError("%s is not a snapshot" % path)
        (by_id,) = struct.unpack_from("<I", data, 116)
        nodes = memoryview(data)[nodes_at:nodes_at + 48 * n]
        self.ids = nodes.cast("Q")[0::6].tolist()
        words = nodes.cast("I")
        self.type_index = words[4::12].tolist()
        self.value_label = words[5::12].tolist()
        counts = words[8::12].tolist()
        if by_id:
            self._read_by_id(data, counts, edges_at, e, roots_at, r)
        else:
            self.first = [0]
            total = 0
            for c in counts:
                total += c
                self.first.append(total)
            edges = memoryview(data)[edges_at:edges_at + 12 * e]
            self.targets = edges.cast("I")[0::3].tolist()
            self.labels = edges.cast("I")[1::3].tolist()
            self.kinds = bytes(edges[8::12])
            self.roots = [struct.unpack_from("<IIB", data, roots_at + 12 * i) for i in range(r)]
        self.strings = []
        at = strings_at
        for _ in range(s):
            (size,) = struct.unpack_from("<I", data, at)
            self.strings.append(bytes(data[at + 4:at + 4 + size]).decode("utf-8", "replace"))
            at += 4 + size

    def _read_by_id(self, data, counts, edges_at, e, roots_at, r):
        """A file whose edges and roots name nodes by id (header bytes 116-119 = 1): resolved
        as the Swift reader does. An id that is no node's drops its edge or root; a dict
        value's edge is named by the key edge before it."""
        ordinal = dict(zip(self.ids, range(len(self.ids))))
        edges = memoryview(data)[edges_at:edges_at + 16 * e]
        # In bulk (C loops): each edge's target ordinal (None: dropped) and source node.
        targets = list(map(ordinal.get, edges.cast("Q")[0::2].tolist()))
        sources = list(chain.from_iterable(map(repeat, range(len(counts)), counts)))
        keep = list(map(is_not, targets, repeat(None)))
        kept_counts = list(counts)
        for source in compress(sources, map(not_, keep)):
            kept_counts[source] -= 1
        self.targets = list(compress(targets, keep))
        self.labels = list(compress(edges.cast("I")[2::4].tolist(), keep))
        kinds = bytearray(compress(bytes(edges[12::16]), keep))
        sources = list(compress(sources, keep))
        del targets, keep
        # A dict value's edge (kind 3, no text bit) is named by the same node's key edge just
        # before it; without one it is unnamed.
        for k in compress(range(len(kinds)), map((3).__eq__, map((127).__and__, kinds))):
            if k > 0 and sources[k - 1] == sources[k] and kinds[k - 1] & 63 == 2:
                self.labels[k] = self.targets[k - 1]
            else:
                self.labels[k], kinds[k] = 0, kinds[k] & 128
        self.kinds = bytes(kinds)
        self.first = [0]
        self.first.extend(accumulate(kept_counts))
        self.roots = []
        for i in range(r):
            node, name, category = struct.unpack_from("<QIB", data, roots_at + 16 * i)
            if node in ordinal:
                self.roots.append((ordinal[node], name, category))

    def type_name(self, node):
        return self.strings[self.type_index[node]]

    def label(self, node):
        i = self.value_label[node]
        return None if i == 0xFFFFFFFF else self.strings[i]

    def edge_text(self, edge):
        """The edge's label as heapgraph writes it (HeapSnapshot.labelText)."""
        kind = self.kinds[edge] & 63
        text = self.kinds[edge] & 64
        value = self.labels[edge]
        if kind == 0:
            return ""
        if kind == 1:
            return "[%d]" % value
        if kind == 2:
            return "(key)"
        if kind == 3:
            return "[%s]" % (self.strings[value] if text else (self.label(value) or "?"))
        if kind == 4:
            if text:
                return self.strings[value]
            name = self.label(value) or "?"
            if len(name) >= 2 and name[0] in "'\"" and name[-1] == name[0]:
                name = name[1:-1]
            return name
        if kind == 6:
            return "(closure) " + self.strings[value]
        if kind == 7:
            return "(hidden)[%d]" % value
        return self.strings[value]

    def object_text(self, node):
        if self.type_name(node) == "type":
            return "%s class" % self.label(node)
        return "%s instance" % self.type_name(node)

    def path_from_roots(self, targets):
        """The shortest path (nodes, edges) from a module global or, failing that, a frame
        local to any node in `targets` (ordinals), with the root's record; or None."""
        for category in (1, 2):
            named = {}
            for node, name, cat in self.roots:
                if cat == category and node not in named:
                    named[node] = self.strings[name]
            if not named:
                continue
            parent = {node: None for node in named}
            queue = deque(named)
            while queue:
                node = queue.popleft()
                if node in targets:
                    steps = []
                    at = node
                    while parent[at] is not None:
                        previous, edge = parent[at]
                        steps.append((previous, edge))
                        at = previous
                    steps.reverse()
                    return category, named[at], steps, node
                for edge in range(self.first[node], self.first[node + 1]):
                    if self.kinds[edge] & 128:  # weak
                        continue
                    target = self.targets[edge]
                    if target not in parent:
                        parent[target] = (node, edge)
                        queue.append(target)
        return None

    def trace_text(self, object_ids):
        """The leak trace of the first of `object_ids` reachable from a named root."""
        wanted = set(object_ids)
        targets = {i for i, x in enumerate(self.ids) if x in wanted}
        found = self.path_from_roots(targets)
        if found is None:
            return "(not reachable from a module global or a frame's local)"
        category, name, steps, last = found
        lines = ["┬───", "│ Root: %s %s" % (_CATEGORY[category], name), "│"]
        for node, edge in steps:
            lines.append("├─ %s" % self.object_text(node))
            label = self.edge_text(edge)
            type_name = self.type_name(node)
            if not label:
                reference = type_name + " (item)"
            elif label[0] in "[(":
                reference = type_name + label
            else:
                reference = type_name + "." + label
            lines.append("│    ↓ %s" % reference)
        lines.append("╰→ %s" % self.object_text(last))
        return "\n".join(lines)
