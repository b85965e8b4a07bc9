/// The built-in kind of an object, for front ends (an interpreter) that dispatch on it
/// without comparing type names.
public enum ObjectTypeTag: UInt8, Sendable {
    case none, bool, int, float, str, bytes, tuple, list, dict, set, `class`, instance, weakref, host
}

// Non-generic entry points for an interpreter's hot paths: the generic `borrowing some
// ObjectReference` versions are not always specialized and inlined across modules, and an
// interpreter keeps its own counts (as CPython's C code does) rather than `OwnedRef`s.
extension Heap {
    /// The object's built-in kind, read from its header (one load).
    @inlinable @inline(__always)
    public func typeTag(of object: ObjectRef) -> ObjectTypeTag {
        check(object)
        // The two enums list the same cases in the same order (a test checks), so one's
        // byte is the other's: no call to `init(rawValue:)`, which is not always inlined.
        return unsafeBitCast(object.kind, to: ObjectTypeTag.self)
    }

    /// The value of an `int` or `bool`, or nil for other types: the generic
    /// `intValue(of:)` for a borrowed ``ObjectRef``, always inlined (an interpreter's
    /// arithmetic and comparisons read it for every operand).
    @inlinable @inline(__always)
    public func intValue(of object: ObjectRef) -> Int? {
        check(object)
        switch object.kind {
        case .int, .bool: return object.pointer.field(Layout.scalarValue, as: Int.self)
        default: return nil
        }
    }

    /// Takes one count on `object` for the caller to give back with ``releaseCount(_:)``
    /// (CPython's `Py_INCREF`).
    @inlinable @inline(__always)
    public func retainCount(_ object: ObjectRef) {
        check(object)
        HeapCore.retain(object.pointer)
    }

    /// Gives back a count taken with ``retainCount(_:)`` or handed over by
    /// ``OwnedRef/unmanaged()`` (CPython's `Py_DECREF`); the object dies at zero.
    @inlinable @inline(__always)
    public func releaseCount(_ object: ObjectRef) {
        check(object)
        HeapCore.release(object.pointer)
    }
}
