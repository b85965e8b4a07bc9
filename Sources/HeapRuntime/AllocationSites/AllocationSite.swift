/// Where objects were allocated, as the host names it ("leaky.py:12"): an index into the
/// heap's table of site names (``Heap/allocationSite(named:)``).
///
/// Setting ``Heap/currentAllocationSite`` turns recording on: every container allocated
/// while it is set remembers it, until it dies.
public struct AllocationSite: Hashable, Sendable {
    /// Index into the heap's site names, starting at 1 (0 is "no site").
    @usableFromInline let index: UInt32

    @usableFromInline init(index: UInt32) { self.index = index }
}
