import Foundation
import HeapAnalysis
import HeapRuntime
import HeapGraphModel
import HeapRuntimeSnapshot
import Testing

@Suite struct DOTEscapingTests {
    /// Runs Graphviz's `dot -Tsvg` on the text; its exit status.
    func dotExitStatus(_ text: String) throws -> Int32 {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dot-escaping-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("graph.dot")
        try text.write(to: input, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/dot")
        process.arguments = ["-Tsvg", "-o", directory.appendingPathComponent("graph.svg").path, input.path]
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test func everyCharacterAsADictKeyGivesDOTGraphvizParses() throws {
        let heap = Heap()
        let d = heap.dict()
        for code in 0..<256 {
            let key = String(Character(Unicode.Scalar(UInt8(code))))
            try heap.setItem(heap.str(key), to: heap.list(), in: d)
        }
        for key in ["&#0;", "\\N\\G\\l", "\"]; x -> y; //", "<b>html</b>", "tab\tend"] {
            try heap.setItem(heap.str(key), to: heap.list(), in: d)
        }
        let graph = HeapSnapshot(heap: heap)
        let dn = try #require(graph.ordinal(d.snapshotID))
        let dot = graph.showRefs([dn], options: DOTOptions(tooMany: 600, maxNodes: 1000))
        #expect(dot.nodeCount == 1 + 2 * 261)              // the dict, its keys, its values
        #expect(try dotExitStatus(dot.text) == 0)
        #expect(try dotExitStatus("digraph { a -> }") != 0)  // the check can fail
    }

    @Test func escapingRules() throws {
        let heap = Heap()
        let d = heap.dict()
        try heap.setItem(heap.str("a\"b\\c&d\u{1}\u{85}é"), to: heap.list(), in: d)
        let graph = HeapSnapshot(heap: heap)
        let dn = try #require(graph.ordinal(d.snapshotID))
        let text = graph.showRefs([dn]).text
        let key = try #require(graph.edges(of: dn).first { $0.kind == .key }.map { graph.valueLabel(of: $0.value) } ?? nil)
        // The repr itself is HeapRuntime's; whatever it holds, quotes, backslashes, & and
        // control characters come out escaped.
        var expected = ""
        for scalar in key.unicodeScalars {
            switch scalar {
            case "\\": expected += "\\\\"
            case "\"": expected += "\\\""
            case "&": expected += "&amp;"
            case "\u{1}": expected += "\\\\x01"
            case "\u{85}": expected += "\\\\u0085"
            default: expected.unicodeScalars.append(scalar)
            }
        }
        #expect(text.contains("[label=\"str\\n\(expected)\"]"))
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    }
}
