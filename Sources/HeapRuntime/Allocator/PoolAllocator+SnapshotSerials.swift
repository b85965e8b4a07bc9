/// Snapshot ids: a serial number per object, stable across every snapshot of the heap and
/// never given twice, even when a freed object's address is reused by a new one
/// (docs/snapshot-format.md, "Node ids"). Python's `id()` stays the address.
///
/// The allocator keeps them beside the blocks, where a free finds them without a search:
/// a pool gets an array with one id per block (8 bytes per block of the pool: 2 KiB for a
/// pool of 64-byte blocks) when a snapshot first numbers one of its objects, and a large
/// object block keeps its id in 7 spare bytes of its links. A block's slot is its offset
/// divided by the block size, computed as a multiplication by the pool's
/// `blockIndexMultiplier` and a shift: exact for offsets below 2¹⁴ and sizes up to 512
/// (the error, under 2⁻¹⁸, is smaller than the 1/512 a quotient's fraction stays away
/// from the next integer), and different for any two blocks, which are a block size apart. Ids are given lazily, the first time
/// a snapshot sees an object; freeing the object clears its slot, so the next object at
/// that address gets a new id. Before the first snapshot nothing is kept and a free pays
/// one predictable branch; after it, a free clears one slot (the pool's header, already
/// in cache, says where the array is). docs/performance.md, "Stable object ids
/// (issue 18)", has the measurements.
extension PoolAllocator {
    /// ⌈2³² / `blockSize`⌉, set in each pool's header when it takes a size class.
    static func blockIndexMultiplier(blockSize: Int) -> UInt32 {
        UInt32(((1 << 32) + blockSize - 1) / blockSize)
    }

    /// Slots in the id array of a pool of `blockSize` blocks: every block index fits.
    static func serialSlots(blockSize: Int) -> Int { poolSize / blockSize + 1 }

    /// The index of the block at `offset` in its pool.
    @inlinable @inline(__always)
    static func blockIndex(offset: Int, multiplier: UInt32) -> Int {
        Int(truncatingIfNeeded: (UInt64(offset) &* UInt64(multiplier)) >> 32)
    }

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
            let slots = Self.serialSlots(blockSize: Self.blockSize(ofClass: Int(header.sizeClass)))
            serials = .allocate(capacity: slots)
            serials.initialize(repeating: 0, count: slots)
            header.serials = serials
        }
        let slot = Self.blockIndex(offset: block - pool, multiplier: header.blockIndexMultiplier)
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
        let header = PoolHeader(pool)
        guard let serials = header.serials else { return }
        serials[Self.blockIndex(offset: block - pool, multiplier: header.blockIndexMultiplier)] = 0
    }

    /// Objects holding a snapshot id now (for tests).
    /// - Complexity: O(pools with ids × 1,024 + large object blocks).
    func numberedObjectCount() -> Int {
        var total = 0
        for i in 0..<arenaCapacity {
            guard let base = arenas[i].base else { continue }
            for pool in 0..<arenas[i].poolsCarved {
                let header = PoolHeader(base + pool * Self.poolSize)
                guard let serials = header.serials else { continue }
                for slot in 0..<Self.serialSlots(blockSize: Self.blockSize(ofClass: Int(header.sizeClass))) where serials[slot] != 0 {
                    total += 1
                }
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
            for pool in 0..<arenas[i].poolsCarved {
                let header = PoolHeader(base + pool * Self.poolSize)
                if header.serials != nil { total += Self.serialSlots(blockSize: Self.blockSize(ofClass: Int(header.sizeClass))) * 8 }
            }
        }
        return total
    }
}
