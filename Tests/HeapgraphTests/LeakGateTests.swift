import Foundation
import FoundationXML
import HeapRuntime
import Testing

/// `--fail-on` decides the exit status, the JUnit failures and the SARIF levels, and they
/// agree; a gate that says nothing (`""`, `growth,none`) or cannot work (growth without a
/// baseline) is a usage error.
@Suite("heapgraph leaks: gates", .serialized)
struct LeakGateTests {
    @Test func emptyOrContradictoryFailOnIsAUsageError() throws {
        let directory = try scratchDirectory("gates-usage")
        let fixture = try makeLeakFixture(in: directory)
        for (failOn, message) in [("", "--fail-on is empty"), (" , ", "--fail-on is empty"),
                                  ("growth,none", "contradicts itself"), ("none,all", "contradicts itself"),
                                  ("watched,", "has an empty item"), ("leaky", "unknown category 'leaky'")] {
            let result = try heapgraph(["leaks", fixture.final, "--baseline", fixture.baseline, "--fail-on", failOn])
            #expect(result.status == 2, "--fail-on '\(failOn)'")
            #expect(result.standardError.contains(message), "--fail-on '\(failOn)': \(result.standardError)")
            #expect(result.standardOutput == "")
        }
        let growth = try heapgraph(["leaks", fixture.final, "--fail-on", "growth"])
        #expect(growth.status == 2)
        #expect(growth.standardError.contains("--fail-on growth needs --baseline"))
        let survivors = try heapgraph(["leaks", fixture.final, "--baseline", fixture.baseline, "--fail-on", "survivors"])
        #expect(survivors.status == 2)
        #expect(survivors.standardError.contains("--fail-on survivors needs --baseline OLD --target MID"))
        let target = try heapgraph(["leaks", fixture.final, "--target", fixture.middle])
        #expect(target.status == 2)
        #expect(target.standardError.contains("--target needs --baseline"))
        // `all` asks for what can be checked: without a baseline it is not an error.
        #expect(try heapgraph(["leaks", fixture.final, "--fail-on", "all"]).status == 1)
    }

    /// `--limit` cuts the text report's groups per category, never the gate or the
    /// machine formats.
    @Test func limitCutsTheTextButNotTheGate() throws {
        let directory = try scratchDirectory("gates-limit")
        let fixture = try makeLeakFixture(in: directory)
        let negative = try heapgraph(["leaks", fixture.final, "--limit", "-1"])
        #expect(negative.status == 2)
        #expect(negative.standardError.contains("--limit must be 0 or more"))
        let all = try heapgraph(["leaks", fixture.final, "--limit", "0"])
        let one = try heapgraph(["leaks", fixture.final, "--limit", "1"])
        #expect(one.status == all.status)
        let groups = { (text: String) in text.split(separator: "\n").filter { $0.hasPrefix("  ") && $0.contains(" fingerprint ") }.count }
        #expect(groups(one.standardOutput) <= groups(all.standardOutput))
        let cut = groups(all.standardOutput) - groups(one.standardOutput)
        #expect(cut == one.standardOutput.split(separator: "\n").filter { $0.hasPrefix("  … and ") }.reduce(0) {
            $0 + (Int($1.split(separator: " ")[2]) ?? 0)
        })
        let json = try heapgraph(["leaks", fixture.final, "--limit", "1", "--format", "json"])
        #expect(json.standardOutput == (try heapgraph(["leaks", fixture.final, "--format", "json"])).standardOutput)
    }

    /// Per category: (JUnit outcome, SARIF level) for each --fail-on, against the exit status.
    @Test(arguments: [
        ("all", 1, ["uncollectable": "failure", "cyclic-garbage": "failure", "watched": "failure", "survivors": "skipped", "growth": "failure"]),
        ("watched", 1, ["uncollectable": "skipped", "cyclic-garbage": "skipped", "watched": "failure", "survivors": "skipped", "growth": "skipped"]),
        ("growth,uncollectable", 1, ["uncollectable": "failure", "cyclic-garbage": "skipped", "watched": "skipped", "survivors": "skipped", "growth": "failure"]),
        ("none", 0, ["uncollectable": "skipped", "cyclic-garbage": "skipped", "watched": "skipped", "survivors": "skipped", "growth": "skipped"]),
    ])
    func junitAndSarifAgreeWithTheExitStatus(failOn: String, status: Int32, outcomes: [String: String]) throws {
        let directory = try scratchDirectory("gates-agree-\(failOn)")
        let fixture = try makeLeakFixture(in: directory)
        let arguments = ["leaks", fixture.final, "--baseline", fixture.baseline, "--fail-on", failOn]

        let junit = try heapgraph(arguments + ["--format", "junit"])
        #expect(junit.status == status)
        let document = try XMLDocument(data: Data(junit.standardOutput.utf8))
        let suite = try #require(document.rootElement())
        var seen: [String: String] = [:]
        for testcase in suite.elements(forName: "testcase") {
            let name = testcase.attribute(forName: "name")?.stringValue ?? "?"
            seen[name] = !testcase.elements(forName: "failure").isEmpty ? "failure"
                : !testcase.elements(forName: "skipped").isEmpty ? "skipped" : "passed"
        }
        #expect(seen == outcomes)
        let failures = outcomes.values.filter { $0 == "failure" }.count
        #expect(suite.attribute(forName: "failures")?.stringValue == "\(failures)")
        #expect((failures > 0) == (status == 1))
        if failOn == "watched" {
            let tolerated = try document.nodes(forXPath: "//testcase[@name='cyclic-garbage']/skipped").first as? XMLElement
            #expect(tolerated?.attribute(forName: "message")?.stringValue?.contains("tolerated: not in --fail-on") == true)
            #expect(tolerated?.stringValue?.contains("app.Node.next → app.Node.prev → app.Node") == true)
        }

        let sarif = try heapgraph(arguments + ["--format", "sarif"])
        #expect(sarif.status == status)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.standardOutput.utf8)) as? [String: Any])
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(!results.isEmpty)
        for result in results {
            let rule = result["ruleId"] as? String ?? "?"
            let expected = outcomes[rule] == "failure" ? "error" : "warning"
            #expect(result["level"] as? String == expected, "\(rule) with --fail-on \(failOn)")
        }
        let rules = ((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]] ?? []
        for rule in rules {
            let id = rule["id"] as? String ?? "?"
            let level = (rule["defaultConfiguration"] as? [String: Any])?["level"] as? String
            #expect(level == (outcomes[id] == "failure" || (failOn == "all" && id == "survivors") ? "error" : "warning"), "rule \(id)")
        }
    }

    /// GitHub code scanning tracks alerts by `partialFingerprints.primaryLocationLineHash`
    /// only: the leak fingerprint is there, the same as in the JSON report.
    @Test func sarifPutsTheFingerprintWhereCodeScanningReadsIt() throws {
        let directory = try scratchDirectory("gates-fingerprint")
        let fixture = try makeLeakFixture(in: directory)
        let json = try heapgraph(["leaks", fixture.final, "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let expected = Set((report["leaks"] as? [[String: Any]] ?? []).compactMap { $0["fingerprint"] as? String })
        #expect(expected.count == 3)
        let sarif = try heapgraph(["leaks", fixture.final, "--format", "sarif"])
        let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.standardOutput.utf8)) as? [String: Any])
        let results = ((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]]) ?? []
        let hashes = results.compactMap { ($0["partialFingerprints"] as? [String: String])?["primaryLocationLineHash"] }
        #expect(Set(hashes) == expected)
        for result in results {
            let location = (result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
            #expect((location?["region"] as? [String: Any])?["startLine"] as? Int == 1)
        }
    }
}
