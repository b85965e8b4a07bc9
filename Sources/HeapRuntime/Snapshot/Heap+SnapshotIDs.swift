extension Heap {
    /// The id snapshots give the object: a serial number, the same in every snapshot of
    /// this heap while the object lives and never given to another object, even one made
    /// later at the same address (``id(of:)``, Python's `id()`, is the address). Given on
    /// first use; see docs/snapshot-format.md, "Node ids".
    public func snapshotID(of object: borrowing some ObjectReference & ~Copyable) -> UInt64 {
        let object = object.ref
        check(object)
        return core.snapshotSerial(of: object.pointer)
    }

    /// The snapshot id of `gc.garbage`, when the list exists.
    public var garbageListSnapshotID: UInt64? {
        core.pointee.collector.garbage.map { core.snapshotSerial(of: $0) }
    }
}

extension ObjectReference where Self: ~Copyable {
    /// The id snapshots give this object (``Heap/snapshotID(of:)``). The object must be
    /// alive.
    public var snapshotID: UInt64 {
        let pointer = ref.pointer
        return pointer.field(8, as: UnsafeMutablePointer<TypeInfo>.self).pointee.heap.snapshotSerial(of: pointer)
    }
}
