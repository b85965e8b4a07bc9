import Foundation
import Testing

/// `heapgraph serve`'s pages in a real browser (issue 21): the built executable serves the
/// leak fixture on a free port and headless chromium opens its pages. What each page must
/// show comes from the JSON API of the same server, so the DOM is checked against the
/// analysis, not against numbers written here. Every page is screenshotted (1280×900) into
/// the test's directory, and copied to `HEAPGRAPH_BROWSER_ARTIFACTS` when that is set.
/// Where chromium is absent the tests say so and are skipped.
@Suite("heapgraph serve in Chromium", .serialized)
struct BrowserServeTests {
    @Test("types, instances, an object, a picture, leaks and a comparison render in Chromium",
          .enabled(if: Chromium.path != nil, Chromium.absentReason))
    func pagesRenderInChromium() throws {
        let directory = try scratchDirectory("serve-browser-pages")
        let fixture = try makeLeakFixture(in: directory)
        let server = try ServeProcess([fixture.baseline, fixture.final])
        defer { server.stop() }

        /// The page at `path` in chromium: its DOM, with its screenshot checked and kept.
        func open(_ path: String, as name: String) throws -> DumpedDOM {
            let screenshot = directory + "/serve-\(name).png"
            let dom = try Chromium.open("http://127.0.0.1:\(server.port)\(path)", screenshot: screenshot, in: directory)
            try expectScreenshot(screenshot, width: 1280, height: 900)
            try BrowserArtifacts.keep(screenshot, as: "serve-\(name).png")
            return DumpedDOM(html: dom)
        }

        // The type list: one row per type the API lists, linked to its instances, same counts.
        let apiTypes = try server.json("/api/snapshots/1/types") as? [[String: Any]] ?? []
        try #require(apiTypes.count > 5)
        let typeRows = try open("/snapshots/1/types", as: "types").rows(ofTable: "types")
        #expect(typeRows.count == apiTypes.count)
        for (row, type) in zip(typeRows, apiTypes) {
            let name = try #require(type["name"] as? String)
            #expect(row.first?.href?.removingPercentEncoding == "/snapshots/1/types/\(name)")
            #expect(row.count == 3 && row[1].text == "\(type["count"] as? Int ?? -1)", "\(name)")
        }
        #expect(typeRows.contains { $0.first?.text == "app.Session" })

        // A type's instances: every app.Node the API lists, each linked to its page.
        let nodes = try #require(try server.json("/api/snapshots/1/types/app.Node") as? [String: Any])
        let nodeIDs = (nodes["objects"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
        #expect(nodeIDs.count == 12, "the fixture's final snapshot holds 6 Node pairs")
        let instanceRows = try open("/snapshots/1/types/app.Node", as: "instances").rows(ofTable: "objects")
        #expect(instanceRows.compactMap { $0.first?.href } == nodeIDs.map { "/snapshots/1/objects/\($0)" })
        #expect(instanceRows.allSatisfy { $0.first?.text.hasPrefix("app.Node @") == true })

        // One object, the Session: its heading, and its referents and referrers with their
        // references' labels, as the API gives them.
        let sessions = try #require(try server.json("/api/snapshots/1/types/app.Session") as? [String: Any])
        let sessionID = try #require((sessions["objects"] as? [[String: Any]])?.first?["id"] as? Int)
        let session = try #require(try server.json("/api/snapshots/1/objects/\(sessionID)") as? [String: Any])
        let sessionPage = try open("/snapshots/1/objects/\(sessionID)", as: "object")
        #expect(sessionPage.text(ofFirst: "h1") == "app.Session @\(sessionID)")
        for table in ["referents", "referrers"] {
            // The API gives the bare label; a page shows it as `heapgraph show` does.
            let expected = (session[table] as? [[String: Any]] ?? []).map { reference in
                let label = reference["reference"] as? String ?? "?"
                let shown = label.isEmpty ? "(item)" : label.hasPrefix("[") || label.hasPrefix("(") ? label : "." + label
                return "\(shown) → /snapshots/1/objects/\(reference["id"] as? Int ?? -1)"
            }
            let shown = sessionPage.rows(ofTable: table).map { "\($0.first?.text ?? "") → \($0.last?.href ?? "")" }
            #expect(shown == expected, "\(table)")
        }
        // Reference and object's type, from the cells' text: what a reader sees.
        func labelAndType(_ row: [DumpedDOM.Cell]) -> String {
            row.map(\.text).joined(separator: " ").split(separator: " ").prefix(2).joined(separator: " ")
        }
        #expect(sessionPage.rows(ofTable: "referrers").map(labelAndType).sorted() == [".session app.Holder", ".session app.Listener"])
        #expect(sessionPage.rows(ofTable: "referents").map(labelAndType).contains(".listener app.Listener"))

        // A picture page: the backrefs SVG inline, every Graphviz node kept by the browser.
        let picture = try server.get("/snapshots/1/objects/\(sessionID)/backrefs.svg").body
        let pictureNodes = DumpedDOM(html: picture).count("class=\"node\"")
        #expect(pictureNodes >= 3, "Session, Listener, Holder at least")
        let picturePage = try open("/snapshots/1/objects/\(sessionID)/backrefs", as: "backrefs")
        #expect(picturePage.html.contains("<figure><svg"))
        #expect(picturePage.count("<g id=\"picture-node") == pictureNodes)
        #expect(picturePage.count("class=\"node\"") == pictureNodes)
        for name in ["app.Session", "app.Listener", "app.Holder"] {
            #expect(picturePage.html.contains(name), "\(name) is drawn")
        }

        // The leak groups, in the API's order, and group 0's picture opened on its own.
        let apiLeaks = try server.json("/api/snapshots/1/leaks") as? [[String: Any]] ?? []
        try #require(!apiLeaks.isEmpty)
        let leaksPage = try open("/snapshots/1/leaks", as: "leaks")
        let fingerprints = leaksPage.html.matches(of: /<span class="fingerprint">([^<]*)<\/span>/).map { String($0.1) }
        #expect(fingerprints == apiLeaks.map { $0["fingerprint"] as? String ?? "?" })
        #expect(leaksPage.count("<article class=\"leak ") == apiLeaks.count)
        let leakPicture = try server.get("/snapshots/1/leaks/0.svg").body
        let leakPictureNodes = DumpedDOM(html: leakPicture).count("class=\"node\"")
        #expect(leakPictureNodes > 0)
        let leakPicturePage = try open("/snapshots/1/leaks/0.svg", as: "leak-picture")
        #expect(leakPicturePage.html.contains("<svg"))
        #expect(leakPicturePage.count("class=\"node\"") == leakPictureNodes)

        // The comparison of the two snapshots: one row per type, the API's counts.
        let apiRows = try server.json("/api/compare?from=0&to=1") as? [[String: Any]] ?? []
        let comparisonRows = try open("/compare?from=0&to=1", as: "compare").rows(ofTable: "comparison")
        #expect(comparisonRows.map { $0.map(\.text).prefix(3).joined(separator: " ") }
                == apiRows.map { "\($0["name"] as? String ?? "?") \($0["before"] as? Int ?? -1) \($0["after"] as? Int ?? -1)" })
        #expect(comparisonRows.contains { $0.map(\.text).prefix(4) == ["app.Node", "4", "12", "+8"] })
    }

    @Test("following a referrer link by a click reaches the referrer's page",
          .enabled(if: Chromium.path != nil, Chromium.absentReason))
    func referrerLinkLeadsToReferrer() throws {
        let directory = try scratchDirectory("serve-browser-click")
        let fixture = try makeLeakFixture(in: directory)
        let server = try ServeProcess([fixture.final])
        defer { server.stop() }
        let base = "http://127.0.0.1:\(server.port)"
        let sessions = try #require(try server.json("/api/snapshots/0/types/app.Session") as? [String: Any])
        let sessionID = try #require((sessions["objects"] as? [[String: Any]])?.first?["id"] as? Int)
        let session = try #require(try server.json("/api/snapshots/0/objects/\(sessionID)") as? [String: Any])
        let listenerID = try #require((session["referrers"] as? [[String: Any]])?
            .first { $0["type"] as? String == "app.Listener" }?["id"] as? Int)

        let browser = try ChromiumSession(in: directory)
        defer { browser.close() }
        try browser.navigate(to: "\(base)/snapshots/0/objects/\(sessionID)")
        #expect(try browser.evaluate("document.querySelector('h1').textContent") as? String == "app.Session @\(sessionID)")
        try keepScreenshot(of: browser, in: directory, as: "serve-click-before.png")

        // The referrer links as the browser resolved them; click the Listener's.
        let links = try #require(try browser.evaluate("""
            [...document.querySelectorAll('table.referrers a')].map(a => [a.textContent, a.href])
            """) as? [[String]])
        let listenerLink = try #require(links.first { $0.first?.hasPrefix("app.Listener @") == true }?.last)
        #expect(listenerLink == "\(base)/snapshots/0/objects/\(listenerID)")
        try browser.evaluateAndWaitForLoad("""
            [...document.querySelectorAll('table.referrers a')].find(a => a.textContent.startsWith('app.Listener @')).click()
            """)

        // The page reached is the Listener's, and it refers back to the Session.
        #expect(try browser.evaluate("location.href") as? String == listenerLink)
        #expect(try browser.evaluate("document.querySelector('h1').textContent") as? String == "app.Listener @\(listenerID)")
        let referents = try #require(try browser.evaluate("""
            [...document.querySelectorAll('table.referents tr')].slice(1).map(tr => [tr.cells[0].textContent, tr.cells[1].textContent])
            """) as? [[String]])
        #expect(referents.contains([".session", "app.Session @\(sessionID)"]))
        try keepScreenshot(of: browser, in: directory, as: "serve-click-after.png")

        // The Session's show_backrefs picture as laid out: every node has a box on screen.
        try browser.navigate(to: "\(base)/snapshots/0/objects/\(sessionID)/backrefs")
        let drawn = try #require(try browser.evaluate("""
            [...document.querySelectorAll('figure svg g.node')].map(g => { const box = g.getBBox(); return box.width > 0 && box.height > 0 })
            """) as? [Bool])
        let served = DumpedDOM(html: try server.get("/snapshots/0/objects/\(sessionID)/backrefs.svg").body).count("class=\"node\"")
        #expect(drawn.count == served && served >= 3)
        #expect(drawn.allSatisfy { $0 })
        try keepScreenshot(of: browser, in: directory, as: "serve-backrefs-laid-out.png")
    }

    private func keepScreenshot(of browser: ChromiumSession, in directory: String, as name: String) throws {
        let path = directory + "/" + name
        try browser.screenshot(to: path)
        try expectScreenshot(path, width: 1280, height: 900)
        try BrowserArtifacts.keep(path, as: name)
    }
}
