extension PoolAllocator {
    /// Calls `body` with every block in use that holds an object (atoms and containers, see
    /// ``BlockContents``), in an order fixed by the allocations made and not by addresses:
    /// arenas by index, pools by place in their arena, blocks by offset, then large object
    /// blocks oldest first. The same program therefore enumerates in the same order.
    ///
    /// A pool's blocks in use are its carved blocks minus those on its free list (never-used
    /// blocks carved ahead are on it too), so no block's bytes are guessed at.
    ///
    /// - Complexity: O(pools + blocks of object pools + large object blocks); pools of
    ///   buffers and empty pools are skipped by their header alone.
    func forEachObjectBlock(_ body: (UnsafeMutableRawPointer, BlockContents) -> Void) {
        // One bit per 16 bytes of a pool: the blocks on its free list.
        var freeBits = [UInt64](repeating: 0, count: Self.poolSize / 16 / 64)
        for a in 0..<arenaCapacity {
            guard let base = arenas[a].base else { continue }
            for p in 0..<arenas[a].poolsCarved {
                let pool = base + p * Self.poolSize
                let header = PoolHeader(pool)
                // A pool given back to its arena has no blocks in use either.
                guard header.usedBlocks > 0 else { continue }
                let contents = header.contents
                guard contents != .buffer else { continue }
                for w in freeBits.indices { freeBits[w] = 0 }
                var free = header.freeBlock
                while let block = free {
                    let slot = (block - pool) >> 4
                    freeBits[slot >> 6] |= 1 << UInt64(slot & 63)
                    free = block.load(as: UnsafeMutableRawPointer?.self)
                }
                // Carved blocks: from the start up to the header slot, then after it (see
                // `carve`), each phase up to `nextOffset` while it is the current one.
                let size = Self.blockSize(ofClass: Int(header.sizeClass))
                let headerAt = Self.headerOffset(ofPool: pool)
                let inFirstPhase = header.carvingPhase == 0
                let phases = [
                    (0, inFirstPhase ? Int(header.nextOffset) : headerAt / size * size),
                    (headerAt + Self.poolHeaderSize, inFirstPhase ? 0 : Int(header.nextOffset)),
                ]
                for (start, end) in phases {
                    var offset = start
                    while offset < end {
                        let slot = offset >> 4
                        if freeBits[slot >> 6] & (1 << UInt64(slot & 63)) == 0 { body(pool + offset, contents) }
                        offset += size
                    }
                }
            }
        }
        var large = firstLargeObject
        while let links = large {
            large = links.load(as: UnsafeMutableRawPointer?.self)
            let block = links + Self.largeObjectLinkSize
            body(block, links.load(fromByteOffset: 16, as: BlockContents.self))
        }
    }
}
