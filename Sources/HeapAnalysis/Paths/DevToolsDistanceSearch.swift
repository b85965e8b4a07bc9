import HeapGraphModel

/// DevTools' two breadth-first searches for distances (``RootPaths``, DevTools' rules):
/// from the user roots at distance 1, then from the root at 100,000,000, with DevTools'
/// filter (`JSHeapSnapshot.calculateDistances`). The state lives in one struct, so the
/// loops mutate plain arrays.
struct DevToolsDistanceSearch {
    private var heap: DevToolsHeap
    /// Parent ordinal, `-1` for the root, `-2` unreached.
    private(set) var parents: [Int32]
    /// The graph-wide index of the edge each node was reached by.
    private(set) var parentEdges: [UInt32]
    private(set) var distances: [Int32]
    /// WeakMap pairs one edge of which was met (and skipped), by pair number.
    private var pendingWeakMapPairs: [Bool] = []

    init(graph: HeapSnapshot) {
        heap = DevToolsHeap(graph: graph)
        parents = [Int32](repeating: -2, count: graph.nodeCount)
        parentEdges = [UInt32](repeating: .max, count: graph.nodeCount)
        distances = [Int32](repeating: -1, count: graph.nodeCount)
    }

    /// - Complexity: O(nodes + edges), plus one parse per distinct internal edge name.
    mutating func run() {
        let graph = heap.graph
        guard graph.nodeCount > 0 else { return }
        let root = heap.root
        var queue: [Int32] = []
        queue.reserveCapacity(graph.nodeCount)
        let rootEdges = graph.edges(of: root)
        for index in rootEdges.indices {
            let target = rootEdges[index].target
            guard target != root, distances[target] < 0, heap.isUserRoot(target) else { continue }
            distances[target] = 1
            parents[target] = Int32(root)
            parentEdges[target] = UInt32(index)
            queue.append(Int32(target))
        }
        let hasUserRoots = !queue.isEmpty
        search(&queue, graph: graph)
        distances[root] = hasUserRoots ? Int32(RootPaths.devToolsSystemDistance) : 0
        parents[root] = -1
        parentEdges[root] = .max
        queue.removeAll(keepingCapacity: true)
        queue.append(Int32(root))
        search(&queue, graph: graph)
    }

    private mutating func search(_ queue: inout [Int32], graph: HeapSnapshot) {
        var head = 0
        while head < queue.count {
            let node = Int(queue[head])
            head += 1
            let next = distances[node] + 1
            // The filter's node conditions, once per node.
            let isNativeContext = heap.isNativeContext(node), isMapDescriptors = heap.isMapDescriptors(node)
            let edges = graph.edges(of: node)
            for index in edges.indices {
                let edge = edges[index]
                guard !edge.isWeak, distances[edge.target] < 0,
                      follows(edge, isNativeContext: isNativeContext, isMapDescriptors: isMapDescriptors, graph: graph) else { continue }
                distances[edge.target] = next
                parents[edge.target] = Int32(node)
                parentEdges[edge.target] = UInt32(index)
                queue.append(Int32(edge.target))
            }
        }
    }

    /// DevTools' filter: not a native context's `sloppy_function_map`, not a descriptor
    /// edge of a `(map descriptors)` array, not the first edge met of a WeakMap pair.
    private mutating func follows(_ edge: HeapSnapshot.Edge, isNativeContext: Bool, isMapDescriptors: Bool,
                                  graph: HeapSnapshot) -> Bool {
        if isNativeContext, let name = heap.nameIndex(of: edge), graph.strings[name] == "sloppy_function_map" {
            return false
        }
        if isMapDescriptors {
            // DevTools reads the edge's name as a number (parseInt); a name that is not one
            // keeps the edge.
            let index: Int? = switch edge.kind {
            case .index, .hidden: edge.value
            default: heap.nameIndex(of: edge).flatMap { RootPaths.leadingInteger(graph.strings[$0]) }
            }
            guard let index else { return true }
            return index < 2 || index % 3 != 1
        }
        if DevToolsHeap.isInternal(edge), let pair = heap.weakMapPair(of: edge) {
            if pair >= pendingWeakMapPairs.count {
                pendingWeakMapPairs.append(contentsOf: repeatElement(false, count: max(heap.weakMapPairCount, pair + 1) - pendingWeakMapPairs.count))
            }
            pendingWeakMapPairs[pair].toggle()
            // Pending now: the first of the pair, skipped; no longer: the second, followed.
            if pendingWeakMapPairs[pair] { return false }
        }
        return true
    }
}
