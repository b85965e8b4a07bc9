import Foundation
import FoundationXML
import Testing

@Suite("heapgraph leaks", .serialized)
struct LeaksCommandTests {
    @Test func textReportMatchesGoldenAndExitsOne() throws {
        let directory = try scratchDirectory("leaks-text")
        let fixture = try makeLeakFixture(in: directory)
        let result = try heapgraph(["leaks", fixture.final, "--baseline", fixture.baseline, "--baseline", fixture.middle])
        #expect(result.status == 1)
        #expect(result.standardError == "")
        try expectGolden(normalized(result.standardOutput, directory: directory), "leaks.txt")
    }

    @Test func jsonHasTheDocumentedEntries() throws {
        let directory = try scratchDirectory("leaks-json")
        let fixture = try makeLeakFixture(in: directory)
        let report = directory + "/leaks.json"
        let result = try heapgraph(["leaks", fixture.final, "--baseline", fixture.baseline, "--format", "json", "-o", report])
        #expect(result.status == 1)
        #expect(result.standardOutput == "")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any])
        let leaks = try #require(object["leaks"] as? [[String: Any]])
        for entry in leaks {
            for key in ["category", "fingerprint", "count", "types", "bytes"] {
                #expect(entry[key] != nil, "entry lacks \(key): \(entry)")
            }
        }
        func entries(_ category: String) -> [[String: Any]] { leaks.filter { $0["category"] as? String == category } }
        // 6 identical Node rings: one entry counting 6 leaks, 6 × 2 instances' bytes.
        let rings = entries("cyclic-garbage")
        #expect(rings.count == 1)
        #expect(rings.first?["count"] as? Int == 6)
        #expect(rings.first?["types"] as? [String] == ["app.Node"])
        #expect(rings.first?["exampleCycle"] as? String == "app.Node.next → app.Node.prev → app.Node")
        let uncollectable = entries("uncollectable")
        #expect(uncollectable.count == 1)
        #expect(uncollectable.first?["types"] as? [String] == ["app.Connection", "app.Socket"])
        let watched = entries("watched")
        #expect(watched.first?["count"] as? Int == 1)
        #expect(watched.first?["description"] as? String == "closed session")
        let trace = try #require(watched.first?["trace"] as? [[String: Any]])
        #expect(trace.compactMap { $0["type"] as? String }.suffix(3) == ["list", "app.Holder", "app.Session"])
        // The cache list gained one list per step, and nothing else the program holds grew.
        #expect(entries("growth").compactMap { $0["types"] as? [String] } == [["list"]])
    }

    @Test func junitIsXMLWithOneTestcasePerCategory() throws {
        let directory = try scratchDirectory("leaks-junit")
        let fixture = try makeLeakFixture(in: directory)
        let result = try heapgraph(["leaks", fixture.final, "--format", "junit"])
        #expect(result.status == 1)
        let document = try XMLDocument(data: Data(result.standardOutput.utf8))
        let cases = try document.nodes(forXPath: "//testcase")
        #expect(cases.count == 5)
        let failures = try document.nodes(forXPath: "//testcase/failure")
        #expect(failures.count == 3)   // uncollectable, cyclic garbage, watched; growth and survivors need more snapshots
    }

    @Test func sarifHasItsRequiredStructure() throws {
        let directory = try scratchDirectory("leaks-sarif")
        let fixture = try makeLeakFixture(in: directory)
        let result = try heapgraph(["leaks", fixture.final, "--format", "sarif"])
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(object["version"] as? String == "2.1.0")
        #expect((object["$schema"] as? String)?.contains("sarif") == true)
        let run = try #require((object["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "heapgraph")
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(Set(rules.compactMap { $0["id"] as? String }) == ["uncollectable", "cyclic-garbage", "watched", "survivors", "growth"])
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 3)
        for entry in results {
            #expect(entry["ruleId"] is String)
            #expect(((entry["message"] as? [String: Any])?["text"] as? String)?.isEmpty == false)
            let location = (entry["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
            #expect((location?["artifactLocation"] as? [String: Any])?["uri"] as? String != nil)
        }
    }

    @Test func exitStatusFollowsFailOn() throws {
        let directory = try scratchDirectory("leaks-exit")
        let fixture = try makeLeakFixture(in: directory)
        #expect(try heapgraph(["leaks", fixture.clean]).status == 0)
        #expect(try heapgraph(["leaks", fixture.final, "--fail-on", "none"]).status == 0)
        #expect(try heapgraph(["leaks", fixture.final, "--fail-on", "growth"]).status == 2)   // no baseline: a usage error
        #expect(try heapgraph(["leaks", fixture.final, "--baseline", fixture.baseline, "--fail-on", "growth"]).status == 1)
        #expect(try heapgraph(["leaks", fixture.final, "--fail-on", "uncollectable"]).status == 1)
        #expect(try heapgraph(["leaks", fixture.final, "--fail-on", "watched,cyclic-garbage"]).status == 1)
        let clean = try heapgraph(["leaks", fixture.clean, "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(clean.standardOutput.utf8)) as? [String: Any])
        #expect((object["leaks"] as? [Any])?.isEmpty == true)
    }

    @Test func renderDirHasOnePicturePerGroup() throws {
        let directory = try scratchDirectory("leaks-render")
        let fixture = try makeLeakFixture(in: directory)
        let pictures = directory + "/pictures"
        let result = try heapgraph(["leaks", fixture.final, "--render-dir", pictures, "-o", directory + "/report.txt"])
        #expect(result.status == 1)
        let names = try FileManager.default.contentsOfDirectory(atPath: pictures).sorted()
        #expect(names == ["leak-01-uncollectable.svg", "leak-02-cyclic-garbage.svg", "leak-03-watched.svg"])
        for name in names {
            let svg = try String(contentsOfFile: pictures + "/" + name, encoding: .utf8)
            #expect(svg.contains("<svg"))
        }
        let cycle = try String(contentsOfFile: pictures + "/leak-02-cyclic-garbage.svg", encoding: .utf8)
        #expect(cycle.contains("app.Node"))
        #expect(cycle.contains("next") && cycle.contains("prev"))
        let dot = try heapgraph(["leaks", fixture.final, "--render-dir", directory + "/dot", "--render-format", "dot", "-q", "-o", directory + "/report.txt"])
        #expect(dot.status == 1)
        #expect(dot.standardError == "")
        let watched = try String(contentsOfFile: directory + "/dot/leak-03-watched.dot", encoding: .utf8)
        #expect(watched.hasPrefix("digraph"))
        #expect(watched.contains("app.Holder") && watched.contains("app.Session"))
    }
}
