import Foundation
import HeapRuntime
import HeapGraphModel
import Testing

@Suite("heapgraph backrefs, refs, chain, dominators, growth", .serialized)
struct QueryCommandTests {
    @Test func backrefsPrintsTheLeakTrace() throws {
        let directory = try scratchDirectory("backrefs")
        let fixture = try makeLeakFixture(in: directory)
        let result = try heapgraph(["backrefs", fixture.final, "--type", "Session"])
        #expect(result.status == 0)
        try expectGolden(normalized(result.standardOutput, directory: directory), "backrefs-session.txt")
        // The same object by id, in decimal and in hex.
        let graph = try HeapSnapshot(contentsOf: fixture.final)
        let session = try #require((0..<graph.nodeCount).first { graph.typeName(of: $0) == "app.Session" })
        let id = graph.id(of: session)
        #expect(try heapgraph(["backrefs", fixture.final, "--id", String(id)]).standardOutput == result.standardOutput)
        #expect(try heapgraph(["backrefs", fixture.final, "--id", "0x" + String(id, radix: 16)]).standardOutput == result.standardOutput)
    }

    @Test func backrefsOfGarbageSaysSo() throws {
        let directory = try scratchDirectory("backrefs-garbage")
        let fixture = try makeLeakFixture(in: directory)
        let result = try heapgraph(["backrefs", fixture.final, "--type", "Node", "--nth", "3"])
        #expect(result.status == 0)
        #expect(result.standardOutput.hasPrefix("No strong path from a root reaches app.Node"))
    }

    @Test func backrefsDrawsPictures() throws {
        let directory = try scratchDirectory("backrefs-pictures")
        let fixture = try makeLeakFixture(in: directory)
        for name in ["b.svg", "b.png", "b.pdf", "b.dot"] {
            let path = directory + "/" + name
            let result = try heapgraph(["backrefs", fixture.final, "--type", "Session", "-o", path])
            #expect(result.status == 0, "\(name): \(result.standardError)")
            #expect(result.standardOutput.contains("Graph written to \(path) ("))
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            switch name {
            case "b.png": #expect(bytes.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
            case "b.pdf": #expect(bytes.prefix(4) == Data("%PDF".utf8))
            case "b.svg": #expect(String(decoding: bytes, as: UTF8.self).contains("<svg"))
            default:
                let dot = String(decoding: bytes, as: UTF8.self)
                #expect(dot.hasPrefix("digraph"))
                #expect(dot.contains("app.Holder"))
            }
        }
    }

    @Test func refsListsReferencesAndChainFindsAType() throws {
        let directory = try scratchDirectory("refs-chain")
        let fixture = try makeLeakFixture(in: directory)
        let graph = try HeapSnapshot(contentsOf: fixture.final)
        let holder = try #require((0..<graph.nodeCount).first { graph.typeName(of: $0) == "app.Holder" })
        let id = "0x" + String(graph.id(of: holder), radix: 16)
        let refs = try heapgraph(["refs", fixture.final, "--id", id])
        #expect(refs.status == 0)
        try expectGolden(normalized(refs.standardOutput, directory: directory), "refs-holder.txt")

        let chain = try heapgraph(["chain", fixture.final, "--from", id, "--to-type", "Listener"])
        #expect(chain.status == 0)
        try expectGolden(normalized(chain.standardOutput, directory: directory), "chain-holder-listener.txt")
        let none = try heapgraph(["chain", fixture.final, "--from", id, "--to-type", "Node"])
        #expect(none.status == 1)
        #expect(none.standardOutput.hasPrefix("No chain of at most 20 references"))
    }

    @Test func dominatorsListTheLargestRetainers() throws {
        let directory = try scratchDirectory("dominators")
        let fixture = try makeLeakFixture(in: directory)
        let result = try heapgraph(["dominators", fixture.final, "--limit", "3", "--json"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let rows = try #require(object["retainers"] as? [[String: Any]])
        #expect(rows.count == 3)
        let retained = rows.compactMap { $0["retainedBytes"] as? Int }
        #expect(retained == retained.sorted(by: >))
        let graph = try HeapSnapshot(contentsOf: fixture.final)
        #expect((object["bytes"] as? Int) == (0..<graph.nodeCount).reduce(0) { $0 + graph.shallowSize(of: $1) })
        let text = try heapgraph(["dominators", fixture.final, "--limit", "3"])
        #expect(text.status == 0)
        try expectGolden(normalized(text.standardOutput, directory: directory), "dominators.txt")
    }

    @Test func growthAcrossThreeSnapshots() throws {
        let directory = try scratchDirectory("growth")
        let fixture = try makeLeakFixture(in: directory)
        let result = try heapgraph(["growth", fixture.baseline, fixture.middle, fixture.final])
        #expect(result.status == 0)
        try expectGolden(normalized(result.standardOutput, directory: directory), "growth.txt")
        let json = try heapgraph(["growth", fixture.baseline, fixture.final, "--json", "--limit", "0"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        #expect(object["grewEveryStep"] as? [String] == ["app.Node", "list"])
        let new = try #require(object["newObjects"] as? [[String: Any]])
        #expect(new.first { $0["type"] as? String == "app.Node" }?["count"] as? Int == 8)
        #expect((new.first { $0["type"] as? String == "app.Node" }?["ids"] as? [Int])?.count == 8)
    }

    @Test func aLongChainPrintsItsEndsAndHowManyObjectsWereLeftOut() throws {
        let directory = try scratchDirectory("backrefs-long")
        let path = directory + "/chain.heapgraph"
        let heap = Heap()
        let root = heap.list()
        let linkClass = try heap.makeClass("app.Link")
        do {
            var previous = try heap.instance(of: linkClass)
            try heap.append(previous, to: root)
            for _ in 1..<5_000 {
                let next = try heap.instance(of: linkClass)
                try heap.setAttribute("next", to: next, on: previous)
                previous = next
            }
            try heap.setAttribute("last", to: heap.str("end"), on: previous)
        }
        try heap.writeSnapshot(to: path, tag: "chain")
        let result = try heapgraph(["backrefs", path, "--type", "str", "--nth", "1"])
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n")
        // Header 3 lines; 20 steps of 2 lines; the gap; 19 steps of 2 lines; the retained object.
        #expect(lines.count == 3 + 20 * 2 + 1 + 19 * 2 + 1, "\(lines.count) lines")
        #expect(lines.contains("│  … 4,962 objects left out …"))
        #expect(lines.last?.hasPrefix("╰→ str instance @") == true)
        withExtendedLifetime(root) {}
    }
}
