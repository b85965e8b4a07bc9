import Foundation
import HeapRuntime
import HeapGraphModel
import HeapRuntimeSnapshot
import Testing
@testable import HeapAnalysis

/// A leak trace through a long chain is shortened in reports (text, JSON, SARIF): the first
/// and last steps, and how many were left out. A 2M-long chain printed 140 MB before.
@Suite("Long leak traces")
struct LongTraceTests {
    /// root list → Link → Link → … (`links` of them), the last one watched.
    func chainReport(links: Int) throws -> LeakReport {
        let heap = Heap()
        let root = heap.list()
        let linkClass = try heap.makeClass("app.Link")
        do {   // the program holds only `root` afterwards
            var previous = try heap.instance(of: linkClass)
            try heap.append(previous, to: root)
            for _ in 1..<links {
                let next = try heap.instance(of: linkClass)
                try heap.setAttribute("next", to: next, on: previous)
                previous = next
            }
            try heap.watch(previous, description: "end of the chain")
        }
        let graph = HeapSnapshot(heap: heap)
        return LeakReport.analyze(graph, baselines: [], file: "chain.heapgraph")
    }

    @Test func aLongTraceKeepsItsEndsAndCountsWhatItLeftOut() throws {
        let report = try chainReport(links: 100)
        let trace = try #require(report.groups.first { $0.category == .watched }?.trace)
        #expect(trace.steps.count == 101)                       // the trace itself is whole
        let shown = trace.shortened()
        #expect(shown.head.count == 20 && shown.tail.count == 20 && shown.omitted == 61)

        let text = trace.text()
        let lines = text.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("├─ ") || $0.hasPrefix("╰→ ") }.count == 40)
        #expect(lines.contains("│  … 61 objects left out …"))
        #expect(lines.last == "╰→ app.Link instance @\(trace.steps[100].id)")
        #expect(lines[3] == "├─ list instance @\(trace.steps[0].id)")
        // Only the shortened trace reaches the report's text.
        #expect(report.text().components(separatedBy: "app.Link instance").count - 1 == 39)

        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        let watched = try #require((object["leaks"] as? [[String: Any]])?.first { $0["category"] as? String == "watched" })
        #expect((watched["trace"] as? [[String: Any]])?.count == 40)
        let omitted = try #require(watched["traceOmitted"] as? [String: Any])
        #expect(omitted["after"] as? Int == 20 && omitted["count"] as? Int == 61)
        #expect(report.sarif().contains("… 61 left out …"))
    }

    @Test func aTraceOfFortyOneStepsIsShownWhole() throws {
        let report = try chainReport(links: 40)
        let group = try #require(report.groups.first { $0.category == .watched })
        let trace = try #require(group.trace)
        #expect(trace.steps.count == 41)
        #expect(trace.shortened().omitted == 0)
        #expect(!trace.text().contains("left out"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        let watched = try #require((object["leaks"] as? [[String: Any]])?.first { $0["category"] as? String == "watched" })
        #expect((watched["trace"] as? [[String: Any]])?.count == 41)
        #expect(watched["traceOmitted"] is NSNull)
    }
}
