import HeapGraphModel

/// Everything a snapshot says is leaking, grouped so that one bug reads as one entry:
/// uncollectable cycles, cyclic garbage, watched objects still alive, and (given baseline
/// snapshots) types that grow at every step. The definitions are in docs/leak-report.md.
///
/// ```swift
/// let report = LeakReport.analyze(try HeapSnapshot(contentsOf: "app.heapgraph"))
/// print(report.text())
/// if !report.findings(in: [.uncollectable, .cyclicGarbage]).isEmpty { exit(1) }
/// ```
public struct LeakReport: Sendable {
    /// Groups by category (in ``LeakCategory`` order), then largest retained size first.
    public var groups: [LeakGroup]
    /// The snapshot file the report is about, when known (SARIF locations, JSON).
    public var file: String?
    /// Number of baseline snapshots given: growth is only looked for when there are some.
    public var baselineCount: Int

    public init(groups: [LeakGroup], file: String? = nil, baselineCount: Int = 0) {
        self.groups = groups
        self.file = file
        self.baselineCount = baselineCount
    }

    /// The groups of the given categories, in report order.
    public func findings(in categories: Set<LeakCategory>) -> [LeakGroup] {
        groups.filter { categories.contains($0.category) }
    }

    /// Number of leaks (the groups' counts added) in a category.
    public func leakCount(in category: LeakCategory) -> Int {
        groups.reduce(0) { $0 + ($1.category == category ? $1.count : 0) }
    }

    /// Analyzes `graph`; `baselines` are earlier snapshots of the same heap, oldest first.
    /// - Complexity: O(nodes + edges) for the cycles; watched objects add one dominator
    ///   tree, baselines one pass over each.
    public static func analyze(_ graph: HeapSnapshot, baselines: [HeapSnapshot] = [], file: String? = nil) -> LeakReport {
        let strong = StrongEdges(graph: graph)
        let cycles = UnreachableCycles(graph: graph, strong: strong)
        let watchedNodes = (0..<graph.nodeCount).filter { graph.flags(of: $0).contains(.watched) }
        let needsPaths = !watchedNodes.isEmpty || !baselines.isEmpty || cycles.leaks.contains(where: \.uncollectable)
        let paths = needsPaths ? RootPaths(graph: graph, strong: strong) : nil

        var groups = cycleGroups(graph: graph, cycles: cycles, paths: paths)
        if let paths, !watchedNodes.isEmpty {
            let dominators = DominatorTree(graph: graph, strong: strong)
            groups += watchedGroups(graph: graph, nodes: watchedNodes, cycles: cycles, paths: paths, dominators: dominators)
        }
        if let paths, !baselines.isEmpty {
            groups += growthGroups(graph: graph, baselines: baselines, paths: paths)
        }
        let order = Dictionary(uniqueKeysWithValues: LeakCategory.allCases.enumerated().map { ($1, $0) })
        groups.sort {
            (order[$0.category] ?? 0, -$0.retainedBytes, -$0.count, $0.fingerprint)
                < (order[$1.category] ?? 0, -$1.retainedBytes, -$1.count, $1.fingerprint)
        }
        return LeakReport(groups: groups, file: file, baselineCount: baselines.count)
    }

    /// One group per (category, cycle fingerprint); the example is the group's first leak.
    static func cycleGroups(graph: HeapSnapshot, cycles: UnreachableCycles, paths: RootPaths?) -> [LeakGroup] {
        var groups: [LeakGroup] = []
        var groupIndex: [String: Int] = [:]
        // A thousand identical leaks have the same shape in integers (type and label string
        // indices); the fingerprint's strings are made once per distinct shape.
        var shapes: [[UInt64]: CycleShape] = [:]
        for leak in cycles.leaks {
            let shapeKey = CycleShape.integerKey(graph: graph, members: leak.members, component: cycles.components.component)
            let shape: CycleShape
            if let known = shapes[shapeKey] { shape = known } else {
                shape = CycleShape(graph: graph, members: leak.members.map { Int32($0) }, component: cycles.components.component)
                shapes[shapeKey] = shape
            }
            let category: LeakCategory = leak.uncollectable ? .uncollectable : .cyclicGarbage
            let key = category.rawValue + ":" + shape.fingerprint
            if let index = groupIndex[key] {
                groups[index].count += 1
                groups[index].bytes += leak.bytes
                groups[index].retainedBytes += leak.retainedBytes
                continue
            }
            let example = CycleShape.exampleCycle(graph: graph, members: leak.members.map { Int32($0) },
                                                  component: cycles.components.component)
            let trace = leak.members.lazy.compactMap { paths?.trace(to: $0, in: graph) }.first
            groupIndex[key] = groups.count
            groups.append(LeakGroup(category: category, fingerprint: shape.fingerprint, count: 1, types: shape.types,
                                    bytes: leak.bytes, retainedBytes: leak.retainedBytes, exampleCycle: example?.text,
                                    trace: trace, exampleNodes: Array(leak.members.prefix(Self.exampleNodeLimit)),
                                    allocationSite: allocationSite(graph: graph, nodes: leak.members)))
        }
        return groups
    }

    /// The recorded allocation site of the first of `nodes` that has one (the example
    /// object of a group); nil when the snapshot recorded none.
    static func allocationSite(graph: HeapSnapshot, nodes: some Sequence<Int>) -> String? {
        guard !graph.metadata.allocationSiteIndexes.isEmpty else { return nil }
        for node in nodes {
            if let site = graph.metadata.allocationSite(of: graph.id(of: node)) { return site }
        }
        return nil
    }

    /// At most this many nodes of an example leak are listed (a ring can be huge).
    static let exampleNodeLimit = 1_000

    /// Watched objects, grouped by type and trace (indexes as `[x]`), or by type and the
    /// kind of garbage they are in.
    static func watchedGroups(graph: HeapSnapshot, nodes: [Int], cycles: UnreachableCycles, paths: RootPaths,
                              dominators: DominatorTree) -> [LeakGroup] {
        var groups: [LeakGroup] = []
        var groupIndex: [String: Int] = [:]
        for node in nodes {
            let type = graph.typeName(of: node)
            var trace: LeakTrace?
            var note: String?
            var signature = type
            if cycles.isUnreachable(node) {
                let uncollectable = cycles.leak(retaining: node).map { cycles.leaks[$0].uncollectable }
                    ?? graph.flags(of: node).contains(.inGarbage)
                note = uncollectable ? "unreachable: kept by an uncollectable cycle in gc.garbage"
                    : "unreachable: in cyclic garbage"
                signature += "\u{1D}" + (uncollectable ? "uncollectable" : "cyclic-garbage")
            } else if let found = paths.trace(to: node, in: graph) {
                trace = found
                signature += "\u{1D}" + found.signature
            }
            var hash = FNV1a()
            hash.combine("watched\u{1D}" + signature)
            let retained = dominators.retainedSize(of: node)
            if let index = groupIndex[hash.hex] {
                groups[index].count += 1
                groups[index].bytes += graph.shallowSize(of: node)
                groups[index].retainedBytes += retained
                continue
            }
            groupIndex[hash.hex] = groups.count
            groups.append(LeakGroup(category: .watched, fingerprint: hash.hex, count: 1, types: [type],
                                    bytes: graph.shallowSize(of: node), retainedBytes: retained, trace: trace,
                                    exampleNodes: trace?.steps.map(\.node) ?? [node],
                                    description: graph.metadata.watched?[graph.id(of: node)], note: note,
                                    allocationSite: allocationSite(graph: graph, nodes: [node])))
        }
        return groups
    }

    /// One group per type that grew at every step; up to three new objects (ids absent
    /// from the oldest baseline) as examples, the first reachable one with its trace.
    static func growthGroups(graph: HeapSnapshot, baselines: [HeapSnapshot], paths: RootPaths) -> [LeakGroup] {
        // Only what the program holds: garbage that grows is already reported as garbage.
        let comparison = SnapshotComparison(baselines + [graph], heldOnly: true)
        guard !comparison.grewEveryStep.isEmpty else { return [] }
        let growing = Set(comparison.grewEveryStep)
        var newNodes: [String: [Int]] = [:]
        for entry in comparison.newNodes(limit: Int.max) where growing.contains(entry.type) {
            newNodes[entry.type] = entry.nodes.filter { paths.isReachable($0) }
        }
        return comparison.rows.filter { growing.contains($0.name) }.map { row in
            let examples = Array((newNodes[row.name] ?? []).prefix(3))
            let trace = examples.lazy.compactMap { paths.trace(to: $0, in: graph) }.first
            var hash = FNV1a()
            hash.combine("growth\u{1D}" + row.name)
            let steps = row.counts.map(String.init).joined(separator: " → ")
            return LeakGroup(category: .growth, fingerprint: hash.hex, count: row.change, types: [row.name],
                             bytes: row.bytesChange, retainedBytes: row.bytesChange, trace: trace,
                             exampleNodes: examples, note: "count \(steps)",
                             allocationSite: allocationSite(graph: graph, nodes: examples))
        }
    }
}
