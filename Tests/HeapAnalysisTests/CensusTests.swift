import HeapAnalysis
import HeapRuntime
import HeapGraphModel
import HeapRuntimeSnapshot
import Testing

@Suite struct CensusTests {
    @Test func countsRootsFlagsAndBytes() throws {
        let heap = Heap()
        heap.gc.disable()
        let root = heap.list()
        let watched = heap.list()
        try heap.watch(watched, description: "should go")
        try heap.append(watched, to: root)
        try heap.append(heap.list(), to: root)
        let graph = HeapSnapshot(heap: heap)
        let census = graph.census()
        #expect(census.objects == 3)
        #expect(census.references == 2)
        #expect(census.roots == 2)        // root, and watched (the test still holds it)
        #expect(census.tracked == 3)
        #expect(census.watched == 1)
        #expect(census.inGarbage == 0)
        let empty = try heap.item(1, of: root)
        #expect(census.bytes == heap.shallowSize(of: root) + heap.shallowSize(of: watched) + heap.shallowSize(of: empty))
    }
}
