import Foundation
import Testing

/// `heapgraph serve` end to end: the built executable on a port of its choosing, asked
/// over loopback as a browser would (issue 21).
@Suite("heapgraph serve", .serialized)
struct ServeCommandTests {
    @Test("pages, links, pictures, 404s, the Host check and the JSON API")
    func explorer() throws {
        let directory = try scratchDirectory("serve-explorer")
        let fixture = try makeLeakFixture(in: directory)
        let server = try ServeProcess([fixture.baseline, fixture.final])
        defer { server.stop() }

        let index = try server.get("/")
        #expect(index.status == 200)
        #expect(index.body.contains("app.heapgraph"))
        #expect(index.body.contains("/compare?from=0&amp;to=1") || index.body.contains("/compare?from=0&to=1"))

        let types = try server.get("/snapshots/1/types")
        #expect(types.status == 200)
        #expect(types.headers.lowercased().contains("content-type: text/html"))
        #expect(types.body.contains("href=\"/snapshots/1/types/app.Session\""))

        // The Session's type page links to the one Session object.
        let sessions = try server.get("/snapshots/1/types/app.Session")
        #expect(sessions.status == 200)
        let sessionLink = try #require(sessions.body.firstMatch(of: /href="(\/snapshots\/1\/objects\/(\d+))"/))
        let sessionID = String(sessionLink.2)

        // Its page lists the Listener among its referrers; following that link reaches a
        // page whose referents link back to the Session.
        let sessionPage = try server.get(String(sessionLink.1))
        #expect(sessionPage.status == 200)
        #expect(sessionPage.body.contains("Retained size"))
        #expect(sessionPage.body.contains("href=\"/snapshots/1/objects/\(sessionID)/backrefs\""))
        #expect(sessionPage.body.contains("Path from a root"))
        // The path ends Holder, then its .session reference, then the Session itself.
        let pathEnd = try #require(sessionPage.body.range(of: "<code>.session</code> ↓</li>\n<li><a class=\"object\" href=\"/snapshots/1/objects/\(sessionID)\""))
        #expect(sessionPage.body[..<pathEnd.lowerBound].hasSuffix("</a> ") && sessionPage.body[..<pathEnd.lowerBound].contains("app.Holder @"))
        let referrers = try #require(sessionPage.body.components(separatedBy: "<table class=\"referrers\">").dropFirst().first)
        let listenerRow = try #require(referrers.split(separator: "\n").first { $0.contains("app.Listener") })
        let listenerLink = try #require(listenerRow.firstMatch(of: /href="(\/snapshots\/1\/objects\/\d+)"/))
        let listenerPage = try server.get(String(listenerLink.1))
        #expect(listenerPage.status == 200)
        #expect(listenerPage.body.contains("<h1>app.Listener @"))
        #expect(listenerPage.body.contains("href=\"/snapshots/1/objects/\(sessionID)\""))

        let picture = try server.get("/snapshots/1/objects/\(sessionID)/backrefs.svg")
        #expect(picture.status == 200)
        #expect(picture.headers.lowercased().contains("content-type: image/svg+xml"))
        #expect(picture.body.contains("<svg"))
        #expect(picture.body.contains("app.Listener"))

        let picturePage = try server.get("/snapshots/1/objects/\(sessionID)/refs")
        #expect(picturePage.status == 200)
        #expect(picturePage.headers.lowercased().contains("content-type: text/html"))
        #expect(picturePage.body.contains("<figure><svg"))
        #expect(!picturePage.body.contains("<?xml"))
        #expect(picturePage.body.contains("href=\"/snapshots/1/objects/\(sessionID)\""))

        let leaks = try server.get("/snapshots/1/leaks")
        #expect(leaks.status == 200)
        #expect(leaks.body.contains("/snapshots/1/leaks/0.svg"))
        let leakPicture = try server.get("/snapshots/1/leaks/0.svg")
        #expect(leakPicture.body.contains("<svg"))

        let comparison = try server.get("/compare?from=0&to=1")
        #expect(comparison.status == 200)
        #expect(comparison.body.contains("app.Node"))

        for missing in ["/snapshots/1/objects/999999999999", "/snapshots/1/objects/nonsense", "/snapshots/7/types",
                        "/no/such/page", "/snapshots/1/types/NoSuchType", "/snapshots/1/leaks/99.svg"] {
            let answer = try server.get(missing)
            #expect(answer.status == 404, "\(missing)")
            #expect(answer.body.contains("Not found"), "\(missing)")
        }

        // DNS rebinding: a page of evil.example whose name resolves to 127.0.0.1.
        let rebound = try server.get("/snapshots/1/types", host: "evil.example:\(server.port)")
        #expect(rebound.status == 421)
        #expect(!rebound.body.contains("app.Session"))
        #expect(try server.get("/", host: "localhost:\(server.port)").status == 200)
        #expect(try server.get("/", host: "127.0.0.1:1").status == 421)

        let object = try server.get("/api/snapshots/1/objects/\(sessionID)")
        #expect(object.status == 200)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(object.body.utf8)) as? [String: Any])
        #expect(json["type"] as? String == "app.Session")
        #expect((json["referrers"] as? [[String: Any]])?.contains { $0["type"] as? String == "app.Listener" } == true)
        let typeRows = try #require(try JSONSerialization.jsonObject(with: Data(server.get("/api/snapshots/1/types").body.utf8)) as? [[String: Any]])
        #expect(typeRows.contains { $0["name"] as? String == "app.Node" && $0["count"] as? Int == 12 })
        #expect(try server.get("/api/snapshots/1/objects/12345678901").status == 404)
    }

    @Test("a missing file is one line and exit status 2, before any port is opened")
    func missingFile() throws {
        let directory = try scratchDirectory("serve-missing")
        let result = try heapgraph(["serve", directory + "/absent.heapgraph", "--port", "0"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("absent.heapgraph"))
        #expect(result.standardOutput.isEmpty)
    }
}
