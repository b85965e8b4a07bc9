#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// tuple and list.

extension Heap {
    /// A Python `tuple` of `items`; each item's count goes up by one.
    ///
    /// Tuples are tracked by the collector from creation; a collection untracks a tuple
    /// whose items are all untracked, as CPython does.
    public func tuple(_ items: [ObjectRef]) -> OwnedRef {
        for item in items { check(item) }
        let object = core.allocateContainer(core.pointee.type(.tuple), size: Layout.tupleItems + 8 * items.count)
        object.setField(Layout.tupleCount, items.count)
        for (i, item) in items.enumerated() {
            HeapCore.retain(item.pointer)
            object.setField(Layout.tupleItems + 8 * i, item.pointer)
        }
        return OwnedRef(adopting: object)
    }

    /// A Python `tuple` of `items`, taking over one count of each (the caller's owned
    /// references become the tuple's): no count is added and none given back, and no
    /// array is made, which is what an interpreter building a tuple from the values it
    /// just evaluated wants (CPython's `BUILD_TUPLE` steals its stack items the same way).
    public func tuple(taking items: UnsafeBufferPointer<ObjectRef>) -> OwnedRef {
        for item in items { check(item) }
        let object = core.allocateContainer(core.pointee.type(.tuple), size: Layout.tupleItems + 8 * items.count)
        object.setField(Layout.tupleCount, items.count)
        for (i, item) in items.enumerated() {
            object.setField(Layout.tupleItems + 8 * i, item.pointer)
        }
        return OwnedRef(adopting: object)
    }

    /// A Python `list` holding `items`; each item's count goes up by one.
    @inlinable
    public func list() -> OwnedRef {
        let object = core.allocateContainer(core.pointee.type(.list), size: Layout.listSize)
        object.setField(Layout.listCount, 0)
        object.setField(Layout.listCapacity, 0)
        object.setField(Layout.listItems, UnsafeMutableRawPointer?.none)
        return OwnedRef(adopting: object)
    }

    /// A Python `list` holding `items`; each item's count goes up by one.
    public func list(_ items: [ObjectRef]) -> OwnedRef {
        let list = list()
        for item in items {
            check(item)
            core.listAppend(list.pointer, item.pointer)
        }
        return list
    }

    /// Number of items of a tuple, list, dict or set, or bytes of a str or bytes
    /// (Python's `len`).
    public func count(of object: borrowing some ObjectReference & ~Copyable) throws(HeapError) -> Int {
        try count(of: object.ref)
    }

    /// The generic `count(of:)` for a borrowed ``ObjectRef``,
    /// without the generic's witness calls (an interpreter's hot path).
    public func count(of object: ObjectRef) throws(HeapError) -> Int {
        check(object)
        switch object.kind {
        case .tuple: return object.pointer.field(Layout.tupleCount, as: Int.self)
        case .list: return object.pointer.field(Layout.listCount, as: Int.self)
        case .dict, .set: return object.pointer.field(HashTableLayout.count, as: Int.self)
        case .str, .bytes: return Int(object.pointer.field(Layout.textCount, as: Int32.self))
        default: throw .wrongType(expected: "a sized container", got: typeName(of: object))
        }
    }

    /// Item `index` of a tuple or list, borrowed from it. Negative indexes count from the
    /// end, as in Python.
    public func item(_ index: Int, of sequence: borrowing some ObjectReference & ~Copyable) throws(HeapError) -> ObjectRef {
        try item(index, of: sequence.ref)
    }

    /// The generic `item(_:of:)` for a borrowed ``ObjectRef``,
    /// without the generic's witness calls (an interpreter's hot path).
    public func item(_ index: Int, of sequence: ObjectRef) throws(HeapError) -> ObjectRef {
        let (items, count) = try sequenceItems(sequence)
        let i = index < 0 ? index + count : index
        guard i >= 0 && i < count else { throw .indexOutOfRange(index: index, count: count) }
        return ObjectRef(items[i])
    }

    /// The items of a tuple or list, borrowed.
    public func items(of sequence: borrowing some ObjectReference & ~Copyable) throws(HeapError) -> [ObjectRef] {
        try items(of: sequence.ref)
    }

    /// The generic `items(of:)` for a borrowed ``ObjectRef``,
    /// without the generic's witness calls (an interpreter's hot path).
    public func items(of sequence: ObjectRef) throws(HeapError) -> [ObjectRef] {
        let (items, count) = try sequenceItems(sequence)
        return (0..<count).map { ObjectRef(items[$0]) }
    }

    func sequenceItems(_ sequence: ObjectRef) throws(HeapError) -> (UnsafeMutablePointer<UnsafeMutableRawPointer>, Int) {
        check(sequence)
        guard sequence.kind == .tuple || sequence.kind == .list else {
            throw .wrongType(expected: "tuple or list", got: typeName(of: sequence))
        }
        return ValueSemantics.sequence(sequence.pointer)
    }

    /// `list.append(item)`.
    @inlinable
    public func append(_ item: borrowing some ObjectReference & ~Copyable, to list: borrowing some ObjectReference & ~Copyable) throws(HeapError) {
        let item = item.ref
        let list = list.ref
        check(item)
        check(list)
        guard list.kind == .list else { throw .wrongType(expected: "list", got: typeName(of: list)) }
        core.listAppend(list.pointer, item.pointer)
    }

    /// `list.append(item)`, taking over the caller's reference instead of adding one: saves
    /// a count and a release when the caller has no further use for `item`.
    @inlinable
    public func append(taking item: consuming OwnedRef, to list: borrowing some ObjectReference & ~Copyable) throws(HeapError) {
        let list = list.ref
        check(list)
        guard list.kind == .list else { throw .wrongType(expected: "list", got: typeName(of: list)) }
        let pointer = item.unmanaged().pointer
        core.listAppendStealing(list.pointer, pointer)
    }

    /// `list.insert(index, item)`, with Python's clamping of out-of-range indexes.
    public func insert(_ item: borrowing some ObjectReference & ~Copyable, at index: Int, in list: borrowing some ObjectReference & ~Copyable) throws(HeapError) {
        let item = item.ref
        let list = list.ref
        check(item)
        check(list)
        guard list.kind == .list else { throw .wrongType(expected: "list", got: typeName(of: list)) }
        let count = list.pointer.field(Layout.listCount, as: Int.self)
        var i = index < 0 ? index + count : index
        i = Swift.min(Swift.max(i, 0), count)
        core.listAppend(list.pointer, item.pointer)  // grows and counts the new reference
        let items = list.pointer.field(Layout.listItems, as: UnsafeMutableRawPointer.self)
        memmove(items + 8 * (i + 1), items + 8 * i, 8 * (count - i))
        items.storeBytes(of: item.pointer, toByteOffset: 8 * i, as: UnsafeMutableRawPointer.self)
    }

    /// `list[index] = item`.
    public func setItem(_ index: Int, of list: borrowing some ObjectReference & ~Copyable, to item: borrowing some ObjectReference & ~Copyable) throws(HeapError) {
        let list = list.ref
        let item = item.ref
        check(item)
        check(list)
        guard list.kind == .list else { throw .wrongType(expected: "list", got: typeName(of: list)) }
        let count = list.pointer.field(Layout.listCount, as: Int.self)
        let i = index < 0 ? index + count : index
        guard i >= 0 && i < count else { throw .indexOutOfRange(index: index, count: count) }
        let items = list.pointer.field(Layout.listItems, as: UnsafeMutableRawPointer.self)
        let old = items.load(fromByteOffset: 8 * i, as: UnsafeMutableRawPointer.self)
        HeapCore.retain(item.pointer)
        items.storeBytes(of: item.pointer, toByteOffset: 8 * i, as: UnsafeMutableRawPointer.self)
        HeapCore.release(old)  // after the store: a finalizer run by this release sees the new list
    }

    /// `list.pop(index)`: removes the item and hands its reference to the caller.
    @discardableResult
    public func pop(from list: borrowing some ObjectReference & ~Copyable, at index: Int = -1) throws(HeapError) -> OwnedRef {
        let list = list.ref
        check(list)
        guard list.kind == .list else { throw .wrongType(expected: "list", got: typeName(of: list)) }
        let count = list.pointer.field(Layout.listCount, as: Int.self)
        guard count > 0 else { throw .empty(type: "list") }
        let i = index < 0 ? index + count : index
        guard i >= 0 && i < count else { throw .indexOutOfRange(index: index, count: count) }
        let items = list.pointer.field(Layout.listItems, as: UnsafeMutableRawPointer.self)
        let item = items.load(fromByteOffset: 8 * i, as: UnsafeMutableRawPointer.self)
        memmove(items + 8 * i, items + 8 * (i + 1), 8 * (count - i - 1))
        list.pointer.setField(Layout.listCount, count - 1)
        return OwnedRef(adopting: item)
    }

    /// `del list[index]`.
    public func remove(at index: Int, from list: borrowing some ObjectReference & ~Copyable) throws(HeapError) {
        let list = list.ref
        _ = try pop(from: list, at: index)
    }

    /// `list.remove(value)`: removes the first item equal to `value`.
    public func remove(_ value: borrowing some ObjectReference & ~Copyable, from list: borrowing some ObjectReference & ~Copyable) throws(HeapError) {
        let value = value.ref
        let list = list.ref
        let (items, count) = try sequenceItems(list)
        guard list.kind == .list else { throw .wrongType(expected: "list", got: typeName(of: list)) }
        for i in 0..<count where try equals(ObjectRef(items[i]), value) {
            _ = try pop(from: list, at: i)
            return
        }
        throw .keyNotFound(key: repr(value))
    }

    /// `list.clear()`.
    public func removeAll(from list: borrowing some ObjectReference & ~Copyable) throws(HeapError) {
        let list = list.ref
        check(list)
        guard list.kind == .list else { throw .wrongType(expected: "list", got: typeName(of: list)) }
        core.clearList(list.pointer)
    }
}

extension UnsafeMutablePointer where Pointee == HeapCore {
    @inlinable @inline(__always)
    func listAppend(_ list: UnsafeMutableRawPointer, _ item: UnsafeMutableRawPointer) {
        HeapCore.retain(item)
        listAppendStealing(list, item)
    }

    @inlinable @inline(__always)
    func listAppendStealing(_ list: UnsafeMutableRawPointer, _ item: UnsafeMutableRawPointer) {
        let count = list.field(Layout.listCount, as: Int.self)
        if _slowPath(count == list.field(Layout.listCapacity, as: Int.self)) { growList(list, toHold: count + 1) }
        let items = list.field(Layout.listItems, as: UnsafeMutableRawPointer.self)
        items.storeBytes(of: item, toByteOffset: 8 &* count, as: UnsafeMutableRawPointer.self)
        list.setField(Layout.listCount, count &+ 1)
    }

    /// Over-allocates as CPython's `list_resize` does (about 1/8 extra plus 6), so appends
    /// are amortised O(1).
    @usableFromInline
    func growList(_ list: UnsafeMutableRawPointer, toHold needed: Int) {
        let oldCapacity = list.field(Layout.listCapacity, as: Int.self)
        let newCapacity = (needed + (needed >> 3) + 6) & ~3
        let oldItems = list.field(Layout.listItems, as: UnsafeMutableRawPointer?.self)
        let newItems = pointee.allocator.reallocate(oldItems, oldSize: 8 * oldCapacity, newSize: 8 * newCapacity)
        list.setField(Layout.listItems, newItems)
        list.setField(Layout.listCapacity, newCapacity)
    }

    /// Empties a list, releasing its items after it is already empty, so code run by those
    /// releases never sees a half-cleared list.
    func clearList(_ list: UnsafeMutableRawPointer) {
        guard let items = list.field(Layout.listItems, as: UnsafeMutableRawPointer?.self) else { return }
        let count = list.field(Layout.listCount, as: Int.self)
        let capacity = list.field(Layout.listCapacity, as: Int.self)
        list.setField(Layout.listCount, 0)
        list.setField(Layout.listCapacity, 0)
        list.setField(Layout.listItems, UnsafeMutableRawPointer?.none)
        // Last item first, as CPython's list_dealloc and list_clear do: the order in which
        // items that die with the list are torn down (and their finalizers run).
        var i = count
        while i > 0 {
            i &-= 1
            HeapCore.release(items.load(fromByteOffset: 8 &* i, as: UnsafeMutableRawPointer.self))
        }
        pointee.allocator.deallocate(items, size: 8 * capacity)
    }
}
