import Foundation
import HeapGraphModel
import Testing

/// `node` from PATH, or nil when this machine has none (the tests that need it then skip).
private let nodeForScripts: String? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    return path.split(separator: ":").map { "\($0)/node" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}()

/// heapgraph on snapshots that `node` writes during the test from the scripts in
/// Tests/V8Fixtures, each of which prints, as JSON, how many objects of its classes it keeps.
@Suite("heapgraph on snapshots of node scripts with known retainers", .serialized,
       .enabled(if: nodeForScripts != nil, "node is not on PATH: skipping the tests on snapshots node writes"))
struct V8NodeScriptCommandTests {
    static func script(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("V8Fixtures/\(name)").path
    }

    /// Runs a fixture script under node; returns its printed JSON object.
    func runScript(_ name: String, _ arguments: [String]) throws -> [String: Any] {
        let node = try #require(nodeForScripts)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: node)
        process.arguments = [Self.script(name)] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "node \(name) exited with \(process.terminationStatus)")
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// `summary --json`'s count per type name.
    func summaryCounts(_ snapshot: String) throws -> [String: Int] {
        let result = try heapgraph(["summary", snapshot, "--json", "--limit", "0"])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let types = try #require(object["types"] as? [[String: Any]])
        var counts: [String: Int] = [:]
        for type in types { if let name = type["name"] as? String, let count = type["count"] as? Int { counts[name] = count } }
        return counts
    }

    @Test func aGrowingListenerList() throws {
        let directory = try scratchDirectory("v8-listeners")
        let printed = try runScript("listeners.js", [directory])
        let listeners = try #require(printed["Listener"] as? [Int])
        #expect(listeners.count == 3)
        let snapshots = (1...3).map { "\(directory)/listeners-\($0).heapsnapshot" }

        // summary: the counts the script printed, at each snapshot.
        for (snapshot, count) in zip(snapshots, listeners) {
            let counts = try summaryCounts(snapshot)
            #expect(counts["Listener"] == count, "\(snapshot)")
            #expect(counts["Registry"] == printed["Registry"] as? Int)
        }

        // leaks --baseline: Listener grew at every step, by the number the script added.
        let leaks = try heapgraph(["leaks", snapshots[2], "--baseline", snapshots[0], "--baseline", snapshots[1], "--format", "json"])
        #expect(leaks.status == 1, "\(leaks.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(leaks.standardOutput.utf8)) as? [String: Any])
        let groups = try #require(report["leaks"] as? [[String: Any]])
        let growth = try #require(groups.first { ($0["types"] as? [String]) == ["Listener"] }, "\(leaks.standardOutput)")
        #expect(growth["category"] as? String == "growth")
        #expect(growth["count"] as? Int == listeners[2] - listeners[0])
        #expect(growth["note"] as? String == "count " + listeners.map(String.init).joined(separator: " → "))
        let trace = try #require(growth["trace"] as? [[String: Any]])
        #expect(Array(trace.map { $0["reference"] as? String }.dropFirst().prefix(2)) == ["registry", "listeners"])
        #expect(trace.compactMap { $0["type"] as? String } .suffix(4) == ["global", "Registry", "Array", "Listener"])

        // backrefs: from the root, through the global, the registry and its listener array.
        let backrefs = try heapgraph(["backrefs", snapshots[2], "--type", "Listener", "--nth", "7"])
        #expect(backrefs.status == 0, "\(backrefs.standardError)")
        let lines = backrefs.standardOutput.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.contains("│ Root: runtime root (root)"), "\(backrefs.standardOutput)")
        let steps = lines.filter { $0.hasPrefix("├─") || $0.hasPrefix("╰→") }
        #expect(steps.count == 5, "\(backrefs.standardOutput)")
        #expect(steps.last?.hasPrefix("╰→ Listener") == true)
        #expect(steps.dropLast().last?.hasPrefix("├─ Array") == true)
        #expect(backrefs.standardOutput.contains("↓ global.registry\n") && backrefs.standardOutput.contains("↓ Registry.listeners\n"), "\(backrefs.standardOutput)")
    }

    @Test func closuresACacheAndAWeakMap() throws {
        let directory = try scratchDirectory("v8-retainers")
        let snapshot = directory + "/retainers.heapsnapshot"
        let printed = try runScript("retainers.js", [snapshot])
        let counts = try summaryCounts(snapshot)
        for type in ["BigPayload", "CacheEntry", "WeakKey", "DetachedRoot", "DetachedLeaf"] {
            #expect(counts[type] == printed[type] as? Int, "\(type)")
        }

        // dominators: a cache entry retains itself, its array and the array's elements; the
        // WeakMap's key retains itself and the value's whole subgraph (worked out in
        // Tests/HeapAnalysisTests/NodeSnapshotDominatorTests.swift), from V8's self sizes.
        let graph = try HeapSnapshot(v8ContentsOf: snapshot)
        func target(_ node: Int, _ label: String) throws -> Int {
            try #require(graph.edges(of: node).first { graph.labelText($0) == label }?.target)
        }
        func arrayBytes(_ array: Int) throws -> Int { graph.shallowSize(of: array) + graph.shallowSize(of: try target(array, "elements")) }
        var expected: [UInt64: Int] = [:]
        for entry in (0..<graph.nodeCount) where graph.typeName(of: entry) == "CacheEntry" {
            expected[graph.id(of: entry)] = graph.shallowSize(of: entry) + (try arrayBytes(try target(entry, "values")))
        }
        let key = try #require((0..<graph.nodeCount).first { graph.typeName(of: $0) == "WeakKey" })
        let value = try #require(graph.edges(of: key).first { graph.typeName(of: $0.target) == "DetachedRoot" }?.target)
        let leaves = try target(value, "leaves")
        let subgraph = graph.shallowSize(of: value) + (try arrayBytes(leaves))
            + graph.edges(of: leaves).filter { $0.kind == .index }.reduce(0) { $0 + graph.shallowSize(of: $1.target) }
        expected[graph.id(of: value)] = subgraph
        expected[graph.id(of: key)] = graph.shallowSize(of: key) + subgraph
        #expect(expected.count == 14)

        let result = try heapgraph(["dominators", snapshot, "--json", "--limit", "10000000"])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let rows = try #require(object["retainers"] as? [[String: Any]])
        #expect(rows.count == graph.nodeCount)
        var found = 0
        for row in rows {
            guard let id = (row["id"] as? Int).map(UInt64.init), let want = expected[id] else { continue }
            #expect(row["retainedBytes"] as? Int == want, "@\(id) \(row["type"] ?? "")")
            #expect((row["distance"] as? Int).map { $0 > 0 && $0 < 100 } == true, "@\(id) is reached from the global object")
            found += 1
        }
        #expect(found == expected.count)
    }
}
