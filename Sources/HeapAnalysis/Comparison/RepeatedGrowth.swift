import HeapGraphModel

/// LeakCanary 3's heap-growth detection over a series of snapshots of one heap: the types
/// whose object count went up by at least `minGrowth` between every two consecutive
/// snapshots, and the references that grew with them — the collections (a list in a module
/// global, a dict attribute) whose length went up by at least `minGrowth` at every step,
/// named by the reference that holds them (`dict['cache']`, `service.REGISTRY`,
/// `Cart.items`) and by the types of the objects they gained.
///
/// Collections are matched across snapshots by object id, so this needs ids that are
/// stable across snapshots of one heap (HeapRuntime's serial numbers, V8's ids).
///
/// ```swift
/// let growth = RepeatedGrowth([first, second, third], minGrowth: 2)
/// for type in growth.types { print(type.name, type.counts, type.references.map(\.name)) }
/// ```
public struct RepeatedGrowth: Sendable {
    /// A collection whose length grew by at least the minimum at every step.
    public struct GrowingReference: Sendable, Hashable {
        /// The collection's id (the same in every snapshot).
        public var id: UInt64
        /// The collection's type (`list`, `dict`).
        public var type: String
        /// The reference that holds it in the newest snapshot: `dict['cache']`,
        /// `Holder.items`, a root's name (`service.REGISTRY`), or `held by the host
        /// program` for a collection only the host holds; `unreachable` for garbage.
        public var name: String
        /// Its length (items; a dict's keys; other objects' references) in each snapshot.
        public var lengths: [Int]
        /// Types of the objects it refers to in the newest snapshot and did not in the
        /// oldest, with how many, most first (ties by name).
        public var gained: [(type: String, count: Int)]

        public static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.id == rhs.id && lhs.type == rhs.type && lhs.name == rhs.name && lhs.lengths == rhs.lengths
                && lhs.gained.map(\.type) == rhs.gained.map(\.type) && lhs.gained.map(\.count) == rhs.gained.map(\.count)
        }

        public func hash(into hasher: inout Hasher) { hasher.combine(id) }
    }

    /// A type whose count grew by at least the minimum at every step.
    public struct GrowingType: Sendable, Hashable {
        public var name: String
        /// Objects of the type in each snapshot, oldest first.
        public var counts: [Int]
        /// The growing references that hold this type's new objects (indices in
        /// ``RepeatedGrowth/references``), those holding the most first: the nearest
        /// growing collection on each new object's shortest path from a root, so a
        /// session reached through a growing list of listeners is put down to that list.
        public var references: [Int]
    }

    /// Growing types, by total growth (largest first), then name.
    public var types: [GrowingType]
    /// Growing references, by total growth of their length (largest first), then id.
    public var references: [GrowingReference]
    public let snapshotCount: Int
    public let minGrowth: Int

    /// - Parameters:
    ///   - graphs: snapshots of one heap, oldest first (two or more).
    ///   - minGrowth: the least growth, at every step, that counts (1 or more).
    /// - Complexity: O(total nodes + edges of every snapshot), plus one search from the
    ///   roots of the newest to name the references.
    public init(_ graphs: [HeapSnapshot], minGrowth: Int) {
        snapshotCount = graphs.count
        self.minGrowth = max(minGrowth, 1)
        let minimum = self.minGrowth
        func grewEveryStep(_ values: [Int]) -> Bool {
            values.count >= 2 && zip(values, values.dropFirst()).allSatisfy { $1 - $0 >= minimum }
        }
        guard let last = graphs.last, graphs.count >= 2 else {
            types = []
            references = []
            return
        }

        // 1. Collections: every object of the newest snapshot that is in each older one
        //    (same id), with its length in each.
        let nodeByID: [[UInt64: Int]] = graphs.dropLast().map { graph in
            var map: [UInt64: Int] = [:]
            map.reserveCapacity(graph.nodeCount)
            for node in 0..<graph.nodeCount { map[graph.id(of: node)] = node }
            return map
        }
        func length(_ graph: HeapSnapshot, _ node: Int) -> Int { graph.itemCount(of: node) ?? graph.outDegree(of: node) }
        var growing: [(node: Int, lengths: [Int])] = []
        for node in 0..<last.nodeCount where last.outDegree(of: node) >= minimum * (graphs.count - 1) {
            let id = last.id(of: node)
            var lengths: [Int] = []
            lengths.reserveCapacity(graphs.count)
            for (position, map) in nodeByID.enumerated() {
                guard let old = map[id] else { break }
                lengths.append(length(graphs[position], old))
            }
            guard lengths.count == graphs.count - 1 else { continue }
            lengths.append(length(last, node))
            if grewEveryStep(lengths) { growing.append((node, lengths)) }
        }

        // 2. Name each by the reference holding it, and find what it gained.
        let paths = growing.isEmpty ? nil : RootPaths(graph: last)
        let oldest = graphs[0]
        var references: [GrowingReference] = []
        var referenceOfNode: [Int: Int] = [:]
        for (node, lengths) in growing {
            referenceOfNode[node] = references.count
            var oldTargets = Set<UInt64>()
            if let old = nodeByID[0][last.id(of: node)] {
                for edge in oldest.edges(of: old) { oldTargets.insert(oldest.id(of: edge.target)) }
            }
            var gained: [String: Int] = [:]
            for edge in last.edges(of: node) where !edge.isWeak && !oldTargets.contains(last.id(of: edge.target)) {
                gained[last.typeName(of: edge.target), default: 0] += 1
            }
            references.append(GrowingReference(
                id: last.id(of: node), type: last.typeName(of: node),
                name: Self.referenceName(of: node, in: last, paths: paths), lengths: lengths,
                gained: gained.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { ($0.key, $0.value) }))
        }
        let order = references.indices.sorted {
            let (a, b) = (references[$0], references[$1])
            let growthA = (a.lengths.last ?? 0) - (a.lengths.first ?? 0), growthB = (b.lengths.last ?? 0) - (b.lengths.first ?? 0)
            return growthA != growthB ? growthA > growthB : a.id < b.id
        }
        var position = [Int](repeating: 0, count: references.count)
        for (rank, index) in order.enumerated() { position[index] = rank }
        self.references = order.map { references[$0] }

        // 3. Types that grew at every step; each new object's nearest growing collection
        //    on its path from a root is what holds the growth.
        let comparison = SnapshotComparison(graphs)
        let newNodes = Dictionary(comparison.newNodes(limit: Int.max).map { ($0.type, $0.nodes) }, uniquingKeysWith: { a, _ in a })
        types = comparison.rows.filter { grewEveryStep($0.counts) }
            .sorted { ($0.change, $1.name) > ($1.change, $0.name) }
            .map { row in
                var holding: [Int: Int] = [:]
                if let paths {
                    for node in (newNodes[row.name] ?? []).prefix(Self.newObjectsFollowed) {
                        guard let path = paths.path(to: node) else { continue }
                        if let holder = path.dropLast().reversed().first(where: { referenceOfNode[$0] != nil }),
                           let index = referenceOfNode[holder] {
                            holding[position[index], default: 0] += 1
                        }
                    }
                }
                let ranked = holding.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key)
                return GrowingType(name: row.name, counts: row.counts, references: ranked)
            }
    }

    /// New objects of a growing type whose paths are followed to find what holds them.
    static let newObjectsFollowed = 1_000

    /// How the reference holding `node` reads: the edge into it on its shortest path from
    /// a root, or the root's own name.
    static func referenceName(of node: Int, in graph: HeapSnapshot, paths: RootPaths?) -> String {
        guard let trace = paths?.trace(to: node, in: graph) else { return "unreachable" }
        guard trace.steps.count >= 2 else {
            if let name = trace.rootName { return name }
            // A root the host holds: named by a reference to it when it has one (the
            // service's globals dict holding its `listeners` list).
            if let edge = graph.referrers(of: node).lazy.compactMap({ graph.strongEdge(from: $0, to: node) }).first {
                return HeapSnapshot.referenceText(type: graph.typeName(of: edge.source), label: graph.labelText(edge))
            }
            return "held by the host program"
        }
        let holder = trace.steps[trace.steps.count - 2]
        return HeapSnapshot.referenceText(type: holder.typeName, label: holder.reference ?? "?")
    }
}
