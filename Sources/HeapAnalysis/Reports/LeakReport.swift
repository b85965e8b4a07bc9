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
    /// Known leaks (``knownLeaks``) are not among them.
    public var groups: [LeakGroup]
    /// The snapshot file the report is about, when known (SARIF locations, JSON).
    public var file: String?
    /// Number of baseline snapshots given: growth is only looked for when there are some.
    public var baselineCount: Int
    /// Whether a target snapshot was given (memlab's three-snapshot method, ``LeakCategory/survivors``).
    public var targetGiven: Bool = false
    /// How the baselines could be compared with the snapshot; nil without baselines.
    public var comparability: BaselineComparability?
    /// Groups a known-leak list matched (``applying(_:graph:)``): reported apart, never failing.
    public var knownLeaks: [KnownLeak] = []
    /// Entries of the known-leak list that matched nothing: the list has rotted there.
    public var staleKnownLeaks: [KnownLeakEntry] = []
    /// The known-leak list applied, when one was.
    public var knownLeakFile: String?

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

    /// Whether the report can have findings in `category` at all: growth needs baselines,
    /// survivors a target.
    public func checks(_ category: LeakCategory) -> Bool {
        switch category {
        case .growth: baselineCount > 0
        case .survivors: targetGiven
        default: true
        }
    }

    /// Analyzes `graph`; `baselines` are earlier snapshots of the same heap, oldest first,
    /// and `target` (memlab's) one taken after them: objects in it that no baseline has and
    /// `graph` still holds are ``LeakCategory/survivors``. Each object is counted in one
    /// group, the first category it fits (``LeakCategory``'s order); its group lists the
    /// others in ``LeakGroup/alsoFits``. Baselines from another heap
    /// (``BaselineComparability``) are compared by type counts only.
    /// - Complexity: O(nodes + edges) for the cycles; watched objects, survivors and growth
    ///   next to watched objects add one dominator tree, baselines one pass over each.
    public static func analyze(_ graph: HeapSnapshot, baselines: [HeapSnapshot] = [], target: HeapSnapshot? = nil,
                               file: String? = nil) -> LeakReport {
        let strong = StrongEdges(graph: graph)
        let cycles = UnreachableCycles(graph: graph, strong: strong)
        let watchedNodes = (0..<graph.nodeCount).filter { graph.flags(of: $0).contains(.watched) }
        let history = baselines + (target.map { [$0] } ?? [])
        let comparability = history.isEmpty ? nil
            : BaselineComparability(newest: SnapshotOrigin(graph.metadata), older: history.map { SnapshotOrigin($0.metadata) })
        let byObject = comparability?.matchesObjects ?? false
        let needsPaths = !watchedNodes.isEmpty || !history.isEmpty || cycles.leaks.contains(where: \.uncollectable)
        let paths = needsPaths ? RootPaths(graph: graph, strong: strong) : nil
        let comparison = history.isEmpty ? nil : SnapshotComparison(history + [graph], heldOnly: true)
        let growing = Set(comparison?.grewEveryStep ?? [])
        // Ids of the oldest snapshot (what "new" means for growth), needed only to say which
        // watched objects also fit growth or survivors; a set of ids costs tens of bytes each.
        let oldestIDs: Set<UInt64> = byObject && !watchedNodes.isEmpty
            ? Set(history.first.map { old in (0..<old.nodeCount).map(old.id(of:)) } ?? []) : []
        let targetIDs: Set<UInt64> = byObject ? Set(target.map { new in (0..<new.nodeCount).map(new.id(of:)) } ?? []) : []

        var (groups, groupOfLeak) = cycleGroups(graph: graph, cycles: cycles, paths: paths)
        let dominators = paths != nil && (!watchedNodes.isEmpty || (target != nil && byObject))
            ? DominatorTree(graph: graph, strong: strong) : nil
        // Objects counted already, by the precedence: a watched object and what it alone
        // keeps alive; then survivors and what they alone keep alive.
        var claimed: [LeakCategory?] = []
        if let paths, let dominators {
            // Watched objects a cycle's leak retains belong to that cycle's group; the rest
            // (held by a root, or unreachable outside any cycle's leak) are watched.
            var watchedApart: [Int] = []
            for node in watchedNodes {
                if let leak = cycles.leak(retaining: node), let index = groupOfLeak[leak] {
                    if !groups[index].alsoFits.contains(.watched) { groups[index].alsoFits.append(.watched) }
                    if let description = graph.metadata.watched?[graph.id(of: node)] {
                        groups[index].note = groups[index].note ?? "watched: \(description)"
                    }
                } else {
                    watchedApart.append(node)
                }
            }
            // Only growth and survivors ask what is claimed.
            if !history.isEmpty { claimed = dominators.claims(watchedApart).map { $0 ? LeakCategory.watched : nil } }
            // A watched object new since the oldest snapshot also fits growth when its type
            // grew, and survivors when the target has it.
            groups += watchedGroups(graph: graph, nodes: watchedApart, paths: paths, dominators: dominators, strong: strong,
                                    growing: growing) { node in
                let id = graph.id(of: node)
                guard byObject, !oldestIDs.contains(id) else { return [] }
                return (targetIDs.contains(id) ? [.survivors] : []) + (growing.contains(graph.typeName(of: node)) ? [.growth] : [])
            }
            if target != nil, byObject {
                let baselineIDs = Set(baselines.flatMap { old in (0..<old.nodeCount).map(old.id(of:)) })
                groups += survivorGroups(graph: graph, targetIDs: targetIDs, baselineIDs: baselineIDs, paths: paths,
                                         dominators: dominators, strong: strong, growing: growing, claimed: &claimed)
            }
        }
        if let paths, let comparison, !baselines.isEmpty {
            groups += growthGroups(graph: graph, comparison: comparison, paths: paths, strong: strong,
                                   byObject: byObject, claimed: claimed)
            if case .typeCountsOnly(let reason)? = comparability {
                for index in groups.indices where groups[index].category == .growth {
                    groups[index].note = (groups[index].note.map { $0 + "; " } ?? "") + reason
                }
            }
        }
        let order = Dictionary(uniqueKeysWithValues: LeakCategory.allCases.enumerated().map { ($1, $0) })
        groups.sort {
            (order[$0.category] ?? 0, -$0.retainedBytes, -$0.count, $0.fingerprint)
                < (order[$1.category] ?? 0, -$1.retainedBytes, -$1.count, $1.fingerprint)
        }
        var report = LeakReport(groups: groups, file: file, baselineCount: baselines.count)
        report.targetGiven = target != nil
        report.comparability = comparability
        return report
    }

    /// One group per (category, cycle fingerprint); the example is the group's first leak.
    static func cycleGroups(graph: HeapSnapshot, cycles: UnreachableCycles, paths: RootPaths?)
        -> (groups: [LeakGroup], groupOfLeak: [Int?]) {
        var groups: [LeakGroup] = []
        var groupOfLeak: [Int?] = []
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
                groups[index].addMember(id: graph.id(of: leak.members[0]), bytes: leak.bytes, retainedBytes: leak.retainedBytes)
                groupOfLeak.append(index)
                continue
            }
            let example = CycleShape.exampleCycle(graph: graph, members: leak.members.map { Int32($0) },
                                                  component: cycles.components.component)
            let trace = leak.members.lazy.compactMap { paths?.trace(to: $0, in: graph) }.first
            groupIndex[key] = groups.count
            groupOfLeak.append(groups.count)
            var group = LeakGroup(category: category, fingerprint: shape.fingerprint, count: 1, types: shape.types,
                                  bytes: leak.bytes, retainedBytes: leak.retainedBytes, exampleCycle: example?.text,
                                  trace: trace, exampleNodes: Array(leak.members.prefix(Self.exampleNodeLimit)))
            // The example reads `A.x → B.y → A`: the last reference closes the cycle.
            let pieces = example.map { $0.text.split(separator: " → ", omittingEmptySubsequences: false).map(String.init) } ?? []
            if pieces.count >= 2 { group.suspectReference = pieces[pieces.count - 2] }
            group.allocationSite = allocationSite(graph: graph, nodes: leak.members)
            group.addExample(id: graph.id(of: leak.members[0]))
            groups.append(group)
        }
        return (groups, groupOfLeak)
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

    /// Watched objects no cycle's leak retains, grouped by type and trace (indexes as `[x]`;
    /// an unreachable one has no trace).
    static func watchedGroups(graph: HeapSnapshot, nodes: [Int], paths: RootPaths, dominators: DominatorTree,
                              strong: StrongEdges, growing: Set<String>,
                              alsoFits: (Int) -> [LeakCategory]) -> [LeakGroup] {
        var groups: [LeakGroup] = []
        var groupIndex: [String: Int] = [:]
        for node in nodes {
            let type = graph.typeName(of: node)
            var trace = paths.trace(to: node, in: graph)
            var hash = FNV1a()
            hash.combine("watched\u{1D}" + type + "\u{1D}" + (trace?.signature ?? ""))
            let retained = dominators.retainedSize(of: node)
            let others = alsoFits(node)
            if let index = groupIndex[hash.hex] {
                groups[index].addMember(id: graph.id(of: node), bytes: graph.shallowSize(of: node), retainedBytes: retained)
                for category in others where !groups[index].alsoFits.contains(category) { groups[index].alsoFits.append(category) }
                groups[index].alsoFits.sort { LeakCategory.allCases.firstIndex(of: $0) ?? 0 < LeakCategory.allCases.firstIndex(of: $1) ?? 0 }
                continue
            }
            trace?.markSuspect(graph: graph, strong: strong, growingTypes: growing)
            groupIndex[hash.hex] = groups.count
            var group = LeakGroup(category: .watched, fingerprint: hash.hex, count: 1, types: [type],
                                  bytes: graph.shallowSize(of: node), retainedBytes: retained, trace: trace,
                                  exampleNodes: trace?.steps.map(\.node) ?? [node],
                                  description: graph.metadata.watched?[graph.id(of: node)])
            group.alsoFits = others
            group.allocationSite = allocationSite(graph: graph, nodes: [node])
            group.addExample(id: graph.id(of: node))
            groups.append(group)
        }
        return groups
    }

    /// memlab's leaks: objects of `graph` held by a root that `target` has and no baseline
    /// has, not claimed by a watched group. Only those no other survivor dominates are
    /// counted (a session's name string is part of the session's leak); they are grouped
    /// by type and leak trace. Marks everything they dominate as claimed.
    static func survivorGroups(graph: HeapSnapshot, targetIDs: Set<UInt64>, baselineIDs: Set<UInt64>, paths: RootPaths,
                               dominators: DominatorTree, strong: StrongEdges, growing: Set<String>,
                               claimed: inout [LeakCategory?]) -> [LeakGroup] {
        var survivor = [Bool](repeating: false, count: graph.nodeCount)
        for node in 0..<graph.nodeCount where paths.isReachable(node) && claimed[node] == nil {
            let id = graph.id(of: node)
            survivor[node] = targetIDs.contains(id) && !baselineIDs.contains(id)
        }
        var groups: [LeakGroup] = []
        var groupIndex: [String: Int] = [:]
        for node in 0..<graph.nodeCount where survivor[node] {
            if let dominator = dominators.immediateDominator(of: node), survivor[dominator] { continue }
            let type = graph.typeName(of: node)
            var trace = paths.trace(to: node, in: graph)
            var hash = FNV1a()
            hash.combine("survivors\u{1D}" + type + "\u{1D}" + (trace?.signature ?? ""))
            let retained = dominators.retainedSize(of: node)
            if let index = groupIndex[hash.hex] {
                groups[index].addMember(id: graph.id(of: node), bytes: graph.shallowSize(of: node), retainedBytes: retained)
                continue
            }
            trace?.markSuspect(graph: graph, strong: strong, growingTypes: growing)
            groupIndex[hash.hex] = groups.count
            groups.append(LeakGroup(category: .survivors, fingerprint: hash.hex, count: 1, types: [type],
                                    bytes: graph.shallowSize(of: node), retainedBytes: retained, trace: trace,
                                    exampleNodes: trace?.steps.map(\.node) ?? [node]))
            groups[groups.count - 1].addExample(id: graph.id(of: node))
        }
        let more = dominators.claims((0..<graph.nodeCount).filter { survivor[$0] })
        for node in claimed.indices where more[node] && claimed[node] == nil { claimed[node] = .survivors }
        for index in groups.indices where growing.contains(groups[index].types[0]) { groups[index].alsoFits.append(.growth) }
        return groups
    }

    /// One group per type that grew at every step; up to three new objects (ids absent
    /// from the oldest baseline) as examples, the first reachable one with its trace. New
    /// objects already counted by a watched or survivors group (`claimed`) are taken off the
    /// count, and a type whose growth they explain entirely has no group. Without
    /// `byObject` (baselines of another heap) only the counts are compared.
    static func growthGroups(graph: HeapSnapshot, comparison: SnapshotComparison, paths: RootPaths, strong: StrongEdges,
                             byObject: Bool, claimed: [LeakCategory?]) -> [LeakGroup] {
        // Only what the program holds: garbage that grows is already reported as garbage.
        guard !comparison.grewEveryStep.isEmpty else { return [] }
        let growing = Set(comparison.grewEveryStep)
        var newNodes: [String: [Int]] = [:]
        var claimedNew: [String: (count: Int, bytes: Int)] = [:]
        var claimers: [String: Set<LeakCategory>] = [:]
        if byObject {
            for entry in comparison.newNodes(limit: Int.max) where growing.contains(entry.type) {
                var kept: [Int] = []
                for node in entry.nodes where paths.isReachable(node) {
                    if !claimed.isEmpty, let category = claimed[node] {
                        claimers[entry.type, default: []].insert(category)
                        claimedNew[entry.type, default: (0, 0)].count += 1
                        claimedNew[entry.type, default: (0, 0)].bytes += graph.shallowSize(of: node)
                    } else {
                        kept.append(node)
                    }
                }
                newNodes[entry.type] = kept
            }
        }
        return comparison.rows.filter { growing.contains($0.name) }.compactMap { row in
            let taken = claimedNew[row.name] ?? (0, 0)
            let count = row.change - taken.count
            guard count > 0 else { return nil }
            let examples = Array((newNodes[row.name] ?? []).prefix(3))
            var trace = examples.lazy.compactMap { paths.trace(to: $0, in: graph) }.first
            trace?.markSuspect(graph: graph, strong: strong, growingTypes: growing)
            var hash = FNV1a()
            hash.combine("growth\u{1D}" + row.name)
            let steps = row.counts.map(String.init).joined(separator: " → ")
            var group = LeakGroup(category: .growth, fingerprint: hash.hex, count: count, types: [row.name],
                                  bytes: row.bytesChange - taken.bytes, retainedBytes: row.bytesChange - taken.bytes,
                                  trace: trace, exampleNodes: examples, note: "count \(steps)")
            if taken.count > 0 {
                let others = LeakCategory.allCases.filter { claimers[row.name]?.contains($0) == true }.map(\.rawValue)
                group.note = (group.note ?? "") + "; \(taken.count) more new counted under \(others.joined(separator: ", "))"
            }
            group.allocationSite = allocationSite(graph: graph, nodes: examples)
            group.exampleIDs = Array((newNodes[row.name] ?? []).prefix(LeakGroup.exampleIDLimit).map(graph.id(of:)))
            return group
        }
    }
}
