import HeapRuntime
import HeapGraphModel
import HeapRuntimeSnapshot
import Testing
@testable import HeapAnalysis

@Suite("Paths from roots")
struct PathTests {
    @Test func pathsIgnoreWeakEdges() throws {
        // root → weakref ⇢ target (weak, 2 steps) and root → a → b → target (strong, 3).
        let heap = Heap()
        heap.gc.disable()
        let root = heap.list()
        let cls = try heap.makeClass("Target")
        var made: [UInt64] = []
        do {
            let target = try heap.instance(of: cls), a = heap.list(), b = heap.list()
            try heap.append(heap.weakReference(to: target), to: root)
            try heap.append(a, to: root)
            try heap.append(b, to: a)
            try heap.append(target, to: b)
            made = [a.snapshotID, b.snapshotID, target.snapshotID]
        }
        let graph = HeapSnapshot(heap: heap)
        let ids = try ([root.snapshotID] + made).map { try ordinal(of: $0, in: graph) }
        let paths = RootPaths(graph: graph)
        #expect(paths.path(to: ids[3]) == ids)
        #expect(paths.distance(to: ids[3]) == 3)
        let trace = LeakTrace(graph: graph, path: try #require(paths.path(to: ids[3])))
        #expect(trace.steps.map(\.reference) == ["[1]", "[0]", "[0]", nil])
        #expect(trace.steps.map(\.label).prefix(3) == ["2 items", "1 items", "1 items"])
        #expect(trace.steps.last?.typeName == "Target")
    }

    @Test func objectOnlyWeaklyReachableIsGarbage() throws {
        let heap = Heap()
        heap.gc.disable()
        let root = heap.list()
        var ringID: UInt64 = 0
        let cls = try heap.makeClass("Target")
        do {
            let ring = try heap.instance(of: cls)
            try heap.setAttribute("me", to: ring, on: ring)
            try heap.append(heap.weakReference(to: ring), to: root)
            ringID = ring.snapshotID
        }
        let graph = HeapSnapshot(heap: heap)
        let ring = try ordinal(of: ringID, in: graph)
        let paths = RootPaths(graph: graph)
        #expect(!paths.isReachable(ring))
        #expect(paths.path(to: ring) == nil)
        #expect(paths.distance(to: try ordinal(of: root.snapshotID, in: graph)) == 0)
        let report = LeakReport.analyze(graph)
        #expect(report.findings(in: [.cyclicGarbage]).first?.exampleCycle == "Target.me → Target")
        #expect(report.findings(in: [.cyclicGarbage]).first?.exampleNodes == [ring])
    }

    @Test func traceTextNamesAttributesKeysAndClasses() throws {
        let heap = Heap()
        heap.gc.disable()
        let root = heap.dict()
        let holder = try heap.makeClass("Holder")
        let held = try heap.instance(of: holder)
        try heap.setItem(heap.str("cache"), to: held, in: root)
        try heap.setAttribute("items", to: heap.list(), on: held)
        let graph = HeapSnapshot(heap: heap)
        let list = try #require(graph.edges(of: try ordinal(of: held.snapshotID, in: graph)).first { graph.labelText($0) == "items" }?.target)
        let path = try #require(RootPaths(graph: graph).path(to: list))
        // The instance is held by the test too: the shortest path starts there.
        #expect(LeakTrace(graph: graph, path: path).text() == """
            ┬───
            │ Root: held by the host program (1 reference)
            │
            ├─ Holder instance @\(held.snapshotID)
            │    ↓ Holder.items
            ╰→ list instance @\(graph.id(of: list))
            """)
        let longer = LeakTrace(graph: graph, path: [try ordinal(of: root.snapshotID, in: graph), try ordinal(of: held.snapshotID, in: graph), list])
        #expect(longer.steps.first?.reference == "['cache']")
        #expect(longer.text(colors: true).contains("\u{1B}[33mdict['cache']\u{1B}[0m"))
        let classTrace = LeakTrace(graph: graph, path: [try ordinal(of: holder.snapshotID, in: graph)])
        #expect(classTrace.text() == "┬───\n│ Root: held by the host program (1 reference)\n│\n╰→ Holder class @\(holder.snapshotID)")
    }
}
