"""Write a `.heapgraph` snapshot (format version 2, docs/snapshot-format.md) of this process.

How it stays fast and small in pure Python (docs/cpython.md, "How the dump works"):
- edges and roots name their targets by id() (header field 116 = 1): the reader turns ids into
  ordinals, so no target is looked up here; a chunk's target ids are its flattened referent
  list's item pointers, copied in one memmove (`_ids_of`);
- references found (for "held from C") are counted by the interpreter: the target lists are
  kept until every node's reference count is read a second time, and the rise is what was found;
- nodes are laid out in *segments*, one per (type, tracked) pair; atoms and dicts sorted by
  id() (which deduplicates the atoms, and finds an f_locals dict by `bisect`), the others in
  the collector's order;
- a segment's edges are produced in bulk at C speed (`map`, `chain`, `compress` over whole
  chunks: dict keys and values, list items, instance attributes checked by identity against
  `gc.get_referents`); only functions, frames, classes, modules, code and unusual instances
  take a per-object path;
- records go to the file chunk by chunk (edges first, at their final offset, then nodes), and
  the checksum is CRC-32 (`zlib.crc32`, header field 112 = 1) read back from the file.
"""
import array
import dis as _dis
import gc
import json
import os
import struct
import sys
import threading
import time
import types
import zlib
from bisect import bisect_left, bisect_right
from itertools import accumulate, chain, compress, filterfalse, islice, repeat
from operator import attrgetter, getitem, is_, is_not, itemgetter, mul, not_, sub

__all__ = ["dump"]

_FunctionType = types.FunctionType
_MethodType = types.MethodType
_ModuleType = types.ModuleType
_FrameType = types.FrameType
_CellType = type((lambda x: (lambda: x))(0).__closure__[0])
_CodeType = types.CodeType
_NONE = 0xFFFFFFFF
_HEAPTYPE = 1 << 9
_VERSION = sys.version_info[:2]
# 3.12+ (PEP 683): immortal objects report a huge, meaningless count; 3.11's deep-frozen
# static objects (code, strs, tuples of the frozen modules) start at 999,999,999.
_IMMORTAL_AT = (1 << 30) if _VERSION >= (3, 12) else 999000000 if _VERSION == (3, 11) else None
_CHUNK = 1 << 15

# Node kinds (byte 38).
_K_OBJECT, _K_ARRAY, _K_STRING, _K_NUMBER, _K_DICT, _K_TYPE, _K_CLOSURE, _K_CODE, _K_SYNTH = 0, 1, 2, 3, 4, 5, 6, 7, 9
_KIND_OF = {list: _K_ARRAY, tuple: _K_ARRAY, set: _K_ARRAY, frozenset: _K_ARRAY,
            str: _K_STRING, bytes: _K_STRING, int: _K_NUMBER, float: _K_NUMBER, bool: _K_NUMBER,
            complex: _K_NUMBER, dict: _K_DICT, _FunctionType: _K_CLOSURE, _CodeType: _K_CODE}
# Types whose value label is their (cut) repr, as objgraph labels atoms; they refer to nothing.
_ATOMS = (str, bytes, int, float, bool, complex, type(None))

# Edge kinds (byte 8); bit 6: the label is a string index.
_E_NONE, _E_INDEX, _E_DICTKEY, _E_KEY, _E_ATTR, _E_NAMED, _E_CLOSURE = 0, 1, 2, 3, 4, 5, 6
_TEXT = 64
_DICT_KINDS = bytes([_E_DICTKEY, _E_KEY])
# Made once: struct's own cache would otherwise add objects to the heap at the first dump.
_U32 = struct.Struct("<I")
_HEADER = struct.Struct("<8sII10Q")
_TWO_U64 = struct.Struct("<QQ")
_SYNTH_NODE = struct.Struct("<QqIIIiIBBB9x")
# Header bytes 112-115: the checksum algorithm (1: CRC-32).
_CRC32 = 1
# Header bytes 116-119: edges and roots name nodes by id (1), in 16-byte records.
_BY_ID = 1
_ID_EDGE = 16
_ID_ROOT = 16

# Root categories.
_R_GLOBAL, _R_LOCAL, _R_HANDLE, _R_GARBAGE = 1, 2, 3, 5

# Code object fields that are stored members (reading them creates nothing). Code objects are
# not containers for the collector, so gc.get_referents sees none of this; without these
# edges every name, constant and line table a code object holds looked "held from C".
_CODE_FIELDS = tuple(
    name for name in ("co_code", "co_consts", "co_names", "co_varnames", "co_freevars", "co_cellvars",
                      "co_filename", "co_name", "co_qualname", "co_linetable", "co_lnotab", "co_exceptiontable")
    if type(vars(_CodeType).get(name)) is types.MemberDescriptorType)

# C types whose name is a stored member that gc.get_referents does not report (descriptors
# keep their d_name); heap types' __name__ and __qualname__ are handled with the classes.
_NAMED_FIELDS = {type(t): ("__name__",) for t in (
    vars(type)["__dict__"], vars(type)["__name__"], str.join, vars(dict)["fromkeys"], int.__add__,
    vars(types.SimpleNamespace).get("__init__"), vars(types.FunctionType)["__globals__"]) if t is not None}
_NAMED_FIELDS = {t: f for t, f in _NAMED_FIELDS.items()
                 if all(type(vars(t).get(n)) is types.MemberDescriptorType for n in f)}

_OWN_FILES = set()


def _own_file(path):
    _OWN_FILES.add(os.path.normcase(os.path.abspath(path)))


_own_file(__file__)


def _is_own_code(code):
    return os.path.normcase(os.path.abspath(code.co_filename)) in _OWN_FILES


def _label_of(o, t):
    """objgraph's short label: atoms by repr cut to 40, types, functions and modules by name."""
    try:
        if t is str or t is bytes:
            return repr(o[:40])[:40]
        if t in _ATOMS:
            return repr(o)[:40]
        if isinstance(o, type):
            return o.__name__
        if t is _FunctionType:
            return o.__qualname__
        if t is _ModuleType:
            return o.__name__
        if t is _CodeType:
            return o.co_name
    except Exception:
        return "(unrepresentable)"
    return None


def _type_name(t):
    """Builtins by their short name (objgraph's), everything else module-qualified."""
    mod = getattr(t, "__module__", None)
    name = getattr(t, "__qualname__", None) or t.__name__
    if mod in (None, "builtins"):
        return name
    return "%s.%s" % (mod, name)


def dump(path, tag=None, _hidden=()):
    """Write a snapshot of the running process to `path`.

    Every object the collector tracks (no collection first), the untracked objects they
    refer to, labelled edges, named roots and external counts. Returns the number of nodes.
    `_hidden` (for the pytest plugin): a list of containers left out (it too), as the dumper's
    own objects are, whose references count as found.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _dump(path, tag, _hidden)
    finally:
        if enabled:
            gc.enable()


def _dump(path, tag, hidden):
    # The object list first, before this function creates anything the collector tracks.
    g0 = gc.get_objects(0)
    g1 = gc.get_objects(1)
    nodes = gc.get_objects(2)
    gen_bounds = (len(g0), len(g0) + len(g1))
    g0.extend(g1)
    g0.extend(nodes)
    nodes = g0
    del g0, g1
    # Handed over in a box so that no frame but the walk's keeps the list (or its counts show it).
    box = [nodes]
    del nodes
    return _Dump(box.pop(), gen_bounds, hidden).write(path, tag)


class _Strings:
    """The string table: UTF-8 bytes -> index. It keeps encoded copies, never the heap's own
    str objects, so that holding them adds no reference to any node."""

    def __init__(self, first):
        self.index = {}
        self.items = []
        self.first = first  # indexes below are the atoms' value labels, written apart

    def __call__(self, s):
        b = s.encode("utf-8", "replace") if type(s) is str else s
        i = self.index.get(b)
        if i is None:
            i = self.index[b] = self.first + len(self.items)
            self.items.append(b)
        return i


class _Dump:
    def __init__(self, tracked, gen_bounds, hidden):
        self.started = time.time()
        # Our own frames (tracked before 3.11) are not part of the heap we report.
        own = set()
        f = sys._getframe()
        while f is not None and _is_own_code(f.f_code):
            own.add(id(f))
            f = f.f_back
        self.caller = f
        del f
        self.hidden = list(hidden)
        own.update(map(id, hidden))
        own.add(id(hidden))
        a, b = gen_bounds
        if own:
            # They are the newest objects: generation 0.
            young = [o for o in tracked[:a] if id(o) not in own]
            removed = a - len(young)
            tracked[:a] = young
            del young
            a -= removed
            b -= removed
            if len(own) > removed and any(map(own.__contains__, map(id, tracked))):
                tracked[:] = list(compress(tracked, map(not_, map(own.__contains__, map(id, tracked)))))
        # Generations by id for the (usually few) young objects; everything else tracked is 2.
        young = dict(zip(map(id, islice(tracked, 0, a)), repeat(0)))
        young.update(zip(map(id, islice(tracked, a, b)), repeat(1)))
        self.young = young
        self.n_tracked = len(tracked)
        self.box = [tracked]

    # ---- layout -------------------------------------------------------------------------

    def _discover(self, tracked, extra):
        """The untracked objects the tracked ones (and `extra`, the frames' locals) reach,
        transitively. Atoms (most of them) may come more than once: the layout sorts them by
        id and drops repeats, which costs less than a dict keyed by id; the other untracked
        objects (tuples, dicts, code ...) are walked in turn, so they are deduplicated here."""
        is_tracked = gc.is_tracked
        get_referents = gc.get_referents
        atoms = {}  # type -> its atoms, repeats included
        found = {}
        fresh = {}
        frontier = tracked

        def take(cands):
            # Untracked first (atoms never are tracked): the passes by type then see only those.
            cands = list(filterfalse(is_tracked, cands))
            kinds = list(map(type, cands))
            present = set(kinds)
            for t in present & _ATOM_SET:
                part = atoms.get(t)
                if part is None:
                    part = atoms[t] = []
                if len(present) == 1:
                    part.extend(cands)
                else:
                    part.extend(compress(cands, map(is_, kinds, repeat(t))))
            if present - _ATOM_SET:
                others = list(compress(cands, map(not_, map(_ATOM_SET.__contains__, kinds))))
                fresh.update(zip(map(id, others), others))

        take(extra)
        while True:
            if not frontier:
                break
            for s in range(0, len(frontier), _CHUNK):
                chunk = frontier[s:s + _CHUNK]
                cands = list(chain.from_iterable(map(get_referents, chunk)))
                kinds = list(map(type, chunk))
                # The few types that need more than their referents, found through the set of
                # the chunk's types rather than a pass over the chunk for each.
                kind_set = set(kinds)
                dicts = classes = None
                if any(issubclass(k, dict) for k in kind_set):
                    dicts = list(compress(chunk, map(isinstance, chunk, repeat(dict))))
                    cands.extend(chain.from_iterable(map(dict.keys, dicts)))
                for special in _DISCOVER_SPECIAL:
                    if special in kind_set:
                        for o in compress(chunk, map(is_, kinds, repeat(special))):
                            if special is _FrameType:
                                cands.extend(v for _n, v in _locals_of(o))
                            elif special is _CodeType:
                                cands.extend(getattr(o, name) for name in _CODE_FIELDS)
                            else:
                                cands.extend(getattr(o, name) for name in _NAMED_FIELDS[special])
                if any(issubclass(k, type) for k in kind_set):
                    classes = list(compress(chunk, map(isinstance, chunk, repeat(type))))
                    heap = [c for c in classes if c.__flags__ & _HEAPTYPE]
                    cands.extend(map(type.__dict__["__name__"].__get__, heap))
                    cands.extend(map(type.__dict__["__qualname__"].__get__, heap))
                    for c in classes:
                        if not c.__flags__ & _HEAPTYPE:
                            cands.extend(v for _n, v in _static_type_fields(c))
                    del heap
                del classes, kind_set
                take(cands)
                del chunk, cands, kinds, dicts
            frontier = list(map(fresh.__getitem__, fresh.keys() - found.keys()))
            fresh = {}
            found.update(zip(map(id, frontier), frontier))
        result = list(found.values())
        found.clear()
        return result, atoms

    def _frames(self):
        """(thread name, frame) for every frame of every thread, the dumper's own left out."""
        thread_names = {th.ident: th.name for th in threading.enumerate()}
        me = threading.get_ident()
        result = []
        for tid, f in sys._current_frames().items():
            if tid == me:
                f = self.caller
            tname = thread_names.get(tid, str(tid))
            while f is not None:
                if not _is_own_code(f.f_code):
                    result.append((tname, f))
                f = f.f_back
        return result

    def _frame_locals(self):
        """What the frames hold: locals, code (whose fields the walk then finds)."""
        values = []
        for _t, f in self._frames():
            values.extend(v for _n, v in _locals_of(f))
            values.append(f.f_code)
        return values

    @staticmethod
    def _group(objs):
        """{type: [objects of that type]}: big types with C-speed passes, the rest in one loop."""
        kinds = list(map(type, objs))
        counts = {}
        for t in set(kinds):
            counts[t] = 0
        groups = {}
        big = []
        if len(objs) > 4 * _CHUNK:
            # Sample to find the types worth a pass of their own.
            for t in islice(kinds, 0, len(kinds), 97):
                counts[t] += 1
            big = [t for t, c in counts.items() if c * 97 > len(objs) // 32]
        rest_mask = None
        covered = 0
        for t in big:
            mask = list(map(is_, kinds, repeat(t)))
            groups[t] = list(compress(objs, mask))
            covered += len(groups[t])
            if covered < len(objs):
                rest_mask = mask if rest_mask is None else list(map(bool.__or__, rest_mask, mask))
        if covered == len(objs):
            return groups
        if rest_mask is None:
            rest, rest_kinds = objs, kinds
        else:
            keep = list(map(not_, rest_mask))
            rest, rest_kinds = list(compress(objs, keep)), list(compress(kinds, keep))
        for o, t in zip(rest, rest_kinds):
            g = groups.get(t)
            if g is None:
                g = groups[t] = []
            g.append(o)
        return groups

    def _layout(self):
        tracked = self.box.pop()
        untracked, atoms = self._discover(tracked, self._frame_locals())
        # Segments: tracked objects by type, then untracked ones by type. Atoms are sorted by id
        # (which finds the ones reached more than once) and dicts too (an f_locals dict is
        # looked up by bisect); the rest keep the collector's order, so that a tracked
        # segment starts with its generation 0 objects, then its generation 1 ones.
        nodes = []
        # Every node's id, in node order: one array, 8 bytes a node, for the few
        # is-it-a-node questions (frames, gc.garbage, f_locals dicts).
        node_ids = array.array("Q")
        seg_base, seg_type, seg_sorted = [], [], []
        pairs = {}
        halves = [untracked, tracked]
        del tracked, untracked
        for flag in (1, 0):
            # Each half's list is let go as soon as it is grouped.
            groups = self._group(halves.pop())
            if not flag:
                groups.update(atoms)
                atoms = None
            for t in sorted(groups, key=_type_name):
                g = groups.pop(t)
                by_id = (not flag and t in _ATOM_SET) or t is dict
                if by_id:
                    g.sort(key=id)
                ids = _ids_of(g)
                if not flag and t in _ATOM_SET and len(g) > 1:
                    # Atoms found more than once: repeats are next to each other now.
                    first = [True]
                    first.extend(map(is_not, islice(g, 1, None), g))
                    if not all(first):
                        g = list(compress(g, first))
                        ids = _ids_of(g)
                    del first
                pair = pairs.get(t)
                if pair is None:
                    pair = pairs[t] = [-1, -1]
                pair[flag] = len(seg_type)
                seg_base.append(len(nodes))
                seg_type.append(t)
                seg_sorted.append(by_id)
                node_ids.extend(ids)
                nodes.extend(g)
                del g, ids
            if flag:
                self.tracked_end = len(nodes)
        seg_base.append(len(nodes))
        # type -> its segment; a type with a tracked and an untracked segment (tuple, dict)
        # maps to both, told apart by gc.is_tracked.
        self.seg_of = {t: (p[0] if p[1] < 0 else p[1]) for t, p in pairs.items() if p[0] < 0 or p[1] < 0}
        self.duals = {t: tuple(p) for t, p in pairs.items() if p[0] >= 0 and p[1] >= 0}
        self.node_ids, self.seg_base, self.seg_type, self.seg_sorted = node_ids, seg_base, seg_type, seg_sorted
        self.nodes = nodes

    def is_node(self, o):
        """Whether `o` is one of the nodes: a bisect into its segment's ids where they are
        sorted (atoms, dicts), else a scan of the segment (frames, gc.garbage's list: asked
        once each).
        - Complexity: O(log n) for a sorted segment, else O(its length), in C."""
        seg = self.seg_of.get(type(o))
        if seg is None:
            pair = self.duals.get(type(o))
            if pair is None:
                return False
            seg = pair[1 if gc.is_tracked(o) else 0]
        start, end = self.seg_base[seg], self.seg_base[seg + 1]
        if not self.seg_sorted[seg]:
            return any(map(is_, self.nodes[start:end], repeat(o)))
        at = bisect_left(self.node_ids, id(o), start, end)
        return at < end and self.node_ids[at] == id(o)

    # ---- the walk --------------------------------------------------------------------------

    def write(self, path, tag):
        self._layout()
        nodes = self.nodes
        n_real = len(nodes)
        # Atoms' value labels come first in the string table (1 .. A), in node order, so that
        # they are never held in memory: written at the end from the atoms themselves.
        atom_segs = [k for k, t in enumerate(self.seg_type) if t in _ATOMS]
        n_atom_labels = sum(self.seg_base[k + 1] - self.seg_base[k] for k in atom_segs) if atom_segs else 0
        intern = self.intern = _Strings(1 + n_atom_labels)
        # Indexes, not a dict keyed by the names: a dict of the dumper's would hold one more
        # reference to each of these (interned, shared) str objects while counts are read.
        self.names = array.array("I", map(intern, _FIXED_NAMES))
        self.code_names = array.array("I", map(intern, _CODE_FIELDS))
        # Frames first (3.11+ frames without an object become synthetic nodes after the rest).
        self.phantom_dicts = []
        roots, synthetic = self._frame_roots()
        n_nodes = n_real + len(synthetic)
        self._type_table()
        # References found are counted by the interpreter itself: every reference the snapshot
        # has as an edge (and every one the dumper counts as found) is kept in `found` until the
        # counts are read a second time, so each node's count rises by exactly the references
        # found to it. No target is ever looked up in Python.
        # Both reads are made from here, so that this frame is the same at both.
        self.rc = self._write_nodes(None, 0, 0, None)
        self.found = list(map(gc.get_referents, self.hidden))
        self.hidden = None
        self.found.extend([_synthetic_frame_values(frame) for _n, _i, _e, frame in synthetic])
        self.counts = array.array("I")
        self.n_edges = 0
        # Written under a temporary name and renamed when complete: the records are not written
        # in file order, so a reader polling the path (a signal's snapshot) must never see it
        # before its header and checksum are in place.
        partial = "%s.%d.partial" % (path, os.getpid())
        out = open(partial, "w+b")
        complete = False
        try:
            self.out = out
            edges_at = 128 + 48 * n_nodes
            out.seek(edges_at)
            self._edges()
            for _name, _fid, edges, _frame in synthetic:
                self._emit(array.array("Q", (j for j, _l, _k in edges)), array.array("I", (l for _j, l, _k in edges)),
                           bytes(k for _j, _l, k in edges))
                self.counts.append(len(edges))
            synthetic = [(name, fid) for name, fid, _edges, _frame in synthetic]
            roots_at = out.tell()
            roots.extend(self._other_roots())
            node_label = self._write_nodes(synthetic, n_real, n_nodes, roots)
            out.seek(roots_at)
            for start in range(0, len(roots), _CHUNK):
                part = roots[start:start + _CHUNK]
                buf = bytearray(_ID_ROOT * len(part))
                memoryview(buf).cast("Q")[0::2] = array.array("Q", map(itemgetter(0), part))
                memoryview(buf).cast("I")[2::4] = array.array("I", map(itemgetter(1), part))
                memoryview(buf)[12::_ID_ROOT] = bytes(map(itemgetter(2), part))
                out.write(buf)
            strings_at = out.tell()
            n_strings = 1 + n_atom_labels + len(intern.items)
            out.write(_U32.pack(0))
            self._write_atom_labels(atom_segs, node_label)
            for b in intern.items:
                out.write(_U32.pack(len(b)))
                out.write(b)
            meta_at = out.tell()
            meta = self._metadata(n_nodes, tag)
            meta_buf = json.dumps(meta, default=str).encode("utf-8")
            out.write(meta_buf)
            length = out.tell()
            out.flush()
            out.seek(128)
            crc = 0
            while True:
                data = out.read(1 << 22)
                if not data:
                    break
                crc = zlib.crc32(data, crc)
            header = _HEADER.pack(b"HEAPGRPH", 2, 128, n_nodes, self.n_edges, n_strings, 128, edges_at, strings_at,
                                  meta_at, len(meta_buf), length, crc)
            header += _TWO_U64.pack(len(roots), roots_at) + _U32.pack(_CRC32) + _U32.pack(_BY_ID) + bytes(8)
            out.seek(0)
            out.write(header)
            out.close()
            os.replace(partial, path)
            complete = True
        finally:
            out.close()
            if not complete:
                try:
                    os.unlink(partial)
                except OSError:
                    pass
        return n_nodes

    def _emit(self, ids, labels, kinds):
        """Appends edge records (target ids as array 'Q', labels, kinds) to the file. The
        caller keeps the targets in `self.found`."""
        m = len(ids)
        if not m:
            return
        buf = bytearray(_ID_EDGE * m)
        memoryview(buf).cast("Q")[0::2] = ids
        memoryview(buf).cast("I")[2::4] = labels
        memoryview(buf)[12::_ID_EDGE] = kinds
        self.out.write(buf)
        self.n_edges += m

    def _emit_targets(self, targets, labels, kinds):
        """Edges to `targets` (a list of objects, which is kept: its references are the
        references found)."""
        self.found.append(targets)
        self._emit(_ids_of(targets), labels, kinds)

    def _edges(self):
        nodes = self.nodes
        closure_names = {}
        for k, t in enumerate(self.seg_type):
            if t is _FunctionType:
                for o in nodes[self.seg_base[k]:self.seg_base[k + 1]]:
                    c = o.__closure__
                    if c is not None:
                        closure_names[id(c)] = o.__code__.co_freevars
        self.closure_names = closure_names
        self.plans = {}
        self.attribute_names = {}
        for k, t in enumerate(self.seg_type):
            start, end = self.seg_base[k], self.seg_base[k + 1]
            for s in range(start, end, _CHUNK):
                objs = nodes[s:min(s + _CHUNK, end)]
                self._chunk_edges(t, objs)
                del objs
        self.closure_names = self.plans = self.attribute_names = None

    def _chunk_edges(self, t, objs):
        m = len(objs)
        if t in _ATOMS:
            self.counts.extend(repeat(0, m))
            return
        if t is dict:
            lens = list(map(len, objs))
            ks = list(chain.from_iterable(map(dict.keys, objs)))
            vs = list(chain.from_iterable(map(dict.values, objs)))
            n = len(ks)
            if n == len(vs) == sum(lens):
                tg = [None] * (2 * n)
                tg[0::2] = ks
                tg[1::2] = vs
                del ks, vs
                # Each value's edge is named by the key edge before it (the reader's rule).
                self.counts.extend(map(mul, lens, repeat(2)))
                self._emit_targets(tg, array.array("I", bytes(8 * n)), _DICT_KINDS * n)
                return
            # Changed while read: one dict at a time.
            return self._slow_chunk(objs)
        if t is list or t is tuple:
            lens = list(map(len, objs))
            tg = list(chain.from_iterable(objs))
            if len(tg) != sum(lens):
                return self._slow_chunk(objs)
            labels = array.array("I", chain.from_iterable(map(range, lens)))
            kinds = bytearray(b"\x01") * len(tg)
            if t is tuple and self.closure_names:
                # Closure tuples name their cells by the free variables.
                cn = self.closure_names
                marks = list(compress(range(m), map(cn.__contains__, map(id, objs))))
                if marks:
                    offsets = [0]
                    offsets.extend(accumulate(lens))
                    for k in marks:
                        fv = cn[id(objs[k])]
                        if len(fv) == lens[k]:
                            at = offsets[k]
                            labels[at:at + lens[k]] = array.array("I", map(self.intern, fv))
                            kinds[at:at + lens[k]] = bytes([_E_CLOSURE]) * lens[k]
            self.counts.extend(lens)
            self._emit_targets(tg, labels, kinds)
            return
        if t is set or t is frozenset:
            lens = list(map(len, objs))
            tg = list(chain.from_iterable(objs))
            if len(tg) != sum(lens):
                return self._slow_chunk(objs)
            self.counts.extend(lens)
            self._emit_targets(tg, array.array("I", bytes(4 * len(tg))), bytes(len(tg)))
            return
        if t.__flags__ & _HEAPTYPE and not issubclass(t, type):
            plan = self.plans.get(t)
            if plan is None:
                plan = self.plans[t] = self._plain_plan(t, objs)
            if plan is not False and self._plain_chunk(t, objs, plan):
                return
            return self._slow_chunk(objs)
        if t in (_FunctionType, _CellType, _MethodType, _FrameType, _ModuleType, _CodeType) or issubclass(t, type) \
                or t in _NAMED_FIELDS:
            return self._slow_chunk(objs)
        # Any other C type: its referents, unnamed, in bulk.
        refs = list(map(gc.get_referents, objs))
        lens = list(map(len, refs))
        tg = list(chain.from_iterable(refs))
        del refs
        self.counts.extend(lens)
        self._emit_targets(tg, array.array("I", bytes(4 * len(tg))), bytes(len(tg)))

    # Plain instances: a Python class (no __slots__, no C base) whose referents are, in order,
    # its attribute values then its class (3.11+, values inline) or its __dict__ then its class.
    def _plain_plan(self, t, objs):
        mro = t.__mro__
        if mro[-1] is not object or t.__itemsize__:
            return False
        for klass in mro[:-1]:
            if not klass.__flags__ & _HEAPTYPE or "__slots__" in vars(klass):
                return False
        if issubclass(t, (dict, list, tuple, set, frozenset, type, BaseException)):
            return False
        if not _INLINE_VALUES:
            if t.__dictoffset__ <= 0:
                return False
            return ()  # [__dict__, __class__]
        if t.__dictoffset__ >= 0 or getattr(t, "__getattribute__", None) is not object.__getattribute__ \
                or hasattr(t, "__getattr__"):
            return False
        assigned = self.attribute_names.get(t)
        if assigned is None:
            assigned = self.attribute_names[t] = _assigned_names(t)
        # The order of the class's shared keys, read from a sample whose values are distinct.
        for o in objs[:8]:
            refs = gc.get_referents(o)
            if not refs or refs[-1] is not t:
                continue
            values = refs[:-1]
            if len(set(map(id, values))) != len(values):
                continue
            order = []
            left = list(assigned)
            for v in values:
                for name in left:
                    try:
                        w = object.__getattribute__(o, name)
                    except Exception:
                        continue
                    if w is v:
                        order.append(name)
                        left.remove(name)
                        break
                else:
                    return False
            return tuple(order)
        return False

    def _plain_chunk(self, t, objs, plan):
        """True when every object of the chunk has exactly the plan's referents."""
        m = len(objs)
        refs = list(map(gc.get_referents, objs))
        k = len(plan) + 1 if _INLINE_VALUES else 2
        if list(map(len, refs)).count(k) != m:
            return False
        names = self.names
        if not _INLINE_VALUES:
            if not all(map(is_, map(itemgetter(1), refs), repeat(t))) or \
                    not all(map(is_, map(type, map(itemgetter(0), refs)), repeat(dict))):
                return False
            labels_one = array.array("I", [names[_N_DICT]])
            kinds_one = bytes([_E_NAMED])
        else:
            # Each object's attributes in the plan's order, then its class: one C call an object.
            try:
                if plan:
                    rows = list(map(attrgetter(*plan, "__class__"), objs))
                else:
                    rows = list(zip(map(attrgetter("__class__"), objs)))
            except Exception:
                return False
            if not all(map(is_, chain.from_iterable(refs), chain.from_iterable(rows))):
                return False
            del rows
            labels_one = array.array("I", map(self.intern, plan))
            kinds_one = bytes([_E_ATTR | _TEXT]) * len(plan)
        # The referents are, object by object, the attributes (or __dict__) then the class.
        targets = list(chain.from_iterable(refs))
        del refs
        labels = (labels_one + array.array("I", [names[_N_CLASS]])) * m
        kinds = (kinds_one + bytes([_E_NAMED])) * m
        self.counts.extend(repeat(k, m))
        self._emit_targets(targets, labels, kinds)
        return True

    def _slow_chunk(self, objs):
        """One object at a time, by the per-type rules (docs/cpython.md's edge table)."""
        tg = []
        labels = array.array("I")
        kinds = bytearray()
        lens = []
        edge = _EdgeSink(tg, labels, kinds)
        for o in objs:
            start = len(tg)
            self._object_edges(o, edge)
            lens.append(len(tg) - start)
        self.counts.extend(lens)
        self._emit_targets(tg, labels, kinds)

    def _object_edges(self, o, edge):
        names = self.names
        get_referents = gc.get_referents
        t = type(o)
        if t is dict or t is list or t is tuple or t is set or t is frozenset:
            _instance_edges(o, t, get_referents(o), edge, self, skip_class=True)
        elif t is _FunctionType:
            refs = get_referents(o)
            done = []
            for name, value in ((_N_GLOBALS, o.__globals__), (_N_CODE, o.__code__), (_N_CLOSURE, o.__closure__),
                                (_N_DEFAULTS, o.__defaults__), (_N_KWDEFAULTS, o.__kwdefaults__)):
                if value is not None and any(map(is_, refs, repeat(value))):
                    edge.named(names[name], value)
                    done.append(id(value))
            edge.rest(refs, done)
        elif t is _CellType:
            try:
                edge.named(names[_N_CONTENTS], o.cell_contents)
            except ValueError:
                pass
        elif t is _MethodType:
            edge.named(names[_N_FUNC], o.__func__)
            edge.named(names[_N_SELF], o.__self__)
        elif t is _FrameType:
            refs = get_referents(o)
            done = []
            for name, value in ((_N_BACK, o.f_back), (_N_CODE, o.f_code), (_N_GLOBALS, o.f_globals),
                                (_N_BUILTINS, o.f_builtins)):
                if value is not None and any(map(is_, refs, repeat(value))):
                    edge.named(names[name], value)
                    done.append(id(value))
            # Locals by name: the values the frame's own slots hold. From 3.11 a running frame's
            # object does not traverse them (its interpreter frame holds them), so all are edges.
            for lname, value in _locals_of(o):
                if _INLINE_VALUES or any(map(is_, refs, repeat(value))):
                    edge.add(value, self.intern(lname), _E_ATTR | _TEXT)
                    done.append(id(value))
            edge.rest(refs, done)
            self._phantom_locals(o)
        elif t is _CodeType:
            for name_index, name in zip(self.code_names, _CODE_FIELDS):
                value = getattr(o, name)
                if value is not None:
                    edge.add(value, name_index, _E_NAMED)
        elif isinstance(o, type):
            refs = get_referents(o)
            done = []
            for name, value in ((_N_MRO, o.__mro__), (_N_BASES, o.__bases__), (_N_BASE, o.__base__)):
                if value is not None and any(map(is_, refs, repeat(value))):
                    edge.named(names[name], value)
                    done.append(id(value))
            for r in refs:
                if type(r) is dict and r is not o.__dict__ and id(r) not in done:
                    if "__module__" in r or "__doc__" in r:
                        edge.named(names[_N_DICT], r)
                        done.append(id(r))
                        break
            if not o.__flags__ & _HEAPTYPE:
                # A static type is no container for the collector: no referents at all.
                for name, value in _static_type_fields(o):
                    edge.named(names[name], value)
            else:
                # Kept in the type (ht_name, ht_qualname), not traversed by the collector.
                edge.named(names[_N_NAME], type.__dict__["__name__"].__get__(o))
                edge.named(names[_N_QUALNAME], type.__dict__["__qualname__"].__get__(o))
            edge.rest(refs, done)
        elif t is _ModuleType:
            d = o.__dict__
            refs = get_referents(o)
            if any(map(is_, refs, repeat(d))):
                edge.named(names[_N_DICT], d)
                edge.rest(refs, [id(d)])
            else:
                edge.rest(refs, [])
        elif t in _NAMED_FIELDS:
            refs = get_referents(o)
            for name in _NAMED_FIELDS[t]:
                edge.named(self.intern(name), getattr(o, name))
            edge.rest(refs, [])
        elif t.__flags__ & _HEAPTYPE:
            _instance_edges(o, t, get_referents(o), edge, self)
        else:
            edge.rest(get_referents(o), [])

    # ---- roots ---------------------------------------------------------------------------

    def _frame_roots(self):
        """Every live frame of every thread: a root holding its locals; a frame with no object
        (3.11+ creates them lazily) becomes a synthetic node."""
        roots = []
        synthetic = []  # (name index, id, [(target, label, kind)])
        intern = self.intern
        for tname, f in self._frames():
            name = intern("thread %s: %s (%s:%d)" % (tname, f.f_code.co_name, f.f_code.co_filename, f.f_lineno))
            if self.is_node(f):
                roots.append((id(f), name, _R_LOCAL))
            else:
                # A frame with no object in the list (3.11+ makes them lazily; before, running
                # frames are untracked): its locals by name, and what else it holds strongly.
                names = self.names
                local = [(intern(lname), _E_ATTR | _TEXT, v) for lname, v in _locals_of(f)]
                local.append((names[_N_CODE], _E_NAMED, f.f_code))
                if not _INLINE_VALUES:
                    local.append((names[_N_GLOBALS], _E_NAMED, f.f_globals))
                    local.append((names[_N_BUILTINS], _E_NAMED, f.f_builtins))
                # The same values in the same order as _synthetic_frame_values gives them.
                edges = [(id(v), label, kind) for label, kind, v in local]
                # The frame, not its values: what the dumper holds before the counts are first
                # read must not refer to any node.
                synthetic.append((name, id(f), edges, f))
                self._phantom_locals(f)
                del local
            del f
        self.caller = None
        return roots, synthetic

    def _count_own_frames(self):
        """Counts as found what the dumper's live frames hold (they are left out, so their
        references would look held from C): the function being run, and before 3.11
        everything a frame object traverses (code, globals, builtins, locals, the frame it
        returns to), from 3.11 the code, which the interpreter frame holds."""
        frames = []
        f = sys._getframe(1)
        while f is not None and _is_own_code(f.f_code):
            frames.append(f)
            f = f.f_back
        del f
        refs = self._own_frame_references(frames)
        del frames
        self.found.append(refs)

    @staticmethod
    def _own_frame_references(frames):
        refs = []
        if not _INLINE_VALUES:
            for f in frames:
                refs.extend(gc.get_referents(f))
        functions = {}
        for mod in list(sys.modules.values()):
            path = getattr(mod, "__file__", None)
            if type(path) is not str or os.path.normcase(os.path.abspath(path)) not in _OWN_FILES:
                continue
            for value in list(vars(mod).values()):
                for part in (value,) + (tuple(vars(value).values()) if isinstance(value, type) else ()):
                    code = getattr(part, "__code__", None) if type(part) is _FunctionType else None
                    if code is not None:
                        functions[id(code)] = part
        for f in frames:
            if _INLINE_VALUES:
                refs.append(f.f_code)
            # 3.11+: the interpreter frame holds it; before: the caller's value stack does.
            function = functions.get(id(f.f_code))
            if function is not None:
                refs.append(function)
        return refs

    def _phantom_locals(self, f):
        """Reading a frame's locals (3.8-3.12) made its f_locals dict, which is not a node but
        holds a reference to each local and its name: counted as found (when the counts are
        read the second time), so that they do not look held from C."""
        if _VERSION >= (3, 13):
            return
        d = f.f_locals
        if type(d) is dict and d is not f.f_globals and not self.is_node(d):
            self.phantom_dicts.append(d)

    def _other_roots(self):
        roots = []
        intern = self.intern
        for mname, mod in list(sys.modules.items()):
            d = getattr(mod, "__dict__", None)
            if type(d) is not dict:
                continue
            # By id: the reader drops the roots whose value is not a node.
            roots.extend([(id(v), intern("%s.%s" % (mname, k)), _R_GLOBAL) for k, v in list(d.items())
                          if type(k) is str])
        garbage = gc.garbage
        if self.is_node(garbage):
            name = intern("gc.garbage")
            roots.append((id(garbage), name, _R_GARBAGE))
            roots.extend(zip(map(id, list(garbage)), repeat(name), repeat(_R_GARBAGE)))
            self.garbage_ids = set(map(id, garbage))
        else:
            self.garbage_ids = set()
        return roots

    # ---- nodes, strings, metadata -----------------------------------------------------------

    def _type_table(self):
        """Per type: (type name, kind, has-__del__ flag). The names are kept as copies (never
        the heap's own str objects) and the dumper's references to type objects are counted, so
        that they can be taken off the types' reference counts."""
        intern = self.intern
        seg_type = self.seg_type
        tinfo = {}
        short_names = {}
        for t in seg_type:
            if t in tinfo:
                continue
            name = _type_name(t)
            kind = _KIND_OF.get(t, _K_TYPE if issubclass(t, type) else _K_OBJECT)
            has_del = getattr(t, "__del__", None) is not None
            tinfo[t] = (intern(name), kind, 4 if has_del else 0)
            if name != t.__name__:
                short_names[_copy(name)] = _copy(t.__name__)
        self.short_names = short_names
        self.tinfo = tinfo
        del name, t
        own_refs = {}
        for t in chain(seg_type, self.seg_of, self.duals, tinfo):
            own_refs[id(t)] = own_refs.get(id(t), 0) + 1
        self.own_refs = own_refs

    def _write_nodes(self, synthetic, n_real, n_nodes, roots):
        """Writes the node records at offset 128, chunk by chunk; adds the held-from-C roots.
        Returns the first value-label index of each atom segment.

        Called first with `roots` None, before the edges: then it only reads every node's
        count (sys.getrefcount less the dumper's references) and returns them. The second
        call, while `self.found` holds every reference found, reads them again: the rise is
        the references found. Both reads run in this function, so that the dumper's own frames
        hold the same references at both."""
        first = roots is None
        if not first:
            for d in self.phantom_dicts:
                self.found.append(list(d.keys()))
                self.found.append(list(d.values()))
            self.phantom_dicts = None
            self._count_own_frames()
        counted = array.array("q")
        nodes = self.nodes
        intern = self.intern
        seg_type, seg_base = self.seg_type, self.seg_base
        tinfo = self.tinfo
        own_refs = self.own_refs
        singletons = _singleton_ids()
        held_names = {}
        next_label = 1
        atom_label_start = {}
        out = None if first else self.out
        if not first:
            out.seek(128)
        young = self.young
        young_ids = array.array("Q", sorted(young))
        before = None if first else self.rc
        counts = None if first else self.counts
        garbage_ids = None if first else self.garbage_ids
        finalized = getattr(gc, "is_finalized", None)
        for k, t in enumerate(seg_type):
            start, end = seg_base[k], seg_base[k + 1]
            tn, kind, del_flag = tinfo[t]
            tracked = start < self.tracked_end
            # Instances of a Python class that keeps object's __sizeof__ and has no items are all
            # one size (basic size, collector header, pre-header): read once, in the template.
            size = sys.getsizeof(nodes[start], 0) if _fixed_size(t) and start < end else None
            template = bytearray(_SYNTH_NODE.pack(0, 0, tn, _NONE, min(size or 0, 0xFFFFFFFF), 0, 0,
                                                  2 if tracked else 255, 0, kind))
            if t in _ATOMS:
                atom_label_start[k] = next_label
            young_run = True  # in an unsorted segment, the chunks so far were all young
            for s in range(start, end, _CHUNK):
                e = min(s + _CHUNK, end)
                m = e - s
                objs = nodes[s:e]
                ids = self.node_ids[s:e]
                # The node list, this chunk's list and the call's argument hold one reference each.
                rc = array.array("q", map(sub, map(sys.getrefcount, objs), repeat(3)))
                if issubclass(t, type):
                    # Classes: less the dumper's own references (its tables, and `t` here).
                    own_refs[id(t)] += 1
                    rc = array.array("q", map(sub, rc, map(own_refs.get, ids, repeat(0))))
                    own_refs[id(t)] -= 1
                if first:
                    counted.extend(rc)
                    continue
                # count - found, where found = after - before: 2 * before - after.
                after, rc = rc, before[s:e]
                ext = array.array("q", map(sub, rc, map(sub, after, rc)))
                del after
                # Records start as copies of the type's template; only what varies is set.
                buf = template * m
                flags = bytearray([(1 if tracked else 0) | del_flag]) * m
                if _IMMORTAL_AT is not None and max(rc) >= _IMMORTAL_AT:
                    for i in compress(range(m), map(int.__ge__, rc, repeat(_IMMORTAL_AT))):
                        ext[i] = 0
                        flags[i] |= 128
                if t in _SINGLETON_TYPES:
                    # The interpreter's cached singletons (small ints, 1-character strings, ...)
                    # are never freed on any version: immortal in all but name before 3.12.
                    for i in compress(range(m), map(singletons.__contains__, ids)):
                        ext[i] = 0
                        flags[i] |= 128
                try:
                    ext32 = array.array("i", ext) if min(ext) >= 0 else None
                except OverflowError:
                    ext32 = None
                if ext32 is None:
                    # Negative where the interpreter's count is below the references found (an
                    # interned str before 3.12 does not count its table's references).
                    ext32 = array.array("i", map(min, map(max, ext, repeat(0)), repeat(0x7FFFFFFF)))
                for i in compress(range(m), ext32):
                    c = ext32[i]
                    name = held_names.get(c)
                    if name is None:
                        name = held_names[c] = intern("held from C (%d)" % c)
                    roots.append((ids[i], name, _R_HANDLE))
                gens = None
                if tracked and young:
                    # The young objects (generations 0 and 1) are few; the template says 2.
                    if self.seg_sorted[k]:
                        # Found by bisect in the chunk's ids.
                        lo, hi = bisect_left(young_ids, ids[0]), bisect_right(young_ids, ids[-1])
                        if lo < hi:
                            gens = bytearray(b"\x02") * m
                            for y in young_ids[lo:hi]:
                                at = bisect_left(ids, y)
                                if at < m and ids[at] == y:
                                    gens[at] = young[y]
                    elif young_run and ids[0] in young:
                        # In the collector's order: they lead their segment.
                        gens = bytearray(b"\x02") * m
                        at = 0
                        while at < m and ids[at] in young:
                            gens[at] = young[ids[at]]
                            at += 1
                        young_run = at == m
                    else:
                        young_run = False
                if tracked:
                    if finalized is not None:
                        for i in compress(range(m), map(finalized, objs)):
                            flags[i] |= 2
                if garbage_ids:
                    for i in compress(range(m), map(garbage_ids.__contains__, ids)):
                        flags[i] |= 16
                if t in _ATOMS:
                    labels = array.array("I", range(next_label, next_label + m))
                    next_label += m
                elif t in (_FunctionType, _ModuleType, _CodeType) or issubclass(t, type):
                    labels = array.array("I", (_NONE if x is None else intern(x)
                                               for x in map(_label_of, objs, repeat(t))))
                else:
                    labels = None  # the template's: none
                if size is not None:
                    sizes = None
                else:
                    try:
                        sizes = array.array("I", map(sys.getsizeof, objs, repeat(0)))
                    except OverflowError:
                        sizes = array.array("I", map(min, map(sys.getsizeof, objs, repeat(0)), repeat(0xFFFFFFFF)))
                m64 = memoryview(buf).cast("Q")
                m64[0::6] = ids
                memoryview(buf).cast("q")[1::6] = rc
                m32 = memoryview(buf).cast("I")
                if labels is not None:
                    m32[5::12] = labels
                if sizes is not None:
                    m32[6::12] = sizes
                memoryview(buf).cast("i")[7::12] = ext32
                m32[8::12] = counts[s:e]
                m8 = memoryview(buf)
                if gens is not None:
                    m8[36::48] = gens
                m8[37::48] = flags
                out.write(buf)
                del objs, ids, rc, ext, ext32, labels, sizes, buf, m64, m32, m8, gens
        if first:
            return counted
        # Synthetic frame nodes after the objects.
        frame_type = intern("frame")
        for i, (name, fid) in enumerate(synthetic):
            out.write(_SYNTH_NODE.pack(fid, 0, frame_type, _NONE, 0, 0, counts[n_real + i], 255, 0, _K_SYNTH))
            roots.append((fid, name, _R_LOCAL))
        self.found = None
        return atom_label_start

    def _write_atom_labels(self, atom_segs, start_of):
        nodes = self.nodes
        out = self.out
        for k in atom_segs:
            t = self.seg_type[k]
            start, end = self.seg_base[k], self.seg_base[k + 1]
            for s in range(start, end, _CHUNK):
                objs = nodes[s:min(s + _CHUNK, end)]
                try:
                    if t is str or t is bytes:
                        texts = list(map(getitem, map(repr, map(getitem, objs, repeat(slice(0, 40)))),
                                         repeat(slice(0, 40))))
                    elif t is int:
                        texts = list(map(repr, objs))
                        if max(map(len, texts)) > 40:
                            texts = list(map(getitem, texts, repeat(slice(0, 40))))
                    else:
                        texts = list(map(getitem, map(repr, objs), repeat(slice(0, 40))))
                except Exception:
                    texts = [_label_of(o, t) for o in objs]
                encoded = list(map(str.encode, texts, repeat("utf-8"), repeat("replace")))
                del texts, objs
                out.write(b"".join(chain.from_iterable(zip(map(_U32.pack, map(len, encoded)), encoded))))
                del encoded

    def _metadata(self, n_nodes, tag):
        meta = {
            "format": "heapgraph", "version": 2, "producer": "heapgraph_dump",
            "runtime": "CPython %d.%d" % _VERSION,
            "pythonVersion": sys.version.split()[0],
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.started)),
            "pid": os.getpid(),
            "objects": n_nodes, "edges": self.n_edges, "tracked": self.n_tracked,
            "collector": {"enabled": True, "thresholds": list(gc.get_threshold()), "counts": list(gc.get_count())},
            "shortTypeNames": self.short_names,
            "garbageList": id(gc.garbage),
        }
        if tag is not None:
            meta["tag"] = str(tag)
        if hasattr(gc, "get_stats"):
            meta["collector"]["generations"] = gc.get_stats()
        return meta




def _pointer_copier():
    """A function list -> array('Q') of its items' id()s that copies the list's item pointers
    in one memmove (ctypes, standard library): PyListObject's ob_item follows its 24-byte
    header on CPython 3.8-3.13. Checked here against id(); None when the check fails."""
    try:
        import ctypes
        memmove = ctypes.memmove
        item_pointer = ctypes.c_void_p.from_address
        at = 3 * ctypes.sizeof(ctypes.c_void_p)
        if ctypes.sizeof(ctypes.c_void_p) != 8:
            return None

        def copy(items):
            n = len(items)
            ids = array.array("Q", bytes(8 * n))
            if n:
                memmove(ids.buffer_info()[0], item_pointer(id(items) + at).value, 8 * n)
            return ids

        probe = [object(), None, 1, "x", (), []]
        probe.extend(range(1000, 1300))
        if copy(probe) != array.array("Q", map(id, probe)) or len(copy([])) != 0:
            return None
        return copy
    except Exception:
        return None


_COPY_IDS = _pointer_copier()


def _ids_of(items):
    """array('Q') of the id() of each item of the list `items`: a copy of its item pointers,
    or map(id, ...) where that layout was not found."""
    if _COPY_IDS is not None and type(items) is list:
        return _COPY_IDS(items)
    return array.array("Q", map(id, items))
_ATOM_SET = frozenset(_ATOMS)
_DISCOVER_SPECIAL = (_FrameType, _CodeType) + tuple(_NAMED_FIELDS)
_SINGLETON_TYPES = (int, str, bytes, bool, type(None), tuple, frozenset, type(Ellipsis), type(NotImplemented))


def _singleton_ids():
    """ids of the objects every CPython caches for good: None, True, False, Ellipsis,
    NotImplemented, the ints -5..256, the empty and 1-character latin-1 str and bytes, ()."""
    objs = [None, True, False, Ellipsis, NotImplemented, (), "", b""]
    objs.extend(range(-5, 257))
    objs.extend(map(chr, range(256)))
    latin = bytes(range(256))
    objs.extend(latin[i:i + 1] for i in range(256))
    return set(map(id, objs))


def _copy(s):
    """A str equal to `s` that is not `s` (so holding it adds no reference to a heap object)."""
    return s.encode("utf-8", "surrogatepass").decode("utf-8", "surrogatepass")

_FIXED_NAMES = ("__dict__", "__class__", "__globals__", "__code__", "cell_contents", "__self__", "__func__", "f_back",
                "f_builtins", "__bases__", "__mro__", "__base__", "__closure__", "__defaults__", "__kwdefaults__",
                "__name__", "__qualname__")
(_N_DICT, _N_CLASS, _N_GLOBALS, _N_CODE, _N_CONTENTS, _N_SELF, _N_FUNC, _N_BACK, _N_BUILTINS, _N_BASES, _N_MRO, _N_BASE,
 _N_CLOSURE, _N_DEFAULTS, _N_KWDEFAULTS, _N_NAME, _N_QUALNAME) = range(len(_FIXED_NAMES))


class _EdgeSink:
    """Where the per-object rules put edges: target objects, labels, kinds. A dict value's
    edge follows its key's: the reader names it by that key edge."""

    __slots__ = ("tg", "labels", "kinds")

    def __init__(self, tg, labels, kinds):
        self.tg, self.labels, self.kinds = tg, labels, kinds

    def add(self, target, label, kind):
        self.tg.append(target)
        self.labels.append(label)
        self.kinds.append(kind)

    def named(self, name, target):
        self.add(target, name, _E_NAMED)

    def pair(self, key, value):
        self.add(key, 0, _E_DICTKEY)
        self.add(value, 0, _E_KEY)

    def rest(self, refs, done_ids):
        """Edges with no name to the referents not already given an edge (ids, a multiset)."""
        if len(done_ids) >= len(refs):
            return
        left = {}
        for x in done_ids:
            left[x] = left.get(x, 0) + 1
        for r in refs:
            c = left.get(id(r), 0)
            if c:
                left[id(r)] = c - 1
                continue
            self.add(r, 0, _E_NONE)


def _fixed_size(t):
    """Whether every instance of `t` has the same sys.getsizeof: a Python class (not a
    metaclass) without items whose __sizeof__ is object's (checked on every CPython 3.8-3.13:
    the basic size, plus the collector's header and pre-header, whatever its attributes)."""
    if not t.__flags__ & _HEAPTYPE or t.__itemsize__ or issubclass(t, type):
        return False
    for klass in t.__mro__:
        if "__sizeof__" in vars(klass):
            return klass is object
    return False


def _synthetic_frame_values(f):
    """What a frame with no object in the list holds, as its synthetic node's edges: its
    locals, its code, and before 3.11 its globals and builtins."""
    values = [v for _n, v in _locals_of(f)]
    values.append(f.f_code)
    if not _INLINE_VALUES:
        values.append(f.f_globals)
        values.append(f.f_builtins)
    return values


def _static_type_fields(t):
    """A static (C) type's stored __mro__, __bases__, __base__ and the dict behind its
    __dict__ proxy (the proxy is new; the dict is the type's)."""
    fields = []
    for name, getter in ((_N_MRO, type.__dict__["__mro__"]), (_N_BASES, type.__dict__["__bases__"]),
                         (_N_BASE, type.__dict__["__base__"])):
        value = getter.__get__(t)
        if value is not None:
            fields.append((name, value))
    proxy = type.__dict__["__dict__"].__get__(t)
    inner = gc.get_referents(proxy)
    if len(inner) == 1 and type(inner[0]) is dict:
        fields.append((_N_DICT, inner[0]))
    return fields


def _own_dict(o):
    try:
        return object.__getattribute__(o, "__dict__")
    except Exception:
        return None


def _locals_of(f):
    if f.f_code.co_flags & 0x1 == 0 or f.f_locals is f.f_globals:  # module or class body
        return []
    try:
        return list(f.f_locals.items())
    except Exception:
        return []


def _instance_edges(o, t, refs, edge, dumper, skip_class=False):
    ref_ids = list(map(id, refs))
    done = []  # ids of the referents given an edge
    if not skip_class and id(t) in ref_ids:
        edge.named(dumper.names[_N_CLASS], t)
        done.append(id(t))
    if isinstance(o, dict):
        for k, v in dict.items(o):
            edge.pair(k, v)
            done.append(id(k))
            done.append(id(v))
    elif isinstance(o, (list, tuple)):
        for n, x in enumerate(list.__iter__(o) if isinstance(o, list) else tuple.__iter__(o)):
            edge.add(x, n, _E_INDEX)
            done.append(id(x))
    elif isinstance(o, (set, frozenset)):
        for x in refs:
            edge.add(x, 0, _E_NONE)
            done.append(id(x))
    if skip_class:
        edge.rest(refs, done)
        return
    matched = False
    if _INLINE_VALUES and t.__dictoffset__ < 0:
        # 3.11+: reading __dict__ would materialise a dict that the heap does not have (and
        # that later snapshots would count), so attributes are found by the names the class
        # assigns, read without materialising, and kept when the instance refers to the value.
        names = dumper.attribute_names.get(t)
        if names is None:
            names = dumper.attribute_names[t] = _assigned_names(t)
        getattribute = object.__getattribute__
        for name in names:
            try:
                v = getattribute(o, name)
            except Exception:
                continue
            vid = id(v)
            if vid in ref_ids and vid not in done:
                edge.add(v, dumper.intern(name), _E_ATTR | _TEXT)
                done.append(vid)
                matched = True
    if (t.__dictoffset__ != 0 and not matched and len(done) < len(refs) and any(type(r) is dict for r in refs)
            and _python_dict(t, dumper.attribute_names)):
        # A dict among the referents: the instance's own (the heap has the instance ->
        # __dict__ -> value shape, which objgraph shows) or an attribute's value. Only a
        # Python class's __dict__ is read: a C type's (functools.partial) would be created.
        d = _own_dict(o)
        if type(d) is dict and id(d) in ref_ids and id(d) not in done:
            edge.named(dumper.names[_N_DICT], d)
            done.append(id(d))
    edge.rest(refs, done)


_INLINE_VALUES = _VERSION >= (3, 11)
_STORE_ATTR = _dis.opmap["STORE_ATTR"]
_EXTENDED_ARG = _dis.opmap["EXTENDED_ARG"]


def _python_dict(t, cache):
    """Whether t's instances get their __dict__ from a Python class statement (the descriptor
    type makes, documented "dictionary for instance variables"), cached per dump."""
    key = ("__dict__", t)
    answer = cache.get(key)
    if answer is None:
        answer = False
        for klass in t.__mro__:
            descriptor = vars(klass).get("__dict__")
            if descriptor is not None:
                doc = getattr(descriptor, "__doc__", None) or ""
                answer = type(descriptor).__name__ == "getset_descriptor" and doc.startswith(
                    "dictionary for instance variables")
                break
        cache[key] = answer
    return answer


def _assigned_names(t):
    names = []
    seen = set()
    codes = []
    for klass in t.__mro__:
        for value in list(vars(klass).values()):
            for part in (value, getattr(value, "__func__", None), getattr(value, "fget", None),
                         getattr(value, "fset", None)):
                code = getattr(part, "__code__", None)
                if type(code) is _CodeType:
                    codes.append(code)
    while codes:
        code = codes.pop()
        for c in code.co_consts:
            if type(c) is _CodeType:
                codes.append(c)
        # The bytecode read directly: dis.get_instructions would repr constants, and the first
        # container repr of a thread creates that thread's state dict, a dict the heap keeps.
        raw = code.co_code
        extended = 0
        for at in range(0, len(raw) - 1, 2):
            op = raw[at]
            arg = raw[at + 1] | extended
            if op == _EXTENDED_ARG:
                extended = arg << 8
                continue
            extended = 0
            if op == _STORE_ATTR and arg < len(code.co_names):
                name = code.co_names[arg]
                if name not in seen:
                    seen.add(name)
                    names.append(name)
    # Names that are data descriptors (properties, slots) on the class would run code or are
    # not instance attributes.
    result = []
    for name in names:
        descriptor = None
        for klass in t.__mro__:
            if name in vars(klass):
                descriptor = vars(klass)[name]
                break
        if descriptor is not None and (hasattr(type(descriptor), "__set__") or hasattr(type(descriptor), "__delete__")):
            continue
        result.append(name)
    return tuple(result)


def _checksum(parts):
    """FNV-1a over 64-bit little-endian words of everything after the header, then h ^ (h >> 29):
    the format's first checksum algorithm (header field 112 = 0), for readers of older files."""
    data = b"".join(parts)
    pad = (-len(data)) % 8
    if pad:
        data += bytes(pad)
    h = 0xCBF29CE484222325
    prime = 0x100000001B3
    mask = 0xFFFFFFFFFFFFFFFF
    for w in memoryview(data).cast("Q"):
        h = ((h ^ w) * prime) & mask
    return h ^ (h >> 29)
