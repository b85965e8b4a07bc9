import Foundation
import HeapGraphModel
import Testing

/// `heapgraph report`: the HTML page, end to end through the built executable, on the
/// snapshots samples/LeakyApp writes and on hand-built graphs.
@Suite("heapgraph report", .serialized)
struct ReportCommandTests {
    func read(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test func pageHasEveryLeakGroupWithIdsAndPicture() throws {
        let directory = try scratchDirectory("report-leakyapp")
        let snapshots = try leakyAppSnapshots(in: directory)
        let groups = try leakGroups([snapshots.app, "--baseline", snapshots.baseline])
        #expect(groups.count >= 4, "LeakyApp leaks in every category: \(groups.map(\.fingerprint))")

        let page = directory + "/report.html"
        let result = try heapgraph(["report", snapshots.app, "--baseline", snapshots.baseline, "-o", page])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == "")
        #expect(result.standardError.hasPrefix("wrote \(page): \(groups.count) leak groups, "))
        let html = try read(page)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.hasSuffix("</html>\n"))
        let articles = html.components(separatedBy: "<article ").dropFirst().map { $0.components(separatedBy: "</article>")[0] }
        #expect(articles.count == groups.count)
        for (group, article) in zip(groups, articles) {
            // Each group is one article, in report order, with its fingerprint, ids and one inline picture.
            #expect(article.contains("data-fingerprint=\"\(group.fingerprint)\""))
            #expect(!group.ids.isEmpty)
            for id in group.ids { #expect(article.contains("<code class=\"id\">@\(id)</code>"), "group \(group.fingerprint) id \(id)") }
            #expect(article.components(separatedBy: "<svg").count - 1 == 1, "one picture in group \(group.fingerprint)")
            #expect(article.contains("</svg>"))
            #expect(article.contains("class=\"node\""), "the picture has its objects")
        }
        // Self-contained: nothing is loaded from anywhere.
        #expect(!html.contains("http://"))
        #expect(!html.contains("https://"))
        #expect(!html.contains("<link"))
        #expect(!html.contains(" src="))
        #expect(!html.contains("<?xml"))
        // The summary and the growth table, and the dominators.
        #expect(html.contains("<section id=\"summary\">"))
        #expect(html.contains("<table class=\"sortable\" id=\"types\">"))
        #expect(html.contains("<code>service.Session</code>"))
        #expect(html.contains("<table class=\"sortable\" id=\"growth-table\">"))
        #expect(html.contains("<table class=\"sortable\" id=\"dominators-table\">"))
        #expect(html.contains("No known-leak list"))
    }

    @Test func knownLeaksAreShownApart() throws {
        let directory = try scratchDirectory("report-known")
        let snapshots = try leakyAppSnapshots(in: directory)
        let groups = try leakGroups([snapshots.app])
        let accepted = try #require(groups.first)
        let list = directory + "/known.txt"
        try Data("fingerprint:\(accepted.fingerprint)  # the <legacy> & accepted one\ntype:service.Gone  # stale\n".utf8)
            .write(to: URL(fileURLWithPath: list))
        let page = directory + "/report.html"
        let result = try heapgraph(["report", snapshots.app, "--ignore", list, "-o", page])
        #expect(result.status == 0, "\(result.standardError)")
        let html = try read(page)
        let known = try #require(html.range(of: "<section id=\"known-leaks\">"))
        let leaks = try #require(html.range(of: "<section id=\"leaks\">"))
        let knownPart = String(html[known.lowerBound...])
        let leaksPart = String(html[leaks.lowerBound..<known.lowerBound])
        #expect(knownPart.contains("<tr class=\"known\" data-fingerprint=\"\(accepted.fingerprint)\">"))
        #expect(knownPart.contains("the &lt;legacy&gt; &amp; accepted one"))
        #expect(knownPart.contains("\(list):2: type:service.Gone"), "the stale entry is reported")
        #expect(!leaksPart.contains(accepted.fingerprint), "a known leak is not among the leaks")
        #expect(leaksPart.components(separatedBy: "<article class=\"leak").count - 1 == groups.count - 1)
    }

    @Test func textFromTheSnapshotIsEscaped() throws {
        let directory = try scratchDirectory("report-escaping")
        let path = directory + "/odd.heapgraph"
        var builder = HeapGraphBuilder(runtime: "HeapRuntime")
        let registry = builder.node("dict", kind: .dictionary, size: 64, externalCount: 1, flags: [.tracked])
        let odd = builder.node("Box<T&U>", size: 48, flags: [.tracked], watched: "closed <b>\"box\"</b> & more")
        let text = builder.node("str", kind: .string, value: "<script>alert(1)</script>", size: 70)
        builder.edge(from: registry, to: odd, .key(.text("'<k>'")))
        builder.edge(from: odd, to: text, .attribute(.text("x&y")))
        builder.root(registry, name: "app.<REGISTRY>", category: .global)
        try builder.write(to: path)

        let page = directory + "/report.html"
        let result = try heapgraph(["report", path, "-o", page])
        #expect(result.status == 0, "\(result.standardError)")
        let html = try read(page)
        #expect(html.contains("<code>Box&lt;T&amp;U&gt;</code>"))
        #expect(!html.contains("Box<T"))
        #expect(!html.contains("<script>alert"))
        #expect(!html.contains("<b>\"box\""))
        #expect(html.contains("closed &lt;b&gt;&quot;box&quot;&lt;/b&gt; &amp; more"))
        #expect(!html.contains("app.<REGISTRY>"))
        // The one script is the page's own.
        #expect(html.components(separatedBy: "<script>").count - 1 == 1)
        #expect(html.contains("<svg"), "the watched Box has a picture")
    }

    @Test func longTablesAreCutAndThePageSaysSo() throws {
        let directory = try scratchDirectory("report-cut")
        let path = directory + "/many.heapgraph"
        var builder = HeapGraphBuilder(runtime: "HeapRuntime")
        let registry = builder.node("list", kind: .array, size: 56, externalCount: 1, flags: [.tracked])
        builder.root(registry, name: "app.ALL", category: .global)
        // 70 types, type i with i + 1 objects: the table shows the 50 most common.
        for type in 0..<70 {
            for _ in 0...type {
                let object = builder.node("app.Type\(type)", size: 32, flags: [.tracked])
                builder.edge(from: registry, to: object, .index(builder.nodeCount))
            }
        }
        try builder.write(to: path)
        let page = directory + "/report.html"
        let result = try heapgraph(["report", path, "-o", page])
        #expect(result.status == 0, "\(result.standardError)")
        let html = try read(page)
        let types = try #require(html.components(separatedBy: "id=\"types\">").dropFirst().first?.components(separatedBy: "</table>").first)
        #expect(types.components(separatedBy: "<tr>").count - 1 == 51, "a heading row and 50 rows")
        #expect(types.contains("<code>app.Type69</code>"))
        #expect(types.contains("<code>app.Type20</code>"))
        #expect(!types.contains("<code>app.Type19</code>"))
        #expect(html.contains("The first 50 of 71 types by count are shown; 21 more are not."))
        #expect(html.contains("The 50 objects retaining the most are shown, of 2,486"))
        #expect(html.contains("No baseline given"))
    }

    @Test func badOutputFailsBeforeReading() throws {
        let directory = try scratchDirectory("report-bad")
        let snapshots = try leakyAppSnapshots(in: directory, requests: 20)
        let intoDirectory = try heapgraph(["report", snapshots.app, "-o", directory])
        #expect(intoDirectory.status == 2)
        #expect(intoDirectory.standardError.hasPrefix("heapgraph: \(directory): "))
        #expect(intoDirectory.standardError.split(separator: "\n").count == 1)
        let overInput = try heapgraph(["report", snapshots.app, "-o", snapshots.app])
        #expect(overInput.status == 2)
        #expect(overInput.standardError.contains("is the snapshot this command reads"))
        let backwards = try heapgraph(["report", snapshots.baseline, "--baseline", snapshots.app, "-o", directory + "/r.html"])
        #expect(backwards.status == 2, "baselines out of time order")
        #expect(!FileManager.default.fileExists(atPath: directory + "/r.html"))
    }
}
