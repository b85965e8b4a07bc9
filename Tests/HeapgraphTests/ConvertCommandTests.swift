import Foundation
import Testing
import HeapGraphFormat
import HeapGraphModel
import HeapRuntime
#if canImport(Glibc)
import Glibc
#endif

/// `python3` and `node` from PATH, or nil (the tests that need them then skip).
private func executableOnPath(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}
private let python = executableOnPath("python3")
private let node = executableOnPath("node")

/// `heapgraph convert` and `heapgraph validate` through the built executable, on heaps the
/// runtime, the CPython dumper and node make during the test.
@Suite("heapgraph convert", .serialized)
struct ConvertCommandTests {
    /// Converts `input` to `output`, expecting success and silence.
    func convert(_ input: String, _ output: String, _ extra: [String] = []) throws {
        let result = try heapgraph(["convert", input, "-o", output, "--quiet"] + extra)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == "" && result.standardError == "")
    }

    /// `heapgraph validate` says the file is valid; and the library's validator agrees.
    func expectValid(_ path: String, v8: Bool) throws {
        let result = try heapgraph(["validate", path])
        #expect(result.status == 0, "\(result.standardOutput)")
        #expect(result.standardOutput.contains(v8 ? "valid V8 heap snapshot" : "valid .heapgraph file"), "\(result.standardOutput)")
        if v8 { #expect(HeapSnapshot.validateV8Snapshot(at: path).isValid) }
    }

    /// Per type name: count and bytes.
    func census(_ graph: HeapSnapshot, shift: Int = 0) -> [String: [Int]] {
        var result: [String: [Int]] = [:]
        for node in shift..<graph.nodeCount {
            result[graph.typeName(of: node), default: [0, 0]][0] += 1
            result[graph.typeName(of: node), default: [0, 0]][1] += graph.shallowSize(of: node)
        }
        return result
    }

    /// `original` went to V8 and back: the same nodes after `shift` synthetic ones, with the
    /// same sizes, edges (targets, weakness, label texts where the mapping keeps them) and roots.
    func expectSameGraph(_ original: HeapSnapshot, _ back: HeapSnapshot) throws {
        let shift = back.nodeCount - original.nodeCount
        #expect(shift >= 2)
        #expect((0..<shift).allSatisfy { back.kind(of: $0) == .synthetic })
        for node in 0..<original.nodeCount {
            let copy = node + shift
            #expect(back.shallowSize(of: copy) == original.shallowSize(of: node))
            if [.object, .dictionary, .type, .native].contains(original.kind(of: node)) {
                #expect(back.typeName(of: copy) == original.typeName(of: node))
            } else {
                #expect(back.kind(of: copy) == original.kind(of: node))
                #expect(back.valueLabel(of: copy) == original.valueLabel(of: node) ?? original.typeName(of: node))
            }
            let edges = Array(original.edges(of: node)), copies = Array(back.edges(of: copy))
            #expect(edges.map { $0.target + shift } == copies.map(\.target))
            #expect(edges.map(\.isWeak) == copies.map(\.isWeak))
            for (edge, copied) in zip(edges, copies) where !edge.isWeak {
                switch edge.kind {
                case .index, .hidden, .named, .closureVariable, .shortcut:
                    #expect(copied.kind == edge.kind && back.labelText(copied) == original.labelText(edge))
                case .attribute:
                    #expect(copied.kind == .attribute && back.labelText(copied) == original.labelText(edge))
                case .key:
                    // A key object with no label of its own is named by its type.
                    let keyed = edge.nameIsText || original.valueLabel(of: edge.value) != nil
                    let expected = keyed ? original.labelText(edge) : "[\(original.typeName(of: edge.value))]"
                    #expect(copied.kind == .attribute && "[\(back.labelText(copied))]" == expected)
                case .dictKey:
                    #expect(copied.kind == .named && back.labelText(copied) == "(key)")
                case .none:
                    #expect(copied.kind == .index)
                }
            }
        }
        for root in original.roots {
            #expect(back.roots.contains(HeapSnapshot.Root(node: root.node + shift, name: root.name, category: root.category)), "\(root)")
        }
        #expect((0..<original.nodeCount).allSatisfy { back.isRoot($0 + shift) == original.isRoot($0) })
    }

    @Test func aRuntimeHeapGoesToV8AndBack() throws {
        let directory = try scratchDirectory("convert-runtime")
        let fixture = try makeLeakFixture(in: directory)
        let exported = directory + "/app.heapsnapshot", back = directory + "/back.heapgraph"
        try convert(fixture.final, exported)
        try expectValid(exported, v8: true)
        try convert(exported, back)
        try expectValid(back, v8: false)
        let original = try HeapSnapshot(contentsOf: fixture.final)
        let returned = try HeapSnapshot(contentsOf: back)
        try expectSameGraph(original, returned)
        #expect(returned.metadata.runtime == "V8")

        // Converted again, the .heapgraph of the V8 file gives the same V8 file, byte for byte.
        let again = directory + "/again.heapsnapshot"
        try convert(back, again)
        #expect(try Data(contentsOf: URL(fileURLWithPath: again)) == Data(contentsOf: URL(fileURLWithPath: exported)))

        // The analysis sees the same objects: app.Session and friends, counts and bytes.
        let before = census(original), after = census(returned)
        for type in ["app.Session", "app.Listener", "app.Holder", "app.Node", "dict"] {
            #expect(before[type] != nil && after[type] == before[type], "\(type)")
        }
        // And a leak trace from a named root through the cache still reads the same.
        let trace = try heapgraph(["backrefs", exported, "--type", "app.Session"])
        #expect(trace.status == 0, "\(trace.standardError)")
        #expect(trace.standardOutput.contains("app.Holder"), "\(trace.standardOutput)")
    }

    @Test(.enabled(if: python != nil, "python3 is not on PATH: skipping the CPython dump"))
    func aCPythonDumpGoesToV8AndBack() throws {
        let directory = try scratchDirectory("convert-cpython")
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("python").path
        let script = directory + "/app.py", dump = directory + "/app.heapgraph"
        try Data("""
        import sys
        sys.path.insert(0, sys.argv[2])
        from heapgraph_dump import dump
        class Handler:
            def __init__(self, n):
                self.n = n
                self.peer = None
        REGISTRY = {"h%d" % i: Handler(i) for i in range(40)}
        dump(sys.argv[1])
        """.utf8).write(to: URL(fileURLWithPath: script))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(python))
        process.arguments = [script, dump, repository]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)

        let exported = directory + "/app.heapsnapshot", back = directory + "/back.heapgraph"
        try convert(dump, exported)
        try expectValid(exported, v8: true)
        try convert(exported, back)
        let original = try HeapSnapshot(contentsOf: dump), returned = try HeapSnapshot(contentsOf: back)
        try expectSameGraph(original, returned)
        #expect(census(returned)["__main__.Handler"]?.first == 40)
        let summary = try heapgraph(["summary", exported, "--limit", "0"])
        // summary names types as every command does: module-qualified (docs/cli.md).
        let row = summary.standardOutput.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("__main__.Handler ") }
        #expect(row?.split(separator: " ").dropFirst().first == "40", "\(summary.standardOutput)")
    }

    @Test(.enabled(if: node != nil, "node is not on PATH: skipping the snapshot node writes"))
    func aNodeSnapshotGoesToHeapgraphAndBack() throws {
        let directory = try scratchDirectory("convert-node")
        let snapshot = directory + "/app.heapsnapshot", script = directory + "/app.js"
        try Data("""
        const v8 = require('v8');
        class ConvertedWidget { constructor(i) { this.index = i; } }
        globalThis.widgets = Array.from({ length: 77 }, (_, i) => new ConvertedWidget(i));
        v8.writeHeapSnapshot(process.argv[2]);
        """.utf8).write(to: URL(fileURLWithPath: script))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(node))
        process.arguments = [script, snapshot]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)

        // What node writes passes the validator too.
        try expectValid(snapshot, v8: true)
        let converted = directory + "/app.heapgraph", back = directory + "/back.heapsnapshot"
        try convert(snapshot, converted)
        try expectValid(converted, v8: false)
        try convert(converted, back)
        try expectValid(back, v8: true)
        let original = try HeapSnapshot(v8ContentsOf: snapshot)
        for copy in [try HeapSnapshot(contentsOf: converted), try HeapSnapshot(v8ContentsOf: back)] {
            #expect(copy.nodeCount == original.nodeCount && copy.edgeCount == original.edgeCount)
            #expect(census(copy) == census(original))
            #expect((0..<original.nodeCount).allSatisfy { copy.id(of: $0) == original.id(of: $0) })
            #expect(copy.roots == original.roots)
            #expect((0..<original.nodeCount).allSatisfy { node in
                copy.edges(of: node).map { "\($0.target) \($0.isWeak) \(copy.labelText($0))" }
                    == original.edges(of: node).map { "\($0.target) \($0.isWeak) \(original.labelText($0))" }
            })
        }
        #expect(census(original)["ConvertedWidget"]?.first == 77)
    }

    /// `--to` chooses the format whatever the name; standard output takes a V8 snapshot.
    @Test func toChoosesTheFormatAndStandardOutputWorks() throws {
        let directory = try scratchDirectory("convert-to")
        let fixture = try makeLeakFixture(in: directory)
        let named = directory + "/v8-named-oddly.out"
        try convert(fixture.final, named, ["--to", "heapsnapshot"])
        try expectValid(named, v8: true)
        let output = directory + "/stdout.heapsnapshot"
        #expect(FileManager.default.createFile(atPath: output, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: output))
        let result = try heapgraph(["convert", fixture.final, "--to", "heapsnapshot", "-o", "-", "--quiet"], standardOutput: handle)
        try handle.close()
        #expect(result.status == 0, "\(result.standardError)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == Data(contentsOf: URL(fileURLWithPath: named)))
        // A .heapgraph through a pipe: made aside, then copied, still a valid file.
        let piped = try heapgraphInShell("\"$HEAPGRAPH\" convert app.heapgraph --to heapgraph -o - | cat > piped.heapgraph", in: directory)
        #expect(piped.status == 0, "\(piped.standardError)")
        try expectValid(directory + "/piped.heapgraph", v8: false)
    }

    /// A device is written into, never replaced.
    @Test(.enabled(if: SpecialFiles.canMakeDevices, "cannot make device nodes here"))
    func aDeviceStaysADevice() throws {
        let directory = try scratchDirectory("convert-device")
        let fixture = try makeLeakFixture(in: directory)
        let device = try SpecialFiles.makeDevice("null", minor: 3, in: directory)
        for format in ["heapsnapshot", "heapgraph"] {
            try convert(fixture.final, device, ["--to", format])
            #expect(SpecialFiles.type(device) == S_IFCHR)
        }
    }

    @Test func badInputAndOutputGiveOneLineAndStatusTwo() throws {
        let directory = try scratchDirectory("convert-bad")
        let fixture = try makeLeakFixture(in: directory)
        let truncated = directory + "/truncated.heapsnapshot"
        let exported = directory + "/good.heapsnapshot"
        try convert(fixture.final, exported)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: exported))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: truncated))
        try Data("{\"snapshot\":{\"meta\":{}},\"nodes\":[1]}".utf8).write(to: URL(fileURLWithPath: directory + "/bad.heapsnapshot"))
        try Data("not a snapshot at all".utf8).write(to: URL(fileURLWithPath: directory + "/garbage"))
        try FileManager.default.createDirectory(atPath: directory + "/out.heapgraph", withIntermediateDirectories: true)
        let cases: [([String], String)] = [
            ([truncated, "-o", directory + "/x.heapgraph"], "truncated V8 heap snapshot"),
            ([directory + "/bad.heapsnapshot", "-o", directory + "/x.heapgraph"], "unsupported V8 heap snapshot layout"),
            ([directory + "/garbage", "-o", directory + "/x.heapsnapshot"], "not a snapshot"),
            ([directory + "/missing.heapgraph", "-o", directory + "/x.heapsnapshot"], "No such file"),
            ([fixture.final, "-o", directory + "/out.heapgraph"], "is a directory"),
            ([fixture.final, "-o", directory + "/no/such/dir/x.heapsnapshot"], "directory does not exist"),
            ([fixture.final, "-o", fixture.final], "is the snapshot this command reads"),
            ([fixture.final, "-o", directory + "/x.txt"], "cannot tell the format"),
            ([fixture.final, "-o", directory + "/x.heapgraph", "--to", "json"], "--to"),
        ]
        for (arguments, message) in cases {
            let result = try heapgraph(["convert"] + arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.standardOutput == "")
            #expect(result.standardError.split(separator: "\n").first?.contains(message) == true, "\(result.standardError)")
            if !message.hasPrefix("cannot tell"), !message.hasPrefix("--to") {
                #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
            }
        }
        // Nothing was left behind, and the input is untouched.
        #expect(!FileManager.default.fileExists(atPath: directory + "/x.heapgraph"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/x.heapsnapshot"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".tmp") }.isEmpty)
        #expect(try HeapSnapshot(contentsOf: fixture.final).nodeCount > 0)

        // validate: problems listed, exit 1; a good file, exit 0.
        let invalid = try heapgraph(["validate", truncated])
        #expect(invalid.status == 1 && invalid.standardOutput.contains("truncated"), "\(invalid.standardOutput)")
        let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\"node_count\":", with: "\"node_count\":1")
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/miscounted.heapsnapshot"))
        let miscounted = try heapgraph(["validate", directory + "/miscounted.heapsnapshot"])
        #expect(miscounted.status == 1 && miscounted.standardOutput.contains("snapshot.node_count is"), "\(miscounted.standardOutput)")
        // A .heapgraph file: the reader's checks, one line, exit 1; a good one, exit 0.
        try expectValid(fixture.final, v8: false)
        var heapgraphBytes = try Data(contentsOf: URL(fileURLWithPath: fixture.final))
        heapgraphBytes[heapgraphBytes.count - 2] ^= 0xFF
        try heapgraphBytes.write(to: URL(fileURLWithPath: directory + "/flipped.heapgraph"))
        let flipped = try heapgraph(["validate", directory + "/flipped.heapgraph"])
        #expect(flipped.status == 1 && flipped.standardOutput.split(separator: "\n").count == 1, "\(flipped.standardOutput)")
        #expect(flipped.standardOutput.contains("flipped.heapgraph: "), "\(flipped.standardOutput)")
    }
}
