import Foundation
import Testing

@Suite("heapgraph summary", .serialized)
struct SummaryCommandTests {
    @Test func textMatchesGolden() throws {
        let directory = try scratchDirectory("summary-text")
        let fixture = try makeLeakFixture(in: directory)
        let result = try heapgraph(["summary", fixture.final, "--limit", "5"])
        #expect(result.status == 0)
        #expect(result.standardError == "")
        try expectGolden(normalized(result.standardOutput, directory: directory), "summary.txt")
    }

    @Test func jsonCarriesObjectsEdgesBytesAndTypes() throws {
        let directory = try scratchDirectory("summary-json")
        let fixture = try makeLeakFixture(in: directory)
        let result = try heapgraph(["summary", fixture.final, "--json", "--limit", "0"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let objects = try #require(object["objects"] as? Int)
        let edges = try #require(object["edges"] as? Int)
        let bytes = try #require(object["bytes"] as? Int)
        let types = try #require(object["types"] as? [[String: Any]])
        // Every object is in exactly one type row, and the rows add up to the totals.
        #expect(types.reduce(0) { $0 + ($1["count"] as? Int ?? 0) } == objects)
        #expect(types.reduce(0) { $0 + ($1["bytes"] as? Int ?? 0) } == bytes)
        #expect(edges > objects / 2)
        // Largest count first.
        let counts = types.compactMap { $0["count"] as? Int }
        #expect(counts == counts.sorted(by: >))
        // 6 Node pairs: 12 app.Node instances, named as every command names them (the
        // recorded, qualified name), and the collector's stats came along.
        #expect(types.contains { $0["name"] as? String == "app.Node" && $0["count"] as? Int == 12 })
        #expect(!types.contains { $0["name"] as? String == "Node" })
        let collector = try #require(object["collector"] as? [String: Any])
        #expect(collector["thresholds"] as? [Int] == [700, 10, 10])
        #expect(object["tag"] as? String == "fixture step 3")
    }
}
