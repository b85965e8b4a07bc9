#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// int, float, str and bytes: immutable atoms, never tracked by the collector.

extension Heap {
    /// A Python `int` (64-bit). The small ints −5…256 are preallocated singletons, so two
    /// of them with the same value are the same object (`a is b`), as in CPython.
    @inlinable
    public func int(_ value: Int) -> OwnedRef {
        OwnedRef(adopting: core.makeInt(value))
    }

    /// A Python `float`.
    @inlinable
    public func float(_ value: Double) -> OwnedRef {
        let object = core.allocateAtom(core.pointee.type(.float), size: Layout.scalarSize)
        object.setField(Layout.scalarValue, value)
        return OwnedRef(adopting: object)
    }

    /// A Python `str` holding `value`'s UTF-8 bytes.
    ///
    /// Strings made only of ASCII letters, digits and underscores (those that look like
    /// identifiers) are interned on creation, as CPython interns such constants: two of them
    /// with equal text are one object. Other strings are distinct objects unless interned
    /// with ``intern(_:)``.
    public func str(_ value: String) -> OwnedRef {
        var text = value
        let object = text.withUTF8 { core.makeStr($0, internIfIdentifier: true) }
        return OwnedRef(adopting: object)
    }

    /// A Python `str` from UTF-8 bytes; throws if they are not valid UTF-8.
    public func str(utf8 bytes: [UInt8]) throws(HeapError) -> OwnedRef {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw .invalidValue("invalid UTF-8 in str")
        }
        let object = bytes.withUnsafeBufferPointer { core.makeStr($0, internIfIdentifier: true) }
        return OwnedRef(adopting: object)
    }

    /// A Python `bytes`.
    public func bytes(_ value: [UInt8]) -> OwnedRef {
        let object = value.withUnsafeBufferPointer { core.makeBytes($0) }
        return OwnedRef(adopting: object)
    }

    /// Python's `sys.intern(s)`: the one interned string equal to `s`, making `s` that
    /// string if there was none.
    public func intern(_ string: borrowing some ObjectReference & ~Copyable) throws(HeapError) -> OwnedRef {
        let string = string.ref
        check(string)
        guard string.kind == .str else { throw .wrongType(expected: "str", got: typeName(of: string)) }
        return OwnedRef(adopting: core.intern(string.pointer))
    }

    /// Whether `string` is in the intern table.
    public func isInterned(_ string: borrowing some ObjectReference & ~Copyable) -> Bool {
        let string = string.ref
        check(string)
        return string.kind == .str && string.pointer.field(Layout.textFlags, as: UInt32.self) & StrFlags.interned != 0
    }

    // MARK: Reading values

    /// The value of an `int` or `bool`, or nil for other types.
    @inlinable
    public func intValue(of object: borrowing some ObjectReference & ~Copyable) -> Int? {
        let object = object.ref
        check(object)
        switch object.kind {
        case .int, .bool: return object.pointer.field(Layout.scalarValue, as: Int.self)
        default: return nil
        }
    }

    /// The value of a `float`, or nil for other types.
    public func floatValue(of object: borrowing some ObjectReference & ~Copyable) -> Double? {
        let object = object.ref
        check(object)
        return object.kind == .float ? object.pointer.field(Layout.scalarValue, as: Double.self) : nil
    }

    /// The text of a `str`, or nil for other types.
    public func stringValue(of object: borrowing some ObjectReference & ~Copyable) -> String? {
        let object = object.ref
        check(object)
        guard object.kind == .str else { return nil }
        return String(decoding: HeapCore.textBytes(object.pointer), as: UTF8.self)
    }

    /// The bytes of a `bytes` or `str`, or nil for other types.
    public func bytesValue(of object: borrowing some ObjectReference & ~Copyable) -> [UInt8]? {
        let object = object.ref
        check(object)
        guard object.kind == .bytes || object.kind == .str else { return nil }
        return Array(HeapCore.textBytes(object.pointer))
    }
}

@usableFromInline
enum StrFlags {
    @inlinable static var interned: UInt32 { 1 }
}

extension UnsafeMutablePointer where Pointee == HeapCore {
    @inlinable
    func makeInt(_ value: Int) -> UnsafeMutableRawPointer {
        if value >= HeapCore.smallIntMin && value <= HeapCore.smallIntMax {
            let object = pointee.smallInts[value &- HeapCore.smallIntMin]
            object.setField(0, object.field(0, as: Int.self) &+ 1)
            return object
        }
        let object = allocateAtom(pointee.type(.int), size: Layout.scalarSize)
        object.setField(Layout.scalarValue, value)
        return object
    }
}

extension HeapCore {
    static func textBytes(_ object: UnsafeMutableRawPointer) -> UnsafeBufferPointer<UInt8> {
        let count = Int(object.field(Layout.textCount, as: Int32.self))
        return UnsafeBufferPointer(start: (object + Layout.textBytes).assumingMemoryBound(to: UInt8.self), count: count)
    }

    static func textBlockSize(kind: ObjectKind, count: Int) -> Int {
        Layout.textBytes + count + (kind == .str ? 1 : 0)
    }

    /// FNV-1a over the bytes; deterministic across runs (CPython randomises str hashes,
    /// which would make snapshots and tests differ from run to run).
    static func hashBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let result = Int(bitPattern: UInt(hash))
        return result == -1 ? -2 : result
    }

    static func looksLikeIdentifier(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
                continue
            default:
                return false
            }
        }
        return true
    }

}

extension UnsafeMutablePointer where Pointee == HeapCore {
    func makeStr(_ bytes: UnsafeBufferPointer<UInt8>, internIfIdentifier: Bool) -> UnsafeMutableRawPointer {
        let hash = HeapCore.hashBytes(bytes)
        let intern = internIfIdentifier && HeapCore.looksLikeIdentifier(bytes)
        if intern, let existing = pointee.internTable.find(bytes, hash: hash) {
            HeapCore.retain(existing)
            return existing
        }
        guard bytes.count < Int(Int32.max) else { fatalError("HeapRuntime: str of \(bytes.count) bytes is too large") }
        let object = allocateAtom(pointee.type(.str), size: HeapCore.textBlockSize(kind: .str, count: bytes.count))
        object.setField(Layout.textHash, hash)
        object.setField(Layout.textCount, Int32(bytes.count))
        object.setField(Layout.textFlags, UInt32(0))
        if let base = bytes.baseAddress, bytes.count > 0 { memcpy(object + Layout.textBytes, base, bytes.count) }
        object.storeBytes(of: 0, toByteOffset: Layout.textBytes + bytes.count, as: UInt8.self)
        if intern {
            object.setField(Layout.textFlags, StrFlags.interned)
            pointee.internTable.insert(object, hash: hash)
        }
        return object
    }

    func makeBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeMutableRawPointer {
        guard bytes.count < Int(Int32.max) else { fatalError("HeapRuntime: bytes of \(bytes.count) bytes is too large") }
        let object = allocateAtom(pointee.type(.bytes), size: HeapCore.textBlockSize(kind: .bytes, count: bytes.count))
        object.setField(Layout.textHash, HeapCore.hashBytes(bytes))
        object.setField(Layout.textCount, Int32(bytes.count))
        object.setField(Layout.textFlags, UInt32(0))
        if let base = bytes.baseAddress, bytes.count > 0 { memcpy(object + Layout.textBytes, base, bytes.count) }
        return object
    }

    /// Returns a new count on the interned string equal to `object`.
    @usableFromInline
    func intern(_ object: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
        let flags = object.field(Layout.textFlags, as: UInt32.self)
        if flags & StrFlags.interned == 0 {
            let bytes = HeapCore.textBytes(object)
            let hash = object.field(Layout.textHash, as: Int.self)
            if let existing = pointee.internTable.find(bytes, hash: hash) {
                HeapCore.retain(existing)
                return existing
            }
            object.setField(Layout.textFlags, flags | StrFlags.interned)
            pointee.internTable.insert(object, hash: hash)
        }
        HeapCore.retain(object)
        return object
    }

    /// Frees an int, float, str or bytes whose count reached zero.
    func deallocateAtom(_ object: UnsafeMutableRawPointer, kind: ObjectKind) {
        let size: Int
        switch kind {
        case .str, .bytes:
            let count = Int(object.field(Layout.textCount, as: Int32.self))
            if kind == .str && object.field(Layout.textFlags, as: UInt32.self) & StrFlags.interned != 0 {
                // The table does not own its strings (CPython's "mortal" interned strings).
                pointee.internTable.remove(object, hash: object.field(Layout.textHash, as: Int.self))
            }
            size = HeapCore.textBlockSize(kind: kind, count: count)
        default:
            size = Layout.scalarSize
        }
        freeBlock(object, size: size, container: false)
    }
}

/// The table of interned strings: open addressing with linear probing over the str
/// objects themselves, comparing cached hashes and then bytes. It holds no counts.
struct InternTable {
    private var slots: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    private var mask: Int
    private(set) var count = 0

    init() {
        mask = 63
        slots = .allocate(capacity: mask + 1)
        slots.initialize(repeating: nil, count: mask + 1)
    }

    func deallocate() { slots.deallocate() }

    func find(_ bytes: UnsafeBufferPointer<UInt8>, hash: Int) -> UnsafeMutableRawPointer? {
        var i = hash & mask
        while let candidate = slots[i] {
            if candidate.field(Layout.textHash, as: Int.self) == hash {
                let other = HeapCore.textBytes(candidate)
                if other.count == bytes.count && (bytes.count == 0 || memcmp(other.baseAddress.unsafelyUnwrapped, bytes.baseAddress.unsafelyUnwrapped, bytes.count) == 0) {
                    return candidate
                }
            }
            i = (i + 1) & mask
        }
        return nil
    }

    mutating func insert(_ object: UnsafeMutableRawPointer, hash: Int) {
        if (count + 1) * 3 > (mask + 1) * 2 { grow() }
        var i = hash & mask
        while slots[i] != nil { i = (i + 1) & mask }
        slots[i] = object
        count += 1
    }

    mutating func remove(_ object: UnsafeMutableRawPointer, hash: Int) {
        var i = hash & mask
        while let candidate = slots[i], candidate != object { i = (i + 1) & mask }
        guard slots[i] != nil else { return }
        slots[i] = nil
        count -= 1
        // Backward-shift deletion keeps probe chains whole without tombstones.
        var hole = i
        var j = (i + 1) & mask
        while let moving = slots[j] {
            let home = moving.field(Layout.textHash, as: Int.self) & mask
            // Move `moving` into the hole if its home is not cyclically within (hole, j].
            let distanceToJ = (j - home) & mask
            let distanceToHole = (j - hole) & mask
            if distanceToJ >= distanceToHole {
                slots[hole] = moving
                slots[j] = nil
                hole = j
            }
            j = (j + 1) & mask
        }
    }

    private mutating func grow() {
        let oldSlots = slots
        let oldCapacity = mask + 1
        mask = oldCapacity * 2 - 1
        slots = .allocate(capacity: mask + 1)
        slots.initialize(repeating: nil, count: mask + 1)
        count = 0
        for i in 0..<oldCapacity {
            if let object = oldSlots[i] { insert(object, hash: object.field(Layout.textHash, as: Int.self)) }
        }
        oldSlots.deallocate()
    }
}
