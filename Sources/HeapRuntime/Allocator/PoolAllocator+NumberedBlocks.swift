/// Marks on the blocks of objects that have a snapshot id (`StableIDTable`), so that a
/// free looks the id table up only for those: a bit per 16 bytes in a map each pool gets
/// when its first block is numbered (128 bytes), and a byte in a large block's links.
extension PoolAllocator {
    /// Byte offset, in a large object block's links, of its "numbered" mark.
    static var largeNumberedMarkOffset: Int { 17 }
    /// 64-bit words in a pool's map: one bit per 16 bytes of the 16 KiB pool.
    static var numberedMapWords: Int { poolSize / alignment / 64 }

    /// Marks `block` (allocated with `size`) as holding a numbered object.
    mutating func markNumbered(_ block: UnsafeMutableRawPointer, size: Int) {
        guard size <= Self.smallRequestThreshold && size > 0 else {
            (block - Self.largeObjectLinkSize).storeBytes(of: 1, toByteOffset: Self.largeNumberedMarkOffset, as: UInt8.self)
            return
        }
        let pool = UnsafeMutableRawPointer(bitPattern: UInt(bitPattern: block) & Self.poolMask).unsafelyUnwrapped
        let header = PoolHeader(pool)
        let map: UnsafeMutablePointer<UInt64>
        if let existing = header.numbered { map = existing } else {
            map = .allocate(capacity: Self.numberedMapWords)
            map.initialize(repeating: 0, count: Self.numberedMapWords)
            header.numbered = map
        }
        let granule = (block - pool) >> 4
        map[granule >> 6] |= 1 << UInt64(granule & 63)
    }

    /// Whether `block` (allocated with `size`) was marked numbered; clears the mark.
    /// - Complexity: O(1): the pool's header, and one word of its map when it has one.
    @usableFromInline
    mutating func takeNumberedMark(_ block: UnsafeMutableRawPointer, size: Int) -> Bool {
        guard size <= Self.smallRequestThreshold && size > 0 else {
            let links = block - Self.largeObjectLinkSize
            guard links.load(fromByteOffset: Self.largeNumberedMarkOffset, as: UInt8.self) != 0 else { return false }
            links.storeBytes(of: 0, toByteOffset: Self.largeNumberedMarkOffset, as: UInt8.self)
            return true
        }
        let pool = UnsafeMutableRawPointer(bitPattern: UInt(bitPattern: block) & Self.poolMask).unsafelyUnwrapped
        guard let map = PoolHeader(pool).numbered else { return false }
        let granule = (block - pool) >> 4
        let bit: UInt64 = 1 << UInt64(granule & 63)
        guard map[granule >> 6] & bit != 0 else { return false }
        map[granule >> 6] &= ~bit
        return true
    }
}
