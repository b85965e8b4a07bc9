import HeapGraphModel

extension HeapSnapshot {
    /// objgraph's `at(addr)`: the node whose object id is `id`, or nil.
    ///
    /// A linear scan of the id column, as objgraph's is (ids are 8 bytes each, so a million
    /// nodes is one 8 MB sequential read). No index is kept: a `HeapSnapshot` is an
    /// immutable value, and callers looking up many ids should use ``nodes(withIDs:)``.
    /// - Complexity: O(nodes).
    public func node(withID id: UInt64) -> Int? {
        (0..<nodeCount).first { self.id(of: $0) == id }
    }

    /// objgraph's `at_addrs(ids)`: the nodes whose ids are in `ids`, in node order.
    /// - Complexity: O(nodes) set lookups.
    public func nodes(withIDs ids: Set<UInt64>) -> [Int] {
        guard !ids.isEmpty else { return [] }
        return (0..<nodeCount).filter { ids.contains(self.id(of: $0)) }
    }
}
