"""Write a `.heapgraph` snapshot (format version 2, docs/snapshot-format.md) of this process.

The walk is flat: one list of nodes that grows as untracked referents are found, one pass
over it, and columns kept in `array`s that are interleaved into the fixed-size records with
strided memoryview assignments, so nothing recurses and nothing is packed per object.
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
from itertools import compress, repeat

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
# 3.12+ (PEP 683): immortal objects report a huge, meaningless count.
_IMMORTAL_AT = (1 << 30) if _VERSION >= (3, 12) else None

# Node kinds (byte 38).
_K_OBJECT, _K_ARRAY, _K_STRING, _K_NUMBER, _K_DICT, _K_TYPE, _K_CLOSURE, _K_CODE, _K_SYNTH = 0, 1, 2, 3, 4, 5, 6, 7, 9
_KIND_OF = {list: _K_ARRAY, tuple: _K_ARRAY, set: _K_ARRAY, frozenset: _K_ARRAY,
            str: _K_STRING, bytes: _K_STRING, int: _K_NUMBER, float: _K_NUMBER, bool: _K_NUMBER,
            complex: _K_NUMBER, dict: _K_DICT, _FunctionType: _K_CLOSURE, _CodeType: _K_CODE}
# Types whose value label is their (cut) repr, as objgraph labels atoms.
_ATOMS = (str, bytes, int, float, bool, complex, type(None))

# Edge kinds (byte 8); bit 6: the label is a string index.
_E_NONE, _E_INDEX, _E_DICTKEY, _E_KEY, _E_ATTR, _E_NAMED, _E_CLOSURE = 0, 1, 2, 3, 4, 5, 6
_TEXT = 64
_DICT_KINDS = bytes([_E_DICTKEY, _E_KEY])
_INDEX_KIND = bytes([_E_INDEX])
# Made once: struct's own cache would otherwise add objects to the heap at the first dump.
_U32 = struct.Struct("<I")
_HEADER = struct.Struct("<8sII10Q")
_TWO_U64 = struct.Struct("<QQ")

# Root categories.
_R_GLOBAL, _R_LOCAL, _R_HANDLE, _R_GARBAGE = 1, 2, 3, 5

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


def dump(path, tag=None):
    """Write a snapshot of the running process to `path`.

    Every object the collector tracks (no collection first), the untracked objects they
    refer to, labelled edges, named roots and external counts. Returns the number of nodes.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _dump(path, tag)
    finally:
        if enabled:
            gc.enable()


def _dump(path, tag):
    # The object list first, before this function creates anything the collector tracks.
    if _VERSION >= (3, 8):
        g0 = gc.get_objects(0)
        g1 = gc.get_objects(1)
        nodes = gc.get_objects(2)
        gen_bounds = (len(g0), len(g0) + len(g1))
        g0.extend(g1)
        g0.extend(nodes)
        nodes = g0
        del g0, g1
    else:  # pragma: no cover - 3.8 is the oldest supported
        nodes = gc.get_objects()
        gen_bounds = None
    # The walk's closures make cells; they must not exist yet when the list above is taken.
    # Handed over in a box so that no frame but the walk's keeps the list (or its counts show it).
    box = [nodes]
    del nodes
    return _build(path, tag, box, gen_bounds)


def _build(path, tag, box, gen_bounds):
    nodes = box.pop()
    started = time.time()
    # Our own frames (tracked before 3.11) are not part of the heap we report.
    own = set()
    f = sys._getframe()
    while f is not None and _is_own_code(f.f_code):
        own.add(id(f))
        f = f.f_back
    caller = f
    del f
    if own:
        nodes[:] = [o for o in nodes if id(o) not in own]
    tracked = len(nodes)
    ids = array.array("Q", map(id, nodes))
    index = dict(zip(ids, range(tracked)))
    get = index.get

    strings = {"": 0}
    string_list = [""]

    def intern(s):
        i = strings.get(s)
        if i is None:
            i = strings[s] = len(string_list)
            string_list.append(s)
        return i

    targets = array.array("I")
    labels = array.array("I")
    kinds = bytearray()
    counts = array.array("I")
    t_append = targets.append
    l_append = labels.append
    k_append = kinds.append
    c_append = counts.append
    n_append = nodes.append
    get_referents = gc.get_referents

    def node_of(x):
        j = get(id(x))
        if j is None:
            j = index[id(x)] = len(nodes)
            n_append(x)
        return j

    # Closure tuples are labelled by their functions' free variable names.
    closure_names = {}
    for o in nodes:
        if type(o) is _FunctionType:
            c = o.__closure__
            if c is not None:
                closure_names[id(c)] = o.__code__.co_freevars
    n_dict = intern("__dict__")
    n_class = intern("__class__")
    n_globals = intern("__globals__")
    n_code = intern("__code__")
    n_contents = intern("cell_contents")
    n_self = intern("__self__")
    n_func = intern("__func__")
    n_back = intern("f_back")
    n_builtins = intern("f_builtins")
    n_bases = intern("__bases__")
    n_mro = intern("__mro__")
    n_base = intern("__base__")
    n_closure = intern("__closure__")
    n_defaults = intern("__defaults__")
    n_kwdefaults = intern("__kwdefaults__")

    def named(o, name, value):
        t_append(node_of(value))
        l_append(name)
        k_append(_E_NAMED)

    def rest_ids(refs, done_ids):
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
            t_append(node_of(r))
            l_append(0)
            k_append(_E_NONE)

    def rest(refs, done):
        rest_ids(refs, list(map(id, done)))

    plans = {}
    # Per type, the attribute names its methods assign (STORE_ATTR). Per dump, not per
    # process: a cache kept between dumps is a change to the heap (a dict that becomes
    # tracked, tuples) that the next dump would count.
    attribute_names = {}
    getattribute = object.__getattribute__
    i = 0
    while i < len(nodes):
        o = nodes[i]
        i += 1
        t = type(o)
        start = len(targets)
        if t is dict:
            # Keys and values resolved in bulk (C loops); misses become new nodes.
            items = list(o.items())
            n = len(items)
            if n:
                ks = list(map(get, map(id, [kv[0] for kv in items])))
                vs = list(map(get, map(id, [kv[1] for kv in items])))
                if None in ks:
                    ks = [node_of(kv[0]) if j is None else j for j, kv in zip(ks, items)]
                if None in vs:
                    vs = [node_of(kv[1]) if j is None else j for j, kv in zip(vs, items)]
                pair = [0] * (2 * n)
                pair[0::2] = ks
                pair[1::2] = vs
                targets.extend(pair)
                pair[0::2] = repeat(0, n)
                pair[1::2] = ks
                labels.extend(pair)
                kinds.extend(_DICT_KINDS * n)
            items = None
        elif t is list or t is tuple:
            names = closure_names.get(id(o)) if t is tuple else None
            if names is not None and len(names) == len(o):
                for name, x in zip(names, o):
                    t_append(node_of(x))
                    l_append(intern(name))
                    k_append(_E_CLOSURE)
            else:
                n = len(o)
                js = list(map(get, map(id, o)))
                if None in js:
                    js = [node_of(x) if j is None else j for j, x in zip(js, o)]
                targets.extend(js)
                labels.extend(range(n))
                kinds.extend(_INDEX_KIND * n)
        elif t in _ATOMS:
            pass
        elif t is set or t is frozenset:
            n = 0
            for x in o:
                t_append(node_of(x))
                n += 1
            labels.extend(repeat(0, n))
            kinds.extend(bytes(n))
        elif t is _FunctionType:
            refs = get_referents(o)
            done = []
            for name, value in ((n_globals, o.__globals__), (n_code, o.__code__), (n_closure, o.__closure__),
                                (n_defaults, o.__defaults__), (n_kwdefaults, o.__kwdefaults__)):
                if value is not None and any(r is value for r in refs):
                    named(o, name, value)
                    done.append(value)
            rest(refs, done)
        elif t is _CellType:
            try:
                named(o, n_contents, o.cell_contents)
            except ValueError:
                pass
        elif t is _MethodType:
            named(o, n_func, o.__func__)
            named(o, n_self, o.__self__)
        elif t is _FrameType:
            _frame_edges(o, get_referents(o), named, rest, intern, node_of, t_append, l_append, k_append,
                         n_back, n_globals, n_builtins, n_code)
        elif isinstance(o, type):
            refs = get_referents(o)
            done = []
            for name, value in ((n_mro, o.__mro__), (n_bases, o.__bases__), (n_base, o.__base__)):
                if value is not None and any(r is value for r in refs):
                    named(o, name, value)
                    done.append(value)
            for r in refs:
                if type(r) is dict and r is not o.__dict__ and not any(r is d for d in done):
                    if "__module__" in r or "__doc__" in r:
                        named(o, n_dict, r)
                        done.append(r)
                        break
            rest(refs, done)
        elif t is _ModuleType:
            d = o.__dict__
            refs = get_referents(o)
            if any(r is d for r in refs):
                named(o, n_dict, d)
                rest(refs, [d])
            else:
                rest(refs, [])
        elif t.__flags__ & _HEAPTYPE:
            plan = plans.get(t)
            if plan is None:
                plan = plans[t] = _instance_plan(t, intern, attribute_names)
            refs = get_referents(o)
            if plan is False:
                _instance_edges(o, t, refs, named, rest_ids, intern, node_of, get, attribute_names,
                                t_append, l_append, k_append, n_class, n_dict)
            else:
                # The common 3.11+ instance, inline: __class__, then attributes by name.
                ref_ids = list(map(id, refs))
                done = []
                if id(t) in ref_ids:
                    t_append(node_of(t))
                    l_append(n_class)
                    k_append(_E_NAMED)
                    done.append(id(t))
                for name, name_index in plan:
                    try:
                        v = getattribute(o, name)
                    except Exception:
                        continue
                    vid = id(v)
                    if vid in ref_ids and vid not in done:
                        j = get(vid)
                        t_append(node_of(v) if j is None else j)
                        l_append(name_index)
                        k_append(_E_ATTR | _TEXT)
                        done.append(vid)
                if len(done) < len(refs):
                    if len(done) <= 1 and any(type(r) is dict for r in refs):
                        # Nothing matched by name: maybe a dict of its own (the general path).
                        del kinds[len(kinds) - len(done):]
                        del targets[len(targets) - len(done):]
                        del labels[len(labels) - len(done):]
                        _instance_edges(o, t, refs, named, rest_ids, intern, node_of, get, attribute_names,
                                        t_append, l_append, k_append, n_class, n_dict)
                    else:
                        rest_ids(refs, done)
        else:
            rest(get_referents(o), ())
        c_append(len(targets) - start)

    total = len(nodes)
    o = x = k = v = d = refs = done = None
    # Named roots.
    roots = []  # (ordinal, name index, category)
    synthetic = []  # (name index, [(target, label, kind)])
    for mname, mod in list(sys.modules.items()):
        d = getattr(mod, "__dict__", None)
        if type(d) is not dict:
            continue
        for k, v in list(d.items()):
            if type(k) is str:
                j = get(id(v))
                if j is not None:
                    roots.append((j, intern("%s.%s" % (mname, k)), _R_GLOBAL))
    thread_names = {th.ident: th.name for th in threading.enumerate()}
    frames = sys._current_frames()
    me = threading.get_ident()
    for tid, f in frames.items():
        if tid == me:
            f = caller
        tname = thread_names.get(tid, str(tid))
        while f is not None:
            if not _is_own_code(f.f_code):
                name = intern("thread %s: %s (%s:%d)" % (tname, f.f_code.co_name, f.f_code.co_filename, f.f_lineno))
                j = get(id(f))
                if j is not None:
                    roots.append((j, name, _R_LOCAL))
                else:
                    edges = []
                    for lname, value in _locals_of(f):
                        j = get(id(value))
                        if j is not None:
                            edges.append((j, intern(lname), _E_ATTR | _TEXT))
                    synthetic.append((name, id(f), edges))
            f = f.f_back
    del frames, caller
    garbage_j = get(id(gc.garbage))
    if garbage_j is not None:
        roots.append((garbage_j, intern("gc.garbage"), _R_GARBAGE))
        for g in gc.garbage:
            j = get(id(g))
            if j is not None:
                roots.append((j, intern("gc.garbage"), _R_GARBAGE))

    # External counts: count minus references found (the node list holds one more).
    # Counted last, with our loop variables gone: one for the node list, one for the argument.
    refcounts = array.array("q", map(int.__sub__, map(sys.getrefcount, nodes), repeat(2)))
    # Counted into an array, not a Counter: a dict of millions of ints would cost ~100 bytes
    # per node of peak memory.
    found = array.array("q", bytes(8 * total))
    for j in targets:
        found[j] += 1
    external = array.array("q", map(int.__sub__, refcounts, found))
    for _name, _fid, edges in synthetic:
        for j, _l, _k in edges:
            external[j] -= 1
    node_flags = bytearray(total)
    node_flags[:tracked] = b"\x01" * tracked
    if _IMMORTAL_AT is not None:
        for j in [j for j, r in enumerate(refcounts) if r >= _IMMORTAL_AT]:
            external[j] = 0
            node_flags[j] |= 128
    # Clamped to 0 .. 2^31-1 in C loops (negative when the interpreter's count is below the
    # references found, as for interned strings before 3.12).
    ext32 = array.array("i", map(min, map(max, external, repeat(0)), repeat(0x7FFFFFFF)))
    for j in compress(range(total), ext32):
        roots.append((j, intern("held from C (%d)" % ext32[j]), _R_HANDLE))
    if hasattr(gc, "is_finalized"):
        for j in compress(range(tracked), map(gc.is_finalized, nodes[:tracked])):
            node_flags[j] |= 2
    types_col = list(map(type, nodes))
    distinct = set(types_col)
    with_del = {t for t in distinct if getattr(t, "__del__", None) is not None}
    for j in compress(range(total), map(with_del.__contains__, types_col)):
        node_flags[j] |= 4
    for g in gc.garbage:
        j = get(id(g))
        if j is not None:
            node_flags[j] |= 16
    type_names = {t: _type_name(t) for t in distinct}
    type_index = {t: intern(type_names[t]) for t in distinct}
    kind_of = {t: _KIND_OF.get(t, _K_TYPE if isinstance(t, type) and issubclass(t, type) else _K_OBJECT)
               for t in distinct}
    node_kinds = bytes(map(kind_of.__getitem__, types_col))
    value_labels = array.array("I", repeat(_NONE, total))
    labelled = {t for t in distinct if t in _ATOMS or t in (_FunctionType, _ModuleType, _CodeType) or issubclass(t, type)}
    for j in compress(range(total), map(labelled.__contains__, types_col)):
        text = _label_of(nodes[j], types_col[j])
        if text is not None:
            value_labels[j] = intern(text)
    sizes = array.array("Q", map(sys.getsizeof, nodes, repeat(0)))
    sizes = array.array("I", sizes if not sizes or max(sizes) <= 0xFFFFFFFF else map(min, sizes, repeat(0xFFFFFFFF)))
    generations = bytearray(b"\xff") * total
    if gen_bounds is not None:
        a, b = gen_bounds
        generations[:a] = b"\x00" * a
        generations[a:b] = b"\x01" * (b - a)
        generations[b:tracked] = b"\x02" * (tracked - b)
    else:
        generations[:tracked] = b"\x02" * tracked
    ids.extend(map(id, nodes[tracked:]))
    # Synthetic frame nodes (frames with no frame object, 3.11+) after the objects.
    for name, fid, edges in synthetic:
        ids.append(fid)
        refcounts.append(0)
        ext32.append(0)
        roots.append((len(ids) - 1, name, _R_LOCAL))
        for j, l, k in edges:
            t_append(j)
            l_append(l)
            k_append(k)
        c_append(len(edges))
    n_nodes = len(ids)
    extra = n_nodes - total
    tn = array.array("I", map(type_index.__getitem__, types_col))
    if extra:
        tn.extend(repeat(intern("frame"), extra))
        value_labels.extend(repeat(_NONE, extra))
        sizes.extend(repeat(0, extra))
        generations.extend(b"\xff" * extra)
        node_flags.extend(bytes(extra))
        node_kinds += bytes([_K_SYNTH]) * extra
    del nodes, types_col, index, found
    shorts = {type_names[t]: t.__name__ for t in distinct if type_names[t] != t.__name__}
    meta = {
        "format": "heapgraph", "version": 2, "producer": "heapgraph_dump",
        "runtime": "CPython %d.%d" % _VERSION,
        "pythonVersion": sys.version.split()[0],
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "pid": os.getpid(),
        "objects": n_nodes, "edges": len(targets), "tracked": tracked,
        "collector": {"enabled": True, "thresholds": list(gc.get_threshold()), "counts": list(gc.get_count())},
        "shortTypeNames": shorts,
        "garbageList": id(gc.garbage),
    }
    if tag is not None:
        meta["tag"] = str(tag)
    if hasattr(gc, "get_stats"):
        meta["collector"]["generations"] = gc.get_stats()
    _write(path, ids, refcounts, tn, value_labels, sizes, ext32, counts, generations, node_flags, node_kinds,
           targets, labels, kinds, roots, string_list, meta)
    return n_nodes


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


def _frame_edges(f, refs, named, rest, intern, node_of, t_append, l_append, k_append,
                 n_back, n_globals, n_builtins, n_code):
    done = []
    for name, value in ((n_back, f.f_back), (n_code, f.f_code), (n_globals, f.f_globals),
                        (n_builtins, f.f_builtins)):
        if value is not None and any(r is value for r in refs):
            named(f, name, value)
            done.append(value)
    # Locals by name: the values the frame's own slots hold. From 3.11 a running frame's
    # object does not traverse them (its interpreter frame holds them), so all are edges.
    for lname, value in _locals_of(f):
        if _INLINE_VALUES or any(r is value for r in refs):
            t_append(node_of(value))
            l_append(intern(lname))
            k_append(_E_ATTR | _TEXT)
            done.append(value)
    rest(refs, done)


def _instance_edges(o, t, refs, named, rest_ids, intern, node_of, get, attribute_names, t_append, l_append, k_append,
                    n_class, n_dict):
    ref_ids = list(map(id, refs))
    done = []  # ids of the referents given an edge
    if id(t) in ref_ids:
        named(o, n_class, t)
        done.append(id(t))
    if isinstance(o, dict):
        for k, v in dict.items(o):
            kj = node_of(k)
            t_append(kj)
            l_append(0)
            k_append(_E_DICTKEY)
            t_append(node_of(v))
            l_append(kj)
            k_append(_E_KEY)
            done.append(id(k))
            done.append(id(v))
    elif isinstance(o, (list, tuple)):
        for n, x in enumerate(o):
            t_append(node_of(x))
            l_append(n)
            k_append(_E_INDEX)
            done.append(id(x))
    matched = False
    if _INLINE_VALUES and t.__dictoffset__ < 0:
        # 3.11+: reading __dict__ would materialise a dict that the heap does not have (and
        # that later snapshots would count), so attributes are found by the names the class
        # assigns, read without materialising, and kept when the instance refers to the value.
        names = attribute_names.get(t)
        if names is None:
            names = attribute_names[t] = _assigned_names(t)
        getattribute = object.__getattribute__
        for name in names:
            try:
                v = getattribute(o, name)
            except Exception:
                continue
            vid = id(v)
            if vid in ref_ids and vid not in done:
                t_append(node_of(v))
                l_append(intern(name))
                k_append(_E_ATTR | _TEXT)
                done.append(vid)
                matched = True
    if (t.__dictoffset__ != 0 and not matched and len(done) < len(refs) and any(type(r) is dict for r in refs)
            and _python_dict(t, attribute_names)):
        # A dict among the referents: the instance's own (the heap has the instance ->
        # __dict__ -> value shape, which objgraph shows) or an attribute's value. Only a
        # Python class's __dict__ is read: a C type's (functools.partial) would be created.
        d = _own_dict(o)
        if type(d) is dict and id(d) in ref_ids and id(d) not in done:
            named(o, n_dict, d)
            done.append(id(d))
    rest_ids(refs, done)


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


def _instance_plan(t, intern, attribute_names):
    """For a plain 3.11+ class (managed dict, not a dict, list or tuple subclass): its attribute
    names with their string indexes, read by the inline path; False sends it the general way."""
    if not _INLINE_VALUES or t.__dictoffset__ >= 0 or issubclass(t, (dict, list, tuple)):
        return False
    names = attribute_names.get(t)
    if names is None:
        names = attribute_names[t] = _assigned_names(t)
    return tuple((name, intern(name)) for name in names)


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


def _write(path, ids, refcounts, tn, value_labels, sizes, ext32, counts, generations, node_flags, node_kinds,
           targets, labels, kinds, roots, string_list, meta):
    n = len(ids)
    e = len(targets)
    r = len(roots)
    node_buf = bytearray(48 * n)
    if n:
        m64 = memoryview(node_buf).cast("Q")
        m64[0::6] = ids
        memoryview(node_buf).cast("q")[1::6] = refcounts
        m32 = memoryview(node_buf).cast("I")
        m32[4::12] = tn
        m32[5::12] = value_labels
        m32[6::12] = sizes
        memoryview(node_buf).cast("i")[7::12] = ext32
        m32[8::12] = counts
        m8 = memoryview(node_buf)
        m8[36::48] = generations
        m8[37::48] = node_flags
        m8[38::48] = node_kinds
    edge_buf = bytearray(12 * e)
    if e:
        m32 = memoryview(edge_buf).cast("I")
        m32[0::3] = targets
        m32[1::3] = labels
        memoryview(edge_buf)[8::12] = kinds
    root_buf = bytearray(12 * r)
    if r:
        rt = array.array("I", (x[0] for x in roots))
        rn = array.array("I", (x[1] for x in roots))
        m32 = memoryview(root_buf).cast("I")
        m32[0::3] = rt
        m32[1::3] = rn
        memoryview(root_buf)[8::12] = bytes(x[2] for x in roots)
    parts = []
    for s in string_list:
        b = s.encode("utf-8", "surrogatepass").decode("utf-8", "replace").encode("utf-8") if _has_surrogates(s) else s.encode("utf-8")
        parts.append(_U32.pack(len(b)))
        parts.append(b)
    string_buf = b"".join(parts)
    meta_buf = json.dumps(meta, default=str).encode("utf-8")
    nodes_at = 128
    edges_at = nodes_at + len(node_buf)
    roots_at = edges_at + len(edge_buf)
    strings_at = roots_at + len(root_buf)
    meta_at = strings_at + len(string_buf)
    length = meta_at + len(meta_buf)
    body = [node_buf, edge_buf, root_buf, string_buf, meta_buf]
    # The body is written first and its checksum read back in chunks, so that the file is
    # never held twice in memory; then the header goes in front.
    with open(path, "w+b") as out:
        out.write(bytes(128))
        for part in body:
            out.write(part)
        del body, node_buf, edge_buf, root_buf, string_buf
        out.flush()
        out.seek(128)
        checksum = _checksum_file(out)
        header = _HEADER.pack(b"HEAPGRPH", 2, 128, n, e, len(string_list), nodes_at, edges_at, strings_at,
                             meta_at, len(meta_buf), length, checksum)
        header += _TWO_U64.pack(r, roots_at) + bytes(16)
        out.seek(0)
        out.write(header)


def _has_surrogates(s):
    try:
        s.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


def _checksum_file(f, chunk=1 << 22):
    """_checksum of the rest of an open file, read in chunks (a multiple of 8 bytes)."""
    h = 0xCBF29CE484222325
    prime = 0x100000001B3
    mask = 0xFFFFFFFFFFFFFFFF
    while True:
        data = f.read(chunk)
        if not data:
            break
        pad = (-len(data)) % 8
        if pad:
            data += bytes(pad)
        for w in memoryview(data).cast("Q"):
            h = ((h ^ w) * prime) & mask
    return h ^ (h >> 29)


def _checksum(parts):
    """FNV-1a over 64-bit little-endian words of everything after the header, then h ^ (h >> 29)."""
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
