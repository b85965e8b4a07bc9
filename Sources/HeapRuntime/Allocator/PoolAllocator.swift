#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Arenas mapped by every heap in the process, and bytes of large blocks they hold: lets a
/// test see that tearing a heap down gives everything back.
let processMappedArenas = Atomic<Int>(0)
let processLargeBytes = Atomic<Int>(0)

/// A pymalloc-style small-block allocator: size classes, pools and arenas.
///
/// The design follows CPython's `Objects/obmalloc.c`, as the source documents describe it:
///
/// - Requests of 1…512 bytes are rounded up to a multiple of 16 and served from one of
///   32 **size classes**. Larger requests go to `malloc`.
/// - A **pool** is 16 KiB, aligned to 16 KiB, and holds blocks of one size class. Its header
///   sits at its start, so the pool of any block is the block's address with the low 14
///   bits cleared. Freed blocks form a singly linked list threaded through the blocks
///   themselves; never-used blocks are carved lazily, so memory is not touched until used.
/// - An **arena** is 1 MiB (64 pools) obtained from the OS with `mmap`. Arenas with free
///   pools are kept in a list sorted by their number of free pools, most used first, so
///   new pools come from nearly full arenas and nearly empty ones drain. An arena whose
///   pools are all free goes back to the OS, except that one wholly free arena is kept to
///   avoid thrashing.
///
/// The allocator is *sized*: callers pass the size again when they free, as every object in
/// the heap knows its own size. That replaces obmalloc's "is this address ours?" radix tree.
///
/// Callers also say what a block holds (``BlockContents``): atoms, containers and buffers get
/// pools of their own (one used list per size class and contents), and large object blocks
/// are linked in a list, so ``forEachObjectBlock(_:)`` can enumerate every object in use
/// without mistaking a list's item buffer or a hash table for one.
///
/// It is a value living inside the heap's core and reached through a pointer; it is not
/// thread-safe, like the heap that owns it.
///
/// - Complexity: allocation and free are O(1), including the arena list upkeep
///   (CPython's `nfp2lasta` "search fingers").
@usableFromInline
struct PoolAllocator {
    // Constants as computed properties: a `static let` computed from another is initialised
    // lazily, and its accessor (with a once-check) would sit on every free.
    /// Blocks are this many bytes apart between size classes, and aligned to it.
    @inlinable static var alignment: Int { 16 }
    /// The largest request served from pools; above it, `malloc`.
    @inlinable static var smallRequestThreshold: Int { 512 }
    @inlinable static var sizeClassCount: Int { 32 }
    /// Used lists: one per size class and ``BlockContents``, `contents * 32 + class`.
    @inlinable static var usedListCount: Int { 3 * 32 }
    /// Bytes in front of a large object block: links to the next and previous one, its
    /// contents (a byte) and its object's snapshot id (7 bytes, `snapshotSerial`), and its
    /// size (32 bytes, so the block stays 16-byte aligned).
    @inlinable static var largeObjectLinkSize: Int { 32 }
    @inlinable static var poolSize: Int { 16 * 1024 }
    @inlinable static var poolMask: UInt { ~UInt(16 * 1024 - 1) }
    static var arenaSize: Int { 1 << 20 }
    static var poolsPerArena: Int { 64 }
    /// Bytes each pool gives to its header: a 64-byte slot (a cache line).
    @inlinable static var poolHeaderSize: Int { 64 }

    /// Where a pool's header sits inside it: slot `k` of 64 bytes, `k` being the pool's
    /// index in its arena. CPython puts every header at the pool's start, so all headers
    /// (16 KiB apart) fall into one L1 cache set; with more than 8 size classes in play
    /// they evict each other on every allocation (measured: 4 ns per alloc+free pair with
    /// 8 classes in play, 13-16 ns with 16 or 32). Staggering them by their index spreads
    /// them over 64 sets.
    @inlinable @inline(__always)
    static func headerOffset(ofPool pool: UnsafeMutableRawPointer) -> Int {
        Int(bitPattern: ((UInt(bitPattern: pool) >> 14) & 63) << 6)
    }

    /// `usedPools[l]`: the first pool of used list `l` (size class and contents, see
    /// `usedList(sizeClass:contents:)`) that has a free block, or nil. Each such pool links
    /// to the next through its header.
    @usableFromInline var usedPools: UnsafeMutablePointer<UnsafeMutableRawPointer?>

    /// Arena descriptors, indexed by the `arenaIndex` stored in each pool header.
    var arenas: UnsafeMutablePointer<ArenaDescriptor>
    var arenaCapacity: Int
    /// Head of the descriptors not currently backing an arena (linked by `nextArena`).
    var unusedArenas: Int32 = -1
    /// Head of arenas that have at least one free pool, sorted by `freePoolCount` ascending.
    var usableArenas: Int32 = -1
    /// `lastArenaWithFreePools[n]`: the rightmost arena in `usableArenas` with exactly `n`
    /// free pools, or -1. Lets an arena move to its new place in O(1).
    var lastArenaWithFreePools: UnsafeMutablePointer<Int32>

    // Counters, as `sys._debugmallocstats()` reports them.
    var arenasAllocatedTotal = 0
    var arenasReclaimed = 0
    var arenasCurrent = 0
    var arenasHighWater = 0
    /// Blocks handed out by `malloc` for requests above the threshold, and their bytes.
    @usableFromInline var largeBlocks = 0
    @usableFromInline var largeBytes = 0
    /// Large blocks holding objects, oldest first, linked through the 32 bytes in front of
    /// each (next at 0, previous at 8, `BlockContents` at 16); the block handed out follows.
    var firstLargeObject: UnsafeMutableRawPointer? = nil
    var lastLargeObject: UnsafeMutableRawPointer? = nil
    /// Set by the first snapshot id given: from then on every free clears its block's id.
    @usableFromInline var numbersObjects = false
    /// The next snapshot id; ids start at 1 and are never given twice.
    var nextSerial: UInt64 = 1

    init() {
        usedPools = .allocate(capacity: Self.usedListCount)
        usedPools.initialize(repeating: nil, count: Self.usedListCount)
        arenaCapacity = 16
        arenas = .allocate(capacity: arenaCapacity)
        for i in 0..<arenaCapacity {
            (arenas + i).initialize(to: ArenaDescriptor(nextArena: i + 1 < arenaCapacity ? Int32(i + 1) : -1))
        }
        unusedArenas = 0
        lastArenaWithFreePools = .allocate(capacity: Self.poolsPerArena + 1)
        lastArenaWithFreePools.initialize(repeating: -1, count: Self.poolsPerArena + 1)
    }

    /// Returns every arena to the OS. Blocks still in use become invalid.
    mutating func releaseAll() {
        // Large object blocks live outside the arenas: those of objects the host still
        // holds when the heap goes are freed here, with the sizes their links record.
        while let links = firstLargeObject {
            firstLargeObject = links.load(as: UnsafeMutableRawPointer?.self)
            let size = links.load(fromByteOffset: 24, as: Int.self)
            largeBytes += Self.largeObjectLinkSize
            processLargeBytes.add(Self.largeObjectLinkSize, ordering: .relaxed)
            deallocateLarge(links, size: size + Self.largeObjectLinkSize)
        }
        lastLargeObject = nil
        for i in 0..<arenaCapacity {
            guard let base = arenas[i].base else { continue }
            for pool in 0..<arenas[i].poolsCarved {
                let header = PoolHeader(base + pool * Self.poolSize)
                header.serials?.deallocate()
                header.serials = nil
            }
        }
        for i in 0..<arenaCapacity where arenas[i].base != nil {
            if let base = arenas[i].base { Self.unmapArena(base) }
            arenas[i].base = nil
        }
        arenas.deinitialize(count: arenaCapacity)
        arenas.deallocate()
        usedPools.deallocate()
        lastArenaWithFreePools.deallocate()
        arenaCapacity = 0
    }

    // MARK: - Size classes

    /// The size class serving a request of `size` bytes (1…512).
    @inlinable @inline(__always)
    static func sizeClass(of size: Int) -> Int { (size &- 1) &>> 4 }

    /// The block size of class `sizeClass`.
    @inlinable @inline(__always)
    static func blockSize(ofClass sizeClass: Int) -> Int { (sizeClass &+ 1) &<< 4 }

    /// The used list of pools of `sizeClass` whose blocks hold `contents`.
    @inlinable @inline(__always)
    static func usedList(sizeClass: Int, contents: BlockContents) -> Int {
        Int(contents.rawValue) &* sizeClassCount &+ sizeClass
    }

    // MARK: - Allocation

    /// Allocates `size` bytes, 16-byte aligned, for a block holding `contents`. Never
    /// returns nil: running out of memory is fatal, as it is for Swift's own allocations.
    @inlinable @inline(__always)
    mutating func allocate(_ size: Int, contents: BlockContents = .buffer) -> UnsafeMutableRawPointer {
        if _fastPath(size <= Self.smallRequestThreshold && size > 0) {
            let sizeClass = Self.sizeClass(of: size)
            // `contents` is a constant where this is inlined: the list's index costs nothing.
            let list = Self.usedList(sizeClass: sizeClass, contents: contents)
            if let pool = usedPools[list] {
                let header = PoolHeader(pool)
                // A pool on the used list always has a free block.
                let block = header.freeBlock.unsafelyUnwrapped
                header.usedBlocks &+= 1
                let next = block.load(as: UnsafeMutableRawPointer?.self)
                header.freeBlock = next
                if next == nil {
                    // Carve the next never-used block here: on a growing heap this is the
                    // common case, so it stays inline.
                    let offset = header.nextOffset
                    if _fastPath(offset <= header.maxNextOffset) {
                        let fresh = pool + Int(offset)
                        header.nextOffset = offset &+ Int32(truncatingIfNeeded: Self.blockSize(ofClass: sizeClass))
                        fresh.storeBytes(of: nil, as: UnsafeMutableRawPointer?.self)
                        header.freeBlock = fresh
                    } else {
                        extendOrRetire(pool, sizeClass: sizeClass)
                    }
                }
                return block
            }
            return allocateFromNewPool(sizeClass: sizeClass, list: list)
        }
        if contents != .buffer { return allocateLargeObject(size, contents: contents) }
        return allocateLarge(size)
    }

    /// Frees a block obtained from `allocate(size, contents:)` with the same `size` and
    /// `contents`.
    @inlinable @inline(__always)
    mutating func deallocate(_ block: UnsafeMutableRawPointer, size: Int, contents: BlockContents = .buffer) {
        if _fastPath(size <= Self.smallRequestThreshold && size > 0) {
            let pool = UnsafeMutableRawPointer(bitPattern: UInt(bitPattern: block) & Self.poolMask).unsafelyUnwrapped
            let header = PoolHeader(pool)
            let previousFree = header.freeBlock
            block.storeBytes(of: previousFree, as: UnsafeMutableRawPointer?.self)
            header.freeBlock = block
            let used = header.usedBlocks &- 1
            header.usedBlocks = used
            if _slowPath(previousFree == nil) {
                poolChangedState(pool, wasFull: true)
            } else if _slowPath(used == 0) && (header.previousPool != nil || header.nextPool != nil) {
                // Empty and not its class's only pool (which is kept; see poolChangedState).
                poolChangedState(pool, wasFull: false)
            }
            return
        }
        if contents != .buffer { return deallocateLargeObject(block, size: size) }
        deallocateLarge(block, size: size)
    }

    @usableFromInline
    mutating func allocateLarge(_ size: Int) -> UnsafeMutableRawPointer {
        // glibc's malloc aligns to 16 bytes on 64-bit, which `reallocate` relies on.
        guard let block = malloc(Swift.max(size, 1)) else {
            fatalError("HeapRuntime: out of memory allocating \(size) bytes")
        }
        largeBlocks += 1
        largeBytes += size
        processLargeBytes.add(size, ordering: .relaxed)
        return block
    }

    @usableFromInline
    mutating func deallocateLarge(_ block: UnsafeMutableRawPointer, size: Int) {
        largeBlocks -= 1
        largeBytes -= size
        processLargeBytes.subtract(size, ordering: .relaxed)
        free(block)
    }

    /// A large block for an object, linked last in the list of large object blocks.
    @usableFromInline
    mutating func allocateLargeObject(_ size: Int, contents: BlockContents) -> UnsafeMutableRawPointer {
        let links = allocateLarge(size + Self.largeObjectLinkSize)
        // Counted at the size asked for, as for other blocks.
        largeBytes -= Self.largeObjectLinkSize
        processLargeBytes.subtract(Self.largeObjectLinkSize, ordering: .relaxed)
        links.storeBytes(of: nil, as: UnsafeMutableRawPointer?.self)
        links.storeBytes(of: lastLargeObject, toByteOffset: 8, as: UnsafeMutableRawPointer?.self)
        // The contents in byte 16, and no snapshot id yet in bytes 17…23.
        links.storeBytes(of: UInt64(contents.rawValue), toByteOffset: 16, as: UInt64.self)
        links.storeBytes(of: size, toByteOffset: 24, as: Int.self)   // for releaseAll
        if let last = lastLargeObject { last.storeBytes(of: links, as: UnsafeMutableRawPointer?.self) } else { firstLargeObject = links }
        lastLargeObject = links
        return links + Self.largeObjectLinkSize
    }

    @usableFromInline
    mutating func deallocateLargeObject(_ block: UnsafeMutableRawPointer, size: Int) {
        let links = block - Self.largeObjectLinkSize
        let next = links.load(as: UnsafeMutableRawPointer?.self)
        let previous = links.load(fromByteOffset: 8, as: UnsafeMutableRawPointer?.self)
        if let previous { previous.storeBytes(of: next, as: UnsafeMutableRawPointer?.self) } else { firstLargeObject = next }
        if let next { next.storeBytes(of: previous, toByteOffset: 8, as: UnsafeMutableRawPointer?.self) } else { lastLargeObject = previous }
        largeBytes += Self.largeObjectLinkSize
        processLargeBytes.add(Self.largeObjectLinkSize, ordering: .relaxed)
        deallocateLarge(links, size: size + Self.largeObjectLinkSize)
    }

    /// Resizes a block (a buffer, never an object): large blocks go through `realloc`, which moves big ones by
    /// remapping pages instead of copying (growing a ten-million-item list would otherwise
    /// copy it a dozen times).
    mutating func reallocate(_ block: UnsafeMutableRawPointer?, oldSize: Int, newSize: Int) -> UnsafeMutableRawPointer {
        guard let block else { return allocate(newSize) }
        if oldSize > Self.smallRequestThreshold && newSize > Self.smallRequestThreshold {
            guard let moved = realloc(block, newSize) else { fatalError("HeapRuntime: out of memory reallocating \(newSize) bytes") }
            largeBytes += newSize - oldSize
            processLargeBytes.add(newSize - oldSize, ordering: .relaxed)
            return moved
        }
        let fresh = allocate(newSize)
        fresh.copyMemory(from: block, byteCount: Swift.min(oldSize, newSize))
        deallocate(block, size: oldSize)
        return fresh
    }

    /// The pool's free list ran dry: carve the next never-used block, or take the pool off
    /// the used list because it is full.
    @usableFromInline
    mutating func extendOrRetire(_ pool: UnsafeMutableRawPointer, sizeClass: Int) {
        let header = PoolHeader(pool)
        let blockSize = Self.blockSize(ofClass: sizeClass)
        if let block = Self.carve(pool, header, blockSize: blockSize) {
            block.storeBytes(of: nil, as: UnsafeMutableRawPointer?.self)
            header.freeBlock = block
            return
        }
        // Full: unlink from the front of the used list (it is the head there).
        let next = header.nextPool
        usedPools[Int(header.usedList)] = next
        if let next { PoolHeader(next).previousPool = nil }
        header.nextPool = nil
        header.previousPool = nil
    }

    /// The pool's next never-used block, or nil when all are carved.
    ///
    /// Blocks are carved in address order: from the pool's start up to its header slot
    /// (phase 0), then from after the header to the pool's end (phase 1). Objects made one
    /// after another then lie in ascending addresses, pool after pool, and so do the
    /// collector's lists of them; the processor's prefetcher follows a walk that runs
    /// forwards. Carving after the header first and wrapping round to the pool's start
    /// broke that run twice per pool and doubled the cost of walking a generation
    /// (measured: 6.2 ns per object, 2.9 ns carved in address order).
    @inline(__always)
    static func carve(_ pool: UnsafeMutableRawPointer, _ header: PoolHeader, blockSize: Int) -> UnsafeMutableRawPointer? {
        if header.nextOffset > header.maxNextOffset && header.carvingPhase == 0 {
            header.carvingPhase = 1
            header.nextOffset = Int32(headerOffset(ofPool: pool) + poolHeaderSize)
            header.maxNextOffset = Int32(poolSize - blockSize)
        }
        guard header.nextOffset <= header.maxNextOffset else { return nil }
        let block = pool + Int(header.nextOffset)
        header.nextOffset &+= Int32(blockSize)
        return block
    }

    @usableFromInline
    mutating func allocateFromNewPool(sizeClass: Int, list: Int) -> UnsafeMutableRawPointer {
        if usableArenas < 0 {
            let index = newArena()
            usableArenas = index
            lastArenaWithFreePools[Int(arenas[Int(index)].freePoolCount)] = index
        }
        let arenaIndex = usableArenas
        let arena = arenas + Int(arenaIndex)
        let pool: UnsafeMutableRawPointer
        if let freed = arena.pointee.freePools {
            pool = freed
            arena.pointee.freePools = PoolHeader(freed).nextPool
        } else {
            // Carve a never-used pool.
            pool = arena.pointee.base.unsafelyUnwrapped + arena.pointee.poolsCarved * Self.poolSize
            arena.pointee.poolsCarved += 1
        }
        let oldFree = Int(arena.pointee.freePoolCount)
        arena.pointee.freePoolCount -= 1
        // This arena heads the list, so it already had the fewest free pools; losing one
        // keeps the order. Only the fingers and a now-full arena need care.
        if lastArenaWithFreePools[oldFree] == arenaIndex { lastArenaWithFreePools[oldFree] = -1 }
        if arena.pointee.freePoolCount > 0 {
            let newFree = Int(arena.pointee.freePoolCount)
            if lastArenaWithFreePools[newFree] < 0 { lastArenaWithFreePools[newFree] = arenaIndex }
        } else {
            usableArenas = arena.pointee.nextArena
            if usableArenas >= 0 { arenas[Int(usableArenas)].previousArena = -1 }
            arena.pointee.nextArena = -1
            arena.pointee.previousArena = -1
        }

        let header = PoolHeader(pool)
        let blockSize = Self.blockSize(ofClass: sizeClass)
        header.arenaIndex = arenaIndex
        header.sizeClass = Int32(sizeClass)
        header.usedList = Int32(list)
        header.blockIndexMultiplier = Self.blockIndexMultiplier(blockSize: blockSize)
        header.usedBlocks = 1
        header.carvingPhase = 0
        header.nextOffset = 0
        header.maxNextOffset = Int32(Self.headerOffset(ofPool: pool) - blockSize)
        // Every pool holds at least 30 blocks, so both exist.
        let first = Self.carve(pool, header, blockSize: blockSize).unsafelyUnwrapped
        let second = Self.carve(pool, header, blockSize: blockSize).unsafelyUnwrapped
        second.storeBytes(of: nil, as: UnsafeMutableRawPointer?.self)
        header.freeBlock = second
        // Link at the front of the used list.
        header.previousPool = nil
        header.nextPool = usedPools[list]
        if let next = usedPools[list] { PoolHeader(next).previousPool = pool }
        usedPools[list] = pool
        return first
    }

    /// A pool went from full to having one free block, or from used to empty.
    @usableFromInline
    mutating func poolChangedState(_ pool: UnsafeMutableRawPointer, wasFull: Bool) {
        let header = PoolHeader(pool)
        let list = Int(header.usedList)
        if wasFull {
            // An empty pool is kept only while it is its list's only one: now it is not.
            if let kept = usedPools[list], PoolHeader(kept).usedBlocks == 0 { releaseEmptyPool(kept) }
            // Back on the used list, at the front: it is the likeliest to fill again.
            header.previousPool = nil
            header.nextPool = usedPools[list]
            if let next = usedPools[list] { PoolHeader(next).previousPool = pool }
            usedPools[list] = pool
            if header.usedBlocks != 0 { return }
        }
        // Empty. While it is its class's only pool it stays on the used list: otherwise a
        // class that swings around one pool's worth of blocks (one list made and dropped in
        // a loop) hands the pool to its arena and takes it back on every swing, which
        // measured 24 ns per list made and dropped against 10 ns with the pool kept.
        // CPython avoids the same churn with per-type free lists. `trim()` gives such pools
        // back; every full collection runs it.
        if header.previousPool == nil && header.nextPool == nil { return }
        releaseEmptyPool(pool)
    }

    /// Takes an empty pool off its class's used list and gives it to its arena.
    mutating func releaseEmptyPool(_ pool: UnsafeMutableRawPointer) {
        let header = PoolHeader(pool)
        if let previous = header.previousPool {
            PoolHeader(previous).nextPool = header.nextPool
        } else {
            usedPools[Int(header.usedList)] = header.nextPool
        }
        if let next = header.nextPool { PoolHeader(next).previousPool = header.previousPool }
        poolBecameFree(pool)
    }

    /// Gives back the empty pools kept on their classes' used lists, so that arenas which
    /// hold nothing else return to the OS.
    /// - Complexity: O(size classes).
    mutating func trim() {
        for list in 0..<Self.usedListCount {
            if let pool = usedPools[list], PoolHeader(pool).usedBlocks == 0 { releaseEmptyPool(pool) }
        }
    }

    mutating func poolBecameFree(_ pool: UnsafeMutableRawPointer) {
        let header = PoolHeader(pool)
        // Every numbered block was freed (and its serial cleared) with the rest.
        if let serials = header.serials {
            serials.deallocate()
            header.serials = nil
        }
        let arenaIndex = header.arenaIndex
        let arena = arenas + Int(arenaIndex)
        header.nextPool = arena.pointee.freePools
        header.previousPool = nil
        arena.pointee.freePools = pool

        let oldFree = Int(arena.pointee.freePoolCount)
        // If this arena was the rightmost with `oldFree` free pools, the finger moves left.
        if oldFree > 0 && lastArenaWithFreePools[oldFree] == arenaIndex {
            let previous = arena.pointee.previousArena
            lastArenaWithFreePools[oldFree] =
                (previous >= 0 && Int(arenas[Int(previous)].freePoolCount) == oldFree) ? previous : -1
        }
        let newFree = oldFree + 1
        arena.pointee.freePoolCount = Int32(newFree)

        if newFree == Self.poolsPerArena && arena.pointee.nextArena >= 0 {
            // Wholly free and not the last usable arena: give it back. The last one is kept
            // (CPython 3.9+), so a program oscillating around an arena boundary does not
            // mmap/munmap on every swing.
            unlinkUsable(arenaIndex)
            releaseArena(arenaIndex)
            return
        }
        if oldFree == 0 {
            // Was full, so not on the usable list: it has the fewest free pools possible now.
            arena.pointee.previousArena = -1
            arena.pointee.nextArena = usableArenas
            if usableArenas >= 0 { arenas[Int(usableArenas)].previousArena = arenaIndex }
            usableArenas = arenaIndex
            if lastArenaWithFreePools[1] < 0 { lastArenaWithFreePools[1] = arenaIndex }
            return
        }
        // Keep the list sorted: move right past every arena with `oldFree` free pools.
        let lastOld = lastArenaWithFreePools[oldFree]
        if lastOld >= 0 && lastOld != arenaIndex {
            unlinkUsable(arenaIndex)
            let after = lastOld
            let afterNext = arenas[Int(after)].nextArena
            arena.pointee.previousArena = after
            arena.pointee.nextArena = afterNext
            arenas[Int(after)].nextArena = arenaIndex
            if afterNext >= 0 { arenas[Int(afterNext)].previousArena = arenaIndex }
        }
        // Arenas left of us have at most `oldFree` free pools, so an arena already known to
        // have `newFree` lies to our right and stays the rightmost.
        if lastArenaWithFreePools[newFree] < 0 { lastArenaWithFreePools[newFree] = arenaIndex }
    }

    mutating func unlinkUsable(_ index: Int32) {
        let arena = arenas + Int(index)
        let previous = arena.pointee.previousArena
        let next = arena.pointee.nextArena
        if previous >= 0 { arenas[Int(previous)].nextArena = next } else { usableArenas = next }
        if next >= 0 { arenas[Int(next)].previousArena = previous }
        arena.pointee.previousArena = -1
        arena.pointee.nextArena = -1
    }

    // MARK: - Arenas

    mutating func newArena() -> Int32 {
        if unusedArenas < 0 { growArenaTable() }
        let index = unusedArenas
        let arena = arenas + Int(index)
        unusedArenas = arena.pointee.nextArena

        arena.pointee = ArenaDescriptor(nextArena: -1)
        // A heap that already fills an arena is growing: have the kernel supply the new
        // one's pages in one call rather than one fault per 4 KiB page as pools are carved
        // (measured: 10M instances made and freed 134 -> 113 ns per object, 10M lists
        // built 44 -> 32 ns). A heap's first arena stays lazy, so a small heap costs only
        // the pages it touches.
        let base = Self.mapAlignedArena(populate: arenasCurrent > 0)
        arena.pointee.base = base
        processMappedArenas.add(1, ordering: .relaxed)
        LeakSanitizerRoots.register(base, byteCount: Self.arenaSize)
        arena.pointee.freePoolCount = Int32(Self.poolsPerArena)
        arenasAllocatedTotal += 1
        arenasCurrent += 1
        arenasHighWater = Swift.max(arenasHighWater, arenasCurrent)
        return index
    }

    mutating func releaseArena(_ index: Int32) {
        let arena = arenas + Int(index)
        if let base = arena.pointee.base { Self.unmapArena(base) }
        arena.pointee = ArenaDescriptor(nextArena: unusedArenas)
        unusedArenas = index
        arenasReclaimed += 1
        arenasCurrent -= 1
    }

    static func unmapArena(_ base: UnsafeMutableRawPointer) {
        LeakSanitizerRoots.unregister(base, byteCount: arenaSize)
        munmap(base, arenaSize)
        processMappedArenas.subtract(1, ordering: .relaxed)
    }

    mutating func growArenaTable() {
        let newCapacity = arenaCapacity * 2
        let grown = UnsafeMutablePointer<ArenaDescriptor>.allocate(capacity: newCapacity)
        grown.moveInitialize(from: arenas, count: arenaCapacity)
        for i in arenaCapacity..<newCapacity {
            (grown + i).initialize(to: ArenaDescriptor(nextArena: i + 1 < newCapacity ? Int32(i + 1) : -1))
        }
        arenas.deallocate()
        arenas = grown
        unusedArenas = Int32(arenaCapacity)
        arenaCapacity = newCapacity
    }

    /// `MADV_POPULATE_WRITE`, which older C headers do not name.
    static var madvisePopulateWrite: Int32 { 23 }

    /// Maps one arena aligned to its own size, so every one of its 64 pools is aligned to
    /// the pool size: map twice the size and give back the slack on both sides. With
    /// `populate`, the kernel supplies all its pages now.
    static func mapAlignedArena(populate: Bool) -> UnsafeMutableRawPointer {
        let length = arenaSize * 2
        guard let raw = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              raw != MAP_FAILED
        else { fatalError("HeapRuntime: mmap of an arena failed (errno \(errno))") }
        let address = UInt(bitPattern: raw)
        let aligned = (address + UInt(arenaSize) - 1) & ~(UInt(arenaSize) - 1)
        let head = Int(aligned - address)
        if head > 0 { munmap(raw, head) }
        let tail = length - head - arenaSize
        if tail > 0 { munmap(raw + head + arenaSize, tail) }
        // Linux 5.14+; on older kernels the call fails harmlessly and pages come on first
        // touch.
        #if os(Linux)
        if populate { _ = madvise(raw + head, arenaSize, madvisePopulateWrite) }
        #endif
        return raw + head
    }
}

/// One arena's bookkeeping (CPython's `struct arena_object`).
struct ArenaDescriptor {
    var base: UnsafeMutableRawPointer? = nil
    /// Pools carved so far; pools past this were never touched.
    var poolsCarved = 0
    var freePoolCount: Int32 = 0
    /// Freed pools of this arena, linked through their headers.
    var freePools: UnsafeMutableRawPointer? = nil
    var nextArena: Int32
    var previousArena: Int32 = -1

    init(nextArena: Int32) { self.nextArena = nextArena }
}

/// A typed view of a pool's 64-byte header, which fills the pool's 64-byte header slot
/// (see `PoolAllocator.headerOffset(ofPool:)`).
///
/// Layout: `usedBlocks` Int32 @0, `sizeClass` Int32 @4, `freeBlock` @8, `nextPool` @16,
/// `previousPool` @24, `arenaIndex` Int32 @32, `carvingPhase` Int32 @36, `nextOffset` Int32
/// @40, `maxNextOffset` Int32 @44, `usedList` Int32 @48 (which tells what its blocks hold),
/// `blockIndexMultiplier` UInt32 @52, `serials` @56 (snapshot ids).
/// Offsets of blocks are from the pool's start.
@usableFromInline
struct PoolHeader {
    @usableFromInline let base: UnsafeMutableRawPointer

    /// The header of the pool starting at `pool`.
    @inlinable @inline(__always)
    init(_ pool: UnsafeMutableRawPointer) { self.base = pool + PoolAllocator.headerOffset(ofPool: pool) }

    @inlinable
    var usedBlocks: Int32 {
        @inline(__always) get { base.load(as: Int32.self) }
        @inline(__always) nonmutating set { base.storeBytes(of: newValue, as: Int32.self) }
    }
    @inlinable
    var sizeClass: Int32 {
        @inline(__always) get { base.load(fromByteOffset: 4, as: Int32.self) }
        @inline(__always) nonmutating set { base.storeBytes(of: newValue, toByteOffset: 4, as: Int32.self) }
    }
    @inlinable
    var freeBlock: UnsafeMutableRawPointer? {
        @inline(__always) get { base.load(fromByteOffset: 8, as: UnsafeMutableRawPointer?.self) }
        @inline(__always) nonmutating set { base.storeBytes(of: newValue, toByteOffset: 8, as: UnsafeMutableRawPointer?.self) }
    }
    @inlinable
    var nextPool: UnsafeMutableRawPointer? {
        @inline(__always) get { base.load(fromByteOffset: 16, as: UnsafeMutableRawPointer?.self) }
        @inline(__always) nonmutating set { base.storeBytes(of: newValue, toByteOffset: 16, as: UnsafeMutableRawPointer?.self) }
    }
    @inlinable
    var previousPool: UnsafeMutableRawPointer? {
        @inline(__always) get { base.load(fromByteOffset: 24, as: UnsafeMutableRawPointer?.self) }
        @inline(__always) nonmutating set { base.storeBytes(of: newValue, toByteOffset: 24, as: UnsafeMutableRawPointer?.self) }
    }
    @inlinable
    var arenaIndex: Int32 {
        @inline(__always) get { base.load(fromByteOffset: 32, as: Int32.self) }
        @inline(__always) nonmutating set { base.storeBytes(of: newValue, toByteOffset: 32, as: Int32.self) }
    }
    /// 0 while carving after the header, 1 while carving before it.
    var carvingPhase: Int32 {
        get { base.load(fromByteOffset: 36, as: Int32.self) }
        nonmutating set { base.storeBytes(of: newValue, toByteOffset: 36, as: Int32.self) }
    }
    @inlinable
    var nextOffset: Int32 {
        @inline(__always) get { base.load(fromByteOffset: 40, as: Int32.self) }
        @inline(__always) nonmutating set { base.storeBytes(of: newValue, toByteOffset: 40, as: Int32.self) }
    }
    @inlinable
    var maxNextOffset: Int32 {
        @inline(__always) get { base.load(fromByteOffset: 44, as: Int32.self) }
        @inline(__always) nonmutating set { base.storeBytes(of: newValue, toByteOffset: 44, as: Int32.self) }
    }
    /// The used list the pool belongs to: `contents * 32 + sizeClass`.
    var usedList: Int32 {
        get { base.load(fromByteOffset: 48, as: Int32.self) }
        nonmutating set { base.storeBytes(of: newValue, toByteOffset: 48, as: Int32.self) }
    }
    /// ⌈2³² / block size⌉: a block's offset times this, shifted right by 32, is its index
    /// among the pool's blocks (`PoolAllocator+SnapshotSerials.swift`), with no division.
    @inlinable
    var blockIndexMultiplier: UInt32 {
        @inline(__always) get { base.load(fromByteOffset: 52, as: UInt32.self) }
        @inline(__always) nonmutating set { base.storeBytes(of: newValue, toByteOffset: 52, as: UInt32.self) }
    }
    /// The snapshot ids of the pool's objects, one slot per block by its index, 0 for none
    /// (`PoolAllocator+SnapshotSerials.swift`). Nil until a snapshot numbers one of them;
    /// freed with the pool.
    @inlinable
    var serials: UnsafeMutablePointer<UInt64>? {
        @inline(__always) get { base.load(fromByteOffset: 56, as: UnsafeMutablePointer<UInt64>?.self) }
        @inline(__always) nonmutating set { base.storeBytes(of: newValue, toByteOffset: 56, as: UnsafeMutablePointer<UInt64>?.self) }
    }
    /// What the pool's blocks hold.
    var contents: BlockContents {
        BlockContents(rawValue: UInt8(truncatingIfNeeded: usedList / Int32(PoolAllocator.sizeClassCount))) ?? .buffer
    }
}

/// What an allocated block holds. Pools never mix contents, and large object blocks are
/// linked together, so the heap's objects can be enumerated from the allocator alone.
@usableFromInline
enum BlockContents: UInt8 {
    /// Memory an object owns: a list's items, a hash table, an attribute pairs table.
    case buffer = 0
    /// An object with no collector head (int, float, str, bytes, the singletons).
    case atom = 1
    /// A container: the collector head, then the object at 16 bytes into the block.
    case container = 2
}
