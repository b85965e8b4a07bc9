import HeapGraphModel

/// The strong (non-weak) edges of a graph as plain compressed sparse rows: what every
/// reachability question here walks. Built once per analysis so the hot loops read two flat
/// arrays instead of decoding labels edge by edge.
///
/// Memory: 4 bytes per node and 4 per strong edge.
struct StrongEdges: Sendable {
    /// Edges of node `n` are `targets[start[n] ..< start[n + 1]]`.
    let start: [UInt32]
    let targets: [UInt32]
    /// For each strong edge, its graph-wide edge index (so a path can name its references
    /// without scanning a node's edges); empty for a reversed set.
    let edgeIndices: [UInt32]

    var nodeCount: Int { start.count - 1 }

    /// - Complexity: O(nodes + edges).
    init(graph: HeapSnapshot) {
        var start: [UInt32] = []
        start.reserveCapacity(graph.nodeCount + 1)
        var targets: [UInt32] = []
        targets.reserveCapacity(graph.edgeCount)
        var edgeIndices: [UInt32] = []
        edgeIndices.reserveCapacity(graph.edgeCount)
        for node in 0..<graph.nodeCount {
            start.append(UInt32(targets.count))
            let edges = graph.edges(of: node)
            for index in edges.indices {
                let edge = edges[index]
                guard !edge.isWeak else { continue }
                targets.append(UInt32(edge.target))
                edgeIndices.append(UInt32(index))
            }
        }
        start.append(UInt32(targets.count))
        self.start = start
        self.targets = targets
        self.edgeIndices = edgeIndices
    }

    init(start: [UInt32], targets: [UInt32], edgeIndices: [UInt32] = []) {
        self.start = start
        self.targets = targets
        self.edgeIndices = edgeIndices
    }

    /// The same edges, reversed (for each node, the nodes that point at it), by a counting
    /// sort: sources come out in ascending order.
    /// - Complexity: O(nodes + edges).
    func reversed() -> StrongEdges {
        let count = nodeCount
        var reverseStart = [UInt32](repeating: 0, count: count + 1)
        for target in targets { reverseStart[Int(target) + 1] += 1 }
        for node in 0..<count { reverseStart[node + 1] += reverseStart[node] }
        var cursor = reverseStart
        var sources = [UInt32](repeating: 0, count: targets.count)
        for node in 0..<count {
            for index in Int(start[node])..<Int(start[node + 1]) {
                let target = Int(targets[index])
                sources[Int(cursor[target])] = UInt32(node)
                cursor[target] += 1
            }
        }
        return StrongEdges(start: reverseStart, targets: sources)
    }

    /// Whether `node` has a strong edge to itself.
    func hasSelfLoop(_ node: Int) -> Bool {
        for index in Int(start[node])..<Int(start[node + 1]) where Int(targets[index]) == node { return true }
        return false
    }
}
