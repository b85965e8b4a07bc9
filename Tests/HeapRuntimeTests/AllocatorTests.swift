import Testing
@testable import HeapRuntime

/// A deterministic generator so a failing stress run can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Pooled allocator")
struct AllocatorTests {
    @Test("every size class: 16-byte aligned blocks in pools of the right class")
    func everySizeClass() {
        var allocator = PoolAllocator()
        defer { allocator.releaseAll() }
        for size in 1...512 {
            let block = allocator.allocate(size)
            #expect(UInt(bitPattern: block) % 16 == 0)
            let pool = PoolHeader(UnsafeMutableRawPointer(bitPattern: UInt(bitPattern: block) & PoolAllocator.poolMask)!)
            #expect(Int(pool.sizeClass) == (size - 1) / 16)
            block.initializeMemory(as: UInt8.self, repeating: 0xAB, count: size)
            allocator.deallocate(block, size: size)
        }
        let stats = allocator.stats()
        #expect(stats.blocksInUse == 0)
        #expect(allocator.invariantViolation() == nil)
        // Requests above the threshold go to malloc and are counted separately.
        let large = allocator.allocate(513)
        #expect(allocator.stats().largeBlocks == 1)
        #expect(allocator.stats().largeBytes == 513)
        allocator.deallocate(large, size: 513)
        #expect(allocator.stats().largeBlocks == 0)
    }

    @Test("a pool of the 64-byte class holds 255 blocks, as CPython's")
    func blocksPerPool() {
        for index in 0..<64 {
            let pool = UnsafeMutableRawPointer(bitPattern: 0x4000_0000 + index * PoolAllocator.poolSize)!
            #expect(PoolAllocator.blocksPerPool(sizeClass: 3, pool: pool) == 255)
        }
        var allocator = PoolAllocator()
        defer { allocator.releaseAll() }
        var blocks: [UnsafeMutableRawPointer] = []
        for _ in 0..<256 { blocks.append(allocator.allocate(64)) }
        let stats = allocator.stats()
        #expect(stats.sizeClasses.count == 1)
        #expect(stats.sizeClasses[0].pools == 2)
        #expect(stats.sizeClasses[0].blocksInUse == 256)
        #expect(stats.sizeClasses[0].blocksAvailable == 254)
        for block in blocks { allocator.deallocate(block, size: 64) }
    }

    @Test("a million random allocations and frees: contents intact, no overlap, stats exact")
    func randomStress() {
        var allocator = PoolAllocator()
        defer { allocator.releaseAll() }
        var rng = SplitMix64(state: 42)
        struct Live { var block: UnsafeMutableRawPointer; var size: Int; var tag: UInt8 }
        var live: [Live] = []
        var tag: UInt8 = 0
        for step in 0..<1_000_000 {
            if live.isEmpty || (live.count < 50_000 && rng.next() % 100 < 55) {
                let size = Int(rng.next() % 600) + 1  // some above 512: malloc path
                let block = allocator.allocate(size)
                tag &+= 1
                block.initializeMemory(as: UInt8.self, repeating: tag, count: size)
                live.append(Live(block: block, size: size, tag: tag))
            } else {
                let index = Int(rng.next() % UInt64(live.count))
                live.swapAt(index, live.count - 1)
                let victim = live.removeLast()
                let bytes = UnsafeBufferPointer(start: victim.block.assumingMemoryBound(to: UInt8.self), count: victim.size)
                if !bytes.allSatisfy({ $0 == victim.tag }) {
                    Issue.record("block of \(victim.size) bytes overwritten at step \(step)")
                    return
                }
                allocator.deallocate(victim.block, size: victim.size)
            }
        }
        // No two live blocks overlap.
        let sorted = live.sorted { UInt(bitPattern: $0.block) < UInt(bitPattern: $1.block) }
        for (a, b) in zip(sorted, sorted.dropFirst()) {
            #expect(UInt(bitPattern: a.block) + UInt(a.size) <= UInt(bitPattern: b.block))
        }
        let stats = allocator.stats()
        #expect(stats.blocksInUse + stats.largeBlocks == live.count)
        #expect(stats.largeBytes == live.filter { $0.size > 512 }.reduce(0) { $0 + $1.size })
        #expect(allocator.invariantViolation() == nil)
        for entry in live { allocator.deallocate(entry.block, size: entry.size) }
        #expect(allocator.stats().blocksInUse == 0)
        #expect(allocator.invariantViolation() == nil)
    }

    @Test("arenas go back to the OS when everything is freed, keeping one")
    func arenasReturned() {
        var allocator = PoolAllocator()
        defer { allocator.releaseAll() }
        var blocks: [UnsafeMutableRawPointer] = []
        for _ in 0..<200_000 { blocks.append(allocator.allocate(48)) }  // ~9.6 MB: about 10 arenas
        let full = allocator.stats()
        #expect(full.arenasCurrent >= 9)
        #expect(full.arenasHighWater == full.arenasCurrent)
        // Free in an interleaved order so arenas drain at different rates.
        for i in stride(from: 0, to: blocks.count, by: 2) { allocator.deallocate(blocks[i], size: 48) }
        #expect(allocator.invariantViolation() == nil)
        for i in stride(from: 1, to: blocks.count, by: 2) { allocator.deallocate(blocks[i], size: 48) }
        // The class keeps its last pool while empty, pinning its arena, until trimmed.
        #expect(allocator.stats().emptyPools >= 1)
        #expect(allocator.invariantViolation() == nil)
        allocator.trim()
        let empty = allocator.stats()
        #expect(empty.blocksInUse == 0)
        #expect(empty.arenasCurrent == 1)
        #expect(empty.arenasReclaimed == full.arenasAllocatedTotal - 1)
        #expect(allocator.invariantViolation() == nil)
        // Reuse comes from the kept arena first.
        let again = allocator.allocate(48)
        #expect(allocator.stats().arenasAllocatedTotal == full.arenasAllocatedTotal)
        allocator.deallocate(again, size: 48)
    }

    @Test("heap allocator stats agree with the objects alive")
    func heapStatsMatchLiveObjects() throws {
        let heap = Heap()
        let before = heap.allocatorStats().blocksInUse
        let list = heap.list()
        for i in 1000..<11_000 { try heap.append(heap.int(i), to: list.ref) }  // 10,000 ints of 32 bytes
        let stats = heap.allocatorStats()
        let intClass = try #require(stats.sizeClasses.first { $0.blockSize == 32 })
        #expect(intClass.blocksInUse >= 10_000)
        #expect(stats.blocksInUse >= before + 10_001)
        list.release()
        #expect(heap.allocatorStats().blocksInUse == before)
    }

    @Test("the text report has CPython's shape")
    func reportShape() {
        let heap = Heap()
        let text = heap.allocatorStats().description
        #expect(text.hasPrefix("Small block threshold = 512, in 32 size classes."))
        #expect(text.contains("class   size   num pools   blocks in use  avail blocks"))
        #expect(text.contains("# arenas allocated total"))
        #expect(text.contains("# arenas highwater mark"))
        #expect(text.contains("1 arenas * 1048576 bytes/arena"))
    }
}
