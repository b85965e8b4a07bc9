// User classes and their instances.

/// Code run when an object is about to die, given the heap and the dying object.
///
/// - `modern`: PEP 442's `tp_finalize` (Python 3.4+ `__del__`). Runs at most once in an
///   object's life; the object may be resurrected by storing a reference to it somewhere;
///   cycles that contain such objects are still collected.
/// - `legacy`: CPython's `tp_del`, the pre-3.4 `__del__`. A cycle that contains an object
///   with a legacy finalizer is uncollectable: the collector leaves it in ``GarbageCollector/garbage``.
///   When such an object dies by reference count, the finalizer runs each time.
///
/// A finalizer may allocate, release, resurrect or call ``GarbageCollector/collect(generation:)``.
public struct Finalizer {
    public enum Kind: Sendable { case modern, legacy }
    public var kind: Kind
    public var body: (Heap, ObjectRef) -> Void

    public init(_ kind: Kind = .modern, _ body: @escaping (Heap, ObjectRef) -> Void) {
        self.kind = kind
        self.body = body
    }

    /// A PEP 442 finalizer.
    public static func modern(_ body: @escaping (Heap, ObjectRef) -> Void) -> Finalizer { Finalizer(.modern, body) }
    /// A legacy (`tp_del`) finalizer.
    public static func legacy(_ body: @escaping (Heap, ObjectRef) -> Void) -> Finalizer { Finalizer(.legacy, body) }
}

@usableFromInline
enum GCFlags {
    /// The modern finalizer has run (CPython's `_PyGC_PREV_MASK_FINALIZED`).
    static var finalized: UInt { 1 }
    /// Inside the set a collection is examining (`_PyGC_PREV_MASK_COLLECTING`).
    static var collecting: UInt { 2 }
    /// Weak references point here; look in the heap's weak-reference table.
    static var hasWeakReferences: UInt { 4 }
    /// In the permanent generation (`gc.freeze()`), which no collection examines.
    static var frozen: UInt { 8 }
}

extension Heap {
    /// A new class (Python's `class Name(Base): ...`) with an empty attribute dict.
    ///
    /// ```swift
    /// let node = try heap.makeClass("Node")
    /// let n = try heap.instance(of: node.ref)
    /// try heap.setAttribute("next", to: heap.none, on: n.ref)
    /// heap.typeName(of: n.ref)   // "Node"
    /// ```
    public func makeClass(_ name: String, base: ObjectRef? = nil, finalizer: Finalizer? = nil) throws(HeapError) -> OwnedRef {
        if let base {
            check(base)
            guard base.kind == .class else { throw .wrongType(expected: "class", got: typeName(of: base)) }
        }
        let nameObject = str(name)
        let dict = dict()
        let index: Int
        let metadata = ClassMetadata(name: name, finalizer: finalizer)
        if let free = core.pointee.freeClassMetadata.popLast() {
            core.pointee.classMetadata[free] = metadata
            index = free
        } else {
            core.pointee.classMetadata.append(metadata)
            index = core.pointee.classMetadata.count - 1
        }
        let object = core.allocateContainer(core.pointee.type(.class), size: Layout.classSize)
        object.setField(Layout.className, nameObject.unmanaged().pointer)
        if let base { HeapCore.retain(base.pointer) }
        object.setField(Layout.classBase, base?.pointer)
        object.setField(Layout.classDict, dict.unmanaged().pointer as UnsafeMutableRawPointer?)
        object.setField(Layout.classMeta, index)
        // Instances get their class's finalizer, else the nearest base's: fixed when the class
        // is made, so a dying instance needs one load to know it has none.
        let inherited = base.map { $0.pointer.field(Layout.classFinalizerKind, as: Int.self) } ?? 0
        let kind = finalizer.map { $0.kind == .modern ? 1 : 2 } ?? inherited
        object.setField(Layout.classFinalizerKind, kind)
        object.setField(Layout.classSharedNames, UnsafeMutableRawPointer?.none)
        object.setField(Layout.classSharedNameCount, Int32(0))
        object.setField(Layout.classSharedNameCapacity, Int32(0))
        return OwnedRef(adopting: object)
    }

    /// A new instance of `cls` with no attributes (Python's `object.__new__(cls)`).
    @inlinable
    public func instance(of cls: borrowing some ObjectReference & ~Copyable) throws(HeapError) -> OwnedRef {
        let cls = cls.ref
        check(cls)
        guard cls.kind == .class else { throw .wrongType(expected: "class", got: typeName(of: cls)) }
        let slots = HeapCore.inlineSlots(forInstancesOf: cls.pointer)
        let object = core.allocateContainer(core.pointee.type(.instance), size: Layout.instanceSize(slots: slots))
        HeapCore.retain(cls.pointer)
        object.setField(Layout.instanceClass, cls.pointer)
        object.setField(Layout.instanceAttrCount, Int32(0))
        object.setField(Layout.instanceSlotCount, UInt16(truncatingIfNeeded: slots))
        object.setField(Layout.instanceFlags, UInt16(0))
        return OwnedRef(adopting: object)
    }

    /// The class of an instance, or the base of a class (nil for a class without one).
    public func classOf(_ object: borrowing some ObjectReference & ~Copyable) -> ObjectRef? {
        let object = object.ref
        check(object)
        switch object.kind {
        case .instance: return ObjectRef(object.pointer.field(Layout.instanceClass, as: UnsafeMutableRawPointer.self))
        default: return nil
        }
    }

    /// The base class of a class, if any.
    public func baseClass(of cls: borrowing some ObjectReference & ~Copyable) -> ObjectRef? {
        let cls = cls.ref
        check(cls)
        guard cls.kind == .class else { return nil }
        return cls.pointer.field(Layout.classBase, as: UnsafeMutableRawPointer?.self).map(ObjectRef.init)
    }

    /// `setattr(object, name, value)` on an instance or a class; `name` must be a str.
    @inlinable
    public func setAttribute(_ name: borrowing some ObjectReference & ~Copyable, to value: borrowing some ObjectReference & ~Copyable, on object: borrowing some ObjectReference & ~Copyable) throws(HeapError) {
        let name = name.ref
        let value = value.ref
        let object = object.ref
        check(name); check(value); check(object)
        guard name.kind == .str else { throw .wrongType(expected: "str attribute name", got: typeName(of: name)) }
        switch object.kind {
        case .instance:
            // Attribute names are interned, as CPython's setattr does, so lookups compare
            // identities.
            let alreadyInterned = name.pointer.field(Layout.textFlags, as: UInt32.self) & StrFlags.interned != 0
            let interned = alreadyInterned ? name.pointer : core.intern(name.pointer)
            core.setInstanceAttribute(object.pointer, interned, value.pointer)
            // `intern` returned a reference of ours, to the name itself when it had not been
            // interned before.
            if !alreadyInterned { HeapCore.release(interned) }
        case .class:
            let dict = ObjectRef(object.pointer.field(Layout.classDict, as: UnsafeMutableRawPointer.self))
            try setItem(name, to: value, in: dict)
        default:
            throw .wrongType(expected: "instance or class", got: typeName(of: object))
        }
    }

    /// `setattr(object, name, value)` with an interned name made from a Swift string.
    public func setAttribute(_ name: String, to value: borrowing some ObjectReference & ~Copyable, on object: borrowing some ObjectReference & ~Copyable) throws(HeapError) {
        let value = value.ref
        let object = object.ref
        let key = str(name)
        try setAttribute(key.ref, to: value, on: object)
    }

    /// `getattr(object, name, None)`: the instance's own attribute, else the class's or a
    /// base class's, borrowed; nil when there is none.
    public func attribute(_ name: String, of object: borrowing some ObjectReference & ~Copyable) -> ObjectRef? {
        let object = object.ref
        let key = str(name)
        return attribute(key.ref, of: object)
    }

    /// `getattr(object, name, None)` with a str object as the name.
    public func attribute(_ name: borrowing some ObjectReference & ~Copyable, of object: borrowing some ObjectReference & ~Copyable) -> ObjectRef? {
        let name = name.ref
        let object = object.ref
        check(name); check(object)
        guard name.kind == .str else { return nil }
        var cls: UnsafeMutableRawPointer?
        switch object.kind {
        case .instance:
            if let value = core.pointee.instanceAttribute(object.pointer, name.pointer) { return ObjectRef(value) }
            cls = object.pointer.field(Layout.instanceClass, as: UnsafeMutableRawPointer.self)
        case .class:
            cls = object.pointer
        default:
            return nil
        }
        while let c = cls {
            let dict = c.field(Layout.classDict, as: UnsafeMutableRawPointer.self)
            if let hash = try? ValueSemantics.hash(name.pointer),
               let found = HashTable(object: dict).lookup(name.pointer, hash: hash).entry,
               let value = HashTable(object: dict).entryValue(found) {
                return ObjectRef(value)
            }
            cls = c.field(Layout.classBase, as: UnsafeMutableRawPointer?.self)
        }
        return nil
    }

    /// The attribute names `cls` shares with its instances, in the order instances first
    /// set them (CPython 3.11's shared keys), borrowed. An instance made after the class
    /// has learnt these names keeps one inline value per name instead of a table of its own.
    ///
    /// ```swift
    /// let point = try heap.makeClass("Point")
    /// let p = try heap.instance(of: point.ref)
    /// try heap.setAttribute("x", to: heap.int(1).ref, on: p.ref)
    /// try heap.setAttribute("y", to: heap.int(2).ref, on: p.ref)
    /// heap.sharedAttributeNames(of: point.ref).map { heap.stringValue(of: $0) }   // ["x", "y"]
    /// ```
    public func sharedAttributeNames(of cls: borrowing some ObjectReference & ~Copyable) -> [ObjectRef] {
        let cls = cls.ref
        check(cls)
        guard cls.kind == .class, let names = cls.pointer.field(Layout.classSharedNames, as: UnsafeMutableRawPointer?.self) else { return [] }
        let count = Int(cls.pointer.field(Layout.classSharedNameCount, as: Int32.self))
        return (0..<count).map { ObjectRef(names.load(fromByteOffset: 8 * $0, as: UnsafeMutableRawPointer.self)) }
    }

    /// `delattr(instance, name)`.
    public func deleteAttribute(_ name: String, of object: borrowing some ObjectReference & ~Copyable) throws(HeapError) {
        let object = object.ref
        check(object)
        guard object.kind == .instance else { throw .wrongType(expected: "instance", got: typeName(of: object)) }
        let key = str(name)
        guard core.removeInstanceAttribute(object.pointer, key.pointer) else {
            throw .attributeNotFound(type: typeName(of: object), name: name)
        }
    }

    /// An instance's own attributes in the order they were first set, borrowed.
    public func attributes(of object: borrowing some ObjectReference & ~Copyable) -> [(name: ObjectRef, value: ObjectRef)] {
        let object = object.ref
        check(object)
        guard object.kind == .instance else { return [] }
        let count = Int(object.pointer.field(Layout.instanceAttrCount, as: Int32.self))
        return (0..<count).map {
            (ObjectRef(HeapCore.attributeName(object.pointer, $0)),
             ObjectRef(HeapCore.attributeValueAddress(object.pointer, $0).load(as: UnsafeMutableRawPointer.self)))
        }
    }
}

// Instance attributes, as CPython 3.11 keeps them: the names are shared by the class and
// the values sit inline in the instance. A class learns its instances' attribute names in
// the order they are first set (`self.a = …; self.b = …` in `__init__`), and an instance
// made afterwards gets one inline slot per name the class knows, so most instances are a
// single block: 64 bytes, collector head included, for two attributes, against 96 for an
// instance with a separate table of (name, value) pairs. Names are interned, so a lookup
// compares identities along the class's short list.
//
// An instance keeps to the shared names while its attributes are set in the class's order
// and fit its slots. Otherwise (another order, a deleted attribute, more attributes than
// slots, more than `maxSharedNames` names) it moves them to a table of (name, value) pairs
// it owns, holding references to both, which its slots then point at (CPython splits its
// dict in the same cases).
@usableFromInline
enum InstanceFlags {
    /// The attributes are in a pairs table: slot 0 points at it, slot 1 is its capacity.
    @inlinable static var pairsTable: UInt16 { 1 }
    /// With a pairs table: its names are still the class's shared names in order (the
    /// instance only ran out of slots), so the class goes on learning names from it, as it
    /// learns all of `__init__`'s names from the first instance.
    @inlinable static var inSharedOrder: UInt16 { 2 }
}

extension HeapCore {
    /// The most attribute names a class shares with its instances: an instance is at most
    /// 32 + 8 × 30 bytes plus its collector head, within the pooled size classes.
    @inlinable static var maxSharedNames: Int { 30 }

    /// Inline slots for a new instance of `cls`: one per name the class shares, rounded up
    /// to an even count (blocks are 16 bytes apart), at least 2.
    @inlinable @inline(__always)
    static func inlineSlots(forInstancesOf cls: UnsafeMutableRawPointer) -> Int {
        let known = Int(cls.field(Layout.classSharedNameCount, as: Int32.self))
        return Swift.max(2, (known &+ 1) & ~1)
    }

    @inlinable @inline(__always)
    static func hasPairsTable(_ object: UnsafeMutableRawPointer) -> Bool {
        object.field(Layout.instanceFlags, as: UInt16.self) & InstanceFlags.pairsTable != 0
    }

    /// The name of attribute `i` (below the instance's attribute count), borrowed.
    @inlinable @inline(__always)
    static func attributeName(_ object: UnsafeMutableRawPointer, _ i: Int) -> UnsafeMutableRawPointer {
        if hasPairsTable(object) {
            return object.field(Layout.instancePairs, as: UnsafeMutableRawPointer.self)
                .load(fromByteOffset: 16 &* i, as: UnsafeMutableRawPointer.self)
        }
        return object.field(Layout.instanceClass, as: UnsafeMutableRawPointer.self)
            .field(Layout.classSharedNames, as: UnsafeMutableRawPointer.self)
            .load(fromByteOffset: 8 &* i, as: UnsafeMutableRawPointer.self)
    }

    /// Where the value of attribute `i` is stored.
    @inlinable @inline(__always)
    static func attributeValueAddress(_ object: UnsafeMutableRawPointer, _ i: Int) -> UnsafeMutableRawPointer {
        if hasPairsTable(object) {
            return object.field(Layout.instancePairs, as: UnsafeMutableRawPointer.self) + (16 &* i &+ 8)
        }
        return object + (Layout.instanceSlots &+ 8 &* i)
    }

    func instanceAttribute(_ object: UnsafeMutableRawPointer, _ name: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        guard let name = internedName(name), let i = Self.attributeIndex(object, name) else { return nil }
        return Self.attributeValueAddress(object, i).load(as: UnsafeMutableRawPointer.self)
    }

    /// The index of attribute `name` (an interned str: names are interned when set), or nil.
    @inlinable
    static func attributeIndex(_ object: UnsafeMutableRawPointer, _ name: UnsafeMutableRawPointer) -> Int? {
        let count = Int(object.field(Layout.instanceAttrCount, as: Int32.self))
        guard count > 0 else { return nil }
        let names: UnsafeMutableRawPointer
        let stride: Int
        if hasPairsTable(object) {
            names = object.field(Layout.instancePairs, as: UnsafeMutableRawPointer.self)
            stride = 16
        } else {
            names = object.field(Layout.instanceClass, as: UnsafeMutableRawPointer.self)
                .field(Layout.classSharedNames, as: UnsafeMutableRawPointer.self)
            stride = 8
        }
        for i in 0..<count where names.load(fromByteOffset: stride &* i, as: UnsafeMutableRawPointer.self) == name { return i }
        return nil
    }

    /// Whether an instance of `cls` that holds the class's first `index` names may keep
    /// `name` as the next one: it is the class's next name, or the class has none there yet
    /// and room for one (the caller then appends it).
    @inlinable @inline(__always)
    static func sharesName(_ cls: UnsafeMutableRawPointer, _ name: UnsafeMutableRawPointer, at index: Int) -> Bool {
        let known = Int(cls.field(Layout.classSharedNameCount, as: Int32.self))
        if index < known {
            return cls.field(Layout.classSharedNames, as: UnsafeMutableRawPointer.self)
                .load(fromByteOffset: 8 &* index, as: UnsafeMutableRawPointer.self) == name
        }
        return index == known && known < maxSharedNames
    }

    /// The interned string equal to `name`, if any: a name that was never interned names
    /// no attribute.
    func internedName(_ name: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        if name.field(Layout.textFlags, as: UInt32.self) & StrFlags.interned != 0 { return name }
        return internTable.find(Self.textBytes(name), hash: name.field(Layout.textHash, as: Int.self))
    }
}

extension UnsafeMutablePointer where Pointee == HeapCore {
    @inlinable
    func setInstanceAttribute(_ object: UnsafeMutableRawPointer, _ name: UnsafeMutableRawPointer, _ value: UnsafeMutableRawPointer) {
        HeapCore.retain(value)
        if let i = HeapCore.attributeIndex(object, name) {
            let address = HeapCore.attributeValueAddress(object, i)
            let old = address.load(as: UnsafeMutableRawPointer.self)
            address.storeBytes(of: value, as: UnsafeMutableRawPointer.self)
            HeapCore.release(old)
            return
        }
        let count = Int(object.field(Layout.instanceAttrCount, as: Int32.self))
        let flags = object.field(Layout.instanceFlags, as: UInt16.self)
        let cls = object.field(Layout.instanceClass, as: UnsafeMutableRawPointer.self)
        if flags & InstanceFlags.pairsTable == 0 {
            if followsSharedNames(cls, name, at: count) {
                if count < Int(object.field(Layout.instanceSlotCount, as: UInt16.self)) {
                    object.storeBytes(of: value, toByteOffset: Layout.instanceSlots &+ 8 &* count, as: UnsafeMutableRawPointer.self)
                    object.setField(Layout.instanceAttrCount, Int32(count &+ 1))
                    return
                }
                moveAttributesToPairsTable(object, inSharedOrder: true)    // out of slots only
            } else {
                moveAttributesToPairsTable(object, inSharedOrder: false)
            }
        } else if flags & InstanceFlags.inSharedOrder != 0 && !followsSharedNames(cls, name, at: count) {
            object.setField(Layout.instanceFlags, flags & ~InstanceFlags.inSharedOrder)
        }
        appendPair(object, name, value)
    }

    /// Whether an instance holding `cls`'s first `count` shared names may take `name` as the
    /// next one; when the class has no name there yet, it learns `name`.
    @inlinable @inline(__always)
    func followsSharedNames(_ cls: UnsafeMutableRawPointer, _ name: UnsafeMutableRawPointer, at count: Int) -> Bool {
        guard HeapCore.sharesName(cls, name, at: count) else { return false }
        if count == Int(cls.field(Layout.classSharedNameCount, as: Int32.self)) { appendSharedName(name, to: cls) }
        return true
    }

    /// Adds `name` (interned) to the names `cls` shares with its instances, holding a
    /// reference to it.
    @usableFromInline
    func appendSharedName(_ name: UnsafeMutableRawPointer, to cls: UnsafeMutableRawPointer) {
        let count = Int(cls.field(Layout.classSharedNameCount, as: Int32.self))
        let capacity = Int(cls.field(Layout.classSharedNameCapacity, as: Int32.self))
        var names = cls.field(Layout.classSharedNames, as: UnsafeMutableRawPointer?.self)
        if count == capacity {
            let newCapacity = capacity == 0 ? 4 : capacity * 2
            names = pointee.allocator.reallocate(names, oldSize: 8 * capacity, newSize: 8 * newCapacity)
            cls.setField(Layout.classSharedNames, names)
            cls.setField(Layout.classSharedNameCapacity, Int32(newCapacity))
        }
        HeapCore.retain(name)
        names.unsafelyUnwrapped.storeBytes(of: name, toByteOffset: 8 * count, as: UnsafeMutableRawPointer.self)
        cls.setField(Layout.classSharedNameCount, Int32(count + 1))
    }

    /// Moves an instance's attributes from its slots to a pairs table of its own, taking a
    /// reference to each name.
    @usableFromInline
    func moveAttributesToPairsTable(_ object: UnsafeMutableRawPointer, inSharedOrder: Bool = false) {
        let count = Int(object.field(Layout.instanceAttrCount, as: Int32.self))
        let capacity = Swift.max(2, count * 2)
        let table = pointee.allocator.allocate(16 * capacity)
        for i in 0..<count {
            let name = HeapCore.attributeName(object, i)
            HeapCore.retain(name)
            table.storeBytes(of: name, toByteOffset: 16 * i, as: UnsafeMutableRawPointer.self)
            table.storeBytes(of: object.field(Layout.instanceSlots + 8 * i, as: UnsafeMutableRawPointer.self),
                             toByteOffset: 16 * i + 8, as: UnsafeMutableRawPointer.self)
        }
        object.setField(Layout.instancePairs, table)
        object.setField(Layout.instancePairsCapacity, capacity)
        let flags = InstanceFlags.pairsTable | (inSharedOrder ? InstanceFlags.inSharedOrder : 0)
        object.setField(Layout.instanceFlags, object.field(Layout.instanceFlags, as: UInt16.self) | flags)
    }

    /// Appends (name, value) to an instance's pairs table; the value's reference is the
    /// caller's, the name's is taken here.
    @usableFromInline
    func appendPair(_ object: UnsafeMutableRawPointer, _ name: UnsafeMutableRawPointer, _ value: UnsafeMutableRawPointer) {
        HeapCore.retain(name)
        let count = Int(object.field(Layout.instanceAttrCount, as: Int32.self))
        var pairs = object.field(Layout.instancePairs, as: UnsafeMutableRawPointer.self)
        let capacity = object.field(Layout.instancePairsCapacity, as: Int.self)
        if count == capacity {
            let grown = pointee.allocator.allocate(16 * capacity * 2)
            grown.copyMemory(from: pairs, byteCount: 16 * count)
            pointee.allocator.deallocate(pairs, size: 16 * capacity)
            pairs = grown
            object.setField(Layout.instancePairs, grown)
            object.setField(Layout.instancePairsCapacity, capacity * 2)
        }
        pairs.storeBytes(of: name, toByteOffset: 16 * count, as: UnsafeMutableRawPointer.self)
        pairs.storeBytes(of: value, toByteOffset: 16 * count + 8, as: UnsafeMutableRawPointer.self)
        object.setField(Layout.instanceAttrCount, Int32(count + 1))
    }

    func removeInstanceAttribute(_ object: UnsafeMutableRawPointer, _ name: UnsafeMutableRawPointer) -> Bool {
        guard let name = pointee.internedName(name), let i = HeapCore.attributeIndex(object, name) else { return false }
        // Removing leaves a gap in the shared order: the rest goes to a pairs table.
        if !HeapCore.hasPairsTable(object) { moveAttributesToPairsTable(object) }
        object.setField(Layout.instanceFlags, object.field(Layout.instanceFlags, as: UInt16.self) & ~InstanceFlags.inSharedOrder)
        let count = Int(object.field(Layout.instanceAttrCount, as: Int32.self))
        let pairs = object.field(Layout.instancePairs, as: UnsafeMutableRawPointer.self)
        let oldName = pairs.load(fromByteOffset: 16 * i, as: UnsafeMutableRawPointer.self)
        let oldValue = pairs.load(fromByteOffset: 16 * i + 8, as: UnsafeMutableRawPointer.self)
        (pairs + 16 * i).copyMemory(from: pairs + 16 * (i + 1), byteCount: 16 * (count - i - 1))
        object.setField(Layout.instanceAttrCount, Int32(count - 1))
        HeapCore.release(oldName)
        HeapCore.release(oldValue)
        return true
    }

    /// Drops an instance's attributes (its `tp_clear`); the class reference stays. The
    /// instance is emptied before anything is released, so a finalizer that runs meanwhile
    /// and sets attributes on it finds it consistent, and those attributes stay. Inline
    /// values move to a pairs table first, to be released from there.
    func clearInstance(_ object: UnsafeMutableRawPointer) {
        let count = Int(object.field(Layout.instanceAttrCount, as: Int32.self))
        if !HeapCore.hasPairsTable(object) {
            guard count > 0 else { return }
            moveAttributesToPairsTable(object)
        }
        let pairs = object.field(Layout.instancePairs, as: UnsafeMutableRawPointer.self)
        let capacity = object.field(Layout.instancePairsCapacity, as: Int.self)
        object.setField(Layout.instanceAttrCount, Int32(0))
        object.setField(Layout.instanceFlags, object.field(Layout.instanceFlags, as: UInt16.self) & ~(InstanceFlags.pairsTable | InstanceFlags.inSharedOrder))
        for i in 0..<count {
            HeapCore.release(pairs.load(fromByteOffset: 16 &* i, as: UnsafeMutableRawPointer.self))
            HeapCore.release(pairs.load(fromByteOffset: 16 &* i &+ 8, as: UnsafeMutableRawPointer.self))
        }
        pointee.allocator.deallocate(pairs, size: 16 &* capacity)
    }

    /// Releases the attributes of an instance that is being freed. Nothing can reach it any
    /// more (its count is zero, it is off the collector's lists, its weak references are
    /// cleared), so inline values are released where they lie, first to last as CPython's
    /// `_PyObject_FreeInstanceAttributes` does.
    @inline(__always)
    func releaseAttributesOfDyingInstance(_ object: UnsafeMutableRawPointer) {
        if HeapCore.hasPairsTable(object) {
            clearInstance(object)
            return
        }
        let count = Int(object.field(Layout.instanceAttrCount, as: Int32.self))
        var i = 0
        while i < count {
            HeapCore.release(object.load(fromByteOffset: Layout.instanceSlots &+ 8 &* i, as: UnsafeMutableRawPointer.self))
            i &+= 1
        }
    }

    /// Drops a class's attribute dict and base; with `dropName`, its name and metadata too
    /// (only when it is being freed: introspection needs the name until then).
    func clearClass(_ object: UnsafeMutableRawPointer, dropName: Bool) {
        let dict = object.field(Layout.classDict, as: UnsafeMutableRawPointer?.self)
        let base = object.field(Layout.classBase, as: UnsafeMutableRawPointer?.self)
        object.setField(Layout.classDict, UnsafeMutableRawPointer?.none)
        object.setField(Layout.classBase, UnsafeMutableRawPointer?.none)
        if let dict { HeapCore.release(dict) }
        if let base { HeapCore.release(base) }
        if dropName {
            let index = object.field(Layout.classMeta, as: Int.self)
            // Keep the metadata (and the finalizer's captures) alive past the table write:
            // dropping them may free objects, which must not meet the table mid-write.
            let metadata = pointee.classMetadata[index]
            pointee.classMetadata[index] = nil
            pointee.freeClassMetadata.append(index)
            withExtendedLifetime(metadata) {}
            HeapCore.release(object.field(Layout.className, as: UnsafeMutableRawPointer.self))
            // The shared names go with the class, not when it is cleared: its instances,
            // which hold it alive, read them until they die (CPython frees a type's cached
            // keys in `type_dealloc` too).
            if let names = object.field(Layout.classSharedNames, as: UnsafeMutableRawPointer?.self) {
                let count = Int(object.field(Layout.classSharedNameCount, as: Int32.self))
                let capacity = Int(object.field(Layout.classSharedNameCapacity, as: Int32.self))
                object.setField(Layout.classSharedNames, UnsafeMutableRawPointer?.none)
                object.setField(Layout.classSharedNameCount, Int32(0))
                for i in 0..<count { HeapCore.release(names.load(fromByteOffset: 8 * i, as: UnsafeMutableRawPointer.self)) }
                pointee.allocator.deallocate(names, size: 8 * capacity)
            }
        }
    }

    /// The finalizer that applies to an instance: its class's, or the nearest base's.
    func finalizer(of object: UnsafeMutableRawPointer) -> Finalizer? {
        let info = object.field(8, as: UnsafeMutablePointer<TypeInfo>.self)
        switch info.pointee.kind {
        case .instance:
            var cls = object.field(Layout.instanceClass, as: UnsafeMutableRawPointer?.self)
            if cls.unsafelyUnwrapped.field(Layout.classFinalizerKind, as: Int.self) == 0 { return nil }
            while let c = cls {
                if let finalizer = pointee.classMetadata[c.field(Layout.classMeta, as: Int.self)]?.finalizer { return finalizer }
                cls = c.field(Layout.classBase, as: UnsafeMutableRawPointer?.self)
            }
            return nil
        case .host:
            return pointee.hostTypes[info.pointee.hostIndex].finalizer
        default:
            return nil
        }
    }

    @inline(__always)
    func needsFinalizerOnDeath(_ object: UnsafeMutableRawPointer, kind: ObjectKind) -> Bool {
        if kind == .instance {
            let cls = object.field(Layout.instanceClass, as: UnsafeMutableRawPointer.self)
            if cls.field(Layout.classFinalizerKind, as: Int.self) == 0 { return false }
        } else if kind != .host {
            return false
        }
        guard pointee.owner != nil, let finalizer = finalizer(of: object) else { return false }
        return finalizer.kind == .legacy || object.gcPreviousRaw & GCFlags.finalized == 0
    }

    /// The part of a death by reference count that runs code, for an object with a
    /// finalizer to run, in CPython's order (`subtype_dealloc`):
    /// 1. the modern finalizer (`tp_finalize`), which may resurrect;
    /// 2. weak references are cleared and their callbacks called, the object untracked, so
    ///    a collection they start cannot see it;
    /// 3. the legacy finalizer (`tp_del`), which may resurrect, and inside which weak
    ///    references already read as dead;
    /// 4. weak references the finalizers made are cleared without callbacks: they could see
    ///    an object half torn down.
    /// Returns true when a finalizer resurrected the object, which is then tracked again.
    func finalizeOnDeath(_ object: UnsafeMutableRawPointer) -> Bool {
        guard let heap = pointee.owner, let finalizer = finalizer(of: object) else {
            if object.gcPreviousRaw & GCFlags.hasWeakReferences != 0 { clearWeakReferences(to: object, runCallbacks: false) }
            return false
        }
        if finalizer.kind == .modern {
            object.setGCPreviousRaw(object.gcPreviousRaw | GCFlags.finalized)
            if runFinalizerOnDeath(object, finalizer, heap) { return true }
        }
        if object.gcPreviousRaw & GCFlags.hasWeakReferences != 0 {
            clearWeakReferences(to: object, runCallbacks: true)
        }
        if finalizer.kind == .legacy {
            if runFinalizerOnDeath(object, finalizer, heap) { return true }
        }
        if object.gcPreviousRaw & GCFlags.hasWeakReferences != 0 {
            clearWeakReferences(to: object, runCallbacks: false)
        }
        return false
    }

    /// Runs a finalizer on a dying, untracked object, tracked again and holding a temporary
    /// reference for the call (PEP 442): a collection inside the call sees a live object,
    /// and one it resurrects stays tracked. Returns true when it resurrected the object.
    private func runFinalizerOnDeath(_ object: UnsafeMutableRawPointer, _ finalizer: Finalizer, _ heap: Heap) -> Bool {
        pointee.link(object, into: pointee.generationHeads[0])
        object.setField(0, 1)
        finalizer.body(heap, ObjectRef(object))
        let count = object.field(0, as: Int.self) - 1
        object.setField(0, count)
        if count > 0 { return true }
        if object.isTracked { pointee.untrackDying(object) }
        return false
    }
}
