import HeapGraphModel

/// Totals of a snapshot: what `heapgraph summary` prints above its type table.
public struct HeapCensus: Sendable, Hashable {
    public var objects: Int
    public var references: Int
    /// Sum of the shallow sizes.
    public var bytes: Int
    /// Objects the host program holds (`HeapSnapshot.isRoot(_:)`).
    public var roots: Int
    public var tracked: Int
    public var inGarbage: Int
    public var watched: Int
}

extension HeapSnapshot {
    /// Counts objects, references, bytes, roots, and the tracked, garbage and watched flags.
    /// - Complexity: O(nodes).
    public func census() -> HeapCensus {
        var census = HeapCensus(objects: nodeCount, references: edgeCount, bytes: 0, roots: 0, tracked: 0, inGarbage: 0, watched: 0)
        for node in 0..<nodeCount {
            census.bytes += shallowSize(of: node)
            if isRoot(node) { census.roots += 1 }
            let flags = flags(of: node)
            if flags.contains(.tracked) { census.tracked += 1 }
            if flags.contains(.inGarbage) { census.inGarbage += 1 }
            if flags.contains(.watched) { census.watched += 1 }
        }
        return census
    }
}
