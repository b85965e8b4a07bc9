import HeapGraphModel

extension StrongEdges {
    /// DevTools' essential edges of a V8 graph: the edges that count for its dominator tree
    /// (`isEssentialEdge` in `HeapSnapshot.ts`). An edge counts unless it is
    /// - weak (a weak reference never keeps anything alive);
    /// - a self edge;
    /// - the WeakMap table's half of a WeakMap value's pair of edges (the key's half counts:
    ///   freeing either would free the value, and the key gives the more useful answer);
    /// - from a node other than the root, and either a shortcut edge (only the root's mark
    ///   the global objects) or an edge from a node outside the page into one inside it
    ///   (what the debugger or V8's internals also hold must not change the page's
    ///   dominators).
    ///
    /// - Complexity: O(nodes + edges), plus one parse per distinct internal edge name.
    init(devToolsEssentialEdgesOf heap: inout DevToolsHeap) {
        let graph = heap.graph
        let pageOwned = heap.pageOwnedNodes()
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
                if let pair = heap.weakMapName(of: edge), pair.tableID == graph.id(of: node) { continue }
                if edge.isWeak || edge.target == node { continue }
                if node != heap.root {
                    if edge.kind == .shortcut { continue }
                    if pageOwned[edge.target] && !pageOwned[node] { continue }
                }
                targets.append(UInt32(edge.target))
                edgeIndices.append(UInt32(index))
            }
        }
        start.append(UInt32(targets.count))
        self.init(start: start, targets: targets, edgeIndices: edgeIndices)
    }
}
