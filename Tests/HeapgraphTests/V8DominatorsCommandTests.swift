import Foundation
import Testing

/// `heapgraph dominators` on the hand-written V8 snapshot whose answer
/// Tests/HeapAnalysisTests/DevToolsRulesTests.swift works out by DevTools' rules.
@Suite("heapgraph dominators on a V8 snapshot, by DevTools' rules")
struct V8DominatorsCommandTests {
    static var fixture: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("V8Fixtures/devtools-rules.heapsnapshot").path
    }

    /// Per V8 id: shallow (DevTools'), retained, distance (nil: none). The reasons are in
    /// DevToolsRulesTests.expected.
    static let expected: [Int: (shallow: Int, retained: Int, distance: Int?)] = [
        1: (0, 597, 100_000_000), 3: (0, 60, 100_000_001), 5: (0, 60, 100_000_002), 7: (40, 473, 1),
        9: (116, 184, 2), 11: (10, 10, 3), 13: (20, 20, 3), 15: (30, 30, 2), 17: (5, 11, 2), 19: (6, 6, 3),
        21: (50, 57, nil), 23: (7, 7, nil), 25: (60, 60, 100_000_003), 27: (0, 8, 3), 29: (8, 8, 4),
        31: (3, 3, nil), 33: (4, 4, nil), 35: (36, 36, 2), 37: (0, 0, 3), 39: (2, 202, 2), 41: (200, 200, 4),
    ]

    @Test func jsonGivesDevToolsRetainedSizesAndDistances() throws {
        let result = try heapgraph(["dominators", Self.fixture, "--json", "--limit", "100"])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(object["bytes"] as? Int == 597)
        let rows = try #require(object["retainers"] as? [[String: Any]])
        #expect(rows.count == Self.expected.count)
        for row in rows {
            let id = try #require(row["id"] as? Int)
            let want = try #require(Self.expected[id], "id \(id)")
            #expect(row["retainedBytes"] as? Int == want.retained, "retained of @\(id)")
            #expect(row["shallowBytes"] as? Int == want.shallow, "shallow of @\(id)")
            #expect(row["distance"] as? Int == want.distance, "distance of @\(id)")
        }
        // Largest first: root, global, Key (Value hangs from the key, not from the table).
        #expect(rows.prefix(4).compactMap { $0["id"] as? Int } == [1, 7, 39, 41])
    }

    @Test func textListsTheSameSizes() throws {
        let result = try heapgraph(["dominators", Self.fixture, "--limit", "3"])
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.count == 5, "\(result.standardOutput)")
        #expect(lines.first?.hasPrefix("Top 3 retainers of 597 B") == true, "\(result.standardOutput)")
        let retained = lines.dropFirst(2).map { $0.split(separator: " ").first.map(String.init) }
        #expect(retained == ["597", "473", "202"], "\(result.standardOutput)")
        #expect(lines.last?.contains("Key") == true)
    }

    @Test func backrefsFollowsDevToolsDistances() throws {
        // Value @41: the path goes through the WeakMap's table, the later of its two edges.
        let result = try heapgraph(["backrefs", Self.fixture, "--id", "41"])
        #expect(result.status == 0, "\(result.standardError)")
        let text = result.standardOutput
        #expect(text.contains("cache") && text.contains("WeakMap") && text.contains("Value"), "\(text)")
        // WeakOnly @21 is held only weakly: no path.
        let weak = try heapgraph(["backrefs", Self.fixture, "--id", "21"])
        #expect(weak.status == 0, "\(weak.standardError)")
        #expect(weak.standardOutput.hasPrefix("No strong path from the root reaches"), "\(weak.standardOutput)")
    }
}
