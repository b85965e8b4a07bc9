import Foundation
import Testing

/// `heapgraph report`'s page opened in a real browser: the script runs, the leak groups are
/// there and their SVG pictures have their nodes; a screenshot is taken in the test's
/// directory, and copied to `HEAPGRAPH_BROWSER_ARTIFACTS` when that is set. Where chromium
/// is absent the test says so and is skipped.
@Suite("heapgraph report in Chromium", .serialized)
struct BrowserReportTests {
    @Test(.enabled(if: Chromium.path != nil, Chromium.absentReason))
    func leakGroupsAndPicturesRenderInChromium() throws {
        let directory = try scratchDirectory("report-browser")
        let snapshots = try leakyAppSnapshots(in: directory)
        let groups = try leakGroups([snapshots.app, "--baseline", snapshots.baseline])
        let page = directory + "/report.html"
        let written = try heapgraph(["report", snapshots.app, "--baseline", snapshots.baseline, "-q", "-o", page])
        try #require(written.status == 0, "\(written.standardError)")
        let url = URL(fileURLWithPath: page).absoluteString

        let domFile = directory + "/dom.html"
        #expect(try Chromium.run(["--dump-dom", url], in: directory, outputFile: domFile) == 0)
        let dom = try String(contentsOfFile: domFile, encoding: .utf8)
        // The inline script ran: it added the search box and made the tables sortable.
        #expect(dom.contains("id=\"search\""))
        #expect(dom.contains("class=\"sortable active\""))
        let articles = dom.components(separatedBy: "<article ").dropFirst().map { $0.components(separatedBy: "</article>")[0] }
        #expect(articles.count == groups.count)
        for (group, article) in zip(groups, articles) {
            #expect(article.contains("data-fingerprint=\"\(group.fingerprint)\""))
            // The browser parsed the picture as SVG, with its objects as nodes.
            #expect(article.contains("<svg"), "group \(group.fingerprint) has its picture")
            #expect(article.contains("class=\"node\""), "group \(group.fingerprint)'s picture has nodes")
        }

        let screenshot = directory + "/report.png"
        #expect(try Chromium.run(["--screenshot=\(screenshot)", "--window-size=1280,2400", "--hide-scrollbars", url],
                                 in: directory, outputFile: directory + "/screenshot.log") == 0)
        try expectScreenshot(screenshot, width: 1280, height: 2400)
        try BrowserArtifacts.keep(screenshot, as: "report.png")
    }
}
