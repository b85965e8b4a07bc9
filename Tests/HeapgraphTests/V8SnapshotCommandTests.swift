import Foundation
import Testing

/// `node` from PATH, or nil when this machine has none (the tests that need it then skip).
private let nodeExecutable: String? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    return path.split(separator: ":").map { "\($0)/node" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}()

/// Every command reads V8 `.heapsnapshot` files, recognised by content: real ones written by
/// `node` during the test, and broken ones refused in one line with exit status 2.
@Suite("heapgraph on V8 heap snapshots", .serialized)
struct V8SnapshotCommandTests {
    /// Runs `script` under node with the snapshot path as its argument; returns what it printed.
    func runNode(_ script: String, snapshot: String, in directory: String) throws -> String {
        let node = try #require(nodeExecutable)
        let scriptPath = directory + "/script.js"
        try Data(script.utf8).write(to: URL(fileURLWithPath: scriptPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: node)
        process.arguments = [scriptPath, snapshot]
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "node exited with \(process.terminationStatus)")
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A script that keeps a number of instances of its own class alive and prints the number.
    static let widgetScript = """
    const v8 = require('v8');
    class HeapGraphWidget { constructor(i) { this.index = i; this.payload = { i }; } }
    globalThis.widgets = [];
    const count = 100 + Math.floor(Math.random() * 50);
    for (let i = 0; i < count; i++) globalThis.widgets.push(new HeapGraphWidget(i));
    v8.writeHeapSnapshot(process.argv[2]);
    console.log(count);
    """

    @Test(.enabled(if: nodeExecutable != nil, "node is not on PATH: skipping the tests on snapshots node writes"))
    func summaryCountsInstancesNodeMade() throws {
        let directory = try scratchDirectory("v8-widgets")
        // A .heapgraph name: the file is recognised by what it holds.
        let snapshot = directory + "/widgets.heapgraph"
        let printed = try runNode(Self.widgetScript, snapshot: snapshot, in: directory)
        let made = try #require(Int(printed), "node printed \(printed)")

        let result = try heapgraph(["summary", snapshot, "--json", "--limit", "0"])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let types = try #require(object["types"] as? [[String: Any]])
        let widgets = types.first { $0["name"] as? String == "HeapGraphWidget" }
        #expect(widgets?["count"] as? Int == made)
        #expect(object["producer"] as? String == "V8 heap snapshot")
        #expect((object["objects"] as? Int ?? 0) > made)

        // The way from a root to one widget goes through the global array.
        let backrefs = try heapgraph(["backrefs", snapshot, "--type", "HeapGraphWidget", "--nth", "3"])
        #expect(backrefs.status == 0, "\(backrefs.standardError)")
        #expect(backrefs.standardOutput.contains("Root: runtime root"))
        #expect(backrefs.standardOutput.contains("Array"))

        // Through a pipe too: standard input is copied whole, with no length up front.
        let piped = try heapgraph(["summary", "-", "--limit", "0"], standardInput: FileHandle(forReadingAtPath: snapshot))
        #expect(piped.status == 0, "\(piped.standardError)")
        let row = piped.standardOutput.split(separator: "\n").first { $0.hasPrefix("HeapGraphWidget ") }
        #expect(row?.split(separator: " ").dropFirst().first.map(String.init) == String(made), "\(piped.standardOutput)")

        // Truncated anywhere: one line, exit 2.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: snapshot))
        for fraction in [0.01, 0.5, 0.999] {
            let truncated = directory + "/truncated.heapsnapshot"
            try bytes.prefix(Int(Double(bytes.count) * fraction)).write(to: URL(fileURLWithPath: truncated))
            let failed = try heapgraph(["summary", truncated])
            #expect(failed.status == 2)
            #expect(failed.standardOutput == "")
            #expect(failed.standardError.split(separator: "\n").count == 1, "\(failed.standardError)")
            #expect(failed.standardError.contains("truncated V8 heap snapshot"), "\(failed.standardError)")
        }
    }

    @Test func corruptSnapshotsGiveOneLineAndStatusTwo() throws {
        let directory = try scratchDirectory("v8-corrupt")
        let cases = [
            ("{\"snapshot\":{\"meta\":{}},\"nodes\":[1,2,3]}", "unsupported V8 heap snapshot layout"),
            ("{\"snapshot\":{\"meta\":{\"node_fields\":[\"type\"]}}, \"nodes\":[1,2,3], \"edges\": [], \"strings\": []}",
             "unsupported V8 heap snapshot layout"),
            ("{\"snapshot\": [1, 2, }", "corrupt V8 heap snapshot at byte"),
            ("{\"snapshot\":{}, \"strings\":[\"\\q\"]}", "bad escape"),
            ("{\"snapshot\":{\"meta\":{}}}", "no \"nodes\" array"),
        ]
        for (index, (text, message)) in cases.enumerated() {
            let path = directory + "/bad\(index).heapsnapshot"
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            for command in ["summary", "leaks", "dominators"] {
                let result = try heapgraph([command, path])
                #expect(result.status == 2, "\(command) \(text)")
                #expect(result.standardOutput == "")
                #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
                #expect(result.standardError.contains(path) && result.standardError.contains(message), "\(result.standardError)")
            }
        }
    }
}
