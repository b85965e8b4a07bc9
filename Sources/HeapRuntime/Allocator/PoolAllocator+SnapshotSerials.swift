/// Snapshot ids: a serial number per object, stable across every snapshot of the heap and
/// never given twice, even when a freed object's address is reused by a new one
/// (docs/snapshot-format.md, "Node ids"). Python's `id()` stays the address.
///
/// The allocator keeps them beside the blocks, where a free finds them without a search:
/// a pool gets an array of 1,024 ids (one per 16 bytes of the pool, indexed by the block's
/// offset; 8 KiB) when a snapshot first numbers one of its objects, and a large object
/// block keeps its id in 7 spare bytes of its links. Ids are given lazily, the first time
/// a snapshot sees an object; freeing the object clears its slot, so the next object at
/// that address gets a new id. Before the first snapshot nothing is kept and a free pays
/// one predictable branch; after it, a free clears one slot (the pool's header, already
/// in cache, says where the array is). docs/performance.md, "Stable object ids
/// (issue 18)", has the measurements.
extension PoolAllocator {
    /// Slots in a pool's id array: one per 16 bytes of the 16 KiB pool.
    static var serialSlotsPerPool: Int { poolSize / alignment }

    /// The snapshot id of the object in `block` (allocated with `size`), given now if it
    /// has none.
    /// - Complexity: O(1); the first id in a pool allocates its array.
    mutating func snapshotSerial(ofBlock block: UnsafeMutableRawPointer, size: Int) -> UInt64 {
        numbersObjects = true
        guard size <= Self.smallRequestThreshold && size > 0 else {
            let links = block - Self.largeObjectLinkSize
            let word = links.load(fromByteOffset: 16, as: UInt64.self)
            if word >> 8 != 0 { return word >> 8 }
            let serial = nextSerial
            nextSerial += 1
            links.storeBytes(of: (word & 0xFF) | serial << 8, toByteOffset: 16, as: UInt64.self)
            return serial
        }
        let pool = UnsafeMutableRawPointer(bitPattern: UInt(bitPattern: block) & Self.poolMask).unsafelyUnwrapped
        let header = PoolHeader(pool)
        let serials: UnsafeMutablePointer<UInt64>
        if let existing = header.serials { serials = existing } else {
            serials = .allocate(capacity: Self.serialSlotsPerPool)
            serials.initialize(repeating: 0, count: Self.serialSlotsPerPool)
            header.serials = serials
        }
        let slot = (block - pool) >> 4
        if serials[slot] == 0 {
            serials[slot] = nextSerial
            nextSerial += 1
        }
        return serials[slot]
    }

    /// Clears the snapshot id of the object in `block`, which is being freed.
    /// - Complexity: O(1): the pool's header, and one store when the pool has ids.
    @usableFromInline
    mutating func forgetSerial(ofBlock block: UnsafeMutableRawPointer, size: Int) {
        guard size <= Self.smallRequestThreshold && size > 0 else {
            let links = block - Self.largeObjectLinkSize
            links.storeBytes(of: links.load(fromByteOffset: 16, as: UInt64.self) & 0xFF, toByteOffset: 16, as: UInt64.self)
            return
        }
        let pool = UnsafeMutableRawPointer(bitPattern: UInt(bitPattern: block) & Self.poolMask).unsafelyUnwrapped
        guard let serials = PoolHeader(pool).serials else { return }
        serials[(block - pool) >> 4] = 0
    }

    /// Objects holding a snapshot id now (for tests).
    /// - Complexity: O(pools with ids × 1,024 + large object blocks).
    func numberedObjectCount() -> Int {
        var total = 0
        for i in 0..<arenaCapacity {
            guard let base = arenas[i].base else { continue }
            for pool in 0..<arenas[i].poolsCarved {
                guard let serials = PoolHeader(base + pool * Self.poolSize).serials else { continue }
                for slot in 0..<Self.serialSlotsPerPool where serials[slot] != 0 { total += 1 }
            }
        }
        var links = firstLargeObject
        while let current = links {
            if current.load(fromByteOffset: 16, as: UInt64.self) >> 8 != 0 { total += 1 }
            links = current.load(as: UnsafeMutableRawPointer?.self)
        }
        return total
    }

    /// Bytes the id arrays hold.
    func serialArrayBytes() -> Int {
        var total = 0
        for i in 0..<arenaCapacity {
            guard let base = arenas[i].base else { continue }
            for pool in 0..<arenas[i].poolsCarved where PoolHeader(base + pool * Self.poolSize).serials != nil {
                total += Self.serialSlotsPerPool * 8
            }
        }
        return total
    }
}
