import Foundation
import Testing
import HeapGraphFormat
import HeapGraphModel

/// The format's writer driven by hand, with no runtime: what any producer of snapshots does.
@Suite("Format: the streaming writer")
struct FormatWriterTests {
    @Test func aHandWrittenGraphReadsBack() throws {
        let path = temporaryPath("hand-written.heapgraph")
        defer { unlink(path) }
        var writer = try SnapshotWriter(path: path)
        defer { writer.close() }
        let node = writer.intern("Node")
        let name = writer.intern("'next'")
        try writer.appendNode(SnapshotNodeRecord(id: 10, referenceCount: 2, typeName: node, shallowSize: 64,
                                                 externalCount: 1, edgeCount: 2, generation: 0, flags: [.tracked]))
        try writer.appendNode(SnapshotNodeRecord(id: 20, referenceCount: 1, typeName: writer.intern("str"), valueLabel: name,
                                                 shallowSize: 40, externalCount: 0, edgeCount: 0))
        try writer.appendEdge(target: 1, label: .attribute(.node(1)), isWeak: false)
        try writer.appendEdge(target: 0, label: .named("self"), isWeak: true)
        let counts = try writer.finish { nodes, edges in "{\"producer\":\"test\",\"objects\":\(nodes),\"edges\":\(edges)}" }
        #expect(counts.nodes == 2 && counts.edges == 2)

        let graph = try HeapSnapshot(contentsOf: path)
        #expect(graph.nodeCount == 2)
        #expect(graph.id(of: 1) == 20)
        #expect(graph.typeName(of: 0) == "Node")
        #expect(graph.valueLabel(of: 1) == "'next'")
        #expect(graph.isRoot(0) && !graph.isRoot(1))
        #expect(graph.flags(of: 0) == [.tracked])
        #expect(graph.edges(of: 0).map(graph.labelText) == ["next", "self"])
        #expect(graph.edges(of: 0).map(\.isWeak) == [false, true])
        #expect(graph.metadata.producer == "test")
    }

    @Test func edgesThatDoNotAddUpAreRefused() throws {
        let path = temporaryPath("bad-count.heapgraph")
        defer { unlink(path) }
        var writer = try SnapshotWriter(path: path)
        defer { writer.close() }
        try writer.appendNode(SnapshotNodeRecord(id: 1, referenceCount: 1, typeName: writer.intern("T"), shallowSize: 16,
                                                 externalCount: 1, edgeCount: 2))
        try writer.appendEdge(target: 0, label: .index(0), isWeak: false)
        #expect(throws: SnapshotWriteError.self) { try writer.finish { _, _ in "{}" } }
    }

    @Test func jsonTextEscapesWhatJSONRequires() {
        #expect(JSONText.quoted("a\"b\\c\nd\r\te\u{1}é") == #""a\"b\\c\nd\r\te\u0001é""#)
    }
}
