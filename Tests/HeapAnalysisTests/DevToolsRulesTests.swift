import Foundation
import HeapGraphModel
import Testing
@testable import HeapAnalysis

/// The hand-written V8 snapshot `Tests/V8Fixtures/devtools-rules.heapsnapshot`, whose
/// dominator tree, retained sizes and distances are worked out below by DevTools' rules.
///
/// The graph (ids in V8's numbering; `-->` strong, `..>` weak, `=>` shortcut):
///
///     root @1 --element--> (GC roots) @3 --> (Strong roots) @5 --internal--> Internal @25 (60)
///     root @1 =global=> global @7 (40)
///     global --holder--> Holder @9 (100) --left--> Left @11 (10) --down--> Joined @15 (30)
///                                         --right--> Right @13 (20) --down--> Joined
///                                         --elements--> array @27 (16) --[0]--> system / Foo @29 (8, hidden)
///     global --ring--> Ring @17 (5) --next--> Ring @19 (6) --next--> Ring @17   (a cycle)
///     global ..weak..> WeakOnly @21 (50) --child--> Child @23 (7)
///     global ..island..> Island @31 (3) <--other--> Island @33 (4)              (a ring held weakly)
///     global --cache--> WeakMap @35 (24) --table--> array @37 (12)
///     global --key--> Key @39 (2)
///     array @37 and Key @39 --"1 / part of key (Key @39) -> value (Value @41) pair in WeakMap (table @37)"--> Value @41 (200)
///     global =joined=> Joined @15
///     Internal @25 --other--> Holder @9;  Internal @25 --internal--> system / Foo @29
///
/// Page-owned (what the root's shortcut reaches over non-weak edges): global, Holder, Left,
/// Right, Joined, both Rings, the two arrays, system / Foo, WeakMap, Key, Value. Not: the
/// synthetic nodes, Internal, WeakOnly, Child, the Islands.
///
/// Essential edges (the dominator tree's) leave out: the two weak edges; `global =joined=>`
/// (a shortcut not from the root); Internal → Holder and Internal → system / Foo (from a
/// node outside the page into it); array @37 → Value (the WeakMap table's half of the pair).
///
/// Shallow sizes by DevTools: array @27 is reached through hidden/array nodes only from
/// Holder, so Holder owns it: Holder 100 + 16 = 116, the array 0. array @37 likewise gives
/// its 12 to WeakMap (24 + 12 = 36). system / Foo is reached from Holder (through array
/// @27) and from Internal: two owners, it keeps its 8. Total 597 either way.
@Suite("DevTools' rules on a hand-written V8 snapshot")
struct DevToolsRulesTests {
    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("V8Fixtures/\(name)").path
    }
    /// Node 20's layout (seven node fields).
    static var fixturePath: String { fixture("devtools-rules.heapsnapshot") }
    /// The same graph in Node 24's layout: six node fields, other members around the arrays.
    static let layouts = ["devtools-rules.heapsnapshot", "devtools-rules-node24.heapsnapshot"]

    /// Per V8 id: DevTools' shallow size, retained size, immediate dominator's id (nil for
    /// the root) and distance (nil: DevTools shows "-", no path from the root).
    ///
    /// Why each retained size is what it is:
    /// - Joined 30: the diamond's bottom. Left and Right both lead to it, so neither
    ///   dominates it; the shortcut from global does not count, so Holder does (not global).
    /// - Left 10, Right 20: nothing below them but Joined, which they share.
    /// - system / Foo 8: its essential retainer is array @27 alone (Internal's edge is from
    ///   outside the page), so the array dominates it; array @27 = 0 + 8 = 8.
    /// - Holder 184 = 116 + Left 10 + Right 20 + Joined 30 + array 8. Internal → Holder
    ///   does not count, or Holder would hang from the root.
    /// - Ring @19 6; Ring @17 11 = 5 + 6: the cycle is entered only at @17.
    /// - array @37 0; WeakMap 36 = 36 + 0. Value 200 hangs from Key, not from the table:
    ///   Key 202 = 2 + 200.
    /// - global 473 = 40 + Holder 184 + Ring 11 + WeakMap 36 + Key 202.
    /// - Internal 60; (Strong roots) 60 and (GC roots) 60 above it.
    /// - WeakOnly 57 = 50 + Child 7: only a weak edge holds WeakOnly, so it hangs from the
    ///   root with what it reaches.
    /// - Island @31 3, Island @33 4: each is held by the other, neither has no essential
    ///   retainer, the root does not reach them: each hangs from the root alone.
    /// - root 597 = 60 + 473 + 57 + 3 + 4: everything.
    ///
    /// Distances: global 1 (a user root); through global's edges, shortcut included: Holder,
    /// Ring @17, WeakMap, Key, Joined 2; Left, Right, array @27, Ring @19, array @37 3;
    /// system / Foo 4; Value 4, not 3: Key's edge is found first and skipped, the table's
    /// comes later (the later of the pair counts). Then from the root, at 100,000,000:
    /// (GC roots) +1, (Strong roots) +2, Internal +3. The weakly held nodes: none.
    static let expected: [UInt64: (shallow: Int, retained: Int, dominator: UInt64?, distance: Int?)] = [
        1: (0, 597, nil, 100_000_000),
        3: (0, 60, 1, 100_000_001),
        5: (0, 60, 3, 100_000_002),
        7: (40, 473, 1, 1),
        9: (116, 184, 7, 2),
        11: (10, 10, 9, 3),
        13: (20, 20, 9, 3),
        15: (30, 30, 9, 2),
        17: (5, 11, 7, 2),
        19: (6, 6, 17, 3),
        21: (50, 57, 1, nil),
        23: (7, 7, 21, nil),
        25: (60, 60, 5, 100_000_003),
        27: (0, 8, 9, 3),
        29: (8, 8, 27, 4),
        31: (3, 3, 1, nil),
        33: (4, 4, 1, nil),
        35: (36, 36, 7, 2),
        37: (0, 0, 35, 3),
        39: (2, 202, 7, 2),
        41: (200, 200, 39, 4),
    ]

    @Test(arguments: layouts)
    func dominatorsRetainedSizesAndDistancesAreDevToolsOnes(layout: String) throws {
        let graph = try HeapSnapshot(v8ContentsOf: Self.fixture(layout))
        #expect(RetentionRules(for: graph) == .devTools)
        let tree = DominatorTree(graph: graph)
        let paths = RootPaths(graph: graph)
        #expect(tree.rules == .devTools)
        #expect(graph.nodeCount == Self.expected.count)
        for node in 0..<graph.nodeCount {
            let id = graph.id(of: node)
            let want = try #require(Self.expected[id], "node @\(id)")
            #expect(tree.shallowSize(of: node, in: graph) == want.shallow, "shallow size of @\(id)")
            #expect(tree.retainedSize(of: node) == want.retained, "retained size of @\(id)")
            #expect(tree.immediateDominator(of: node).map { graph.id(of: $0) } == want.dominator, "dominator of @\(id)")
            #expect(paths.distance(to: node) == want.distance, "distance of @\(id)")
            #expect(paths.isReachable(node) == (want.distance != nil))
        }
        // The graph's own shallow sizes stay V8's self_size.
        #expect((0..<graph.nodeCount).reduce(0) { $0 + graph.shallowSize(of: $1) } == 597)
        #expect(tree.topRetainers(limit: 3).map { graph.id(of: $0.node) } == [1, 7, 39])
    }

    @Test func pathsStartAtTheRootAndGoThroughTheLaterWeakMapEdge() throws {
        let graph = try HeapSnapshot(v8ContentsOf: Self.fixturePath)
        let paths = RootPaths(graph: graph)
        let value = try #require((0..<graph.nodeCount).first { graph.id(of: $0) == 41 })
        #expect(paths.path(to: value)?.map { graph.id(of: $0) } == [1, 7, 35, 37, 41])
        let system = try #require((0..<graph.nodeCount).first { graph.id(of: $0) == 25 })
        #expect(paths.path(to: system)?.map { graph.id(of: $0) } == [1, 3, 5, 25])
        let trace = try #require(paths.trace(to: value, in: graph))
        #expect(trace.text().contains("cache"))
    }

    @Test func otherGraphsKeepHeapGraphRules() throws {
        // The same file under HeapGraph's rules: Internal → Holder counts, so Holder hangs
        // from the super-root (both the root and (Strong roots) reach it), and so does
        // Joined (global's shortcut to it counts too); Holder retains less.
        let graph = try HeapSnapshot(v8ContentsOf: Self.fixturePath)
        let tree = DominatorTree(graph: graph, rules: .heapGraph)
        let holder = try #require((0..<graph.nodeCount).first { graph.id(of: $0) == 9 })
        let joined = try #require((0..<graph.nodeCount).first { graph.id(of: $0) == 15 })
        #expect(tree.rules == .heapGraph)
        #expect(tree.immediateDominator(of: holder) == nil)
        #expect(tree.immediateDominator(of: joined) == nil)
        #expect(tree.retainedSize(of: holder) != 184)
        #expect(RetentionRules(for: builtHandGraph(nodes: 2, edges: [(0, 1)])) == .heapGraph)
    }

    @Test func weakMapEdgeNames() {
        let text = "12 / part of key (Object @31) -> value (Detached @33) pair in WeakMap (table @29)"
        let name = WeakMapEdgeName(text)
        #expect(name?.tableID == 29)
        #expect(name?.sharedPart(of: text) == " / part of key (Object @31) -> value (Detached @33) pair in WeakMap (table @29)")
        // A bridged or non-contiguous string parses the same way.
        #expect(WeakMapEdgeName(String(text.reversed().reversed()))?.tableID == 29)
        // Names may hold the separator's text themselves.
        #expect(WeakMapEdgeName("1 / part of key (a) -> value (b @2) -> value (c @3) pair in WeakMap (table @4)")?.tableID == 4)
        for bad in ["", "table", "/ part of key (a @1) -> value (b @2) pair in WeakMap (table @3)",
                    "1 / part of key (a @1) -> value (b @2) pair in WeakMap (table @3) ",
                    "1 / part of key (a) -> value (b @2) pair in WeakMap (table @3)",
                    "1 / part of key (a @1) -> value (b) pair in WeakMap (table @3)",
                    "1 / part of key (a @1) -> value (b @2) pair in WeakMap (table @)"] {
            #expect(WeakMapEdgeName(bad) == nil, "\(bad)")
        }
        #expect(RootPaths.leadingInteger(" -7x") == -7 && RootPaths.leadingInteger("12") == 12 && RootPaths.leadingInteger("x1") == nil)
    }
}
