import HeapAnalysis
import HeapRuntime
import HeapGraphModel
import HeapRuntimeSnapshot
import Testing

/// objgraph's own DOT tests (single node, two-node chain, extra attributes, culling),
/// rebuilt on host objects so the labels read as in its suite.
@Suite struct DOTObjgraphConventionTests {
    @Test func singleNode() throws {
        let heap = Heap()
        let holder = heap.list()                            // holds A, so A is not a root
        let type = heap.registerHostType(TestObject.self)
        try heap.append(taking: heap.makeHost(type, TestObject(name: "A", next: nil)), to: holder)
        let graph = HeapSnapshot(heap: heap)
        let a = try #require(graph.nodes(ofType: "TestObject").first)
        let o = "o\(graph.id(of: a))"
        let dot = graph.showRefs([a])
        #expect(dot.text == """
            digraph ObjectGraph {
              node[shape=box, style=filled, fillcolor=white];
              \(o)[fontcolor=red];
              \(o)[label="TestObject\\nTestObject(A)"];
              \(o)[fillcolor="0,0,1"];
            }

            """)
        #expect(dot.nodeCount == 1)
        #expect(dot.cutNodes == 0)
    }

    @Test func extraNodeAttributesAreSortedWithNilDropped() throws {
        let heap = Heap()
        let holder = heap.list()
        let type = heap.registerHostType(TestObject.self)
        try heap.append(taking: heap.makeHost(type, TestObject(name: "A", next: nil)), to: holder)
        let graph = HeapSnapshot(heap: heap)
        let a = try #require(graph.nodes(ofType: "TestObject").first)
        let o = "o\(graph.id(of: a))"
        let options = DOTOptions(extraNodeAttributes: { _ in ["x": "y", "gone": nil, "a": "q\"uote"] })
        #expect(graph.showRefs([a], options: options).text == """
            digraph ObjectGraph {
              node[shape=box, style=filled, fillcolor=white];
              \(o)[fontcolor=red];
              \(o)[label="TestObject\\nTestObject(A)", a="q\\"uote", x="y"];
              \(o)[fillcolor="0,0,1"];
            }

            """)
    }

    /// B refers to A; drawn backwards from A, as objgraph's `test_simple_chain`.
    @Test func twoNodeChain() throws {
        let heap = Heap()
        let holder = heap.list()
        let type = heap.registerHostType(TestObject.self)
        do {
            let a = heap.makeHost(type, TestObject(name: "A", next: nil))
            try heap.append(taking: heap.makeHost(type, TestObject(name: "B", next: a.ref)), to: holder)
        }
        let graph = HeapSnapshot(heap: heap)
        let holderNode = try #require(graph.ordinal(holder.snapshotID))
        let a = try #require(graph.nodes(ofType: "TestObject").first { graph.shortLabel(of: $0) == "TestObject(A)" })
        let b = try #require(graph.nodes(ofType: "TestObject").first { graph.shortLabel(of: $0) == "TestObject(B)" })
        let (oa, ob) = ("o\(graph.id(of: a))", "o\(graph.id(of: b))")
        let expected = """
            digraph ObjectGraph {
              node[shape=box, style=filled, fillcolor=white];
              \(oa)[fontcolor=red];
              \(oa)[label="TestObject\\nTestObject(A)"];
              \(oa)[fillcolor="0,0,1"];
              \(ob) -> \(oa);
              \(ob)[label="TestObject\\nTestObject(B)"];
              \(ob)[fillcolor="0,0,0.766667"];
            }

            """
        #expect(graph.showBackrefs([a], options: DOTOptions(filter: { $0 != holderNode })).text == expected)
        // Culling B (drawn, not expanded) keeps the holder out, as objgraph's test_cull_func.
        let culled = graph.showBackrefs([a], options: DOTOptions(cull: { $0 == b }))
        #expect(culled.text == expected)
        #expect(culled.nodeCount == 2)
        // Without either, the holder is drawn at depth 2, with the heap-root border.
        let full = graph.showBackrefs([a])
        let oh = "o\(graph.id(of: holderNode))"
        #expect(full.nodeCount == 3)
        #expect(full.text.contains("  \(oh) -> \(ob) [label=\"[0]\"];\n  \(oh)[label=\"list\\n1 items\"];\n"))
        #expect(full.text.contains("  \(oh)[fillcolor=\"0,0,0.533333\"];\n  \(oh)[color=red, penwidth=3];\n"))
    }

    @Test func emptyGradientAtDepthZero() throws {
        let heap = Heap()
        let holder = heap.list()
        try heap.append(heap.list(), to: holder)
        let graph = HeapSnapshot(heap: heap)
        let start = try #require(graph.ordinal(holder.snapshotID))
        let dot = graph.showRefs([start], options: DOTOptions(maxDepth: 0))
        #expect(dot.nodeCount == 1)
        #expect(dot.text.contains("[fillcolor=\"0,0,1\"]"))
        #expect(!dot.text.contains("->"))
    }

    @Test func gradientHighlightRefcountsAndExtraInfo() throws {
        let heap = Heap()
        let root = heap.list()
        do {
            let mid = heap.list(), leaf = heap.list()
            try heap.append(leaf, to: mid)
            try heap.append(mid, to: root)
        }
        let graph = HeapSnapshot(heap: heap)
        let r = try #require(graph.ordinal(root.snapshotID))
        let mid = try #require(graph.edges(of: r).first?.target)
        let leaf = try #require(graph.edges(of: mid).first?.target)
        let options = DOTOptions(maxDepth: 2, highlight: { $0 == mid }, extraInfo: { $0 == leaf ? "the leaf" : nil },
                                 refcounts: true)
        let text = graph.showRefs([r], options: options).text
        let (om, ol) = ("o\(graph.id(of: mid))", "o\(graph.id(of: leaf))")
        #expect(text.contains("  \(om)[label=\"list [1]\\n1 items\"];\n  \(om)[fillcolor=\"0.6,0.6,0.825\"];\n"))
        #expect(text.contains("  \(ol)[label=\"list [1]\\n0 items\\nthe leaf\"];\n  \(ol)[fillcolor=\"0,0,0.3\"];\n  \(ol)[fontcolor=white];\n"))
    }

    @Test func labelRules() throws {
        let heap = Heap()
        let holder = heap.list()
        let cls = try heap.makeClass("mymodule.MyClass")
        let x = try heap.instance(of: cls)
        try heap.append(x, to: holder)
        let type = heap.registerHostType(Unrepresentable.self)
        try heap.append(taking: heap.makeHost(type, Unrepresentable()), to: holder)
        let graph = HeapSnapshot(heap: heap)
        let xn = try #require(graph.ordinal(x.snapshotID))
        let address = String(x.snapshotID, radix: 16)   // the id the snapshot records
        #expect(graph.showRefs([xn], options: DOTOptions(maxDepth: 0, style: .qualified)).text
            .contains("[label=\"mymodule.MyClass\\n<mymodule.MyClass object at 0x\(address)>\"]"))
        #expect(graph.showRefs([xn], options: DOTOptions(maxDepth: 0)).text
            .contains("[label=\"MyClass\\n<mymodule.MyClass object at 0x\(address)>\"]"))
        let bad = try #require(graph.nodes(ofType: "Unrepresentable").first)
        #expect(graph.showRefs([bad]).text.contains("[label=\"Unrepresentable\\n(unrepresentable)\"]"))
    }
}
