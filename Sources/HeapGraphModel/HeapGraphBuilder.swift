/// Makes a graph by hand, with no runtime and no file: for tests and tools (LeakCanary
/// Shark's `dump { }` builder is the model). Nodes are numbered in the order they are made;
/// edges and roots may be added in any order.
///
/// ```swift
/// let graph = HeapSnapshot.build { heap in
///     let registry = heap.node("dict", kind: .dictionary)
///     let session = heap.node("Session", watched: "closed Session")
///     heap.edge(from: registry, to: session, .key(.text("'s1'")))
///     heap.root(registry, name: "app.REGISTRY", category: .global)
/// }
/// ```
///
/// The graph is the one ``HeapSnapshot/init(contentsOf:)`` would read from the same records:
/// ``write(to:checksum:)`` writes them through the format's `SnapshotWriter`.
public struct HeapGraphBuilder: Sendable {
    struct Node: Sendable {
        var id: UInt64
        var typeName: String
        var kind: NodeKind
        var valueLabel: String?
        var shallowSize: Int
        var referenceCount: Int?
        var externalCount: Int
        var generation: UInt8
        var flags: NodeFlags
    }
    struct Edge: Sendable {
        var source: Int
        var target: Int
        var label: EdgeLabelOf<LabelName>
        var isWeak: Bool
    }
    var nodes: [Node] = []
    var edges: [Edge] = []
    var roots: [HeapSnapshot.Root] = []
    /// The graph's metadata (tag, runtime, watched descriptions…), as a file would carry it.
    public var metadata = SnapshotMetadata()

    /// An empty graph from `runtime` ("HeapRuntime", "CPython 3.12", "V8").
    public init(runtime: String? = nil) {
        metadata.runtime = runtime
    }

    /// Number of nodes made so far.
    public var nodeCount: Int { nodes.count }

    /// Makes a node and returns its ordinal. `id` defaults to a distinct made-up address;
    /// `referenceCount` to the strong edges into it plus `externalCount`; `watched` flags it
    /// as watched and records the description in the metadata.
    @discardableResult
    public mutating func node(_ typeName: String, kind: NodeKind = .object, value: String? = nil, size: Int = 16,
                              id: UInt64? = nil, referenceCount: Int? = nil, externalCount: Int = 0,
                              generation: Int? = nil, flags: NodeFlags = [], watched: String? = nil) -> Int {
        let ordinal = nodes.count
        let id = id ?? 0x1000 + UInt64(ordinal) * 16
        var flags = flags
        if let watched {
            flags.insert(.watched)
            metadata.watched = (metadata.watched ?? [:]).merging([id: watched]) { _, new in new }
        }
        nodes.append(Node(id: id, typeName: typeName, kind: kind, valueLabel: value, shallowSize: size,
                          referenceCount: referenceCount, externalCount: externalCount,
                          generation: generation.map { UInt8(clamping: $0) } ?? 255, flags: flags))
        return ordinal
    }

    /// Adds an edge from `source` to `target` (both made by ``node(_:kind:value:size:id:referenceCount:externalCount:generation:flags:watched:)``).
    /// Edges of one source keep the order they were added in.
    public mutating func edge(from source: Int, to target: Int, _ label: EdgeLabelOf<LabelName> = .none, weak: Bool = false) {
        precondition(nodes.indices.contains(source) && nodes.indices.contains(target), "HeapGraphBuilder: no such node")
        edges.append(Edge(source: source, target: target, label: label, isWeak: weak))
    }

    /// Names `node` a root: a module global, a frame's local, a runtime's root category.
    public mutating func root(_ node: Int, name: String, category: RootCategory = .global) {
        precondition(nodes.indices.contains(node), "HeapGraphBuilder: no such node")
        roots.append(HeapSnapshot.Root(node: node, name: name, category: category))
    }

    /// The edges sorted by source, stable, and each node's reference count.
    func ordered() -> (edges: [Edge], referenceCounts: [Int]) {
        var counts = [Int](repeating: 0, count: nodes.count + 1)
        for edge in edges { counts[edge.source + 1] += 1 }
        for node in 0..<nodes.count { counts[node + 1] += counts[node] }
        var sorted = [Edge?](repeating: nil, count: edges.count)
        var fill = counts
        var incoming = [Int](repeating: 0, count: nodes.count)
        for edge in edges {
            sorted[fill[edge.source]] = edge
            fill[edge.source] += 1
            if !edge.isWeak { incoming[edge.target] += 1 }
        }
        let references = nodes.indices.map { nodes[$0].referenceCount ?? incoming[$0] + nodes[$0].externalCount }
        return (sorted.compactMap { $0 }, references)
    }

    /// The graph.
    /// - Complexity: O(nodes + edges).
    public func build() -> HeapSnapshot {
        var strings = SnapshotStrings()
        let (edges, references) = ordered()
        var edgeStart: [UInt32] = [0], edgeTargets: [UInt32] = [], edgeCodes: [UInt8] = [], edgeValues: [UInt32] = []
        edgeStart.reserveCapacity(nodes.count + 1)
        edgeTargets.reserveCapacity(edges.count)
        edgeCodes.reserveCapacity(edges.count)
        edgeValues.reserveCapacity(edges.count)
        var next = 0
        for source in 0..<nodes.count {
            while next < edges.count && edges[next].source == source {
                let edge = edges[next]
                let (kind, value) = edge.label.encoded { strings.intern($0) }
                edgeTargets.append(UInt32(edge.target))
                let label = PackedEdgeLabel(kindByte: kind | (edge.isWeak ? SnapshotFormat.weakBit : 0), value: value)
                edgeCodes.append(label?.code ?? 0)
                edgeValues.append(label?.payload ?? 0)
                next += 1
            }
            edgeStart.append(UInt32(edgeTargets.count))
        }
        var metadata = metadata
        metadata.json = metadata.json == "{}" ? Self.metadataJSON(metadata, nodes: nodes.count, edges: edges.count) : metadata.json
        let typeIndices = nodes.map { strings.intern($0.typeName) }
        let valueLabels = nodes.map { $0.valueLabel.map { strings.intern($0) } ?? SnapshotFormat.noString }
        return HeapSnapshot(
            strings: strings.strings, metadata: metadata, ids: nodes.map(\.id),
            referenceCounts: references.map { UInt32(clamping: $0) },
            typeIndices: typeIndices, valueLabels: valueLabels,
            shallowSizes: nodes.map { UInt32(clamping: $0.shallowSize) }, externalCounts: nodes.map { Int32(clamping: $0.externalCount) },
            generations: nodes.map(\.generation), nodeFlags: nodes.map(\.flags.rawValue), nodeKinds: nodes.map(\.kind.rawValue),
            roots: roots, edgeStart: edgeStart, edgeTargets: edgeTargets, edgeCodes: edgeCodes, edgeValues: edgeValues)
    }

    /// Writes the graph as a `.heapgraph` file through `SnapshotWriter`, its checksum
    /// computed by `checksum`.
    public func write(to path: String, checksum: SnapshotFormat.ChecksumAlgorithm = .fnv1a64) throws(SnapshotWriteError) {
        var writer = try SnapshotWriter(path: path, checksum: checksum)
        defer { writer.close() }
        let (edges, references) = ordered()
        var outDegree = [UInt32](repeating: 0, count: nodes.count)
        for edge in edges { outDegree[edge.source] += 1 }
        for (ordinal, node) in nodes.enumerated() {
            let type = writer.intern(node.typeName)
            let value = node.valueLabel.map { writer.intern($0) } ?? SnapshotFormat.noString
            try writer.appendNode(SnapshotNodeRecord(
                id: node.id, referenceCount: Int64(references[ordinal]), typeName: type, valueLabel: value,
                shallowSize: UInt32(clamping: node.shallowSize), externalCount: Int32(clamping: node.externalCount),
                edgeCount: outDegree[ordinal], generation: node.generation, flags: node.flags, kind: node.kind))
        }
        for edge in edges { try writer.appendEdge(target: edge.target, label: edge.label, isWeak: edge.isWeak) }
        for root in roots { writer.appendRoot(node: root.node, name: root.name, category: root.category) }
        try writer.finish { nodes, edges in Self.metadataJSON(metadata, nodes: nodes, edges: edges) }
    }

    /// The metadata as a file stores it (the fields the builder knows of).
    static func metadataJSON(_ metadata: SnapshotMetadata, nodes: Int, edges: Int, producer: String = "HeapGraphBuilder") -> String {
        var json = "{\"format\":\"heapgraph\",\"version\":\(SnapshotFormat.version),\"producer\":" + JSONText.quoted(producer)
        if let runtime = metadata.runtime { json += ",\"runtime\":" + JSONText.quoted(runtime) }
        if let tag = metadata.tag { json += ",\"tag\":" + JSONText.quoted(tag) }
        json += ",\"objects\":\(nodes),\"edges\":\(edges)"
        if let watched = metadata.watched {
            let entries = watched.sorted { $0.key < $1.key }.map { "{\"id\":\($0.key),\"description\":\(JSONText.quoted($0.value))}" }
            json += ",\"watched\":[\(entries.joined(separator: ","))]"
        }
        if let garbage = metadata.garbageListID { json += ",\"garbageList\":\(garbage)" }
        return json + "}"
    }
}

extension HeapSnapshot {
    /// A graph made by hand (see ``HeapGraphBuilder``).
    public static func build(runtime: String? = nil, _ body: (inout HeapGraphBuilder) throws -> Void) rethrows -> HeapSnapshot {
        var builder = HeapGraphBuilder(runtime: runtime)
        try body(&builder)
        return builder.build()
    }
}
