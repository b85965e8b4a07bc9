extension Heap {
    /// This heap's identity in snapshot metadata (`heap`): 16 hex digits at most, random,
    /// made once per heap, so that a reader never takes snapshots of two heaps (in one
    /// process or two) for snapshots of one.
    public var snapshotIdentity: String { String(core.pointee.snapshotIdentity, radix: 16) }
}
