import HeapGraphFormat

// Raw accessors the analyzer needs for its whole-heap passes: counting types by their
// string index (no String hashing per node), walking every edge without building an `Edge`
// per edge through the opaque `edges(of:)` collection (which costs ~25 ns an edge across
// the module boundary), and rebuilding the reverse index on its own so benchmarks can time it.

extension HeapSnapshot {
    /// The string-table index of the node's type name: equal indices mean equal type names,
    /// so per-type counts can go into an array indexed by it.
    /// - Complexity: O(1).
    public func typeIndex(of node: Int) -> Int { Int(typeIndices[node]) }

    /// The string-table index of the node's value label, or nil: equal indices mean equal
    /// labels (the string table is interned), so shapes can be compared without strings.
    /// - Complexity: O(1).
    public func valueLabelIndex(of node: Int) -> Int? {
        valueLabels[node] == 0xFFFF_FFFF ? nil : Int(valueLabels[node])
    }

    /// The reverse (incoming-edge) index, as compressed sparse rows: the sources of the
    /// edges into node `n` are `sources[start[n]..<start[n + 1]]`.
    public struct ReverseIndex: Sendable {
        public var start: [UInt32]
        public var sources: [UInt32]
    }

    /// Builds the reverse index again from the forward edges, with the algorithm the graph
    /// uses when it is made (a counting sort of the edges by target). The graph already
    /// holds one (``referrers(of:)``); this exists so its cost can be measured and reported
    /// with the queries that depend on it.
    /// - Complexity: O(nodes + edges) time, 4 × (nodes + edges) bytes.
    public func buildReverseIndex() -> ReverseIndex {
        Self.reverseIndex(nodeCount: nodeCount, edgeStart: edgeStart, edgeTargets: edgeTargets)
    }

    /// The reverse index of forward edges in compressed sparse rows: a counting sort of the
    /// edges by target, so each node's referrers come out in source order. The one place it
    /// is built.
    ///
    /// `start[t]` first counts the edges into targets up to `t` (inclusive prefix sums: the
    /// end of `t`'s row); the sources are then placed from the last edge back, each one
    /// moving its target's `start` down a slot, so `start[t]` ends at the row's beginning
    /// and no second array of positions is needed while the graph is being made.
    /// - Complexity: O(nodes + edges) time, 4 × (nodes + edges) bytes.
    static func reverseIndex(nodeCount: Int, edgeStart: [UInt32], edgeTargets: [UInt32]) -> ReverseIndex {
        var start = [UInt32](repeating: 0, count: nodeCount + 1)
        for target in edgeTargets { start[Int(target)] &+= 1 }
        for node in 0..<nodeCount { start[node + 1] &+= start[node] }
        var sources = [UInt32](repeating: 0, count: edgeTargets.count)
        for source in stride(from: nodeCount - 1, through: 0, by: -1) {
            for edge in stride(from: Int(edgeStart[source + 1]) - 1, through: Int(edgeStart[source]), by: -1) {
                let target = Int(edgeTargets[edge])
                start[target] &-= 1
                sources[Int(start[target])] = UInt32(source)
            }
        }
        return ReverseIndex(start: start, sources: sources)
    }

    /// Calls `body(source, target, isWeak)` for every edge of the graph, in source order.
    /// For whole-graph passes: one closure call per edge, straight over the edge columns.
    /// - Complexity: O(nodes + edges).
    public func forEachEdge(_ body: (_ source: Int, _ target: Int, _ isWeak: Bool) -> Void) {
        for source in 0..<nodeCount {
            for edge in Int(edgeStart[source])..<Int(edgeStart[source + 1]) {
                body(source, Int(edgeTargets[edge]), edgeCodes[edge] & PackedEdgeLabel.weakCode != 0)
            }
        }
    }

    /// Whether each node has each of `flags`, as one array (one pass over the flag column).
    /// - Complexity: O(nodes).
    public func nodesWithFlags(_ flags: NodeFlags) -> [Bool] {
        nodeFlags.map { $0 & flags.rawValue == flags.rawValue }
    }
}
