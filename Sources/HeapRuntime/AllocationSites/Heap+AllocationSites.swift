extension Heap {
    /// The site called `name` ("leaky.py:12"), made on first use; equal names give equal
    /// sites. Names stay for the heap's life.
    /// - Complexity: O(1) on average (a hash of `name`).
    public func allocationSite(named name: String) -> AllocationSite {
        AllocationSite(index: core.pointee.allocationSites.intern(name))
    }

    /// The site containers allocated from now on remember; nil (the default) records
    /// nothing. A host sets it as it runs, e.g. before each statement of a program.
    ///
    /// Atoms (ints, floats, strings) never get a site: they cannot keep anything alive.
    /// Recording is free while off; on, it costs a hash-table insert per container
    /// allocated and a removal when a recorded container dies.
    public var currentAllocationSite: AllocationSite? {
        get {
            let index = core.pointee.allocationSites.current
            return index == 0 ? nil : AllocationSite(index: index)
        }
        set { core.pointee.allocationSites.current = newValue?.index ?? 0 }
    }

    /// The name of the site where `object` was allocated, if it was recorded.
    public func allocationSite(of object: borrowing some ObjectReference & ~Copyable) -> String? {
        let object = object.ref
        check(object)
        return allocationSiteName(ofAddress: object.pointer)
    }

    /// Site names of the live objects that have one, by snapshot id (``snapshotID(of:)``).
    /// - Complexity: O(recorded objects).
    public func allocationSitesByObjectID() -> [UInt64: String] {
        var result: [UInt64: String] = [:]
        let table = core.pointee.allocationSites
        result.reserveCapacity(table.sites.count)
        for (object, index) in table.sites { result[core.snapshotSerial(of: object)] = table.names[Int(index)] }
        return result
    }

    func allocationSiteName(ofAddress object: UnsafeMutableRawPointer) -> String? {
        let table = core.pointee.allocationSites
        return table.sites[object].map { table.names[Int($0)] }
    }
}
