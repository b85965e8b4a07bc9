/// A standalone instance of the heap's pooled allocator, for programs and benchmarks that
/// want pymalloc-style blocks without objects.
///
/// ```swift
/// var blocks = SmallBlockAllocator()
/// let p = blocks.allocate(48)       // from the 48-byte class
/// blocks.deallocate(p, size: 48)    // the size must be given back
/// ```
///
/// - Complexity: allocate and deallocate are O(1).
public struct SmallBlockAllocator: ~Copyable {
    @usableFromInline var allocator = PoolAllocator()

    public init() {}

    deinit {
        var allocator = allocator
        allocator.releaseAll()
    }

    /// `size` bytes, 16-byte aligned: from a pool for 1…512 bytes, from `malloc` above.
    @inlinable @inline(__always)
    public mutating func allocate(_ size: Int) -> UnsafeMutableRawPointer { allocator.allocate(size) }

    /// Frees a block from ``allocate(_:)``; `size` must be the size it was allocated with.
    @inlinable @inline(__always)
    public mutating func deallocate(_ block: UnsafeMutableRawPointer, size: Int) { allocator.deallocate(block, size: size) }

    /// The allocator's counters, as ``Heap/allocatorStats()`` gives them.
    public func stats() -> AllocatorStats { allocator.stats() }
}
