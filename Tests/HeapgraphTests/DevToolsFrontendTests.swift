import Foundation
import Testing

/// Issue 17: a `.heapsnapshot` we write must open in Chrome DevTools' Memory panel with
/// sensible retainers and retained sizes. These tests load files with DevTools' own
/// heap-snapshot worker, fetched at test time from the local chromium (never committed),
/// and compare its answers with `heapgraph dominators --json --limit 0`.
@Suite("Chrome DevTools' heap-snapshot code agrees with heapgraph", .serialized,
       .enabled(if: DevToolsFrontend.available,
                "chromium or node is absent, or chromium's DevTools frontend could not be fetched (reason on stderr): DevTools check skipped"))
struct DevToolsFrontendTests {
    /// DevTools' distance for a node no root reaches (`HeapSnapshotModel.noDistance`).
    static let devToolsNoDistance = -5

    /// `dominators --json --limit 0`: every node's retained size, distance (nil for
    /// unreachable), shallow size and type; and the total.
    func ours(_ file: String) throws -> (total: Int, nodes: [UInt64: (retained: Int, distance: Int?, shallow: Int, type: String)]) {
        let result = try heapgraph(["dominators", file, "--json", "--limit", "0"])
        try #require(result.status == 0, "\(result.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        var nodes: [UInt64: (retained: Int, distance: Int?, shallow: Int, type: String)] = [:]
        for row in try #require(object["retainers"] as? [[String: Any]]) {
            let id = try #require((row["id"] as? NSNumber)?.uint64Value)
            nodes[id] = (try #require(row["retainedBytes"] as? Int), row["distance"] as? Int,
                         try #require(row["shallowBytes"] as? Int), try #require(row["type"] as? String))
        }
        return (try #require(object["bytes"] as? Int), nodes)
    }

    /// DevTools and heapgraph agree on the node count, the total size, and every node's
    /// retained size and distance. Returns our reading for further checks.
    @discardableResult
    func expectAgreement(_ devTools: DevToolsFrontend.Report, _ file: String) throws
        -> (total: Int, nodes: [UInt64: (retained: Int, distance: Int?, shallow: Int, type: String)]) {
        let ours = try ours(file)
        #expect(devTools.nodeCount == ours.nodes.count, "\(file)")
        #expect(devTools.totalSize == ours.total, "\(file)")
        var retainedDifferences: [String] = []
        var distanceDifferences: [String] = []
        for (id, theirs) in devTools.nodes {
            guard let mine = ours.nodes[id] else {
                retainedDifferences.append("@\(id) missing from heapgraph's output")
                continue
            }
            if mine.retained != theirs.retained { retainedDifferences.append("@\(id): \(mine.retained) vs DevTools \(theirs.retained)") }
            if (mine.distance ?? Self.devToolsNoDistance) != theirs.distance {
                distanceDifferences.append("@\(id): \(mine.distance.map(String.init) ?? "none") vs DevTools \(theirs.distance)")
            }
        }
        #expect(retainedDifferences.isEmpty, "\(file): \(retainedDifferences.count) retained sizes differ, e.g. \(retainedDifferences.prefix(5))")
        #expect(distanceDifferences.isEmpty, "\(file): \(distanceDifferences.count) distances differ, e.g. \(distanceDifferences.prefix(5))")
        return ours
    }

    @Test func theDevToolsRulesFixture() throws {
        let directory = try scratchDirectory("devtools-fixture")
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("V8Fixtures/devtools-rules.heapsnapshot").path
        let devTools = try DevToolsFrontend.load(fixture, in: directory)
        try expectAgreement(devTools, fixture)
        // The cases the fixture was written for, as DevTools itself answers them.
        #expect(devTools.totalSize == 597)
        #expect(devTools.nodes[21]?.distance == Self.devToolsNoDistance)   // WeakOnly: weak retainers only
        #expect(devTools.nodes[25]?.distance == 100_000_003)               // Internal: under (Strong roots)
    }

    @Test func anExportedRuntimeHeap() throws {
        let directory = try scratchDirectory("devtools-runtime")
        let snapshots = try leakyAppSnapshots(in: directory)
        let exported = directory + "/app.heapsnapshot"
        let conversion = try heapgraph(["convert", snapshots.app, "-o", exported])
        try #require(conversion.status == 0, "\(conversion.standardError)")
        let devTools = try DevToolsFrontend.load(exported, retainersOf: ["service.Session"], in: directory)

        // The re-imported file is a V8 file, so heapgraph reads it by DevTools' rules.
        let reread = try expectAgreement(devTools, exported)
        // And the total is the runtime heap's own, under HeapGraph's rules.
        let original = try ours(snapshots.app)
        #expect(devTools.totalSize == original.total)

        // The Summary: DevTools' rows for the runtime's classes. DevTools counts only objects
        // with a shallow size (an owned list's size has moved into its owner, as our
        // DevTools-rules reading also does), and a row's retained size adds up the instances
        // not retained by another instance of the class (none are, in LeakyApp).
        for className in ["service.Session", "service.Listener", "service.Request", "service.Parser", "dict"] {
            let mine = reread.nodes.values.filter { $0.type == className && $0.shallow > 0 }
            let row = try #require(devTools.classes[className], "no Summary row for \(className)")
            #expect(row.count == mine.count, "\(className)")
            #expect(row.selfSize == mine.reduce(0) { $0 + $1.shallow }, "\(className)")
            #expect(row.maxRetained == mine.reduce(0) { $0 + $1.retained }, "\(className)")
        }

        // LeakyApp leaks every closed Session: its Listener stays in the global listener list
        // (which the host program holds) and points at it. The open one the host holds itself.
        let leaked = devTools.retainers.filter { $0.distance > 1 }
        #expect(leaked.count == 19)
        for session in leaked {
            #expect(session.className == "service.Session")
            #expect(session.retainers.map(\.edge) == [".session"])
            #expect(session.retainers.map(\.fromClass) == ["service.Listener"])
            #expect(session.path.map(\.from) == ["service.Listener", "list", "(root)"], "\(session.path)")
            #expect(session.path.last?.edge == "[\"(held by the host program)\"]", "\(session.path)")
        }
        let open = devTools.retainers.filter { $0.distance == 1 }
        #expect(open.count == 1)
        #expect(open.first?.path.map(\.edge) == ["[\"(held by the host program)\"]"])
    }

    @Test func aSnapshotNodeWrites() throws {
        let directory = try scratchDirectory("devtools-node")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("V8Fixtures/listeners.js").path
        let written = try DevToolsFrontend.runNode([script, directory], in: directory)
        try #require(written.status == 0, "node listeners.js: \(written.error)")
        let snapshot = directory + "/listeners-1.heapsnapshot"
        let devTools = try DevToolsFrontend.load(snapshot, retainersOf: ["Listener"], in: directory)
        try expectAgreement(devTools, snapshot)

        #expect(devTools.classes["Listener"]?.count == 20)
        #expect(devTools.retainers.count == 20)
        for listener in devTools.retainers {
            #expect(listener.retainers.map(\.fromClass).contains("Array"))
            #expect(listener.path.map(\.from) == ["Array", "Registry", "global", "(root)"], "\(listener.path)")
            #expect(Array(listener.path.map(\.edge).dropFirst()).prefix(2) == [".listeners", ".registry"], "\(listener.path)")
        }
    }
}
