import Foundation
import HeapGraphModel
import HeapRuntime
import Testing
@testable import heapgraph

/// `heapgraph serve`'s pages rendered without a server: routing, escaping, the Host check.
@Suite("explorer pages")
struct ExplorerSiteTests {
    /// A heap whose class name is markup: a list holding two `<script>x</script>` objects.
    private func site() throws -> (ExplorerSite, HeapSnapshot) {
        let directory = try scratchDirectory("explorer-pages-\(UUID().uuidString)")
        let heap = Heap()
        let root = heap.list()
        let hostile = try heap.makeClass("<script>x</script>")
        try heap.append(try heap.instance(of: hostile), to: root)
        try heap.append(try heap.instance(of: hostile), to: root)
        let path = directory + "/hostile.heapgraph"
        try heap.writeSnapshot(to: path, tag: "pages")
        let graph = try HeapSnapshot(contentsOf: path)
        let snapshot = ExplorerSnapshot(name: "hostile.heapgraph", graph: graph)
        return (ExplorerSite(snapshots: [snapshot], hostCheck: HostCheck(bindHost: "127.0.0.1", port: 8000)), graph)
    }

    @Test("type names from the snapshot are escaped, and linked percent-encoded")
    func escaping() throws {
        let (site, _) = try site()
        let page = site.respond(to: ExplorerRequest(path: "/snapshots/0/types", host: "127.0.0.1:8000"))
        #expect(page.status == 200)
        #expect(!page.body.contains("<script>x"))
        #expect(page.body.contains("&lt;script&gt;x&lt;/script&gt;"))
        #expect(page.body.contains("href=\"/snapshots/0/types/%3Cscript%3Ex%3C%2Fscript%3E\""))
        let instances = site.respond(to: ExplorerRequest(path: "/snapshots/0/types/%3Cscript%3Ex%3C%2Fscript%3E", host: "localhost:8000"))
        #expect(instances.status == 200)
        #expect(instances.body.contains("2 objects of type"))
    }

    @Test("an object page lists its referrers with labels and links")
    func objectPage() throws {
        let (site, graph) = try site()
        let instance = try #require((0..<graph.nodeCount).first { graph.typeName(of: $0) == "<script>x</script>" })
        let list = try #require((0..<graph.nodeCount).first { graph.typeName(of: $0) == "list" })
        let page = site.respond(to: ExplorerRequest(path: "/snapshots/0/objects/\(graph.id(of: instance))", host: "127.0.0.1:8000"))
        #expect(page.status == 200)
        #expect(page.body.contains("<code>[0]</code>") || page.body.contains("<code>[1]</code>"))
        #expect(page.body.contains("href=\"/snapshots/0/objects/\(graph.id(of: list))\""))
        let byAt = site.respond(to: ExplorerRequest(path: "/snapshots/0/objects/@\(graph.id(of: instance))", host: "127.0.0.1:8000"))
        #expect(byAt.body == page.body)
    }

    @Test("other hosts get 421, unknown paths and ids 404")
    func refusals() throws {
        let (site, _) = try site()
        for host in ["evil.example:8000", "127.0.0.1:8001", nil] as [String?] {
            #expect(site.respond(to: ExplorerRequest(path: "/", host: host)).status == 421)
        }
        for path in ["/snapshots/0/objects/987654321987", "/snapshots/0/objects/-1", "/snapshots/1", "/x", "/api/snapshots/0/objects/zz"] {
            #expect(site.respond(to: ExplorerRequest(path: path, host: "127.0.0.1:8000")).status == 404, "\(path)")
        }
    }

    @Test("an empty snapshot still has its pages")
    func emptySnapshot() throws {
        let directory = try scratchDirectory("explorer-empty-\(UUID().uuidString)")
        let graph = try HeapSnapshot(contentsOf: try makeEmptySnapshot(in: directory))
        let site = ExplorerSite(snapshots: [ExplorerSnapshot(name: "empty.heapgraph", graph: graph)],
                                hostCheck: HostCheck(bindHost: "127.0.0.1", port: 9))
        for path in ["/", "/snapshots/0/types", "/snapshots/0/leaks", "/api/snapshots/0/types"] {
            #expect(site.respond(to: ExplorerRequest(path: path, host: "127.0.0.1:9")).status == 200, "\(path)")
        }
        #expect(site.respond(to: ExplorerRequest(path: "/snapshots/0/types", host: "127.0.0.1:9")).body.contains("0 objects of 0 types"))
        #expect(site.respond(to: ExplorerRequest(path: "/api/snapshots/0/types", host: "127.0.0.1:9")).body == "[]")
    }

    @Test("a request target splits into path and decoded query")
    func requestTarget() {
        let request = ExplorerRequest(target: "/compare?from=0&to=1&q=a+b%21", host: nil)
        #expect(request.path == "/compare")
        #expect(request.query == ["from": "0", "to": "1", "q": "a b!"])
    }
}
