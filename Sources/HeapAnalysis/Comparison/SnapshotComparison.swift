import HeapGraphModel

/// Growth between two or more snapshots of the same heap: per-type counts and bytes in each,
/// the types that grew at every step, and the objects new in the last one.
///
/// Objects are matched by id (HeapRuntime's address), so an object freed and another made
/// at the same address look the same: compare snapshots of one running heap, taken close
/// enough that the question is "what piled up", as objgraph's `get_new_ids` does.
///
/// ```swift
/// let comparison = SnapshotComparison([before, during, after])
/// print(comparison.text(limit: 10))
/// ```
public struct SnapshotComparison: Sendable {
    /// Every type in any snapshot, by the size of its count change (largest first, growth
    /// and shrinking alike), then by name.
    public var rows: [TypeGrowthRow]
    /// Types whose count went up between every two consecutive snapshots, by name.
    public var grewEveryStep: [String]
    /// Number of snapshots compared.
    public let snapshotCount: Int
    /// Whether the snapshots are of one heap (``newObjects(limit:)`` matches ids) or only
    /// their type counts can be compared (``newObjects(limit:)`` is then empty).
    public let comparability: BaselineComparability
    private let first: HeapSnapshot?
    private let last: HeapSnapshot?

    /// - Parameters:
    ///   - graphs: snapshots oldest first; at least two (with fewer, every change is zero
    ///     and nothing is new).
    ///   - heldOnly: count only objects reachable from a root over strong references (what
    ///     the program holds), leaving out garbage; the leak report's growth suspects use
    ///     this, since garbage has categories of its own.
    /// - Complexity: O(total nodes), plus O(edges) per snapshot with `heldOnly`.
    public init(_ graphs: [HeapSnapshot], heldOnly: Bool = false) {
        snapshotCount = graphs.count
        comparability = BaselineComparability(newest: graphs.last.map { SnapshotOrigin($0.metadata) } ?? SnapshotOrigin(),
                                              older: graphs.dropLast().map { SnapshotOrigin($0.metadata) })
        first = graphs.first
        last = graphs.last
        var rowByName: [String: Int] = [:]
        var rows: [TypeGrowthRow] = []
        for (position, graph) in graphs.enumerated() {
            // Count by type-string index within one snapshot (no String per node), then
            // name the few types.
            let held = heldOnly ? RootPaths(graph: graph) : nil
            var countByType = [Int](repeating: 0, count: graph.strings.count)
            var bytesByType = [Int](repeating: 0, count: graph.strings.count)
            for node in 0..<graph.nodeCount where held?.isReachable(node) ?? true {
                let type = graph.typeIndex(of: node)
                countByType[type] += 1
                bytesByType[type] += graph.shallowSize(of: node)
            }
            var counts: [String: (count: Int, bytes: Int)] = [:]
            for type in countByType.indices where countByType[type] > 0 {
                counts[graph.strings[type], default: (0, 0)].count += countByType[type]
                counts[graph.strings[type], default: (0, 0)].bytes += bytesByType[type]
            }
            for (name, total) in counts {
                let row: Int
                if let existing = rowByName[name] { row = existing } else {
                    row = rows.count
                    rowByName[name] = row
                    rows.append(TypeGrowthRow(name: name, counts: Array(repeating: 0, count: graphs.count),
                                              bytes: Array(repeating: 0, count: graphs.count)))
                }
                rows[row].counts[position] = total.count
                rows[row].bytes[position] = total.bytes
            }
        }
        rows.sort { (abs($0.change), $1.name) > (abs($1.change), $0.name) }
        self.rows = rows
        self.grewEveryStep = rows.filter(\.grewEveryStep).map(\.name).sorted()
    }

    /// Ids present in the last snapshot and absent from the first, grouped by type: the
    /// `limit` types with the most new objects (ties by name), ids ascending. Empty for
    /// snapshots of different heaps (``comparability``), whose ids mean nothing to each other.
    /// - Complexity: O(nodes of both) plus sorting the new ids.
    public func newObjects(limit: Int) -> [(type: String, ids: [UInt64])] {
        newNodes(limit: limit).map { entry in
            (entry.type, entry.nodes.compactMap { last?.id(of: $0) }.sorted())
        }
    }

    /// Like ``newObjects(limit:)``, as ordinals of the last snapshot.
    func newNodes(limit: Int) -> [(type: String, nodes: [Int])] {
        guard limit > 0, comparability.matchesObjects, let first, let last, first.nodeCount + last.nodeCount > 0 else { return [] }
        var old = Set<UInt64>(minimumCapacity: first.nodeCount)
        for node in 0..<first.nodeCount { old.insert(first.id(of: node)) }
        var byType: [String: [Int]] = [:]
        for node in 0..<last.nodeCount where !old.contains(last.id(of: node)) {
            byType[last.typeName(of: node), default: []].append(node)
        }
        return byType.sorted { ($0.value.count, $1.key) > ($1.value.count, $0.key) }
            .prefix(limit).map { ($0.key, $0.value) }
    }
}
