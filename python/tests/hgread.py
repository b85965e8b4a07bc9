"""A small reader of .heapgraph version 2 files, for the tests (it checks the layout and checksum)."""
import json
import struct
import zlib

from heapgraph_dump.snapshot import _checksum


class Snapshot:
    def __init__(self, path):
        with open(path, "rb") as f:
            data = f.read()
        assert data[:8] == b"HEAPGRPH"
        (version, hsize, n, e, s, nodes_at, edges_at, strings_at, meta_at, meta_len, length, checksum,
         r, roots_at) = struct.unpack_from("<II12Q", data, 8)
        assert version == 2 and hsize == 128 and length == len(data)
        (self.checksum_algorithm,) = struct.unpack_from("<I", data, 112)
        (self.by_id,) = struct.unpack_from("<I", data, 116)
        assert self.by_id in (0, 1) and data[120:128] == bytes(8), "reserved header bytes"
        if self.checksum_algorithm == 1:
            assert checksum == zlib.crc32(data[128:]), "checksum (CRC-32)"
        else:
            assert self.checksum_algorithm == 0 and checksum == _checksum([data[128:]]), "checksum (FNV-1a)"
        self.strings = []
        at = strings_at
        for _ in range(s):
            (size,) = struct.unpack_from("<I", data, at)
            self.strings.append(data[at + 4:at + 4 + size].decode("utf-8"))
            at += 4 + size
        assert at == meta_at
        self.meta = json.loads(data[meta_at:].decode("utf-8"))
        self.nodes = []
        first = 0
        for i in range(n):
            (nid, rc, tn, label, size, ext, count, gen, flags, kind) = struct.unpack_from(
                "<QqIIIiIBBB", data, nodes_at + 48 * i)
            self.nodes.append(dict(id=nid, refcount=rc, type=self.strings[tn],
                                   label=None if label == 0xFFFFFFFF else self.strings[label],
                                   size=size, external=ext, first=first, count=count, gen=gen,
                                   flags=flags, kind=kind))
            first += count
        assert first == e
        if not self.by_id:
            assert strings_at == roots_at + 12 * r and roots_at == edges_at + 12 * e
            self.edges = [struct.unpack_from("<IIB", data, edges_at + 12 * i) for i in range(e)]
            self.roots = [(o, self.strings[nm], cat)
                          for o, nm, cat in (struct.unpack_from("<IIB", data, roots_at + 12 * i) for i in range(r))]
            return
        # Edges and roots name nodes by id (16-byte records): resolved here, as the CLI does.
        assert strings_at == roots_at + 16 * r and roots_at == edges_at + 16 * e
        ordinal = {}
        for i, node in enumerate(self.nodes):
            assert node["id"] not in ordinal, "two nodes with id %#x" % node["id"]
            ordinal[node["id"]] = i
        raw = [struct.unpack_from("<QIB", data, edges_at + 16 * i) for i in range(e)]
        self.edges = []
        self.dropped = 0
        for node in self.nodes:
            first = len(self.edges)
            for target_id, label, kind in raw[node["first"]:node["first"] + node["count"]]:
                target = ordinal.get(target_id)
                if target is None:
                    self.dropped += 1
                    continue
                if kind & 127 == 3:  # a dict value: named by the key edge before it
                    previous = self.edges[-1] if len(self.edges) > first else None
                    if previous is not None and previous[2] & 63 == 2:
                        label = previous[0]
                    else:
                        label, kind = 0, kind & 128
                self.edges.append((target, label, kind))
            node["first"], node["count"] = first, len(self.edges) - first
        self.roots = []
        for i in range(r):
            node_id, nm, cat = struct.unpack_from("<QIB", data, roots_at + 16 * i)
            if node_id in ordinal:
                self.roots.append((ordinal[node_id], self.strings[nm], cat))
            else:
                self.dropped += 1

    def tracked_counts(self):
        counts = {}
        for node in self.nodes:
            if node["flags"] & 1:
                counts[node["type"]] = counts.get(node["type"], 0) + 1
        return counts

    def out_edges(self, i):
        node = self.nodes[i]
        return self.edges[node["first"]:node["first"] + node["count"]]

    def edge_name(self, edge):
        target, label, kind = edge
        k = kind & 63
        if k == 1:
            return "[%d]" % label
        if k == 3 and not kind & 64:
            return "[%s]" % self.nodes[label]["label"]
        if k in (4, 5, 6, 8) or kind & 64:
            return self.strings[label]
        return ""
