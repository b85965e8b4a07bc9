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
    @inlinable static var headerSize: Int { 16 }
    @inlinable static var gcHeadSize: Int { 16 }
    @inlinable static var freedBit: UInt { 1 }
    // int, bool, float: the value at 16.
    @inlinable static var scalarValue: Int { 16 }
    @inlinable static var scalarSize: Int { 24 }
    // str and bytes: cached hash at 16 (-1: not computed), byte count at 24, flags at 28,
    // the bytes at 32 followed by a NUL for str.
    @inlinable static var textHash: Int { 16 }
    @inlinable static var textCount: Int { 24 }
    @inlinable static var textFlags: Int { 28 }
    @inlinable static var textBytes: Int { 32 }
    // tuple: count at 16, items inline from 24.
    @inlinable static var tupleCount: Int { 16 }
    @inlinable static var tupleItems: Int { 24 }
    // list: count at 16, capacity at 24, items buffer at 32.
    @inlinable static var listCount: Int { 16 }
    @inlinable static var listCapacity: Int { 24 }
    @inlinable static var listItems: Int { 32 }
    @inlinable static var listSize: Int { 40 }
    // dict and set: see HashTable.swift. Both are 48 bytes.
    @inlinable static var tableSize: Int { 48 }
    // class: name (str) at 16, base (class or nil) at 24, attribute dict at 32, metadata index
    // at 40, the finalizer kind its instances get (own or inherited; 0 none, 1 modern,
    // 2 legacy) at 48, the attribute names its instances share (a buffer of interned strs,
    // or nil) at 56, their count (Int32) at 64 and the buffer's capacity (Int32) at 68.
    @inlinable static var className: Int { 16 }
    @inlinable static var classBase: Int { 24 }
    @inlinable static var classDict: Int { 32 }
    @inlinable static var classMeta: Int { 40 }
    @inlinable static var classFinalizerKind: Int { 48 }
    @inlinable static var classSharedNames: Int { 56 }
    @inlinable static var classSharedNameCount: Int { 64 }
    @inlinable static var classSharedNameCapacity: Int { 68 }
    @inlinable static var classSize: Int { 72 }
    // instance: class at 16, attribute count (Int32) at 24, inline slot count (UInt16) at
    // 28, flags (UInt16) at 30, the slots from 32. With shared names (flags 0) slot i holds
    // the value of the class's shared name i; with a pairs table (flag 1) slot 0 points at
    // the table of (name, value) pairs and slot 1 holds its capacity. See Heap+Classes.swift.
    @inlinable static var instanceClass: Int { 16 }
    @inlinable static var instanceAttrCount: Int { 24 }
    @inlinable static var instanceSlotCount: Int { 28 }
    @inlinable static var instanceFlags: Int { 30 }
    @inlinable static var instanceSlots: Int { 32 }
    @inlinable static var instancePairs: Int { 32 }
    @inlinable static var instancePairsCapacity: Int { 40 }
    /// An instance with `slots` inline slots (at least 2, so a pairs table always fits).
    @inlinable static func instanceSize(slots: Int) -> Int { 32 &+ 8 &* slots }
    /// The size an existing instance was made with, from its slot count.
    @inlinable static func instanceSize(of object: UnsafeMutableRawPointer) -> Int {
        instanceSize(slots: Int(object.field(instanceSlotCount, as: UInt16.self)))
    }
    // weak reference: referent (not counted) at 16, callback at 24, next/previous weak
    // reference to the same referent at 32 and 40.
    @inlinable static var weakReferent: Int { 16 }
    @inlinable static var weakCallback: Int { 24 }
    @inlinable static var weakNext: Int { 32 }
    @inlinable static var weakPrevious: Int { 40 }
    @inlinable static var weakSize: Int { 48 }
    // host: payload from 16 (16-byte aligned).
    @inlinable static var hostPayload: Int { 16 }
}

// MARK: - Raw field access

extension UnsafeMutableRawPointer {
    @inlinable @inline(__always)
    func field<T>(_ offset: Int, as type: T.Type) -> T { load(fromByteOffset: offset, as: T.self) }

    @inlinable @inline(__always)
    func setField<T>(_ offset: Int, _ value: T) { storeBytes(of: value, toByteOffset: offset, as: T.self) }
}
