import Foundation
import Testing
import HeapGraphFormat
import HeapGraphModel

/// The V8 `.heapsnapshot` reader on hand-written files in the layouts Node 20 and Node 24
/// write: the same nine-node graph, laid out by each file's own `meta`.
@Suite("V8 heap snapshots")
struct V8SnapshotReaderTests {
    /// Node 20's layout: seven node fields (`trace_node_id` and `detachedness` included).
    static let node20 = """
    {"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count","trace_node_id","detachedness"],\
    "node_types":[["hidden","array","string","object","code","closure","regexp","number","native","synthetic",\
    "concatenated string","sliced string","symbol","bigint","object shape"],"string","number","number","number","number","number"],\
    "edge_fields":["type","name_or_index","to_node"],\
    "edge_types":[["context","element","property","internal","hidden","shortcut","weak"],"string_or_number","node"],\
    "trace_function_info_fields":["function_id","name","script_name","script_id","line","column"],\
    "trace_node_fields":["id","function_info_index","count","size","children"],\
    "sample_fields":["timestamp_us","last_assigned_id"],\
    "location_fields":["object_index","script_id","line","column"]},\
    "node_count":9,"edge_count":11,"trace_function_count":0},
    "nodes":[9,0,1,0,2,0,0,9,1,3,0,1,0,0,9,2,5,0,1,0,0,3,9,7,32,3,0,0,3,3,9,24,2,0,0,3,3,11,24,1,0,0,
    2,5,13,16,0,0,0,5,10,15,32,1,0,0,14,0,17,40,0,0,0],
    "edges":[1,1,7,5,6,21,1,1,14,3,7,21,1,0,28,1,1,35,4,0,42,2,4,42,6,7,35,2,8,21,0,11,28],
    "trace_function_infos":[],"trace_tree":[],"samples":[],"locations":[],
    "strings":["","(GC roots)","(Strong roots)","Widget","items","h\\u00e9llo \\ud83d\\ude00","cache","ref","map","Array","fn","captured"]}
    """

    /// Node 24's layout: no `trace_node_id` (six node fields, six type descriptors), the
    /// members in another order inside `meta`, and white space V8 does not write.
    static let node24 = """
    { "snapshot" : { "meta" : { "edge_fields":["type","name_or_index","to_node"],
      "node_fields":["type","name","id","self_size","edge_count","detachedness"],
      "node_types":[["hidden","array","string","object","code","closure","regexp","number","native","synthetic",
        "concatenated string","sliced string","symbol","bigint","object shape"],"string","number","number","number","number"],
      "edge_types":[["context","element","property","internal","hidden","shortcut","weak"],"string_or_number","node"],
      "location_fields":["object_index","script_id","line","column"], "nested": {"a": [1, {"b": null}], "c": true}},
      "node_count":9, "edge_count":11, "trace_function_count":0 },
    "nodes":[9,0,1,0,2,0,9,1,3,0,1,0,9,2,5,0,1,0,3,9,7,32,3,0,3,3,9,24,2,0,3,3,11,24,1,0,2,5,13,16,0,0,
             5,10,15,32,1,0,14,0,17,40,0,0],
    "edges":[1,1,6,5,6,18,1,1,12,3,7,18,1,0,24,1,1,30,4,0,36,2,4,36,6,7,30,2,8,18,0,11,24],
    "locations":[], "samples":[],
    "strings":["","(GC roots)","(Strong roots)","Widget","items","h\\u00e9llo \\ud83d\\ude00","cache","ref","map","Array","fn","captured"] }
    """

    static func read(_ text: String, name: String) throws -> HeapSnapshot {
        let path = temporaryPath(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return try HeapSnapshot(v8ContentsOf: path)
    }

    /// Every fact of the hand-written graph, whichever layout carried it.
    func checkGraph(_ graph: HeapSnapshot) {
        #expect(graph.nodeCount == 9)
        #expect(graph.edgeCount == 11)
        #expect(graph.metadata.runtime == "V8")
        #expect((0..<9).map { graph.id(of: $0) } == [1, 3, 5, 7, 9, 11, 13, 15, 17])
        #expect((0..<9).map { graph.typeName(of: $0) } == ["(synthetic)", "(synthetic)", "(synthetic)", "Array", "Widget", "Widget",
                                                            "(string)", "(closure)", "(object shape)"])
        #expect((0..<9).map { graph.kind(of: $0) } == [.synthetic, .synthetic, .synthetic, .object, .object, .object,
                                                       .string, .closure, .hidden])
        #expect(graph.valueLabel(of: 6) == "héllo 😀")
        #expect(graph.valueLabel(of: 7) == "fn")
        #expect(graph.valueLabel(of: 4) == nil)
        #expect(graph.shallowSize(of: 3) == 32 && graph.shallowSize(of: 8) == 40)

        // The synthetic root and the (GC roots) categories are the named roots.
        #expect(graph.roots == [HeapSnapshot.Root(node: 0, name: "(root)", category: .runtime),
                                HeapSnapshot.Root(node: 2, name: "(Strong roots)", category: .runtime)])

        func labels(_ node: Int) -> [String] { graph.edges(of: node).map { graph.labelText($0) } }
        func kinds(_ node: Int) -> [HeapSnapshot.EdgeKind] { graph.edges(of: node).map(\.kind) }
        #expect(kinds(0) == [.index, .shortcut] && labels(0) == ["[1]", "cache"])
        #expect(kinds(2) == [.named] && labels(2) == ["ref"])
        #expect(kinds(3) == [.index, .index, .hidden] && labels(3) == ["[0]", "[1]", "(hidden)[0]"])
        #expect(graph.edges(of: 3).map(\.target) == [4, 5, 6])
        #expect(kinds(4) == [.attribute, .named] && labels(4) == ["items", "ref"])
        #expect(graph.edges(of: 4).map(\.isWeak) == [false, true])
        #expect(kinds(7) == [.closureVariable] && labels(7) == ["(closure) captured"])
        #expect(graph.edges(of: 7).map(\.target) == [4])
        // Weak edges do not count as references: node 5 is held by the array alone.
        #expect(graph.referenceCount(of: 5) == 1)
        #expect(graph.referenceCount(of: 3) == 3)
        #expect(graph.referrers(of: 5).sorted() == [3, 4])
    }

    @Test func node20Layout() throws {
        checkGraph(try Self.read(Self.node20, name: "node20.heapsnapshot"))
    }

    @Test func node24Layout() throws {
        checkGraph(try Self.read(Self.node24, name: "node24.heapsnapshot"))
    }

    @Test func detectionByContent() {
        #expect(HeapSnapshot.looksLikeV8HeapSnapshot(prefix: Array(Self.node20.utf8.prefix(64))))
        #expect(HeapSnapshot.looksLikeV8HeapSnapshot(prefix: Array(Self.node24.utf8.prefix(64))))
        #expect(!HeapSnapshot.looksLikeV8HeapSnapshot(prefix: Array("HEAPGRPH".utf8)))
        #expect(!HeapSnapshot.looksLikeV8HeapSnapshot(prefix: Array("{\"format\":1}".utf8)))
    }

    /// Every prefix of a snapshot is refused as truncated (a number cut short included),
    /// never read as a smaller graph or blamed on corruption.
    @Test func everyTruncationIsRefused() throws {
        let bytes = Array(Self.node20.utf8)
        let path = temporaryPath("truncated.heapsnapshot")
        for length in 0..<bytes.count {
            try Data(bytes[0..<length]).write(to: URL(fileURLWithPath: path))
            do {
                _ = try HeapSnapshot(v8ContentsOf: path)
                Issue.record("read a prefix of \(length) bytes")
            } catch {
                guard case .truncated = error else { Issue.record("prefix of \(length) bytes: \(error)"); continue }
            }
        }
    }

    @Test(arguments: [
        ("\"to_node\"]", "\"to_nodes\"]", "edge_fields has no \"to_node\""),
        ("[9,0,1,0,2,0,0,", "[19,0,1,0,2,0,0,", "has type 19"),
        ("5,6,21,", "5,6,22,", "not a node's offset"),
        ("5,6,21,", "5,99,21,", "names string 99"),
        ("\"node_count\":9", "\"node_count\":8", "\"node_count\" is 8"),
        ("0,11,28]", "0,11,28,1]", "does not divide"),
        ("\"captured\"]}", "\"captured\"]} x", "text after the end"),
        ("[9,0,1,0,2,0,0,", "[9,0,1,0,2.5,0,0,", "not an integer"),
        // A second layout after the nodes, whose type list no longer covers them.
        ("\"trace_function_infos\"", "\"snapshot\":{\"meta\":{\"node_fields\":[\"type\"],\"node_types\":[[\"hidden\"]]}},\"trace_function_infos\"",
         "two \"meta\" objects"),
    ])
    func corruptFilesAreRefused(original: String, replacement: String, message: String) throws {
        #expect(Self.node20.contains(original))
        // A file per case: the cases run in parallel.
        let path = temporaryPath("corrupt-\(UUID().uuidString).heapsnapshot")
        try Data(Self.node20.replacingOccurrences(of: original, with: replacement).utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try HeapSnapshot(v8ContentsOf: path)
            Issue.record("read a corrupt file (\(replacement))")
        } catch {
            #expect(error.description.contains(message), "\(error)")
        }
    }
}
