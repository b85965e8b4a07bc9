/// The ids snapshots give objects: a serial number per object, stable across every
/// snapshot of the heap and never given twice, even when a freed object's address is
/// reused by a new one. Python's `id()` stays the address (``Heap/id(of:)``); snapshot
/// nodes carry the serial (``Heap/snapshotID(of:)``), so comparing two snapshots of one
/// heap never takes a new object for an old one.
///
/// Serials are handed out lazily, the first time a snapshot (or ``Heap/snapshotID(of:)``)
/// sees an object, and kept in this table keyed by address. The allocator also marks the
/// object's block as numbered (a bit per 16 bytes of its pool, or a byte in a large
/// block's links), so a free looks the table up only for a numbered object and removes
/// its serial (`freeBlock`); the next object at that address gets a new serial.
///
/// Cost: nothing until the heap's first snapshot (one predictable branch per free). After
/// it, each numbered object costs one table slot (16 bytes; the table is kept at most 3/4
/// full, so 21–43 bytes per object) and a bit in its pool's 128-byte map, and each free
/// tests that bit (docs/performance.md, "Stable object ids (issue 18)").
///
/// Open addressing with linear probing and backward-shift deletion (no tombstones, so a
/// heap that churns never fills the table with them). Address 0 marks an empty slot.
@usableFromInline
struct StableIDTable {
    private var keys: UnsafeMutablePointer<UInt>? = nil
    private var values: UnsafeMutablePointer<UInt64>? = nil
    private var mask = 0
    /// Objects with a serial. `freeBlock` tests it before anything else.
    @usableFromInline private(set) var count = 0
    /// The next serial to hand out; serials start at 1.
    private(set) var nextSerial: UInt64 = 1

    /// Fibonacci hashing of the address without its 16-byte alignment bits.
    @inline(__always)
    private func slot(of address: UInt) -> Int {
        Int(truncatingIfNeeded: ((address >> 4) &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
    }

    /// The object's serial, given now if it had none (`isNew`).
    /// - Complexity: O(1) expected.
    mutating func serial(of object: UnsafeMutableRawPointer) -> (serial: UInt64, isNew: Bool) {
        let address = UInt(bitPattern: object)
        if (count + 1) * 4 > (mask + 1) * 3 || keys == nil { grow() }
        guard let keys, let values else { return (0, false) }
        var index = slot(of: address)
        while keys[index] != 0 {
            if keys[index] == address { return (values[index], false) }
            index = (index + 1) & mask
        }
        keys[index] = address
        values[index] = nextSerial
        nextSerial += 1
        count += 1
        return (values[index], true)
    }

    /// Forgets the serial of a freed object, if it had one.
    /// - Complexity: O(1) expected.
    @usableFromInline
    mutating func forget(_ object: UnsafeMutableRawPointer) {
        guard let keys, let values else { return }
        let address = UInt(bitPattern: object)
        var index = slot(of: address)
        while keys[index] != address {
            if keys[index] == 0 { return }
            index = (index + 1) & mask
        }
        // Backward-shift deletion: pull later entries of the probe run into the hole when
        // their home slot lies at or before it (cyclically).
        var hole = index
        var next = (hole + 1) & mask
        while keys[next] != 0 {
            let home = slot(of: keys[next])
            let distanceFromHome = (next - home) & mask
            let distanceToHole = (next - hole) & mask
            if distanceFromHome >= distanceToHole {
                keys[hole] = keys[next]
                values[hole] = values[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        keys[hole] = 0
        count -= 1
    }

    /// Makes room for `total` serials in all without growing on the way: a snapshot of
    /// `total` objects numbers each of them, and every object already numbered is alive,
    /// so among them (the few singletons no node refers to aside).
    mutating func reserve(total: Int) {
        let needed = max(count, total) + 64
        var capacity = keys == nil ? 1024 : mask + 1
        while needed * 4 > capacity * 3 { capacity *= 2 }
        if keys == nil || capacity > mask + 1 { grow(to: capacity) }
    }

    private mutating func grow() {
        grow(to: max(1024, keys == nil ? 0 : (mask + 1) * 2))
    }

    private mutating func grow(to capacity: Int) {
        let oldKeys = keys, oldValues = values, oldCapacity = keys == nil ? 0 : mask + 1
        let newKeys = UnsafeMutablePointer<UInt>.allocate(capacity: capacity)
        newKeys.initialize(repeating: 0, count: capacity)
        let newValues = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
        newValues.initialize(repeating: 0, count: capacity)
        keys = newKeys
        values = newValues
        mask = capacity - 1
        if let oldKeys, let oldValues {
            for old in 0..<oldCapacity where oldKeys[old] != 0 {
                var index = slot(of: oldKeys[old])
                while newKeys[index] != 0 { index = (index + 1) & mask }
                newKeys[index] = oldKeys[old]
                newValues[index] = oldValues[old]
            }
            oldKeys.deallocate()
            oldValues.deallocate()
        }
    }

    /// Frees the table (heap teardown); serials already given are never given again.
    mutating func deallocate() {
        keys?.deallocate()
        values?.deallocate()
        keys = nil
        values = nil
        mask = 0
        count = 0
    }

    /// Bytes the table holds.
    var bytes: Int { keys == nil ? 0 : (mask + 1) * 16 }
}
