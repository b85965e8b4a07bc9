import Foundation
import Testing
import HeapRuntime
import HeapGraphModel
import HeapRuntimeSnapshot

/// Version 2 of the format (node kinds, text-named keys and attributes, the new edge kinds,
/// named roots, the runtime) and version 1 files, which still read.
@Suite("Format: versions 1 and 2")
struct FormatVersionTests {
    /// A version 1 file as the previous release wrote it, byte by byte: 48-byte nodes with
    /// zeros where version 2 keeps the kind, kinds 0-5 only, no roots, reserved bytes 96-127.
    static func versionOneFile(edgeKind: UInt8 = 4) -> [UInt8] {
        let strings = ["list", "str", "'name'", "Node", "__class__"]
        var body: [UInt8] = []
        func put<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { body.append(contentsOf: $0) } }
        // (id, type, value label, edge count, external count)
        let nodes: [(UInt64, UInt32, UInt32, UInt32, Int32)] = [(0x100, 0, 0xFFFF_FFFF, 1, 1), (0x200, 3, 0xFFFF_FFFF, 2, 0),
                                                                (0x300, 1, 2, 0, 0)]
        for (id, type, value, edges, external) in nodes {
            put(id); put(Int64(1)); put(type); put(value); put(UInt32(32)); put(external); put(edges)
            put(UInt8(255)); put(UInt8(0)); body.append(contentsOf: [UInt8](repeating: 0, count: 10))
        }
        // list[0] -> Node; Node.name -> 'name' (attribute by the str node), Node -> list (named)
        for (target, value, kind) in [(UInt32(1), UInt32(0), UInt8(1)), (2, 2, edgeKind), (0, 4, 5)] {
            put(target); put(value); put(UInt32(kind))
        }
        let stringsOffset = 128 + body.count
        for text in strings { put(UInt32(text.utf8.count)); body.append(contentsOf: Array(text.utf8)) }
        let metadataOffset = 128 + body.count
        let metadata = Array(#"{"format":"heapgraph","version":1,"producer":"HeapRuntime","tag":"old"}"#.utf8)
        body.append(contentsOf: metadata)
        var checksum = SnapshotFormat.Checksum()
        body.withUnsafeBytes { checksum.update($0) }
        var header: [UInt8] = Array("HEAPGRPH".utf8)
        func field<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { header.append(contentsOf: $0) } }
        field(UInt32(1)); field(UInt32(128))
        field(UInt64(3)); field(UInt64(3)); field(UInt64(strings.count))
        field(UInt64(128)); field(UInt64(128 + 3 * 48)); field(UInt64(stringsOffset)); field(UInt64(metadataOffset))
        field(UInt64(metadata.count)); field(UInt64(128 + body.count)); field(checksum.finish())
        header.append(contentsOf: [UInt8](repeating: 0, count: 128 - header.count))
        return header + body
    }

    static func write(_ bytes: [UInt8], name: String) throws -> String {
        let path = temporaryPath(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aVersionOneFileStillReads() throws {
        let path = try Self.write(Self.versionOneFile(), name: "v1-\(UUID().uuidString).heapgraph")
        defer { unlink(path) }
        let graph = try HeapSnapshot(contentsOf: path)
        #expect(graph.nodeCount == 3 && graph.edgeCount == 3)
        #expect((0..<3).map(graph.typeName(of:)) == ["list", "Node", "str"])
        // Version 1 has no node kinds: they come from HeapRuntime's type names.
        #expect((0..<3).map(graph.kind(of:)) == [.array, .object, .string])
        #expect(graph.edges(of: 0).map(graph.labelText) == ["[0]"])
        #expect(graph.edges(of: 1).map(graph.labelText) == ["name", "__class__"])
        #expect(graph.edges(of: 1).map(\.kind) == [.attribute, .named])
        #expect(graph.roots.isEmpty)
        #expect(graph.isRoot(0) && !graph.isRoot(1))
        #expect(graph.metadata.tag == "old" && graph.metadata.runtime == nil)
    }

    @Test func aVersionOneFileWithAVersionTwoEdgeKindIsRefused() throws {
        for kind: UInt8 in [6, 0x44] {     // closure variable; attribute named by text
            let path = try Self.write(Self.versionOneFile(edgeKind: kind), name: "v1-kind-\(kind)-\(UUID().uuidString).heapgraph")
            defer { unlink(path) }
            #expect(throws: SnapshotError.badEdge(edge: 1, reason: "has unknown kind \(kind)")) { try HeapSnapshot(contentsOf: path) }
        }
    }

    /// A host type's labels are text; a key stays a key and an attribute an attribute (they
    /// used to become fixed names, so a report showed `k` for a dict entry `[k]`).
    @Test func hostKeyAndAttributeLabelsKeepTheirKind() throws {
        let heap = Heap()
        let item = heap.list()
        let holder = heap.makeHost(heap.registerHostType(LabelledHolder.self), LabelledHolder(item: item.ref))
        let root = heap.list([holder.ref])
        let path = temporaryPath("host-labels-\(UUID().uuidString).heapgraph")
        defer { unlink(path) }
        try heap.writeSnapshot(to: path)
        for graph in [try HeapSnapshot(contentsOf: path), HeapSnapshot(heap: heap)] {
            let node = try #require((0..<graph.nodeCount).first { graph.typeName(of: $0) == "Holder" })
            let edges = Array(graph.edges(of: node))
            #expect(edges.map(\.kind) == [.key, .attribute, .named])
            #expect(edges.map(graph.labelText) == ["['k']", "owner", "slot"])
            #expect(graph.metadata.runtime == "HeapRuntime")
        }
        _ = root
    }

    /// HeapRuntime writes gc.garbage as a named root, and its objects' kinds.
    @Test func theRuntimeWritesGarbageAsANamedRootAndNodeKinds() throws {
        let heap = Heap()
        let legacy = try heap.makeClass("Legacy", finalizer: .legacy { _, _ in })
        do {
            let a = try heap.instance(of: legacy)
            try heap.setAttribute("me", to: a, on: a)
        }
        heap.gc.collect()
        _ = try #require(heap.gc.garbageID)
        let text = heap.str("text"), dict = heap.dict(), number = heap.int(7)
        let held = heap.list([text.ref, dict.ref, number.ref])
        let path = temporaryPath("garbage-root-\(UUID().uuidString).heapgraph")
        defer { unlink(path) }
        try heap.writeSnapshot(to: path)
        let graph = try HeapSnapshot(contentsOf: path)
        #expect(graph.roots.map(\.name) == ["gc.garbage"])
        #expect(graph.roots.map(\.category) == [.garbage])
        #expect(graph.roots.map { graph.id(of: $0.node) } == [heap.garbageListSnapshotID])
        let list = try #require((0..<graph.nodeCount).first { graph.id(of: $0) == held.snapshotID })
        #expect(graph.kind(of: list) == .array)
        #expect(graph.edges(of: list).map { graph.kind(of: $0.target) } == [.string, .dictionary, .number])
        let instance = try #require((0..<graph.nodeCount).first { graph.typeName(of: $0) == "Legacy" })
        #expect(graph.kind(of: instance) == .object)
    }

    @Test func namedRootsNodeKindsAndNewEdgeKindsRoundTrip() throws {
        var builder = HeapGraphBuilder(runtime: "CPython 3.12")
        let module = builder.node("module", value: "app")
        let registry = builder.node("dict", kind: .dictionary)
        let closure = builder.node("function", kind: .closure, value: "handler")
        let code = builder.node("code", kind: .code)
        let session = builder.node("Session", watched: "closed Session")
        builder.edge(from: module, to: registry, .attribute(.text("REGISTRY")))
        builder.edge(from: registry, to: session, .key(.text("'s1'")))
        builder.edge(from: closure, to: session, .closureVariable("session"))
        builder.edge(from: closure, to: code, .hidden(3))
        builder.edge(from: module, to: closure, .shortcut("handler"), weak: true)
        builder.root(registry, name: "app.REGISTRY", category: .global)
        builder.root(closure, name: "thread 1: serve (app.py:3)", category: .local)
        let built = builder.build()
        let path = temporaryPath("v2-\(UUID().uuidString).heapgraph")
        defer { unlink(path) }
        try builder.write(to: path)
        let read = try HeapSnapshot(contentsOf: path)
        for graph in [built, read] {
            #expect(graph.roots.map(\.name) == ["app.REGISTRY", "thread 1: serve (app.py:3)"])
            #expect(graph.roots.map(\.category) == [.global, .local])
            #expect(graph.isRoot(registry) && graph.externalCount(of: registry) == 0)
            #expect(!graph.isRoot(session))
            #expect(graph.namedRoot(of: closure)?.category == .local)
            #expect((0..<graph.nodeCount).map(graph.kind(of:)) == [.object, .dictionary, .closure, .code, .object])
            #expect(graph.edges(of: module).map(graph.labelText) == ["REGISTRY", "handler"])
            #expect(graph.edges(of: registry).map(graph.labelText) == ["['s1']"])
            #expect(graph.edges(of: closure).map(graph.labelText) == ["(closure) session", "(hidden)[3]"])
            #expect(graph.edges(of: module).map(\.kind) == [.attribute, .shortcut])
            #expect(graph.edges(of: module).map(\.isWeak) == [false, true])
            #expect(graph.metadata.runtime == "CPython 3.12")
            #expect(graph.metadata.watched?[graph.id(of: session)] == "closed Session")
        }
        #expect(Canonical(built) == Canonical(read))
    }

    @Test func aRootNamingAMissingNodeIsRefused() throws {
        var bytes = try {
            var builder = HeapGraphBuilder()
            let node = builder.node("T")
            builder.root(node, name: "r")
            let path = temporaryPath("root-\(UUID().uuidString).heapgraph")
            defer { unlink(path) }
            try builder.write(to: path)
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        }()
        // The root record follows the one node record: point it at node 7, fix the checksum.
        let rootAt = 128 + 48
        bytes[rootAt] = 7
        var checksum = SnapshotFormat.Checksum()
        bytes[128...].withUnsafeBytes { checksum.update($0) }
        withUnsafeBytes(of: checksum.finish().littleEndian) { bytes.replaceSubrange(88..<96, with: $0) }
        let path = try Self.write(bytes, name: "bad-root-\(UUID().uuidString).heapgraph")
        defer { unlink(path) }
        #expect(throws: SnapshotError.badRoot(root: 0, reason: "names node 7 of 1")) { try HeapSnapshot(contentsOf: path) }
    }

    /// Random graphs from the builder, written and read: the same graph, up to 100,000 nodes.
    @Test(arguments: [0, 1, 7, 1_000, 100_000])
    func randomGraphsRoundTrip(nodes: Int) throws {
        var random = SplitMix(seed: UInt64(nodes) &+ 15)
        let builder = Self.randomGraph(nodes: nodes, using: &random)
        let path = temporaryPath("random-\(nodes)-\(UUID().uuidString).heapgraph")
        defer { unlink(path) }
        try builder.write(to: path)
        let read = try HeapSnapshot(contentsOf: path)
        let built = builder.build()
        #expect(read.nodeCount == nodes && built.nodeCount == nodes)
        #expect(Canonical(read) == Canonical(built))
    }

    /// A random graph with every node kind, edge kind, weak edges, text and node names, and
    /// roots; about three edges a node.
    static func randomGraph(nodes: Int, using random: inout SplitMix) -> HeapGraphBuilder {
        var builder = HeapGraphBuilder(runtime: "random")
        let types = ["list", "dict", "str", "Node", "function", "code", "(native)", "Ünïcode type"]
        for _ in 0..<nodes {
            let kind = NodeKind.allCases[Int(random.next() % UInt64(NodeKind.allCases.count))]
            let hasValue = random.next() % 3 == 0
            builder.node(types[Int(random.next() % UInt64(types.count))], kind: kind,
                         value: hasValue ? "'v\(random.next() % 100)'" : nil, size: Int(random.next() % 10_000),
                         externalCount: random.next() % 10 == 0 ? 1 : 0,
                         generation: random.next() % 2 == 0 ? Int(random.next() % 4) : nil,
                         flags: NodeFlags(rawValue: UInt8(truncatingIfNeeded: random.next())))
        }
        guard nodes > 0 else { return builder }
        func anyNode() -> Int { Int(random.next() % UInt64(nodes)) }
        for _ in 0..<(3 * nodes) {
            let label: EdgeLabelOf<LabelName>
            switch random.next() % 10 {
            case 0: label = .none
            case 1: label = .index(Int(random.next() % 1000))
            case 2: label = .dictKey
            case 3: label = .key(random.next() % 2 == 0 ? .node(anyNode()) : .text("k\(random.next() % 50)"))
            case 4: label = .attribute(random.next() % 2 == 0 ? .node(anyNode()) : .text("a\(random.next() % 50)"))
            case 5: label = .named("__n\(random.next() % 20)__")
            case 6: label = .closureVariable("v\(random.next() % 20)")
            case 7: label = .hidden(Int(random.next() % 100))
            case 8: label = .shortcut("s\(random.next() % 20)")
            default: label = .index(0)
            }
            builder.edge(from: anyNode(), to: anyNode(), label, weak: random.next() % 8 == 0)
        }
        for index in 0..<min(nodes, 20) {
            builder.root(anyNode(), name: "root \(index)", category: RootCategory.allCases[index % RootCategory.allCases.count])
        }
        return builder
    }
}

/// A host object whose one reference is visited under a key, an attribute and a name.
struct LabelledHolder: HostPayload {
    static let typeName = "Holder"
    var item: ObjectRef?
    func traverse(_ visit: (ObjectRef, EdgeLabel) -> Void) {
        guard let item else { return }
        visit(item, .key("'k'"))
        visit(item, .attribute("owner"))
        visit(item, .named("slot"))
    }
    mutating func clear() { item = nil }
}

/// Everything a graph says, independent of how its string table is numbered.
struct Canonical: Equatable {
    var nodes: [String] = []
    var edges: [String] = []
    var roots: [HeapSnapshot.Root]
    var runtime: String?

    init(_ graph: HeapSnapshot) {
        nodes.reserveCapacity(graph.nodeCount)
        for node in 0..<graph.nodeCount {
            nodes.append("\(graph.id(of: node)) \(graph.typeName(of: node)) \(graph.valueLabel(of: node) ?? "-") "
                         + "\(graph.shallowSize(of: node)) \(graph.referenceCount(of: node)) \(graph.externalCount(of: node)) "
                         + "\(graph.generation(of: node) ?? -1) \(graph.flags(of: node).rawValue) \(graph.kind(of: node)) "
                         + "\(graph.referrers(of: node).count)")
            for edge in graph.edges(of: node) {
                edges.append("\(node) \(edge.target) \(edge.kind) \(edge.isWeak) \(edge.nameIsText) \(graph.labelText(edge))")
            }
        }
        roots = graph.roots
        runtime = graph.metadata.runtime
    }
}

/// A small deterministic generator (SplitMix64), so a failing graph can be made again.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1330_11EB
        return z ^ (z >> 31)
    }
}
