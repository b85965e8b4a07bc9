/// A borrowed reference to an object in a heap: it does not keep the object alive.
///
/// `ObjectRef` is what most heap operations take and what container reads return, like a
/// borrowed `PyObject *` in CPython's C API. It stays valid while something else owns the
/// object — an ``OwnedRef`` the program holds, or a container that holds the object. To keep
/// an object beyond that, take ownership with ``Heap/retain(_:)`` or ``OwnedRef/copy()``.
///
/// Two refs are equal exactly when they name the same object (Python's `is`).
///
/// ```swift
/// let heap = Heap()
/// let list = heap.list()            // OwnedRef: we own one reference
/// let item = heap.str("hello")
/// try heap.append(item.ref, to: list.ref)
/// let first = try heap.item(0, of: list.ref)   // ObjectRef: borrowed from the list
/// assert(first == item.ref)
/// ```
///
/// Not `Sendable`: a heap and its objects belong to one thread at a time.
@frozen
public struct ObjectRef: Hashable {
    @usableFromInline let pointer: UnsafeMutableRawPointer

    @inlinable @inline(__always)
    init(_ pointer: UnsafeMutableRawPointer) { self.pointer = pointer }

    /// The object's identity: its address, unique among live objects, as CPython's `id()`.
    @inlinable public var id: Int { Int(bitPattern: pointer) }

    @inlinable @inline(__always)
    var typeInfo: UnsafeMutablePointer<TypeInfo> { pointer.field(8, as: UnsafeMutablePointer<TypeInfo>.self) }

    @inlinable @inline(__always)
    var kind: ObjectKind { typeInfo.pointee.kind }

    @inlinable @inline(__always)
    var core: UnsafeMutablePointer<HeapCore> { typeInfo.pointee.heap }
}

extension ObjectRef: CustomStringConvertible {
    /// `<typename object at 0x…>`, without touching anything but the header.
    public var description: String {
        let word = pointer.field(8, as: UInt.self)
        if word & Layout.freedBit != 0 { return "<freed object at 0x\(String(id, radix: 16))>" }
        return "<\(typeInfo.pointee.name) object at 0x\(String(id, radix: 16))>"
    }
}

/// An owned reference: it holds one count on its object and gives it back when it goes away.
///
/// `OwnedRef` is noncopyable, so ownership is visible in the code: each owned reference is
/// dropped exactly once, at the end of its scope, by `release()`, or by being consumed by
/// an operation that takes it over. Copying ownership is explicit with ``copy()``, which
/// raises the count — Python's `b = a`:
///
/// ```swift
/// let heap = Heap()
/// let a = heap.list()          // count 1
/// let b = a.copy()             // count 2 (b = a)
/// heap.refcount(of: a.ref)     // 2
/// b.release()                  // count 1 (del b)
/// ```
///
/// Read through ``ref`` to pass the object to heap operations without giving up ownership.
///
/// An owned reference may outlive its `Heap` value: the heap's memory then stays until the
/// last owned reference is gone.
@frozen
public struct OwnedRef: ~Copyable {
    @usableFromInline let pointer: UnsafeMutableRawPointer

    /// Takes over one count the caller already holds.
    @inlinable @inline(__always)
    init(adopting pointer: UnsafeMutableRawPointer) {
        self.pointer = pointer
        let core = pointer.field(8, as: UnsafeMutablePointer<TypeInfo>.self).pointee.heap
        core.pointee.liveHandles &+= 1
    }

    @inlinable @inline(__always)
    deinit {
        let core = pointer.field(8, as: UnsafeMutablePointer<TypeInfo>.self).pointee.heap
        HeapCore.release(pointer)
        core.pointee.liveHandles &-= 1
        if _slowPath(core.pointee.isOrphaned) { HeapCore.finishOrphanedTeardownIfIdle(core) }
    }

    /// The object, borrowed for as long as this owned reference lives.
    @inlinable public var ref: ObjectRef { ObjectRef(pointer) }

    /// The object's identity, as ``ObjectRef/id``.
    @inlinable public var id: Int { Int(bitPattern: pointer) }

    /// Another owned reference to the same object; the count goes up by one.
    @inlinable
    public func copy() -> OwnedRef {
        HeapCore.retain(pointer)
        return OwnedRef(adopting: pointer)
    }

    /// Gives the reference back now (Python's `del name`).
    @inlinable
    public consuming func release() {}

    /// Gives up ownership without releasing: the caller takes over the count and must hand it
    /// to ``Heap/release(_:)`` later. For embedders that keep references in their own storage.
    @inlinable
    public consuming func unmanaged() -> ObjectRef {
        let object = ObjectRef(pointer)
        let core = object.core
        core.pointee.liveHandles &-= 1
        discard self
        return object
    }
}

/// Anything that names a heap object: a borrowed ``ObjectRef`` or an ``OwnedRef``.
///
/// Heap operations take their object arguments as `borrowing some ObjectReference`, so a
/// freshly made object can be passed directly and lives until the call returns:
///
/// ```swift
/// try heap.append(heap.int(1000), to: list)     // the new int is stored, then our count dropped
/// ```
///
/// Writing `heap.int(1000).ref` instead would end the temporary's life before the call
/// (and the heap would stop the program with "use of a freed object").
public protocol ObjectReference: ~Copyable {
    /// The object, borrowed.
    var ref: ObjectRef { get }
}

extension ObjectRef: ObjectReference {
    /// Itself.
    @inlinable public var ref: ObjectRef { self }
}

extension OwnedRef: ObjectReference {}
