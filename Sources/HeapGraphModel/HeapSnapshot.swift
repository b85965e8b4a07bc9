import HeapGraphFormat

/// The compact graph of a heap: what a `.heapgraph` file holds, or what a live heap gives
/// through `init(heap:)`, in one form the analyzer uses directly.
///
/// Nodes are numbered 0..<``nodeCount``. Edges are stored as compressed sparse rows in
/// both directions: a node's outgoing edges, and its incoming ones, are contiguous.
///
/// The graph is source-neutral: a node has a kind (`NodeKind`) beside its type name, an edge
/// one of the format's kinds (attributes, indexes, dict keys and values, closure variables,
/// internal, hidden, shortcut; weak or not), and a heap's named roots (``roots``) come with
/// it; which runtime the heap came from is ``SnapshotMetadata/runtime``. CPython's notions
/// (generations, `gc.garbage`, legacy finalizers) are data the analysis uses when present.
///
/// Memory: 39 bytes per node (id 8, reference count 4, type 4, value label 4, shallow size
/// 4, external count 4, generation 1, flags 1, kind 1, edge start 4, reverse start 4) and 13
/// bytes per edge (target 4, label code 1 and value 4, reverse source 4), plus the string
/// table and roots. Node counts, edge counts and string indexes go up to 2³² − 1.
///
/// ```swift
/// let graph = try HeapSnapshot(contentsOf: "app.heapgraph")
/// for node in 0..<graph.nodeCount where graph.typeName(of: node) == "Node" {
///     for edge in graph.edges(of: node) { print(graph.labelText(edge), graph.typeName(of: edge.target)) }
/// }
/// ```
public struct HeapSnapshot: Sendable {
    /// Node flags, as the file stores them (the format's definition, shared with the writer).
    public typealias NodeFlags = HeapGraphFormat.NodeFlags

    /// What labels an edge (see docs/snapshot-format.md).
    public typealias EdgeKind = SnapshotFormat.EdgeKind

    /// One edge, as ``edges(of:)`` gives it.
    public struct Edge: Hashable, Sendable {
        public var source: Int
        public var target: Int
        public var kind: EdgeKind
        /// The index, the key or attribute-name node, or the string index, by kind.
        public var value: Int
        public var isWeak: Bool
        /// Whether a key or attribute is named by a string index (`value`) rather than a node.
        public var nameIsText: Bool

        @inlinable
        init(source: Int, target: Int, code: UInt8, payload: UInt32) {
            let label = PackedEdgeLabel(code: code, payload: payload)
            self.source = source
            self.target = target
            kind = label.kind
            value = label.value
            isWeak = label.isWeak
            nameIsText = label.nameIsText
        }
    }

    /// A node's outgoing edges (``edges(of:)``): a view of three columns, no copy. It holds
    /// only those columns, so getting one costs three reference-count operations, not one
    /// per column of the graph.
    public struct EdgeList: RandomAccessCollection, Sendable {
        @usableFromInline let targets: [UInt32]
        @usableFromInline let codes: [UInt8]
        @usableFromInline let values: [UInt32]
        @usableFromInline let range: Range<Int>
        @usableFromInline let source: Int

        @inlinable
        init(targets: [UInt32], codes: [UInt8], values: [UInt32], range: Range<Int>, source: Int) {
            self.targets = targets
            self.codes = codes
            self.values = values
            self.range = range
            self.source = source
        }

        @inlinable public var startIndex: Int { range.lowerBound }
        @inlinable public var endIndex: Int { range.upperBound }
        /// The edge at a graph-wide edge index (``startIndex`` ..< ``endIndex``).
        @inlinable public subscript(position: Int) -> Edge {
            Edge(source: source, target: Int(targets[position]), code: codes[position], payload: values[position])
        }
    }

    /// The nodes that refer to one node (``referrers(of:)``), one entry per edge.
    public struct ReferrerList: RandomAccessCollection, Sendable {
        @usableFromInline let sources: [UInt32]
        @usableFromInline let range: Range<Int>

        @inlinable
        init(sources: [UInt32], range: Range<Int>) {
            self.sources = sources
            self.range = range
        }

        @inlinable public var startIndex: Int { range.lowerBound }
        @inlinable public var endIndex: Int { range.upperBound }
        @inlinable public subscript(position: Int) -> Int { Int(sources[position]) }
    }

    /// A root record: a node the program holds, under a name.
    public struct Root: Hashable, Sendable {
        public var node: Int
        /// "app.REGISTRY", "thread 1: f (a.py:3)", "gc.garbage", "(Strong roots)".
        public var name: String
        public var category: RootCategory
        public init(node: Int, name: String, category: RootCategory) {
            self.node = node
            self.name = name
            self.category = category
        }
    }

    public let nodeCount: Int
    public let edgeCount: Int
    /// The strings the file's records refer to.
    public let strings: [String]
    /// The file's metadata (empty for a graph taken from a live heap without metadata).
    public let metadata: SnapshotMetadata
    /// Edges and roots of a file of ids (`SnapshotFormat.NodeReferences.ids`, what the CPython
    /// dumper writes) whose id was no node's, which the reader dropped; 0 for other graphs.
    public internal(set) var unresolvedReferences = 0

    var ids: [UInt64]
    var referenceCounts: [UInt32]
    var typeIndices: [UInt32]
    var valueLabels: [UInt32]
    var shallowSizes: [UInt32]
    var externalCounts: [Int32]
    var generations: [UInt8]
    var nodeFlags: [UInt8]
    var nodeKinds: [UInt8]
    /// The heap's named roots, in the file's order.
    public let roots: [Root]
    /// Per node, the index of its first root record, or -1; empty when there are none.
    var rootIndex: [Int32]
    @usableFromInline var edgeStart: [UInt32]
    @usableFromInline var edgeTargets: [UInt32]
    /// Per edge, the label's code byte and value (``PackedEdgeLabel``).
    @usableFromInline var edgeCodes: [UInt8]
    @usableFromInline var edgeValues: [UInt32]
    @usableFromInline var reverseStart: [UInt32]
    @usableFromInline var reverseSources: [UInt32]

    // MARK: Nodes

    /// The object's id in the heap it came from.
    public func id(of node: Int) -> UInt64 { ids[node] }
    /// Type name (a class name for instances).
    public func typeName(of node: Int) -> String { strings[Int(typeIndices[node])] }
    /// objgraph's short label for atoms and classes (`'text'`, `42`, a class name), or nil.
    public func valueLabel(of node: Int) -> String? {
        valueLabels[node] == 0xFFFF_FFFF ? nil : strings[Int(valueLabels[node])]
    }
    public func shallowSize(of node: Int) -> Int { Int(shallowSizes[node]) }
    /// The reference count (saturated at 2³²−1; immortal objects carry the immortal flag).
    public func referenceCount(of node: Int) -> Int { Int(referenceCounts[node]) }
    /// References held from outside the heap: > 0 makes the node a root.
    public func externalCount(of node: Int) -> Int { Int(externalCounts[node]) }
    /// 0, 1, 2, 3 (permanent), or nil when untracked.
    public func generation(of node: Int) -> Int? { generations[node] == 255 ? nil : Int(generations[node]) }
    public func flags(of node: Int) -> NodeFlags { NodeFlags(rawValue: nodeFlags[node]) }
    /// What the node is, beside its type name.
    public func kind(of node: Int) -> NodeKind { NodeKind(rawValue: nodeKinds[node]) ?? .object }
    /// Whether the program holds the node: it has a root record, or references from outside
    /// the heap (an external count).
    public func isRoot(_ node: Int) -> Bool {
        (externalCounts[node] > 0 && !flags(of: node).contains(.immortal)) || (!rootIndex.isEmpty && rootIndex[node] >= 0)
    }
    /// The node's first root record, if it has one.
    public func namedRoot(of node: Int) -> Root? {
        guard !rootIndex.isEmpty, rootIndex[node] >= 0 else { return nil }
        return roots[Int(rootIndex[node])]
    }

    // MARK: Edges

    /// Outgoing edges, in the object's order.
    /// - Complexity: O(1) to get, O(edges of the node) to walk.
    @inlinable
    public func edges(of node: Int) -> EdgeList {
        EdgeList(targets: edgeTargets, codes: edgeCodes, values: edgeValues, range: Int(edgeStart[node])..<Int(edgeStart[node + 1]), source: node)
    }

    /// Nodes that refer to `node`, one entry per edge (weak ones included; check
    /// ``edge(from:to:)`` for labels).
    @inlinable
    public func referrers(of node: Int) -> ReferrerList {
        ReferrerList(sources: reverseSources, range: Int(reverseStart[node])..<Int(reverseStart[node + 1]))
    }

    /// Number of outgoing edges.
    public func outDegree(of node: Int) -> Int { Int(edgeStart[node + 1] - edgeStart[node]) }

    func edge(at index: Int, source: Int) -> Edge {
        Edge(source: source, target: Int(edgeTargets[index]), code: edgeCodes[index], payload: edgeValues[index])
    }

    /// The first edge from `source` to `target`, if any.
    public func edge(from source: Int, to target: Int) -> Edge? {
        edges(of: source).first { $0.target == target }
    }

    /// An edge's label as objgraph and LeakCanary show it: `[3]`, a dict key, an attribute
    /// name, or a host type's name for the reference; "" when there is none.
    public func labelText(_ edge: Edge) -> String {
        switch edge.kind {
        case .none: return ""
        case .index: return "[\(edge.value)]"
        case .dictKey: return "(key)"
        case .key:
            if edge.nameIsText { return "[\(string(edge.value))]" }
            return valueLabel(of: edge.value).map { "[\($0)]" } ?? "[?]"
        case .attribute:
            if edge.nameIsText { return string(edge.value) }
            guard var name = valueLabel(of: edge.value) else { return "?" }
            if name.count >= 2, let first = name.first, first == "'" || first == "\"", name.last == first {
                name = String(name.dropFirst().dropLast())
            }
            return name
        case .named, .shortcut: return string(edge.value)
        case .closureVariable: return "(closure) " + string(edge.value)
        case .hidden: return "(hidden)[\(edge.value)]"
        }
    }

    private func string(_ index: Int) -> String { index < strings.count ? strings[index] : "?" }
}

/// What a snapshot file says about itself (its metadata JSON, docs/snapshot-format.md).
public struct SnapshotMetadata: Sendable, Equatable {
    /// The metadata exactly as stored (a JSON object).
    public var json: String
    public var tag: String?
    public var time: String?
    public var producer: String?
    /// Collector thresholds and counts, when the producer recorded them.
    public var thresholds: [Int]?
    public var counts: [Int]?
    /// Per generation: collections, collected, uncollectable.
    public var generationStats: [[String: Int]]?
    /// Allocator counters by name.
    public var allocator: [String: Int]?
    /// Which runtime the heap came from ("HeapRuntime", "CPython 3.12", "V8"), when the
    /// producer said (version 2).
    public var runtime: String?
    /// What the host said of each watched object, by id.
    public var watched: [UInt64: String]?
    /// The id of the `gc.garbage` list, when the heap had one: a root worth naming.
    public var garbageListID: UInt64?
    /// The process that wrote the snapshot (`pid`), when the producer said.
    public var pid: Int?
    /// Which heap the snapshot is of (`heap`): an identity the runtime makes once per heap,
    /// so snapshots of two heaps in one process are told apart too.
    public var heapIdentity: String?
    /// The how-manyth snapshot of its heap this is (`sequence`, from 1): orders snapshots
    /// written within one second, which `time` cannot.
    public var sequence: Int?
    /// Names of the places objects were allocated ("leaky.py:12"), when the producer
    /// recorded them (`allocationSites.sites`); empty otherwise.
    public var allocationSiteNames: [String] = []
    /// Per object id, its index in ``allocationSiteNames`` (`allocationSites.objects`).
    public var allocationSiteIndexes: [UInt64: Int] = [:]

    public init(json: String = "{}") { self.json = json }

    /// Where the object with this id was allocated, when the producer recorded it.
    /// - Complexity: O(1) on average.
    public func allocationSite(of id: UInt64) -> String? {
        guard let index = allocationSiteIndexes[id], allocationSiteNames.indices.contains(index) else { return nil }
        return allocationSiteNames[index]
    }
}
