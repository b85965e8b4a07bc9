/// The built-in kind of an object, for front ends (an interpreter) that dispatch on it
/// without comparing type names.
public enum ObjectTypeTag: UInt8, Sendable {
    case none, bool, int, float, str, bytes, tuple, list, dict, set, `class`, instance, weakref, host
}

extension Heap {
    /// The object's built-in kind, read from its header (one load).
    @inlinable @inline(__always)
    public func typeTag(of object: borrowing some ObjectReference & ~Copyable) -> ObjectTypeTag {
        let object = object.ref
        check(object)
        return ObjectTypeTag(rawValue: object.kind.rawValue).unsafelyUnwrapped
    }
}
