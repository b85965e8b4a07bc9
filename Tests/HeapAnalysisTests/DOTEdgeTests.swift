import HeapAnalysis
import HeapRuntime
import HeapGraphModel
import HeapRuntimeSnapshot
import Testing

/// Edge labels, merged duplicates, weak edges and the two caps (too_many, max nodes).
@Suite struct DOTEdgeTests {
    @Test func dictKeysLabelEdgesAsObjgraphDoes() throws {
        let heap = Heap()
        let d = heap.dict()
        try heap.setItem(heap.str("key1"), to: heap.list(), in: d)
        try heap.setItem(heap.int(5), to: heap.list(), in: d)
        try heap.setItem(heap.str("not an identifier"), to: heap.list(), in: d)
        let graph = HeapSnapshot(heap: heap)
        let dn = try #require(graph.ordinal(d.snapshotID))
        let text = graph.showRefs([dn]).text
        let values = graph.edges(of: dn).filter { $0.kind == .key }.map { "o\(graph.id(of: $0.target))" }
        try #require(values.count == 3)
        let od = "o\(graph.id(of: dn))"
        #expect(text.contains("  \(od) -> \(values[0]) [label=\"key1\",weight=2];\n"))
        #expect(text.contains("  \(od) -> \(values[1]) [label=\"int\\n5\"];\n"))
        #expect(text.contains("  \(od) -> \(values[2]) [label=\"str\\n'not an identifier'\"];\n"))
    }

    @Test func indexesAndAttributesAreLabelled() throws {
        let heap = Heap()
        let cls = try heap.makeClass("Node")
        let a = try heap.instance(of: cls), b = try heap.instance(of: cls)
        try heap.setAttribute("next", to: b, on: a)
        let list = heap.list([a.ref, b.ref])
        let graph = HeapSnapshot(heap: heap)
        let (ln, an, bn) = try (#require(graph.ordinal(list.snapshotID)), #require(graph.ordinal(a.snapshotID)), #require(graph.ordinal(b.snapshotID)))
        let (ol, oa, ob) = ("o\(graph.id(of: ln))", "o\(graph.id(of: an))", "o\(graph.id(of: bn))")
        let text = graph.showRefs([ln]).text
        #expect(text.contains("  \(ol) -> \(oa) [label=\"[0]\"];\n  \(ol) -> \(ob) [label=\"[1]\"];\n"))
        #expect(text.contains("  \(oa) -> \(ob) [label=\"next\",weight=2];\n"))
        #expect(text.contains("  \(oa) -> o\(cls.snapshotID) [label=\"__class__\"];\n"))
    }

    @Test func duplicateEdgesAreDrawnOnceWithTheirCount() throws {
        let heap = Heap()
        let item = heap.list()
        let list = heap.list([item.ref, item.ref, item.ref])
        let many = heap.list()
        for _ in 0..<5 { try heap.append(item, to: many) }
        let graph = HeapSnapshot(heap: heap)
        let (ln, mn, itemNode) = try (#require(graph.ordinal(list.snapshotID)), #require(graph.ordinal(many.snapshotID)), #require(graph.ordinal(item.snapshotID)))
        let (ol, om, oi) = ("o\(graph.id(of: ln))", "o\(graph.id(of: mn))", "o\(graph.id(of: itemNode))")
        let refs = graph.showRefs([ln]).text
        #expect(refs.contains("  \(ol) -> \(oi) [label=\"[0], [1], [2] ×3\"];\n"))
        #expect(refs.components(separatedBy: " -> ").count == 2)
        #expect(graph.showRefs([mn]).text.contains("  \(om) -> \(oi) [label=\"[0], [1], [2], … ×5\"];\n"))
        // Backwards, the same: one edge per referrer.
        let back = graph.showBackrefs([itemNode], options: DOTOptions(maxDepth: 1))
        #expect(back.text.contains("  \(ol) -> \(oi) [label=\"[0], [1], [2] ×3\"];\n"))
        #expect(back.text.contains("  \(om) -> \(oi) [label=\"[0], [1], [2], … ×5\"];\n"))
        #expect(back.nodeCount == 3)
    }

    @Test func weakEdgesAreDashed() throws {
        let heap = Heap()
        let cls = try heap.makeClass("Node")
        let target = try heap.instance(of: cls)
        let holder = heap.list()
        try heap.append(heap.weakReference(to: target), to: holder)
        let graph = HeapSnapshot(heap: heap)
        let tn = try #require(graph.ordinal(target.snapshotID))
        let wn = try #require(graph.nodes(ofType: "weakref").first)
        let edge = "  o\(graph.id(of: wn)) -> o\(graph.id(of: tn)) [label=\"referent\",style=dashed];\n"
        #expect(graph.showRefs([wn]).text.contains(edge))
        #expect(graph.showBackrefs([tn]).text.contains(edge))
    }

    @Test func tooManyFiveGivesSixNodes() throws {
        let heap = Heap()
        let list = heap.list()
        for value in 0..<7 { try heap.append(heap.int(value), to: list) }
        let moo = heap.str("moo")
        let refsToMoo = heap.list()
        for _ in 0..<42 { try heap.append(heap.list([moo.ref]), to: refsToMoo) }
        let graph = HeapSnapshot(heap: heap)
        let ln = try #require(graph.ordinal(list.snapshotID))
        let refs = graph.showRefs([ln], options: DOTOptions(tooMany: 5))
        #expect(refs.nodeCount == 6)
        let ol = "o\(graph.id(of: ln))"
        #expect(refs.text.contains("""
              \(ol)->too_many_\(ol)[color=red,style=dotted,len=0.25,weight=10];
              too_many_\(ol)[label="2 more references",shape=box,height=0.25,color=red,fillcolor="0,1,0.766667",fontsize=6];
              too_many_\(ol)[fontcolor=white];

            """))
        let mooNode = try #require(graph.ordinal(moo.snapshotID))
        let back = graph.showBackrefs([mooNode], options: DOTOptions(maxDepth: 1, tooMany: 5))
        #expect(back.nodeCount == 6)
        let om = "o\(graph.id(of: mooNode))"
        #expect(back.text.contains("  too_many_\(om)->\(om)[color=red,style=dotted,len=0.25,weight=10];\n"))
        #expect(back.text.contains("[label=\"37 more backreferences\",shape=box,height=0.25,color=red,fillcolor=\"0,1,0.3\",fontsize=6]"))
    }

    @Test func nodeCapLeavesANote() throws {
        let heap = Heap()
        let list = heap.list()
        for _ in 0..<300 { try heap.append(heap.list(), to: list) }
        let graph = HeapSnapshot(heap: heap)
        let ln = try #require(graph.ordinal(list.snapshotID))
        let dot = graph.showRefs([ln], options: DOTOptions(tooMany: 1000))
        #expect(dot.nodeCount == 200)
        #expect(dot.cutNodes == 101)
        #expect(dot.text.components(separatedBy: "[label=\"list\\n0 items\"]").count - 1 == 199)
        #expect(dot.text.components(separatedBy: " -> ").count - 1 == 199)      // no edges to undrawn nodes
        #expect(dot.text.hasSuffix("  cut_note[label=\"101 more objects not drawn (max_nodes=200)\",shape=note,color=red,fontcolor=red];\n}\n"))
        let small = graph.showRefs([ln], options: DOTOptions(tooMany: 1000, maxNodes: 10))
        #expect(small.nodeCount == 10 && small.cutNodes == 291)
        #expect(!graph.showRefs([ln], options: DOTOptions(tooMany: 1000, maxNodes: 301)).text.contains("cut_note"))
    }

    @Test func showChainDrawsOnlyTheChain() throws {
        let heap = Heap()
        let root = heap.list()
        var ids: [UInt64] = []
        do {
            let cls = try heap.makeClass("Node")
            let x = try heap.instance(of: cls), y = try heap.instance(of: cls)
            try heap.append(x, to: root)
            try heap.append(heap.list(), to: root)                    // off the chain
            try heap.setAttribute("next", to: y, on: x)
            ids = [root.snapshotID, x.snapshotID, y.snapshotID]
        }
        let graph = HeapSnapshot(heap: heap)
        let yn = try #require(graph.ordinal(ids[2]))
        let chain = graph.findBackrefChain(to: yn)
        #expect(chain == (try ids.map { try #require(graph.ordinal($0)) }))
        let back = graph.showChain([chain])
        #expect(back.nodeCount == 3)
        #expect(back.text.components(separatedBy: " -> ").count - 1 == 2)
        #expect(back.text.contains("  o\(graph.id(of: yn))[fontcolor=red];\n"))
        let forward = graph.showChain([chain], backrefs: false)
        #expect(forward.nodeCount == 3)
        #expect(forward.text.contains("  o\(graph.id(of: chain[0]))[fontcolor=red];\n"))
        #expect(graph.showChain([[], chain]).nodeCount == 3)
    }
}
