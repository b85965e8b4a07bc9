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

    /// The page is plain HTML underneath: with scripts disabled in the browser, every leak group
    /// and its picture are still there; only the search box and the sorting (added by the
    /// script) are missing.
    @Test(.enabled(if: Chromium.path != nil, Chromium.absentReason))
    func pageReadsWithJavaScriptOff() throws {
        let directory = try scratchDirectory("report-no-script")
        let snapshots = try leakyAppSnapshots(in: directory)
        let groups = try leakGroups([snapshots.app, "--baseline", snapshots.baseline])
        try #require(!groups.isEmpty)
        let page = directory + "/report.html"
        let written = try heapgraph(["report", snapshots.app, "--baseline", snapshots.baseline, "-q", "-o", page])
        try #require(written.status == 0, "\(written.standardError)")

        let browser = try ChromiumSession(in: directory)
        defer { browser.close() }
        try browser.setPageScriptsEnabled(false)
        try browser.navigate(to: URL(fileURLWithPath: page).absoluteString)
        #expect(try browser.evaluate("document.getElementById('search') === null") as? Bool == true,
                "the search box comes from the page's script, which did not run")
        #expect(try browser.evaluate("document.querySelectorAll('table.sortable.active').length") as? Int == 0)
        #expect(try browser.evaluate("document.querySelectorAll('table').length") as? Int ?? 0 > 0,
                "the summary's tables are plain HTML")
        let fingerprints = try browser.evaluate("[...document.querySelectorAll('article')].map(a => a.dataset.fingerprint)") as? [String]
        #expect(fingerprints == groups.map(\.fingerprint))
        let nodesPerPicture = try browser.evaluate("""
            [...document.querySelectorAll('article')].map(a => a.querySelectorAll('svg g.node').length)
            """) as? [Int]
        #expect(nodesPerPicture?.count == groups.count)
        #expect(nodesPerPicture?.allSatisfy { $0 > 0 } == true, "every picture has its nodes: \(nodesPerPicture ?? [])")

        let screenshot = directory + "/report-no-script.png"
        try browser.screenshot(to: screenshot)
        try expectScreenshot(screenshot, width: 1280, height: 900)
        try BrowserArtifacts.keep(screenshot, as: "report-no-script.png")
    }
}
