import HeapRuntime
import HeapGraphModel
import HeapRuntimeSnapshot
import Testing
@testable import HeapAnalysis

@Suite("Dominator tree")
struct DominatorTreeTests {
    /// Builds the graph by hand (node n is ordinal n, 16 × (n + 1) bytes), then checks each
    /// node's immediate dominator (`nil` = super-root) and retained size as sets of the
    /// nodes it must hold.
    func check(nodes: Int, edges: [(Int, Int)], idoms: [Int?], retains: [[Int]]) throws {
        let graph = builtHandGraph(nodes: nodes, edges: edges)
        let tree = DominatorTree(graph: graph)
        for node in 0..<nodes {
            #expect(tree.immediateDominator(of: node) == idoms[node], "idom of \(node)")
            let expected = retains[node].reduce(0) { $0 + 16 * ($1 + 1) }
            #expect(tree.retainedSize(of: node) == expected, "retained size of \(node)")
        }
    }

    @Test func diamond() throws {
        // 0 → 1, 0 → 2, 1 → 3, 2 → 3, 3 → 4: neither side of the diamond dominates 3.
        try check(nodes: 5, edges: [(0, 1), (0, 2), (1, 3), (2, 3), (3, 4)],
                  idoms: [nil, 0, 0, 0, 3], retains: [[0, 1, 2, 3, 4], [1], [2], [3, 4], [4]])
    }

    @Test func chain() throws {
        try check(nodes: 4, edges: [(0, 1), (1, 2), (2, 3)],
                  idoms: [nil, 0, 1, 2], retains: [[0, 1, 2, 3], [1, 2, 3], [2, 3], [3]])
    }

    @Test func cycleWithOneEntry() throws {
        // 0 → 1 → 2 → 3 → 1: the entry 1 dominates the whole ring.
        try check(nodes: 4, edges: [(0, 1), (1, 2), (2, 3), (3, 1)],
                  idoms: [nil, 0, 1, 2], retains: [[0, 1, 2, 3], [1, 2, 3], [2, 3], [3]])
    }

    @Test func semidominatorDiffersFromImmediateDominator() throws {
        // R=0 → A=1, R → C=3, A → B=2, A → D=4, B → C, C → D. A depth-first search goes
        // R, A, B, C, D: D's semidominator is A (edge A → D), but R → C → D avoids A, so
        // idom(D) = R. Likewise idom(C) = R while its tree parent is B.
        try check(nodes: 5, edges: [(0, 1), (0, 3), (1, 2), (1, 4), (2, 3), (3, 4)],
                  idoms: [nil, 0, 1, 0, 0], retains: [[0, 1, 2, 3, 4], [1, 2], [2], [3], [4]])
    }

    @Test func unreachableRingHangsFromTheSuperRootAtItsFirstOrdinal() throws {
        let heap = Heap()
        heap.gc.disable()
        let root = heap.list()
        var ringIDs: [Int] = []
        do {
            let a = heap.list(), b = heap.list(), tail = heap.list()
            try heap.append(b, to: a); try heap.append(a, to: b); try heap.append(tail, to: b)
            ringIDs = [a.id, b.id, tail.id]
        }
        let graph = HeapSnapshot(heap: heap)
        let a = try ordinal(of: ringIDs[0], in: graph), b = try ordinal(of: ringIDs[1], in: graph)
        let tail = try ordinal(of: ringIDs[2], in: graph)
        let tree = DominatorTree(graph: graph)
        let (first, second) = a < b ? (a, b) : (b, a)
        #expect(tree.immediateDominator(of: first) == nil)
        #expect(tree.immediateDominator(of: second) == first)
        #expect(tree.immediateDominator(of: tail) == b)
        #expect(tree.retainedSize(of: first) == graph.shallowSize(of: a) + graph.shallowSize(of: b) + graph.shallowSize(of: tail))
        #expect(tree.topRetainers(limit: 1).first?.node == first)
        _ = root
    }

    @Test func topRetainersAreOrderedAndLimited() throws {
        let graph = builtHandGraph(nodes: 4, edges: [(0, 1), (1, 2), (2, 3)])
        let tree = DominatorTree(graph: graph)
        let top = tree.topRetainers(limit: 3)
        #expect(top.map(\.node) == [0, 1, 2])
        #expect(top.map(\.retainedSize) == [16 + 32 + 48 + 64, 32 + 48 + 64, 48 + 64])
        #expect(tree.topRetainers(limit: 0).isEmpty)
    }

    @Test func millionLongChainNeedsNoDeepStack() throws {
        let heap = Heap()
        heap.gc.disable()
        var head = heap.list()
        let tailID = head.id
        for _ in 1..<1_000_000 {
            let next = heap.list()
            try heap.append(head, to: next)
            head = next
        }
        let graph = HeapSnapshot(heap: heap)
        let first = try ordinal(of: head.id, in: graph), last = try ordinal(of: tailID, in: graph)
        let tree = DominatorTree(graph: graph)
        let total = (0..<graph.nodeCount).reduce(0) { $0 + graph.shallowSize(of: $1) }
        #expect(graph.nodeCount == 1_000_000)
        #expect(tree.retainedSize(of: first) == total)
        #expect(tree.retainedSize(of: last) == graph.shallowSize(of: last))
        #expect(tree.immediateDominator(of: first) == nil)
        let paths = RootPaths(graph: graph)
        #expect(paths.distance(to: last) == 999_999)
        #expect(paths.path(to: last)?.count == 1_000_000)
    }
}

@Suite("Dominator tree: roots")
struct DominatorRootTests {
    @Test func aRootReachedFromAnotherRootIsStillItsOwnRetainer() throws {
        // Two roots, the first pointing at the second: the host holds the second itself,
        // so the first does not dominate it.
        let heap = Heap()
        heap.gc.disable()
        let first = heap.list(), second = heap.list()
        try heap.append(second, to: first)
        try heap.append(heap.list(), to: second)
        let graph = HeapSnapshot(heap: heap)
        let a = try ordinal(of: first.id, in: graph), b = try ordinal(of: second.id, in: graph)
        let tree = DominatorTree(graph: graph)
        #expect(tree.immediateDominator(of: b) == nil)
        #expect(tree.retainedSize(of: a) == graph.shallowSize(of: a))
    }
}
