/// A picture of the pooled allocator at one moment, as CPython's `sys._debugmallocstats()`
/// gives it.
///
/// ```swift
/// let heap = Heap()
/// print(heap.allocatorStats().description)
/// // Small block threshold = 512, in 32 size classes.
/// // class   size   num pools   blocks in use  avail blocks
/// //     1     32           1              12           328
/// // …
/// ```
public struct AllocatorStats: Sendable, Equatable {
    /// One size class's line.
    public struct SizeClass: Sendable, Equatable {
        /// Index of the class, 0…31.
        public var index: Int
        /// Bytes per block: 16 × (index + 1).
        public var blockSize: Int
        /// Pools currently serving this class (not counting empty pools).
        public var pools: Int
        /// Blocks handed out and not yet freed.
        public var blocksInUse: Int
        /// Blocks in those pools that are free or never used.
        public var blocksAvailable: Int
    }

    /// Every class that has at least one pool, smallest first.
    public var sizeClasses: [SizeClass]
    /// Arenas obtained from the OS since the heap was made.
    public var arenasAllocatedTotal: Int
    /// Arenas returned to the OS.
    public var arenasReclaimed: Int
    /// The largest number of arenas held at once.
    public var arenasHighWater: Int
    /// Arenas held now.
    public var arenasCurrent: Int
    /// Pools that are carved but hold no block (they await reuse by any class).
    public var emptyPools: Int
    /// Blocks above the small-request threshold, served by `malloc`.
    public var largeBlocks: Int
    /// Bytes requested in those blocks.
    public var largeBytes: Int

    /// Bytes of arena memory held from the OS.
    public var arenaBytes: Int { arenasCurrent * PoolAllocator.arenaSize }
    /// Bytes in blocks handed out from pools.
    public var bytesInAllocatedBlocks: Int { sizeClasses.reduce(0) { $0 + $1.blocksInUse * $1.blockSize } }
    /// Bytes in free blocks of used pools.
    public var bytesInAvailableBlocks: Int { sizeClasses.reduce(0) { $0 + $1.blocksAvailable * $1.blockSize } }
    /// Blocks in use over all size classes.
    public var blocksInUse: Int { sizeClasses.reduce(0) { $0 + $1.blocksInUse } }
}

extension AllocatorStats: CustomStringConvertible {
    /// The text of CPython's `sys._debugmallocstats()`, trimmed to what this allocator has.
    public var description: String {
        var lines = [
            "Small block threshold = \(PoolAllocator.smallRequestThreshold), in \(PoolAllocator.sizeClassCount) size classes.",
            "",
            "class   size   num pools   blocks in use  avail blocks",
            "-----   ----   ---------   -------------  ------------",
        ]
        for c in sizeClasses {
            lines.append(
                pad(c.index, 5) + pad(c.blockSize, 7) + pad(c.pools, 12) + pad(c.blocksInUse, 16) + pad(c.blocksAvailable, 14))
        }
        let usedPools = sizeClasses.reduce(0) { $0 + $1.pools }
        let poolHeaderBytes = (usedPools + emptyPools) * PoolAllocator.poolHeaderSize
        lines += [
            "",
            row("# arenas allocated total", arenasAllocatedTotal),
            row("# arenas reclaimed", arenasReclaimed),
            row("# arenas highwater mark", arenasHighWater),
            row("# arenas allocated current", arenasCurrent),
            row("\(arenasCurrent) arenas * \(PoolAllocator.arenaSize) bytes/arena", arenaBytes),
            "",
            row("# bytes in allocated blocks", bytesInAllocatedBlocks),
            row("# bytes in available blocks", bytesInAvailableBlocks),
            row("\(emptyPools) unused pools * \(PoolAllocator.poolSize) bytes", emptyPools * PoolAllocator.poolSize),
            row("# bytes lost to pool headers", poolHeaderBytes),
            row("# large blocks (malloc)", largeBlocks),
            row("# bytes in large blocks", largeBytes),
        ]
        return lines.joined(separator: "\n")
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: " ", count: Swift.max(0, width - text.count)) + text
    }

    /// CPython's `printone`: the label padded to column 35, then the number right-aligned
    /// in 15 columns.
    private func row(_ label: String, _ value: Int) -> String {
        let number = grouped(value)
        return label + String(repeating: " ", count: Swift.max(0, 35 - label.count)) + "= "
            + String(repeating: " ", count: Swift.max(0, 15 - number.count)) + number
    }

    private func grouped(_ value: Int) -> String {
        let digits = Array(String(value.magnitude))
        var out: [Character] = []
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return (value < 0 ? "-" : "") + String(out)
    }
}

extension PoolAllocator {
    /// Walks every carved pool of every arena: O(pools), not O(blocks).
    func stats() -> AllocatorStats {
        var pools = [Int](repeating: 0, count: Self.sizeClassCount)
        var used = [Int](repeating: 0, count: Self.sizeClassCount)
        var available = [Int](repeating: 0, count: Self.sizeClassCount)
        var empty = 0
        for i in 0..<arenaCapacity {
            guard let base = arenas[i].base else { continue }
            for p in 0..<arenas[i].poolsCarved {
                let header = PoolHeader(base + p * Self.poolSize)
                if header.usedBlocks == 0 { empty += 1; continue }
                let c = Int(header.sizeClass)
                pools[c] += 1
                used[c] += Int(header.usedBlocks)
                available[c] += Self.blocksPerPool(sizeClass: c, pool: base + p * Self.poolSize) - Int(header.usedBlocks)
            }
        }
        var classes: [AllocatorStats.SizeClass] = []
        for c in 0..<Self.sizeClassCount where pools[c] > 0 {
            classes.append(.init(index: c, blockSize: Self.blockSize(ofClass: c), pools: pools[c],
                                 blocksInUse: used[c], blocksAvailable: available[c]))
        }
        return AllocatorStats(
            sizeClasses: classes, arenasAllocatedTotal: arenasAllocatedTotal, arenasReclaimed: arenasReclaimed,
            arenasHighWater: arenasHighWater, arenasCurrent: arenasCurrent, emptyPools: empty,
            largeBlocks: largeBlocks, largeBytes: largeBytes)
    }

    /// Blocks a pool of the class holds: those after its header slot and those before.
    static func blocksPerPool(sizeClass: Int, pool: UnsafeMutableRawPointer) -> Int {
        let size = blockSize(ofClass: sizeClass)
        let headerOffset = headerOffset(ofPool: pool)
        return (poolSize - headerOffset - poolHeaderSize) / size + headerOffset / size
    }

    /// Checks the allocator's invariants; returns a description of the first violation.
    /// Used by tests after stress runs.
    func invariantViolation() -> String? {
        // The usable list is sorted by free pools and the fingers point at each run's end.
        var index = usableArenas
        var previous: Int32 = -1
        var lastCount: Int32 = 0
        var seen = Set<Int32>()
        while index >= 0 {
            if !seen.insert(index).inserted { return "usable arena list has a loop at \(index)" }
            let arena = arenas[Int(index)]
            if arena.base == nil { return "usable arena \(index) has no memory" }
            if arena.previousArena != previous { return "arena \(index) has a wrong back link" }
            if arena.freePoolCount < lastCount { return "usable arenas not sorted at \(index)" }
            if arena.freePoolCount == 0 { return "full arena \(index) on the usable list" }
            let next = arena.nextArena
            let isLastOfRun = next < 0 || arenas[Int(next)].freePoolCount != arena.freePoolCount
            if isLastOfRun && lastArenaWithFreePools[Int(arena.freePoolCount)] != index {
                return "finger for \(arena.freePoolCount) free pools is \(lastArenaWithFreePools[Int(arena.freePoolCount)]), expected \(index)"
            }
            lastCount = arena.freePoolCount
            previous = index
            index = next
        }
        for i in 0..<arenaCapacity {
            let arena = arenas[i]
            guard let base = arena.base else { continue }
            var free = Self.poolsPerArena - arena.poolsCarved
            for p in 0..<arena.poolsCarved {
                let pool = base + p * Self.poolSize
                let header = PoolHeader(pool)
                if header.usedBlocks == 0 && usedPools[Int(header.usedList)] != pool { free += 1 }
            }
            if free != Int(arena.freePoolCount) { return "arena \(i) counts \(arena.freePoolCount) free pools, has \(free)" }
            if free > 0 && !seen.contains(Int32(i)) { return "arena \(i) has free pools but is not usable" }
        }
        // Every pool on a used list has a free block and belongs to that list's class and
        // contents; an empty one is its list's only pool.
        for c in 0..<Self.usedListCount {
            var pool = usedPools[c]
            while let p = pool {
                let header = PoolHeader(p)
                if header.freeBlock == nil { return "full pool on used list \(c)" }
                if Int(header.usedList) != c || Int(header.sizeClass) != c % Self.sizeClassCount {
                    return "pool of class \(header.sizeClass), list \(header.usedList) on list \(c)"
                }
                if header.usedBlocks == 0 && (header.previousPool != nil || header.nextPool != nil) {
                    return "empty pool kept beside others on list \(c)"
                }
                pool = header.nextPool
            }
        }
        return nil
    }
}
