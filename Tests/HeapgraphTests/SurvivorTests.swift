import Foundation
import HeapRuntime
import Testing

/// `node` from PATH, or nil when this machine has none (the V8 test then skips).
private let nodeForSurvivors: String? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    return path.split(separator: ":").map { "\($0)/node" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}()

/// memlab's three snapshots: `leaks FINAL --baseline B --target T` reports what was
/// allocated between B and T and is still alive in FINAL, grouped by leak trace.
@Suite("heapgraph leaks: three snapshots", .serialized)
struct SurvivorTests {
    func survivors(_ result: CommandResult) throws -> [[String: Any]] {
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        return (report["leaks"] as? [[String: Any]] ?? []).filter { $0["category"] as? String == "survivors" }
    }

    @Test func runtimeHeap() throws {
        let directory = try scratchDirectory("survivors-runtime")
        let heap = Heap()
        let cache = heap.list()
        let itemClass = try heap.makeClass("app.Item")
        let tempClass = try heap.makeClass("app.Temp")
        for _ in 0..<4 { try heap.append(heap.instance(of: itemClass), to: cache) }   // before the baseline
        // The attribute's name (an interned string all items share) exists before the baseline too.
        try heap.setAttribute("label", to: heap.str("first"), on: heap.instance(of: itemClass))
        try heap.writeSnapshot(to: directory + "/baseline.heapgraph")
        for index in 0..<5 {
            let item = try heap.instance(of: itemClass)
            try heap.setAttribute("label", to: heap.str("item \(index)"), on: item)   // part of the item's leak
            try heap.append(item, to: cache)
            _ = try heap.instance(of: tempClass)   // dropped at once: freed
        }
        try heap.writeSnapshot(to: directory + "/target.heapgraph")
        for _ in 0..<2 { _ = try heap.pop(from: cache) }   // two of the five are let go
        try heap.writeSnapshot(to: directory + "/final.heapgraph")

        let result = try heapgraph(["leaks", directory + "/final.heapgraph", "--baseline", directory + "/baseline.heapgraph",
                                    "--target", directory + "/target.heapgraph", "--format", "json"])
        #expect(result.status == 1, "\(result.standardError)")
        let groups = try survivors(result)
        #expect(groups.count == 1)
        let group = try #require(groups.first)
        #expect(group["types"] as? [String] == ["app.Item"])
        #expect(group["count"] as? Int == 3)
        let trace = try #require(group["trace"] as? [[String: Any]])
        #expect(trace.compactMap { $0["type"] as? String } == ["list", "app.Item"])
        let suspect = try #require(group["suspect"] as? [String: Any])
        #expect((suspect["reference"] as? String)?.hasPrefix("list[") == true)
        #expect(suspect["reason"] as? String == "holds the leaking object")
        #expect(suspect["index"] as? Int == 0)
        // --fail-on survivors gates on them alone.
        let gate = try heapgraph(["leaks", directory + "/final.heapgraph", "--baseline", directory + "/baseline.heapgraph",
                                  "--target", directory + "/target.heapgraph", "--fail-on", "survivors"])
        #expect(gate.status == 1)
        #expect(gate.standardOutput.contains("survivors: 1 group, 3 leaks (Objects allocated between the baseline and the target that are still alive)"))
        // Without the target nothing is a survivor.
        let plain = try heapgraph(["leaks", directory + "/final.heapgraph", "--format", "json"])
        #expect(try survivors(plain).isEmpty)
        _ = cache
    }

    @Test(.enabled(if: nodeForSurvivors != nil, "node is not on PATH: skipping memlab's method on V8 snapshots"))
    func v8SnapshotsWrittenByNode() throws {
        let directory = try scratchDirectory("survivors-v8")
        let script = directory + "/leak.js"
        try Data("""
            const v8 = require('v8');
            const dir = process.argv[2];
            class KeptSinceStart { constructor(i) { this.i = i; } }
            class LeakedListener { constructor(i) { this.i = i; this.state = { i }; } }
            class TemporaryBuffer { constructor(i) { this.i = i; } }
            class MadeAfterTarget { constructor(i) { this.i = i; } }
            globalThis.kept = [];
            for (let i = 0; i < 10; i++) kept.push(new KeptSinceStart(i));
            globalThis.listeners = new Array(100).fill(null);   // its storage exists before the baseline
            v8.writeHeapSnapshot(dir + '/baseline.heapsnapshot');
            for (let i = 0; i < 50; i++) listeners[i] = new LeakedListener(i);
            let scratch = [];
            for (let i = 0; i < 30; i++) scratch.push(new TemporaryBuffer(i));
            scratch = null;
            v8.writeHeapSnapshot(dir + '/target.heapsnapshot');
            for (let i = 0; i < 20; i++) listeners[i] = null;   // 20 of the 50 are let go
            for (let i = 0; i < 40; i++) kept.push(new MadeAfterTarget(i));
            v8.writeHeapSnapshot(dir + '/final.heapsnapshot');
            """.utf8).write(to: URL(fileURLWithPath: script))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(nodeForSurvivors))
        process.arguments = [script, directory]
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)

        let result = try heapgraph(["leaks", directory + "/final.heapsnapshot", "--baseline", directory + "/baseline.heapsnapshot",
                                    "--target", directory + "/target.heapsnapshot", "--format", "json"])
        #expect(result.status == 1, "\(result.standardError)")
        let groups = try survivors(result)
        let listeners = groups.filter { ($0["types"] as? [String]) == ["LeakedListener"] }
        #expect(listeners.count == 1)
        #expect(listeners.first?["count"] as? Int == 30)
        let trace = listeners.first?["trace"] as? [[String: Any]] ?? []
        #expect(trace.last?["type"] as? String == "LeakedListener")
        // Freed before the target, made after it, or there since the baseline: not survivors.
        let types = Set(groups.flatMap { $0["types"] as? [String] ?? [] })
        #expect(!types.contains("TemporaryBuffer"))
        #expect(!types.contains("MadeAfterTarget"))
        #expect(!types.contains("KeptSinceStart"))
    }
}
