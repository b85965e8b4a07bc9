import HeapGraphFormat

// Looking at a live heap without changing it: no operation here takes or drops a count, so
// what is observed stays as it was (objgraph's tests check the same of count/typestats).

/// One outgoing reference of an object.
public struct Reference: Hashable {
    /// The object referred to.
    public var target: ObjectRef
    /// How the reference is named: index, dict key, attribute, host label.
    public var label: EdgeLabel
    /// A weak reference does not keep its target alive.
    public var isWeak: Bool
}

extension Heap {
    /// The objects `object` refers to, with labels, in a stable order (Python's
    /// `gc.get_referents`, with names). Atoms have none.
    /// - Complexity: O(references of the object).
    public func referents(of object: borrowing some ObjectReference & ~Copyable) -> [Reference] {
        let object = object.ref
        check(object)
        var result: [Reference] = []
        HeapCore.forEachLabelledReferent(object.pointer, core: core) { target, label, weak in
            let text = label.map { name in
                switch name {
                case .object(let key): HeapCore.keyLabel(key, core: core)
                case .text(let text): text
                }
            }
            result.append(Reference(target: ObjectRef(target), label: text, isWeak: weak))
        }
        return result
    }

    /// Every tracked object that refers to `object` (Python's `gc.get_referrers`): a scan of
    /// the whole heap.
    /// - Complexity: O(tracked objects + their references).
    public func referrers(of object: borrowing some ObjectReference & ~Copyable) -> [ObjectRef] {
        let object = object.ref
        check(object)
        var result: [ObjectRef] = []
        core.forEachTracked { candidate in
            var refers = false
            HeapCore.forEachReferent(candidate) { if $0 == object.pointer { refers = true } }
            if !refers, candidate.field(8, as: UnsafeMutablePointer<TypeInfo>.self).pointee.kind == .weakref,
               candidate.field(Layout.weakReferent, as: UnsafeMutableRawPointer?.self) == object.pointer {
                refers = true
            }
            if refers { result.append(ObjectRef(candidate)) }
        }
        return result
    }

    /// Every object introspection can see: the tracked containers of all generations
    /// (permanent included), and everything they refer to — atoms, untracked tuples and
    /// dicts — found by a breadth-first walk. Objects held only by the host program and
    /// never stored in a container (an int in a Swift variable, say) are not seen, as
    /// CPython's `gc` does not see them either.
    /// - Complexity: O(objects + references).
    public func allObjects() -> [ObjectRef] { core.visibleObjects().map(ObjectRef.init) }

    /// Number of visible objects by type name (objgraph's `typestats`).
    /// - Complexity: O(objects + references).
    public func countsByType() -> [String: Int] {
        var counts: [String: Int] = [:]
        for object in core.visibleObjects() { counts[core.pointee.typeName(of: object), default: 0] += 1 }
        return counts
    }

    /// The visible objects whose type name is `typeName` (objgraph's `by_type`).
    public func objects(ofType typeName: String) -> [ObjectRef] {
        core.visibleObjects().filter { core.pointee.typeName(of: $0) == typeName }.map(ObjectRef.init)
    }

    /// The visible object whose id is `id` (objgraph's `at`), or nil. Never dereferences
    /// `id` itself, so any integer is safe to ask about.
    public func object(withID id: Int) -> ObjectRef? {
        core.visibleObjects().first { Int(bitPattern: $0) == id }.map(ObjectRef.init)
    }

    /// Bytes the object occupies: its block (collector head included) plus the buffers only
    /// it owns (a list's items, a dict's table, an instance's pairs table if it has one), as
    /// `sys.getsizeof` counts a list's items array.
    public func shallowSize(of object: borrowing some ObjectReference & ~Copyable) -> Int {
        let object = object.ref
        check(object)
        return HeapCore.shallowSize(object.pointer)
    }

    /// objgraph's short label: "N items" for a tuple, list, dict or set; a class's name;
    /// otherwise the repr cut to 40 characters; "(unrepresentable)" when a host type's repr
    /// throws.
    public func shortLabel(of object: borrowing some ObjectReference & ~Copyable) -> String {
        let object = object.ref
        check(object)
        switch object.kind {
        case .tuple, .list, .dict, .set:
            return "\((try? count(of: object)) ?? 0) items"
        case .class:
            return core.pointee.className(object.pointer)
        case .host:
            let info = object.typeInfo
            guard let text = try? core.hostEntry(info).repr(object.pointer + Layout.hostPayload) else { return "(unrepresentable)" }
            return String(text.prefix(40))
        default:
            return String(repr(object, limit: 60).prefix(40))
        }
    }

    /// For each visible object held from outside the heap, how many of its references are
    /// held from outside: its count minus the references other heap objects hold. These are
    /// the roots — what the host program itself holds. Immortal singletons are left out.
    /// - Complexity: O(objects + references).
    public func roots() -> [(object: ObjectRef, externalReferences: Int)] {
        let objects = core.visibleObjects()
        var heldInside: [UnsafeMutableRawPointer: Int] = [:]
        heldInside.reserveCapacity(objects.count)
        for object in objects { HeapCore.forEachReferent(object) { heldInside[$0, default: 0] += 1 } }
        var result: [(object: ObjectRef, externalReferences: Int)] = []
        for object in objects {
            let count = object.field(0, as: Int.self)
            if count >= HeapCore.immortalCount / 2 { continue }
            let external = count - (heldInside[object] ?? 0)
            if external > 0 { result.append((ObjectRef(object), external)) }
        }
        return result
    }

    /// References to `object` held from outside the heap (see ``roots()``).
    public func externalReferences(of object: borrowing some ObjectReference & ~Copyable) -> Int {
        let object = object.ref
        check(object)
        var heldInside = 0
        for candidate in core.visibleObjects() { HeapCore.forEachReferent(candidate) { if $0 == object.pointer { heldInside += 1 } } }
        return object.pointer.field(0, as: Int.self) - heldInside
    }
}

extension HeapCore {
    /// Block size plus exclusively owned buffers.
    static func shallowSize(_ object: UnsafeMutableRawPointer) -> Int {
        let info = object.field(8, as: UnsafeMutablePointer<TypeInfo>.self)
        let head = info.pointee.isContainer ? Layout.gcHeadSize : 0
        switch info.pointee.kind {
        case .none: return Layout.headerSize
        case .bool, .int, .float: return Layout.scalarSize
        case .str, .bytes:
            return textBlockSize(kind: info.pointee.kind, count: Int(object.field(Layout.textCount, as: Int32.self)))
        case .tuple: return head + Layout.tupleItems + 8 * object.field(Layout.tupleCount, as: Int.self)
        case .list: return head + Layout.listSize + 8 * object.field(Layout.listCapacity, as: Int.self)
        case .dict, .set:
            let log2 = object.field(HashTableLayout.log2Size, as: Int.self)
            let storage = object.field(HashTableLayout.storage, as: UnsafeMutableRawPointer?.self) == nil
                ? 0 : HashTableLayout.storageBytes(log2Size: log2)
            return head + Layout.tableSize + storage
        case .class: return head + Layout.classSize
        case .instance:
            let table = HeapCore.hasPairsTable(object) ? 16 * object.field(Layout.instancePairsCapacity, as: Int.self) : 0
            return head + Layout.instanceSize(of: object) + table
        case .weakref: return head + Layout.weakSize
        case .host: return head + Layout.hostPayload + info.pointee.heap.pointee.hostTypes[info.pointee.hostIndex].payloadSize
        }
    }

    /// How the runtime names a dict key or an attribute before a caller turns it into text
    /// (``EdgeLabel``) or into a snapshot ordinal: the key or name object, or a host's text.
    enum ReferenceName: Hashable, @unchecked Sendable {
        case object(UnsafeMutableRawPointer)
        case text(String)
    }

    /// A reference's label as the runtime's walk gives it.
    typealias ReferenceLabel = EdgeLabelOf<ReferenceName>

    /// `forEachReferent` with labels, and weak references included (flagged): the one
    /// labelled traversal, shared by `referents(of:)` and snapshots.
    static func forEachLabelledReferent(_ object: UnsafeMutableRawPointer, core: UnsafeMutablePointer<HeapCore>,
                                        _ visit: (UnsafeMutableRawPointer, ReferenceLabel, Bool) -> Void) {
        let info = object.field(8, as: UnsafeMutablePointer<TypeInfo>.self)
        switch info.pointee.kind {
        case .tuple, .list:
            let (items, count) = ValueSemantics.sequence(object)
            for i in 0..<count { visit(items[i], .index(i), false) }
        case .dict:
            HashTable(object: object).forEachEntry { key, value in
                visit(key, .dictKey, false)
                if let value { visit(value, .key(.object(key)), false) }
            }
        case .set:
            HashTable(object: object).forEachEntry { key, _ in visit(key, .none, false) }
        case .instance:
            visit(object.field(Layout.instanceClass, as: UnsafeMutableRawPointer.self), .named("__class__"), false)
            let count = Int(object.field(Layout.instanceAttrCount, as: Int32.self))
            // With shared names the class holds the names; a pairs table holds its own.
            let ownsNames = HeapCore.hasPairsTable(object)
            for i in 0..<count {
                let name = HeapCore.attributeName(object, i)
                if ownsNames { visit(name, .dictKey, false) }
                visit(HeapCore.attributeValueAddress(object, i).load(as: UnsafeMutableRawPointer.self), .attribute(.object(name)), false)
            }
        case .class:
            visit(object.field(Layout.className, as: UnsafeMutableRawPointer.self), .named("__name__"), false)
            if let base = object.field(Layout.classBase, as: UnsafeMutableRawPointer?.self) { visit(base, .named("__base__"), false) }
            if let dict = object.field(Layout.classDict, as: UnsafeMutableRawPointer?.self) { visit(dict, .named("__dict__"), false) }
            // The attribute names the class shares with its instances: the keys of their
            // attribute tables.
            if let names = object.field(Layout.classSharedNames, as: UnsafeMutableRawPointer?.self) {
                let count = Int(object.field(Layout.classSharedNameCount, as: Int32.self))
                for i in 0..<count { visit(names.load(fromByteOffset: 8 * i, as: UnsafeMutableRawPointer.self), .dictKey, false) }
            }
        case .weakref:
            if let target = object.field(Layout.weakReferent, as: UnsafeMutableRawPointer?.self) { visit(target, .named("referent"), true) }
            if let context = object.field(Layout.weakCallback, as: UnsafeMutableRawPointer?.self) { visit(context, .named("__callback__"), false) }
        case .host:
            core.pointee.hostTypes[info.pointee.hostIndex].traverse(object + Layout.hostPayload) { ref, label in
                visit(ref.pointer, label.map { .text($0) }, false)
            }
        case .none, .bool, .int, .float, .str, .bytes:
            return
        }
    }

    /// A dict key as objgraph labels it: a str key's text, other keys' repr.
    static func keyLabel(_ key: UnsafeMutableRawPointer, core: UnsafeMutablePointer<HeapCore>) -> String {
        if ValueSemantics.kind(key) == .str { return String(decoding: textBytes(key), as: UTF8.self) }
        return ValueSemantics.repr(key, core: core, limit: 60)
    }
}

extension UnsafeMutablePointer where Pointee == HeapCore {
    /// Calls `body` for every tracked object of every generation, the permanent one too.
    func forEachTracked(_ body: (UnsafeMutableRawPointer) -> Void) {
        for g in 0...HeapCore.generationCount {
            let head = pointee.generationHeads[g]
            var object = GCList.next(head)
            while object != head {
                let next = GCList.next(object)
                body(object)
                object = next
            }
        }
    }

    /// Tracked objects, then what they reach that is not tracked, without duplicates.
    func visibleObjects() -> [UnsafeMutableRawPointer] {
        var result: [UnsafeMutableRawPointer] = []
        forEachTracked { result.append($0) }
        // Tracked containers are all in `result` already; only what they reach that is not
        // tracked needs remembering.
        var seen = Set<UnsafeMutableRawPointer>()
        var index = 0
        while index < result.count {
            HeapCore.forEachReferent(result[index]) { referent in
                if !referent.isTrackedContainer && seen.insert(referent).inserted { result.append(referent) }
            }
            index += 1
        }
        return result
    }
}

extension UnsafeMutableRawPointer {
    /// A container currently in a generation list (atoms have no collector head to read).
    var isTrackedContainer: Bool {
        field(8, as: UnsafeMutablePointer<TypeInfo>.self).pointee.isContainer && isTracked
    }
}
