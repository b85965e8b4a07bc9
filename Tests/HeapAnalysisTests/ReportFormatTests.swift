import HeapGraphModel
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import HeapAnalysis

@Suite("Leak report: JSON, JUnit, SARIF")
struct ReportFormatTests {
    /// Two Node rings (cyclic garbage) and a watched list held by the root, made by hand: a
    /// ring is 160 bytes, its nodes 64 and 96 (sizes chosen here, not the allocator's).
    func report() throws -> LeakReport {
        let graph = HeapSnapshot.build(runtime: "HeapRuntime") { heap in
            let tracked: NodeFlags = [.tracked]
            let root = heap.node("list", kind: .array, size: 56, externalCount: 1, generation: 0, flags: tracked)
            let node = heap.node("type", kind: .type, value: "Node", size: 88, generation: 0, flags: tracked)
            heap.edge(from: root, to: node, .index(0))
            for _ in 0..<2 {
                let a = heap.node("Node", size: 64, generation: 0, flags: tracked)
                let b = heap.node("Node", size: 96, generation: 0, flags: tracked)
                heap.edge(from: a, to: node, .named("__class__"))
                heap.edge(from: a, to: b, .attribute(.text("next")))
                heap.edge(from: b, to: node, .named("__class__"))
                heap.edge(from: b, to: a, .attribute(.text("prev")))
            }
            let watched = heap.node("list", kind: .array, size: 56, generation: 0, flags: tracked,
                                    watched: "closed \"Session\" <1>")
            heap.edge(from: root, to: watched, .index(1))
        }
        return LeakReport.analyze(graph, file: "app.heapgraph")
    }

    @Test func jsonCarriesTheDocumentedKeys() throws {
        let report = try report()
        let text = report.json()
        #expect(text == report.json())   // deterministic
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(json["version"] as? Int == 1)
        #expect(json["file"] as? String == "app.heapgraph")
        let summary = try #require(json["summary"] as? [String: Any])
        #expect(summary["groups"] as? Int == 2)
        #expect(summary["leaks"] as? Int == 3)
        let categories = try #require(summary["categories"] as? [String: [String: Int]])
        #expect(categories["cyclic-garbage"] == ["groups": 1, "leaks": 2])
        #expect(categories["watched"] == ["groups": 1, "leaks": 1])
        #expect(categories["uncollectable"] == ["groups": 0, "leaks": 0])
        let leaks = try #require(json["leaks"] as? [[String: Any]])
        #expect(leaks.map { $0["category"] as? String } == ["cyclic-garbage", "watched"])
        #expect(leaks[0]["count"] as? Int == 2)
        #expect(leaks[0]["types"] as? [String] == ["Node"])
        #expect(leaks[0]["bytes"] as? Int == 2 * 160)
        #expect(leaks[0]["exampleCycle"] as? String == "Node.next → Node.prev → Node")
        #expect(leaks[0]["trace"] is NSNull)
        #expect(leaks[1]["description"] as? String == "closed \"Session\" <1>")
        let trace = try #require(leaks[1]["trace"] as? [[String: Any]])
        #expect(trace.map { $0["type"] as? String } == ["list", "list"])
        #expect(trace.first?["reference"] as? String == "[1]")
        #expect(trace.first?["label"] as? String == "2 items")
    }

    @Test func jsonEscapesControlCharacters() {
        let value = JSONValue.object([("k\"", .string("a\\b\n\u{1}é"))])
        #expect(value.serialized() == #"{"k\"":"a\\b\n\u0001é"}"#)
    }

    @Test func junitHasOneTestcasePerCategory() throws {
        let xml = try report().junitXML()
        let document = try XMLDocument(xmlString: xml)
        let suite = try #require(document.rootElement())
        #expect(suite.name == "testsuite")
        #expect(suite.attribute(forName: "tests")?.stringValue == "5")
        #expect(suite.attribute(forName: "failures")?.stringValue == "2")
        #expect(suite.attribute(forName: "skipped")?.stringValue == "2")   // no baseline, no target
        let cases = suite.elements(forName: "testcase")
        #expect(cases.compactMap { $0.attribute(forName: "name")?.stringValue }
                == ["uncollectable", "cyclic-garbage", "watched", "survivors", "growth"])
        #expect(cases[0].elements(forName: "failure").isEmpty)
        let failure = try #require(cases[1].elements(forName: "failure").first)
        #expect(failure.attribute(forName: "message")?.stringValue?.hasPrefix("2 leaks in 1 group") == true)
        #expect(failure.stringValue?.contains("cycle: Node.next → Node.prev → Node") == true)
        #expect(cases[2].elements(forName: "failure").first?.stringValue?.contains("closed \"Session\" <1>") == true)
        #expect(cases[3].elements(forName: "skipped").count == 1)
        #expect(cases[4].elements(forName: "skipped").count == 1)
    }

    @Test func junitAndSarifFollowTheFailingCategories() throws {
        let report = try report()
        let document = try XMLDocument(xmlString: report.junitXML(failingOn: [.watched]))
        let suite = try #require(document.rootElement())
        #expect(suite.attribute(forName: "failures")?.stringValue == "1")
        let cases = suite.elements(forName: "testcase")
        #expect(cases[1].elements(forName: "failure").isEmpty)
        let tolerated = try #require(cases[1].elements(forName: "skipped").first)
        #expect(tolerated.attribute(forName: "message")?.stringValue?.hasSuffix("(tolerated: not in --fail-on)") == true)
        #expect(cases[2].elements(forName: "failure").count == 1)

        let sarif = try #require(try JSONSerialization.jsonObject(with: Data(report.sarif(failingOn: [.watched]).utf8)) as? [String: Any])
        let run = try #require((sarif["runs"] as? [[String: Any]])?.first)
        let levels = (run["results"] as? [[String: Any]] ?? []).map { ($0["ruleId"] as? String ?? "", $0["level"] as? String ?? "") }
        #expect(levels.map(\.0) == ["cyclic-garbage", "watched"])
        #expect(levels.map(\.1) == ["warning", "error"])
    }

    @Test func sarifHasTheRequiredKeys() throws {
        let text = try report().sarif()
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(json["version"] as? String == "2.1.0")
        #expect(json["$schema"] as? String == "https://json.schemastore.org/sarif-2.1.0.json")
        let run = try #require((json["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "heapgraph")
        #expect((driver["rules"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
                == ["uncollectable", "cyclic-garbage", "watched", "survivors", "growth"])
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.compactMap { $0["ruleId"] as? String } == ["cyclic-garbage", "watched"])
        #expect(results.allSatisfy { $0["level"] as? String == "error" })
        #expect((results[0]["message"] as? [String: Any])?["text"] as? String
                == "2 leaks of Node: 320 B, retained 320 B; cycle: Node.next → Node.prev → Node; suspect: Node.prev (closes the cycle)")
        let location = (results[0]["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
        #expect((location?["artifactLocation"] as? [String: Any])?["uri"] as? String == "app.heapgraph")
        // GitHub code scanning reads only primaryLocationLineHash: the fingerprint is there.
        let fingerprints = results[0]["partialFingerprints"] as? [String: String]
        #expect(fingerprints?["primaryLocationLineHash"] == (try report().groups[0].fingerprint))
        #expect((location?["region"] as? [String: Any])?["startLine"] as? Int == 1)
    }

    @Test func textListsCategoriesAndGroups() throws {
        let text = try report().text()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "Leak report: 2 groups, 3 leaks in app.heapgraph")
        #expect(lines.contains("cyclic-garbage: 1 group, 2 leaks (Unreachable reference cycles not yet collected)"))
        #expect(lines.contains("    320 B, retained 320 B"))
        #expect(lines.contains("    cycle: Node.next → Node.prev → Node"))
        #expect(lines.contains("    description: closed \"Session\" <1>"))
        // The builder numbered the fixture's nodes from 4096; the trace names its objects by id.
        #expect(lines.suffix(4) == ["    ├─ list instance @4096", "    │    ↓ list[1]", "    │          ~~~ holds the leaking object",
                                    "    ╰→ list instance @4192"])
    }
}
