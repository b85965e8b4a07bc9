import HeapAnalysis
import HeapRuntime
import HeapGraphModel
import HeapRuntimeSnapshot
import Testing

@Suite struct DOTLeakPictureTests {
    /// A ring of garbage is drawn as its members and the references between them; a
    /// watched object as its trace from the root.
    @Test func cyclesDrawTheirMembersAndTracesTheirChain() throws {
        let heap = Heap()
        heap.gc.disable()
        let root = heap.list()
        let ring = try heap.makeClass("Ring"), held = try heap.makeClass("Held")
        do {
            let a = try heap.instance(of: ring), b = try heap.instance(of: ring)
            try heap.setAttribute("next", to: b, on: a)
            try heap.setAttribute("prev", to: a, on: b)
        }
        do {   // held only through the root list
            let kept = try heap.instance(of: held)
            try heap.watch(kept, description: "should go")
            try heap.append(kept, to: root)
        }
        let graph = HeapSnapshot(heap: heap)
        let report = LeakReport.analyze(graph)

        let cycle = try #require(report.findings(in: [.cyclicGarbage]).first)
        let cycleDOT = graph.showLeak(cycle)
        #expect(cycleDOT.nodeCount == 2)
        // Leak pictures pad their edge labels so a pair's two labels never touch.
        #expect(cycleDOT.text.contains("label=\" next \"") && cycleDOT.text.contains("label=\" prev \""))
        #expect(cycleDOT.text.contains("label=\"cyclic-garbage: 1 leak, fingerprint \(cycle.fingerprint)"))
        #expect(!cycleDOT.text.contains("\"list\\n"))

        let watched = try #require(report.findings(in: [.watched]).first)
        let chainDOT = graph.showLeak(watched)
        #expect(chainDOT.nodeCount == 2)                     // the root list, then the object
        #expect(chainDOT.text.contains("\"list\\n1 items\""))
        #expect(chainDOT.text.contains("Held"))
    }
}
