import HeapGraphModel
import Testing
import HeapAnalysis

@Suite("ReportStyle: how a reference and a node's flags are named")
struct ReportStyleNamingTests {
    @Test func referenceNamesReadAsPathSteps() {
        #expect(ReportStyle.referenceName("session") == ".session")
        #expect(ReportStyle.referenceName("[3]") == "[3]")
        #expect(ReportStyle.referenceName("['key']") == "['key']")
        #expect(ReportStyle.referenceName("(key)") == "(key)")
        #expect(ReportStyle.referenceName("") == "(item)")
    }

    @Test func flagNamesListRootFlagsAndGeneration() {
        var nodes: (root: Int, dying: Int, plain: Int) = (0, 0, 0)
        let graph = HeapSnapshot.build(runtime: "HeapRuntime") { heap in
            nodes.root = heap.node("list", kind: .array, size: 56, externalCount: 2, generation: 1, flags: [.tracked])
            nodes.dying = heap.node("Node", size: 64, generation: 2, flags: [.tracked, .hasFinalizer, .inGarbage])
            nodes.plain = heap.node("int", kind: .number, size: 28)
            heap.edge(from: nodes.root, to: nodes.plain, .index(0))
        }
        #expect(graph.flagNames(of: nodes.root) == ["root (2 external references)", "tracked", "generation 1"])
        #expect(graph.flagNames(of: nodes.dying) == ["tracked", "has a finalizer", "in gc.garbage", "generation 2"])
        #expect(graph.flagNames(of: nodes.plain) == [])
    }
}
