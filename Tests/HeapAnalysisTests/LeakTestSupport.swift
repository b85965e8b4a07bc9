import HeapRuntime
import HeapGraphModel
import Testing

/// The ordinal of the object with `id` (an `ObjectRef.id`) in `graph`.
func ordinal(of id: Int, in graph: HeapSnapshot) throws -> Int {
    try #require((0..<graph.nodeCount).first { graph.id(of: $0) == UInt64(UInt(bitPattern: id)) })
}

/// A heap holding a hand-drawn graph of lists: node 0 is held by the returned root (the
/// only root), and each pair (a, b) appends node b to node a. Returns the list ids by
/// node number.
func handGraph(_ heap: Heap, nodes: Int, edges: [(Int, Int)]) throws -> (root: ObjectRef, ids: [Int]) {
    heap.gc.disable()
    let root = heap.list().unmanaged()       // held for the heap's life
    var ids = [root.id]
    do {
        let scratch = heap.list()
        for _ in 1..<nodes { try heap.append(heap.list(), to: scratch) }
        func ref(_ node: Int) throws -> ObjectRef { node == 0 ? root : try heap.item(node - 1, of: scratch) }
        for node in 1..<nodes { ids.append(try ref(node).id) }
        for (source, target) in edges { try heap.append(try ref(target), to: try ref(source)) }
    }
    return (root, ids)
}

/// The same hand-drawn graph of lists, built without a runtime: node n is ordinal n, node 0
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
