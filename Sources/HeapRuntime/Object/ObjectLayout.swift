/// What an object is, as the runtime dispatches on it. Built-in kinds are handled by
/// `switch`; `.host` objects dispatch through their registered type's functions.
@usableFromInline
enum ObjectKind: UInt8, Sendable {
    case none, bool, int, float, str, bytes, tuple, list, dict, set, `class`, instance, weakref, host
}

/// Per-heap description of one type. Every object's header points at one of these; they
/// live in memory the heap owns, so the pointer also tells which heap an object belongs to.
@usableFromInline
struct TypeInfo {
    @usableFromInline var kind: ObjectKind
    /// Objects of this type can hold references and are tracked by the collector, with a
    /// 16-byte collector head in front of the object.
    @usableFromInline var isContainer: Bool
    @usableFromInline var heap: UnsafeMutablePointer<HeapCore>
    /// For `.host`: index into the heap's host type table.
    @usableFromInline var hostIndex: Int
    var name: String
}

/// The object header and the offsets of each kind's fields.
///
/// Every object starts with a 16-byte header at the address its id is taken from:
///
///     offset 0   reference count (Int)
///     offset 8   type (pointer to TypeInfo); bit 0 set once the object is freed
///
/// Containers carry 16 more bytes *in front of* the object, the collector head, as CPython
/// does (`PyGC_Head`): `next` at -16 (nil while untracked) and `prev` at -8, whose two low
/// bits hold flags. A container's header is therefore 32 bytes in all.
@usableFromInline
enum Layout {
    @usableFromInline static let headerSize = 16
    @usableFromInline static let gcHeadSize = 16
    @usableFromInline static let freedBit: UInt = 1

    // int, bool, float: the value at 16.
    @usableFromInline static let scalarValue = 16
    @usableFromInline static let scalarSize = 24

    // str and bytes: cached hash at 16 (-1: not computed), byte count at 24, flags at 28,
    // the bytes at 32 followed by a NUL for str.
    @usableFromInline static let textHash = 16
    @usableFromInline static let textCount = 24
    @usableFromInline static let textFlags = 28
    @usableFromInline static let textBytes = 32

    // tuple: count at 16, items inline from 24.
    @usableFromInline static let tupleCount = 16
    @usableFromInline static let tupleItems = 24

    // list: count at 16, capacity at 24, items buffer at 32.
    @usableFromInline static let listCount = 16
    @usableFromInline static let listCapacity = 24
    @usableFromInline static let listItems = 32
    @usableFromInline static let listSize = 40

    // dict and set: see HashTable.swift. Both are 48 bytes.
    @usableFromInline static let tableSize = 48

    // class: name (str) at 16, base (class or nil) at 24, attribute dict at 32, metadata index at 40.
    @usableFromInline static let className = 16
    @usableFromInline static let classBase = 24
    @usableFromInline static let classDict = 32
    @usableFromInline static let classMeta = 40
    @usableFromInline static let classSize = 48

    // instance: class at 16, attribute count at 24, capacity at 28, attribute pairs at 32.
    @usableFromInline static let instanceClass = 16
    @usableFromInline static let instanceAttrCount = 24
    @usableFromInline static let instanceAttrCapacity = 28
    @usableFromInline static let instanceAttrs = 32
    @usableFromInline static let instanceSize = 40

    // weak reference: referent (not counted) at 16, callback at 24, next/previous weak
    // reference to the same referent at 32 and 40.
    @usableFromInline static let weakReferent = 16
    @usableFromInline static let weakCallback = 24
    @usableFromInline static let weakNext = 32
    @usableFromInline static let weakPrevious = 40
    @usableFromInline static let weakSize = 48

    // host: payload from 16 (16-byte aligned).
    @usableFromInline static let hostPayload = 16
}

// MARK: - Raw field access

extension UnsafeMutableRawPointer {
    @inlinable @inline(__always)
    func field<T>(_ offset: Int, as type: T.Type) -> T { load(fromByteOffset: offset, as: T.self) }

    @inlinable @inline(__always)
    func setField<T>(_ offset: Int, _ value: T) { storeBytes(of: value, toByteOffset: offset, as: T.self) }
}
