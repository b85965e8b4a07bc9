import HeapGraphModel
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
        // root (held), then a ⇄ b → tail, which nothing held reaches; sizes chosen here.
        let graph = HeapSnapshot.build { heap in
            heap.node("list", kind: .array, size: 56, externalCount: 1)
            let a = heap.node("list", kind: .array, size: 24)
            let b = heap.node("list", kind: .array, size: 40)
            let tail = heap.node("list", kind: .array, size: 72)
            heap.edge(from: a, to: b, .index(0))
            heap.edge(from: b, to: a, .index(0))
            heap.edge(from: b, to: tail, .index(1))
        }
        let (a, b, tail) = (1, 2, 3)
        let tree = DominatorTree(graph: graph)
        #expect(tree.immediateDominator(of: a) == nil)
        #expect(tree.immediateDominator(of: b) == a)
        #expect(tree.immediateDominator(of: tail) == b)
        #expect(tree.retainedSize(of: a) == 24 + 40 + 72)
        #expect(tree.retainedSize(of: b) == 40 + 72)
        #expect(tree.topRetainers(limit: 1).first?.node == a)    // 136 bytes, more than the root's 56
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
        // Node n + 1 holds node n; the host holds the last. Node n is 16 + 8 × (n % 3) bytes.
        let count = 1_000_000
        func size(_ node: Int) -> Int { 16 + 8 * (node % 3) }
        let graph = HeapSnapshot.build { heap in
            for node in 0..<count {
                heap.node("list", kind: .array, size: size(node), externalCount: node == count - 1 ? 1 : 0)
                if node > 0 { heap.edge(from: node, to: node - 1, .index(0)) }
            }
        }
        let (first, last) = (count - 1, 0)
        let tree = DominatorTree(graph: graph)
        #expect(graph.nodeCount == count)
        #expect(tree.retainedSize(of: first) == (0..<count).reduce(0) { $0 + size($1) })
        #expect(tree.retainedSize(of: 1) == size(0) + size(1))
        #expect(tree.retainedSize(of: last) == size(last))
        #expect(tree.immediateDominator(of: first) == nil)
        #expect(tree.immediateDominator(of: last) == 1)
        let paths = RootPaths(graph: graph)
        #expect(paths.distance(to: last) == 999_999)
        #expect(paths.path(to: last)?.count == 1_000_000)
    }
}

@Suite("Dominator tree: roots")
struct DominatorRootTests {
    @Test func aRootReachedFromAnotherRootIsStillItsOwnRetainer() throws {
        // Two roots, the first pointing at the second: the host holds the second itself,
        // so the first does not dominate it. Sizes chosen here.
        let graph = HeapSnapshot.build { heap in
            let first = heap.node("list", kind: .array, size: 56, externalCount: 1)
            let second = heap.node("list", kind: .array, size: 48, externalCount: 1)
            let item = heap.node("list", kind: .array, size: 40)
            heap.edge(from: first, to: second, .index(0))
            heap.edge(from: second, to: item, .index(0))
        }
        let tree = DominatorTree(graph: graph)
        #expect(tree.immediateDominator(of: 1) == nil)
        #expect(tree.immediateDominator(of: 2) == 1)
        #expect(tree.retainedSize(of: 0) == 56)
        #expect(tree.retainedSize(of: 1) == 48 + 40)
    }
}
