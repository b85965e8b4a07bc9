// dict and set.

extension Heap {
    /// An empty Python `dict`. Untracked by the collector until it holds a key or value
    /// that may be part of a cycle, as in CPython.
    public func dict() -> OwnedRef {
        let object = core.allocateContainer(core.pointee.type(.dict), size: Layout.tableSize, track: false)
        HashTable.initialize(object)
        return OwnedRef(adopting: object)
    }

    /// An empty Python `set`.
    public func set() -> OwnedRef {
        let object = core.allocateContainer(core.pointee.type(.set), size: Layout.tableSize)
        HashTable.initialize(object)
        return OwnedRef(adopting: object)
    }

    /// A Python `set` of `elements`; throws if one is unhashable.
    public func set(_ elements: [ObjectRef]) throws(HeapError) -> OwnedRef {
        let set = set()
        for element in elements { try add(element, to: set.ref) }
        return set
    }

    /// `dict[key] = value`. Keys are compared by value (`1`, `1.0` and `True` are one key);
    /// throws ``HeapError/unhashable(type:)`` for a list, dict or set key.
    public func setItem(_ key: borrowing some ObjectReference & ~Copyable, to value: borrowing some ObjectReference & ~Copyable, in dict: borrowing some ObjectReference & ~Copyable) throws(HeapError) {
        let key = key.ref
        let value = value.ref
        let dict = dict.ref
        check(key); check(value); check(dict)
        guard dict.kind == .dict else { throw .wrongType(expected: "dict", got: typeName(of: dict)) }
        let hash = try hashValue(of: key)
        let table = HashTable(object: dict.pointer)
        HeapCore.retain(value.pointer)
        if let found = table.lookup(key.pointer, hash: hash).entry {
            let e = table.entry(found)
            let old = e.load(fromByteOffset: 16, as: UnsafeMutableRawPointer.self)
            e.storeBytes(of: value.pointer, toByteOffset: 16, as: UnsafeMutableRawPointer.self)
            core.maintainDictTracking(dict.pointer, storing: value.pointer)
            HeapCore.release(old)
            return
        }
        HeapCore.retain(key.pointer)
        table.insertNew(key.pointer, hash: hash, value: value.pointer, core.allocatorPointer)
        core.maintainDictTracking(dict.pointer, storing: key.pointer)
        core.maintainDictTracking(dict.pointer, storing: value.pointer)
    }

    /// `dict.get(key)`: the value, borrowed from the dict, or nil.
    public func item(forKey key: borrowing some ObjectReference & ~Copyable, in dict: borrowing some ObjectReference & ~Copyable) throws(HeapError) -> ObjectRef? {
        try item(forKey: key.ref, in: dict.ref)
    }

    /// The generic `item(forKey:in:)` for borrowed
    /// ``ObjectRef``s, without the generic's witness calls (an interpreter's globals).
    public func item(forKey key: ObjectRef, in dict: ObjectRef) throws(HeapError) -> ObjectRef? {
        check(key); check(dict)
        guard dict.kind == .dict else { throw .wrongType(expected: "dict", got: typeName(of: dict)) }
        let table = HashTable(object: dict.pointer)
        guard let found = table.lookup(key.pointer, hash: try hashValue(of: key)).entry else { return nil }
        return table.entryValue(found).map(ObjectRef.init)
    }

    /// `dict.get(key)` for a caller that looks the same key up again and again (an
    /// interpreter's global names; CPython caches its LOAD_GLOBALs for the same reason):
    /// `hint` is where the key's entry was last found, tried before hashing and probing.
    ///
    /// The hint is checked, never trusted: when the entry it names holds this very key
    /// object, that entry is the key's, since a dict holds a key once and a deleted entry
    /// holds no key. Otherwise a full lookup runs and, when it finds the key, updates
    /// `hint`. Start with -1.
    /// - Complexity: O(1) when the hint holds; else a hash and a probe, as without one.
    public func item(forKey key: ObjectRef, in dict: ObjectRef, entryHint hint: inout Int) throws(HeapError) -> ObjectRef? {
        check(key); check(dict)
        guard dict.kind == .dict else { throw .wrongType(expected: "dict", got: typeName(of: dict)) }
        let table = HashTable(object: dict.pointer)
        if hint >= 0, table.storage != nil, hint < table.entriesUsed, table.entryKey(hint) == key.pointer {
            return table.entryValue(hint).map(ObjectRef.init)
        }
        guard let found = table.lookup(key.pointer, hash: try hashValue(of: key)).entry else { return nil }
        hint = found
        return table.entryValue(found).map(ObjectRef.init)
    }

    /// `del dict[key]`; throws ``HeapError/keyNotFound(key:)`` when absent.
    public func removeItem(forKey key: borrowing some ObjectReference & ~Copyable, from dict: borrowing some ObjectReference & ~Copyable) throws(HeapError) {
        let key = key.ref
        let dict = dict.ref
        check(key); check(dict)
        guard dict.kind == .dict else { throw .wrongType(expected: "dict", got: typeName(of: dict)) }
        try removeEntry(key, from: dict)
    }

    /// `key in dict` or `element in set`.
    public func contains(_ key: borrowing some ObjectReference & ~Copyable, in container: borrowing some ObjectReference & ~Copyable) throws(HeapError) -> Bool {
        let key = key.ref
        let container = container.ref
        check(key); check(container)
        switch container.kind {
        case .dict, .set:
            return HashTable(object: container.pointer).lookup(key.pointer, hash: try hashValue(of: key)).entry != nil
        case .list, .tuple:
            let (items, count) = try sequenceItems(container)
            for i in 0..<count where try equals(ObjectRef(items[i]), key) { return true }
            return false
        default:
            throw .wrongType(expected: "a container", got: typeName(of: container))
        }
    }

    /// The keys of a dict (insertion order) or the elements of a set, borrowed.
    public func keys(of container: borrowing some ObjectReference & ~Copyable) throws(HeapError) -> [ObjectRef] {
        let container = container.ref
        check(container)
        guard container.kind == .dict || container.kind == .set else {
            throw .wrongType(expected: "dict or set", got: typeName(of: container))
        }
        var keys: [ObjectRef] = []
        HashTable(object: container.pointer).forEachEntry { key, _ in keys.append(ObjectRef(key)) }
        return keys
    }

    /// The `(key, value)` pairs of a dict in insertion order, borrowed.
    public func entries(of dict: borrowing some ObjectReference & ~Copyable) throws(HeapError) -> [(key: ObjectRef, value: ObjectRef)] {
        let dict = dict.ref
        check(dict)
        guard dict.kind == .dict else { throw .wrongType(expected: "dict", got: typeName(of: dict)) }
        var entries: [(key: ObjectRef, value: ObjectRef)] = []
        HashTable(object: dict.pointer).forEachEntry { key, value in
            if let value { entries.append((ObjectRef(key), ObjectRef(value))) }
        }
        return entries
    }

    /// `set.add(element)`.
    public func add(_ element: borrowing some ObjectReference & ~Copyable, to set: borrowing some ObjectReference & ~Copyable) throws(HeapError) {
        let element = element.ref
        let set = set.ref
        check(element); check(set)
        guard set.kind == .set else { throw .wrongType(expected: "set", got: typeName(of: set)) }
        let hash = try hashValue(of: element)
        let table = HashTable(object: set.pointer)
        if table.lookup(element.pointer, hash: hash).entry != nil { return }
        HeapCore.retain(element.pointer)
        table.insertNew(element.pointer, hash: hash, value: nil, core.allocatorPointer)
    }

    /// `set.remove(element)`; throws ``HeapError/keyNotFound(key:)`` when absent.
    public func remove(_ element: borrowing some ObjectReference & ~Copyable, fromSet set: borrowing some ObjectReference & ~Copyable) throws(HeapError) {
        let element = element.ref
        let set = set.ref
        check(element); check(set)
        guard set.kind == .set else { throw .wrongType(expected: "set", got: typeName(of: set)) }
        try removeEntry(element, from: set)
    }

    /// `dict.clear()` or `set.clear()`.
    public func removeAll(fromTable container: borrowing some ObjectReference & ~Copyable) throws(HeapError) {
        let container = container.ref
        check(container)
        guard container.kind == .dict || container.kind == .set else {
            throw .wrongType(expected: "dict or set", got: typeName(of: container))
        }
        core.clearTable(container.pointer)
    }

    private func removeEntry(_ key: ObjectRef, from container: ObjectRef) throws(HeapError) {
        let table = HashTable(object: container.pointer)
        let (slot, found) = table.lookup(key.pointer, hash: try hashValue(of: key))
        guard let found else { throw .keyNotFound(key: repr(key)) }
        let (oldKey, oldValue) = table.removeEntry(slot: slot, entry: found)
        HeapCore.release(oldKey)
        if let oldValue { HeapCore.release(oldValue) }
    }
}
