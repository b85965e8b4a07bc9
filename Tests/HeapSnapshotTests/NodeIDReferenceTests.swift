import Foundation
import Testing
import HeapGraphModel

/// Files whose edges and roots name nodes by id (header bytes 116-119 = 1, 16-byte edge and
/// root records), as the CPython dumper writes them: the reader resolves the ids.
@Suite("Format: edges and roots by node id")
struct NodeIDReferenceTests {
    typealias EdgeRecord = (target: UInt64, value: UInt32, kind: UInt8)
    typealias NodeRecord = (id: UInt64, type: UInt32, edges: [EdgeRecord])

    static let strings = ["dict", "str", "'k'", "'j'", "list", "held", "name"]

    /// A version 2 file of ids, byte by byte, with a CRC-32 checksum.
    static func file(nodes: [NodeRecord], roots: [(id: UInt64, name: UInt32, category: UInt8)],
                     nodeReferences: UInt32 = 1) -> [UInt8] {
        var body: [UInt8] = []
        func put<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { body.append(contentsOf: $0) } }
        for node in nodes {
            let label: UInt32 = node.type == 1 ? (node.id == 0x20 ? 2 : 3) : 0xFFFF_FFFF
            put(node.id); put(Int64(2)); put(node.type); put(label); put(UInt32(64)); put(Int32(0))
            put(UInt32(node.edges.count)); put(UInt8(255)); put(UInt8(0)); put(UInt8(node.type == 0 ? 4 : 0))
            body.append(contentsOf: [UInt8](repeating: 0, count: 9))
        }
        let edgeCount = nodes.reduce(0) { $0 + $1.edges.count }
        for edge in nodes.flatMap(\.edges) {
            put(edge.target); put(edge.value); put(UInt32(edge.kind))
        }
        let rootsOffset = 128 + body.count
        for root in roots {
            put(root.id); put(root.name); put(UInt32(root.category))
        }
        let stringsOffset = 128 + body.count
        for text in strings { put(UInt32(text.utf8.count)); body.append(contentsOf: Array(text.utf8)) }
        let metadataOffset = 128 + body.count
        let metadata = Array(#"{"format":"heapgraph","version":2,"producer":"test","runtime":"CPython 3.12"}"#.utf8)
        body.append(contentsOf: metadata)
        var checksum = SnapshotFormat.Checksum(.crc32)
        body.withUnsafeBytes { checksum.update($0) }
        var header: [UInt8] = Array("HEAPGRPH".utf8)
        func field<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { header.append(contentsOf: $0) } }
        field(UInt32(2)); field(UInt32(128))
        field(UInt64(nodes.count)); field(UInt64(edgeCount)); field(UInt64(strings.count))
        field(UInt64(128)); field(UInt64(128 + 48 * nodes.count)); field(UInt64(stringsOffset)); field(UInt64(metadataOffset))
        field(UInt64(metadata.count)); field(UInt64(128 + body.count)); field(checksum.finish())
        field(UInt64(roots.count)); field(UInt64(rootsOffset))
        field(UInt32(1)); field(nodeReferences)
        header.append(contentsOf: [UInt8](repeating: 0, count: 128 - header.count))
        return header + body
    }

    /// A dict {'k': list, 'j': <an object that is not a node>}, a list holding the dict and an
    /// unknown id, and the two keys. The ids are addresses, as the dumper's are.
    static let dictAndList: [NodeRecord] = [
        (0x10, 0, [(0x20, 0, 2), (0x30, 0, 3), (0x40, 0, 2), (0x9990, 0, 3)]),
        (0x30, 4, [(0x10, 0, 1), (0x7770, 1, 1)]),
        (0x20, 1, []),
        (0x40, 1, []),
    ]

    func read(_ bytes: [UInt8]) throws -> HeapSnapshot {
        let path = try FormatVersionTests.write(bytes, name: "ids-\(UUID().uuidString).heapgraph")
        defer { unlink(path) }
        return try HeapSnapshot(contentsOf: path)
    }

    @Test func idsAreResolvedToOrdinalsAndUnknownOnesDropped() throws {
        let graph = try read(Self.file(nodes: Self.dictAndList, roots: [(0x30, 6, 1), (0x5550, 5, 3), (0x10, 5, 3)]))
        #expect(graph.nodeCount == 4)
        // The dict's edge to 0x9990 and the list's to 0x7770 are gone, and one root.
        #expect(graph.edgeCount == 4)
        #expect(graph.unresolvedReferences == 3)
        #expect(graph.edges(of: 0).map(\.target) == [2, 1, 3])
        #expect(graph.edges(of: 1).map(\.target) == [0])
        #expect(graph.outDegree(of: 2) == 0 && graph.outDegree(of: 3) == 0)
        #expect(graph.referrers(of: 0).count == 1)
        // A dict value is named by the key edge before it (here the key 'k', node 2).
        #expect(graph.edges(of: 0).map(graph.labelText) == ["(key)", "['k']", "(key)"])
        #expect(graph.roots.map(\.node) == [1, 0])
        #expect(graph.roots.map(\.name) == ["name", "held"])
    }

    @Test func aValueWhoseKeyWasDroppedIsUnnamed() throws {
        let nodes: [NodeRecord] = [(0x10, 0, [(0x8880, 0, 2), (0x20, 0, 3), (0x20, 0, 3)]), (0x20, 1, [])]
        let graph = try read(Self.file(nodes: nodes, roots: []))
        #expect(graph.unresolvedReferences == 1)
        #expect(graph.edges(of: 0).map(\.kind) == [.none, .none])
        #expect(graph.edges(of: 0).map(\.target) == [1, 1])
    }

    @Test func twoNodesWithOneIdAreRefused() throws {
        let nodes: [NodeRecord] = [(0x10, 4, []), (0x20, 4, []), (0x10, 4, [])]
        #expect(throws: SnapshotError.badNode(node: 2, reason: "has the id of node 0")) {
            try read(Self.file(nodes: nodes, roots: []))
        }
    }

    @Test func anAttributeNamedByANodeIsRefused() throws {
        let nodes: [NodeRecord] = [(0x10, 4, [(0x20, 1, 4)]), (0x20, 1, [])]
        #expect(throws: SnapshotError.badEdge(edge: 0, reason: "names its attribute by a node, which a file of ids cannot")) {
            try read(Self.file(nodes: nodes, roots: []))
        }
    }

    /// A record is checked whole, even when its target would be dropped.
    @Test func aBadEdgeToAnUnknownIdIsStillRefused() throws {
        let nodes: [NodeRecord] = [(0x10, 4, [(0x20, 0, 1), (0x6660, 0, 20)]), (0x20, 1, [])]
        #expect(throws: SnapshotError.badEdge(edge: 1, reason: "has unknown kind 20")) {
            try read(Self.file(nodes: nodes, roots: []))
        }
    }

    @Test func anUnknownNodeReferenceValueIsRefused() throws {
        #expect(throws: SnapshotError.badHeader(field: "node references", reason: "is 2, not 0 (ordinals) or 1 (ids)")) {
            try read(Self.file(nodes: Self.dictAndList, roots: [], nodeReferences: 2))
        }
    }

    /// Flag 0 with 16-byte records: the offsets do not follow from 12-byte records.
    @Test func recordSizesFollowTheFlag() throws {
        let bytes = Self.file(nodes: Self.dictAndList, roots: [(0x30, 6, 1)], nodeReferences: 0)
        let edgesEnd = 128 + 48 * 4 + 12 * 6
        #expect(throws: SnapshotError.badHeader(field: "roots offset", reason: "is \(128 + 48 * 4 + 16 * 6), the edges end at \(edgesEnd)")) {
            try read(bytes)
        }
    }

    /// Many nodes at clustered addresses (as pymalloc gives them): every one found.
    @Test func manyClusteredIdsResolve() throws {
        let count = 50_000
        var nodes: [NodeRecord] = []
        for index in 0..<count {
            let next = UInt64(0x7f00_0000_0000 + 16 * ((index + 1) % count))
            nodes.append((UInt64(0x7f00_0000_0000 + 16 * index), 4, [(next, UInt32(0), UInt8(1))]))
        }
        let graph = try read(Self.file(nodes: nodes, roots: []))
        #expect(graph.unresolvedReferences == 0 && graph.edgeCount == count)
        #expect((0..<count).allSatisfy { graph.edges(of: $0).first?.target == ($0 + 1) % count })
    }
}
