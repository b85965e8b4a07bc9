import Foundation
import Testing

/// The documents' `objgraph.show_refs([z], filename='ref_topo.png')`: minipy writes a PNG,
/// and its graph has the nodes and edges objgraph draws on CPython.
@Suite struct ObjgraphPictureTests {
    static let program = """
        x = [1, 2, 3]
        y = [x, dict(key1=x)]
        z = [y, (x, y)]
        import objgraph
        objgraph.show_refs([z], filename='FILE')

        """

    /// Node labels and (source label, target label) edges of objgraph-style DOT, ignoring
    /// ids, colours and edge labels.
    static func structure(_ dot: String) -> (nodes: [String], edges: [String]) {
        var labels: [String: String] = [:]
        var edges: [(String, String)] = []
        for line in dot.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if let range = line.range(of: #"^(o\d+)\[label="([^"]*)"\]"#, options: .regularExpression) {
                let text = String(line[range])
                let id = String(text.prefix { $0 != "[" })
                let label = text.components(separatedBy: "label=\"")[1].dropLast(2)
                labels[id] = String(label)
            } else if line.contains(" -> ") {
                let parts = line.components(separatedBy: " -> ")
                let source = parts[0]
                let target = String(parts[1].prefix { $0 != " " && $0 != ";" && $0 != "[" })
                edges.append((source, target))
            }
        }
        let nodes = labels.values.sorted()
        let edgeLabels = edges.map { "\(labels[$0.0] ?? $0.0) -> \(labels[$0.1] ?? $0.1)" }.sorted()
        return (nodes, edgeLabels)
    }

    @Test func pngIsWritten() throws {
        let directory = try makeScratch("png")
        defer { removeScratch(directory) }
        let file = directory + "/prog.py"
        try Self.program.replacingOccurrences(of: "FILE", with: "ref_topo.png").write(toFile: file, atomically: true, encoding: .utf8)
        let result = try runProgram(try minipyExecutable(), [file], in: directory)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("Image generated as ref_topo.png"))
        let png = try Data(contentsOf: URL(fileURLWithPath: directory + "/ref_topo.png"))
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    @Test func graphMatchesObjgraphOnCPython() throws {
        let directory = try makeScratch("dot")
        defer { removeScratch(directory) }
        let file = directory + "/prog.py"
        try Self.program.replacingOccurrences(of: "FILE", with: "ours.dot").write(toFile: file, atomically: true, encoding: .utf8)
        let result = try runProgram(try minipyExecutable(), [file], in: directory)
        #expect(result.status == 0, "\(result.standardError)")
        let ours = Self.structure(try String(contentsOfFile: directory + "/ours.dot", encoding: .utf8))
        // What objgraph 3.7 draws on CPython 3.11 for this program (depth 3 from z).
        #expect(ours.nodes == ["dict\\n1 items", "int\\n1", "int\\n2", "int\\n3", "list\\n2 items", "list\\n2 items", "list\\n3 items", "tuple\\n2 items"])
        #expect(ours.edges.count == 10)

        let (python, note) = cpython()
        guard let python, cpythonHasObjgraph(python) else {
            print("ObjgraphPictureTests: \(python == nil ? note : "no objgraph for \(python ?? "")"): CPython's picture not compared")
            return
        }
        let theirsFile = directory + "/theirs.py"
        try Self.program.replacingOccurrences(of: "FILE", with: "theirs.dot").write(toFile: theirsFile, atomically: true, encoding: .utf8)
        let reference = try runProgram(python, [theirsFile], in: directory)
        #expect(reference.status == 0, "\(reference.standardError)")
        let theirs = Self.structure(try String(contentsOfFile: directory + "/theirs.dot", encoding: .utf8))
        #expect(ours.nodes == theirs.nodes)
        #expect(ours.edges == theirs.edges)
    }
}
