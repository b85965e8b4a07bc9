import HeapAnalysis
import HeapGraphModel
import Synchronization

/// One snapshot loaded by `heapgraph serve`, with the indexes every page needs built once
/// at load, so that a request costs what its page shows, not what the snapshot holds.
///
/// The object view must answer within 50 ms on 10M objects (issue 21): finding an id, its
/// retained size and its path from a root would each be a pass over the whole graph if
/// done per request, so the id index, the dominator tree and the root search are kept.
final class ExplorerSnapshot: Sendable {
    /// The name the user gave the file (shown on pages; never opened again).
    let name: String
    let graph: HeapSnapshot
    /// Node ordinals sorted by object id: a binary search finds an id.
    private let nodesByID: [Int32]
    /// Retained sizes, from the dominator tree over strong references.
    let dominators: DominatorTree
    /// The shortest strong path from a root to every reachable node.
    let rootPaths: RootPaths
    /// Every type with its count and shallow bytes, most numerous first.
    let types: [TypeCount]
    /// The nodes of each type index, in node order (counting sort: O(nodes)).
    private let typeStart: [Int]
    private let typeMembers: [Int32]
    /// Type name to its type-string indices (a name can be written more than once).
    private let typeIndicesByName: [String: [Int]]
    /// The leak report, made on the first request for it.
    private let leakReport = Mutex<LeakReport?>(nil)

    /// - Complexity: O(nodes log nodes + edges) time, O(nodes) memory.
    init(name: String, graph: HeapSnapshot) {
        self.name = name
        self.graph = graph
        let count = graph.nodeCount
        nodesByID = (0..<count).map { Int32($0) }.sorted { graph.id(of: Int($0)) < graph.id(of: Int($1)) }
        dominators = DominatorTree(graph: graph)
        rootPaths = RootPaths(graph: graph)
        var start = [Int](repeating: 0, count: graph.strings.count + 1)
        for node in 0..<count { start[graph.typeIndex(of: node) + 1] += 1 }
        for index in 1..<start.count { start[index] += start[index - 1] }
        var next = start
        var members = [Int32](repeating: 0, count: count)
        for node in 0..<count {
            let type = graph.typeIndex(of: node)
            members[next[type]] = Int32(node)
            next[type] += 1
        }
        typeStart = start
        typeMembers = members
        var byName: [String: [Int]] = [:]
        var totals: [String: (count: Int, bytes: Int)] = [:]
        for type in 0..<graph.strings.count where start[type + 1] > start[type] {
            let name = graph.strings[type]
            byName[name, default: []].append(type)
            var bytes = 0
            for member in members[start[type]..<start[type + 1]] { bytes += graph.shallowSize(of: Int(member)) }
            totals[name, default: (0, 0)].count += start[type + 1] - start[type]
            totals[name, default: (0, 0)].bytes += bytes
        }
        typeIndicesByName = byName
        types = totals.map { TypeCount(name: $0.key, count: $0.value.count, bytes: $0.value.bytes) }
            .sorted { ($0.count, $1.name) > ($1.count, $0.name) }
    }

    /// The node whose object id is `id`, or nil.
    /// - Complexity: O(log nodes).
    func node(withID id: UInt64) -> Int? {
        var low = 0, high = nodesByID.count
        while low < high {
            let middle = (low + high) / 2
            if graph.id(of: Int(nodesByID[middle])) < id { low = middle + 1 } else { high = middle }
        }
        guard low < nodesByID.count, graph.id(of: Int(nodesByID[low])) == id else { return nil }
        return Int(nodesByID[low])
    }

    /// The objects of type `name`, in node order; nil when the snapshot has none.
    /// - Complexity: O(objects of the type).
    func nodes(ofType name: String) -> [Int]? {
        guard let indices = typeIndicesByName[name] else { return nil }
        var nodes: [Int] = []
        for type in indices { nodes += typeMembers[typeStart[type]..<typeStart[type + 1]].map { Int($0) } }
        return indices.count > 1 ? nodes.sorted() : nodes
    }

    /// The leak report (`heapgraph leaks` without baselines), made once.
    /// - Complexity: O(nodes + edges) the first time, O(1) after.
    func leaks() -> LeakReport {
        if let report = leakReport.withLock({ $0 }) { return report }
        let report = LeakReport.analyze(graph, file: name)
        leakReport.withLock { $0 = report }
        return report
    }
}
