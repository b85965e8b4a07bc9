import HeapGraphModel
import Testing
@testable import HeapAnalysis

/// Analyses of graphs made by hand (HeapGraphBuilder): heaps of any runtime, no HeapRuntime.
@Suite("Analysis of built graphs")
struct BuiltGraphTests {
    /// A CPython-like heap: a module global holds a registry that keeps a closed session.
    static func registryGraph() -> (HeapSnapshot, session: Int) {
        var session = 0
        let graph = HeapSnapshot.build(runtime: "CPython 3.12") { heap in
            let registry = heap.node("dict", kind: .dictionary, size: 232)
            let key = heap.node("str", kind: .string, value: "'s1'", size: 51)
            session = heap.node("Session", size: 56, watched: "closed Session")
            heap.edge(from: registry, to: key, .dictKey)
            heap.edge(from: registry, to: session, .key(.node(key)))
            heap.root(registry, name: "app.REGISTRY", category: .global)
        }
        return (graph, session)
    }

    @Test func aLeakTraceStartsAtItsNamedRoot() throws {
        let (graph, session) = Self.registryGraph()
        let trace = try #require(RootPaths(graph: graph).trace(to: session, in: graph))
        #expect(trace.rootName == "app.REGISTRY")
        #expect(trace.rootCategory == .global)
        let lines = trace.text().split(separator: "\n").map(String.init)
        #expect(lines.prefix(2) == ["┬───", "│ Root: module global app.REGISTRY"])
        #expect(lines.last == "╰→ Session instance @\(graph.id(of: session))")
        #expect(lines.contains("│    ↓ dict['s1']"))
    }

    @Test func aWatchedObjectHeldByANamedRootIsReported() throws {
        let (graph, _) = Self.registryGraph()
        let report = LeakReport.analyze(graph, file: "app.heapgraph")
        let group = try #require(report.groups.first { $0.category == .watched })
        #expect(group.description == "closed Session")
        #expect(report.text().contains("Root: module global app.REGISTRY"))
    }

    @Test func aFrameLocalAndAnUnnamedHandleAreNamedAsSuch() throws {
        let graph = HeapSnapshot.build { heap in
            let local = heap.node("list", kind: .array)
            let held = heap.node("list", kind: .array, externalCount: 2)
            let item = heap.node("Item")
            heap.edge(from: local, to: item, .index(0))
            heap.edge(from: held, to: item, .index(0))
            heap.root(local, name: "thread 1: serve (app.py:3)", category: .local)
        }
        let paths = RootPaths(graph: graph)
        #expect(paths.trace(to: 0, in: graph)?.text().contains("Root: local variable thread 1: serve (app.py:3)") == true)
        #expect(paths.trace(to: 1, in: graph)?.text().contains("Root: held by the host program (2 references)") == true)
        #expect(paths.distance(to: 2) == 1)
    }
}
