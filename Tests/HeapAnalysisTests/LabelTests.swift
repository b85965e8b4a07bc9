import HeapAnalysis
import HeapRuntime
import HeapGraphModel
import HeapRuntimeSnapshot
import Testing

@Suite struct LabelTests {
    @Test func shortLabelsFollowObjgraph() throws {
        let heap = Heap()
        let list = heap.list()
        try heap.append(heap.int(1), to: list)
        let dict = heap.dict()
        try heap.setItem(heap.str("a"), to: heap.list(), in: dict)  // a dict of atoms only is untracked, so unseen
        try heap.setItem(heap.str("b"), to: heap.int(3), in: dict)
        let cls = try heap.makeClass("shapes.Node")
        let node = try heap.instance(of: cls)
        let graph = HeapSnapshot(heap: heap)
        func ordinal(_ id: UInt64) throws -> Int {
            try #require((0..<graph.nodeCount).first { graph.id(of: $0) == id })
        }
        #expect(graph.shortLabel(of: try ordinal(list.snapshotID)) == "1 items")
        #expect(graph.shortLabel(of: try ordinal(dict.snapshotID)) == "2 items")
        #expect(graph.shortLabel(of: try ordinal(cls.snapshotID)) == "shapes.Node")
        let instance = try ordinal(node.snapshotID)
        #expect(graph.shortLabel(of: instance) == "<shapes.Node object at 0x\(String(node.snapshotID, radix: 16))>")
        #expect(graph.typeName(of: instance, style: .short) == "Node")
        #expect(graph.typeName(of: instance, style: .qualified) == "shapes.Node")
        #expect(graph.typeName(of: try ordinal(dict.snapshotID), style: .qualified) == "builtins.dict")
    }
}
