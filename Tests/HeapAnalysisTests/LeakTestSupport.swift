import HeapGraphModel
import Testing

/// The ordinal of the object with `id` (an `ObjectRef.id`) in `graph`.
func ordinal(of id: UInt64, in graph: HeapSnapshot) throws -> Int {
    try #require((0..<graph.nodeCount).first { graph.id(of: $0) == id })
}

/// A hand-drawn graph of lists, built without a runtime: node n is ordinal n, node 0
/// the only root, and node n is 16 × (n + 1) bytes, so every retained size is distinct.
func builtHandGraph(nodes: Int, edges: [(Int, Int)]) -> HeapSnapshot {
    HeapSnapshot.build { heap in
        for node in 0..<nodes {
            heap.node("list", kind: .array, size: 16 * (node + 1), externalCount: node == 0 ? 1 : 0)
        }
        var items = [Int](repeating: 0, count: nodes)
        for (source, target) in edges {
            heap.edge(from: source, to: target, .index(items[source]))
            items[source] += 1
        }
    }
}
