import HeapAnalysis
import HeapGraphModel
import Testing

@Suite struct CensusTests {
    /// A graph made by hand, sizes chosen here: each kind of node the census tells apart.
    @Test func countsRootsFlagsAndBytes() throws {
        let tracked: NodeFlags = [.tracked]
        let graph = HeapSnapshot.build(runtime: "HeapRuntime") { heap in
            let root = heap.node("list", kind: .array, size: 56, externalCount: 1, generation: 0, flags: tracked)
            // Held through the root and by the host program itself.
            let watched = heap.node("list", kind: .array, size: 48, externalCount: 1, generation: 0, flags: tracked,
                                    watched: "should go")
            let inner = heap.node("list", kind: .array, size: 40, generation: 0, flags: tracked)
            let text = heap.node("str", kind: .string, value: "'text'", size: 50)           // untracked
            let none = heap.node("NoneType", value: "None", size: 16, externalCount: 1, flags: [.immortal])
            let garbage = heap.node("list", kind: .array, size: 64, generation: 0, flags: tracked)
            let legacy = heap.node("Legacy", size: 72, generation: 0, flags: [.tracked, .legacyFinalizer, .inGarbage])
            heap.edge(from: root, to: watched, .index(0))
            heap.edge(from: root, to: inner, .index(1))
            heap.edge(from: root, to: text, .index(2))
            heap.edge(from: inner, to: none, .index(0))
            heap.edge(from: garbage, to: legacy, .index(0))
            heap.root(garbage, name: "gc.garbage", category: .garbage)
        }
        let census = graph.census()
        #expect(census.objects == 7)
        #expect(census.references == 5)
        #expect(census.roots == 3)        // root, watched and gc.garbage; not the immortal None
        #expect(census.tracked == 5)
        #expect(census.watched == 1)
        #expect(census.inGarbage == 1)
        #expect(census.bytes == 56 + 48 + 40 + 50 + 16 + 64 + 72)
    }
}
