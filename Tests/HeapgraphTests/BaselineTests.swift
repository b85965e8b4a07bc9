import Foundation
import HeapRuntime
import Testing

/// Baselines: given oldest first, from one heap; from another process or heap they are
/// compared by type counts only. And an object is counted in one group only.
@Suite("heapgraph leaks: baselines", .serialized)
struct BaselineTests {
    func json(_ result: CommandResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
    }

    @Test func snapshotsCarryTheirOriginAndBaselinesOutOfOrderAreRefused() throws {
        let directory = try scratchDirectory("baseline-order")
        let fixture = try makeLeakFixture(in: directory)
        // The runtime writes the process, its heap identity and the snapshot's number.
        let data = try Data(contentsOf: URL(fileURLWithPath: fixture.middle))
        let text = String(decoding: data.suffix(4096), as: UTF8.self)
        #expect(text.contains("\"pid\":\(getpid())"))
        #expect(text.contains("\"sequence\":2"))
        #expect(text.range(of: #""heap":"[0-9a-f]+""#, options: .regularExpression) != nil)

        let result = try heapgraph(["leaks", fixture.final, "--baseline", fixture.middle, "--baseline", fixture.baseline])
        #expect(result.status == 2)
        #expect(result.standardError.hasPrefix("heapgraph: \(fixture.middle) (taken "))
        #expect(result.standardError.contains("snapshot 2 of its heap) is newer than \(fixture.baseline)"))
        #expect(result.standardError.hasSuffix("give the snapshots oldest first\n"))
        let newestAsBaseline = try heapgraph(["leaks", fixture.baseline, "--baseline", fixture.final])
        #expect(newestAsBaseline.status == 2)
        #expect(newestAsBaseline.standardError.contains("is newer than \(fixture.baseline)"))
        let growth = try heapgraph(["growth", fixture.final, fixture.baseline])
        #expect(growth.status == 2)
        #expect(growth.standardError.contains("is newer than \(fixture.baseline)"))
        // In order it runs.
        #expect(try heapgraph(["leaks", fixture.final, "--baseline", fixture.baseline, "--baseline", fixture.middle]).status == 1)
    }

    /// Two heaps of the same program: the counts are compared, no object is called new.
    @Test func snapshotsOfAnotherHeapAreComparedByTypeCountsOnly() throws {
        let directory = try scratchDirectory("baseline-other-heap")
        func run(items: Int, to path: String) throws {
            let heap = Heap()
            let root = heap.list()
            let itemClass = try heap.makeClass("app.Item")
            for _ in 0..<items { try heap.append(heap.instance(of: itemClass), to: root) }
            try heap.writeSnapshot(to: path, tag: "\(items) items")
            _ = root
        }
        try run(items: 3, to: directory + "/first.heapgraph")
        try run(items: 8, to: directory + "/second.heapgraph")
        let result = try heapgraph(["leaks", directory + "/second.heapgraph", "--baseline", directory + "/first.heapgraph",
                                    "--format", "json"])
        #expect(result.status == 1)
        let report = try json(result)
        let comparison = try #require(report["comparison"] as? [String: Any])
        #expect(comparison["byObject"] as? Bool == false)
        #expect((comparison["note"] as? String)?.contains("different heaps: compared by type counts only") == true)
        let growth = try #require((report["leaks"] as? [[String: Any]])?.first { ($0["types"] as? [String]) == ["app.Item"] })
        #expect(growth["count"] as? Int == 5)
        #expect(growth["trace"] is NSNull)   // no object is matched by id, so none is shown as new
        #expect((growth["note"] as? String)?.hasSuffix("compared by type counts only, no object is matched by id") == true)
        let text = try heapgraph(["leaks", directory + "/second.heapgraph", "--baseline", directory + "/first.heapgraph"])
        #expect(text.standardOutput.contains("Baselines: the snapshots are of different heaps: compared by type counts only"))
        // `growth` says the same and lists no new objects.
        let growthText = try heapgraph(["growth", directory + "/first.heapgraph", directory + "/second.heapgraph"])
        #expect(growthText.status == 0)
        #expect(growthText.standardOutput.contains("Note: the snapshots are of different heaps: compared by type counts only"))
        #expect(!growthText.standardOutput.contains("New objects"))
        let growthJSON = try json(heapgraph(["growth", directory + "/first.heapgraph", directory + "/second.heapgraph", "--json"]))
        #expect(growthJSON["byObject"] as? Bool == false)
        #expect((growthJSON["newObjects"] as? [Any])?.isEmpty == true)
        // memlab's method needs one heap.
        let target = try heapgraph(["leaks", directory + "/second.heapgraph", "--baseline", directory + "/first.heapgraph",
                                    "--target", directory + "/second.heapgraph"])
        #expect(target.status == 2)
        #expect(target.standardError.contains("--target needs snapshots of one heap"))
    }

    /// Sessions closed (watched) while their type grows: each counts once, as watched, which
    /// says it also fits growth; growth counts only the new sessions nobody watches.
    @Test func aClosedSessionCountsOnce() throws {
        let directory = try scratchDirectory("baseline-once")
        let heap = Heap()
        let sessions = heap.list()
        let sessionClass = try heap.makeClass("service.Session")
        try heap.writeSnapshot(to: directory + "/0.heapgraph")
        for step in 1...2 {
            for _ in 0..<3 {
                let session = try heap.instance(of: sessionClass)
                try heap.append(session, to: sessions)
                try heap.watch(session, description: "closed session")
            }
            try heap.append(heap.instance(of: sessionClass), to: sessions)   // still open
            try heap.writeSnapshot(to: directory + "/\(step).heapgraph")
        }
        let result = try heapgraph(["leaks", directory + "/2.heapgraph", "--baseline", directory + "/0.heapgraph",
                                    "--baseline", directory + "/1.heapgraph", "--format", "json"])
        #expect(result.status == 1)
        let leaks = try #require(try json(result)["leaks"] as? [[String: Any]])
        let sessionGroups = leaks.filter { ($0["types"] as? [String]) == ["service.Session"] }
        #expect(sessionGroups.compactMap { $0["category"] as? String } == ["watched", "growth"])
        #expect(sessionGroups.compactMap { $0["count"] as? Int } == [6, 2])   // 8 new sessions, each once
        #expect(sessionGroups.first?["alsoFits"] as? [String] == ["growth"])
        #expect((sessionGroups.last?["note"] as? String) == "count 0 → 4 → 8; 6 more new counted under watched")
        let text = try heapgraph(["leaks", directory + "/2.heapgraph", "--baseline", directory + "/0.heapgraph",
                                  "--baseline", directory + "/1.heapgraph"])
        #expect(text.standardOutput.contains("    also fits: growth (counted here only)"))
        _ = sessions
    }
}
