import Foundation
import HeapGraphModel
import Testing
@testable import HeapAnalysis

/// Dominators by DevTools' rules on a snapshot `node` writes during the test, from
/// Tests/V8Fixtures/retainers.js (closures capturing a large object, a Map cache, a
/// subgraph held only through a WeakMap). The script keeps the classes and a spare object
/// of each detached class alive elsewhere, so no V8 map (hidden class) belongs to one
/// object alone and each retained size is exactly the objects worked out below.
@Suite("Dominators on snapshots node writes", .enabled(if: nodeOnPath != nil, "node is not on PATH: skipping the tests on snapshots node writes"))
struct NodeSnapshotDominatorTests {
    let graph: HeapSnapshot
    let tree: DominatorTree
    let printed: [String: Int]

    /// One run of the script for the whole suite; its directory is gone once the graph is read.
    static let snapshot = Result { () throws -> (HeapSnapshot, [String: Int]) in
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heapgraph-node-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("retainers.heapsnapshot").path
        let printed = try runNodeScript("retainers.js", [path]).compactMapValues { $0 as? Int }
        return (try HeapSnapshot(v8ContentsOf: path), printed)
    }

    init() throws {
        (graph, printed) = try Self.snapshot.get()
        tree = DominatorTree(graph: graph)
    }

    func nodes(ofType type: String) -> [Int] { (0..<graph.nodeCount).filter { graph.typeName(of: $0) == type } }

    /// The target of `node`'s first edge labelled `label` (a property, or an internal name).
    func target(of node: Int, _ label: String) throws -> Int {
        try #require(graph.edges(of: node).first { graph.labelText($0) == label }?.target, "@\(graph.id(of: node)) has no \(label)")
    }

    /// A JS array's own size and its elements store's.
    func arrayBytes(_ array: Int) throws -> Int {
        graph.shallowSize(of: array) + graph.shallowSize(of: try target(of: array, "elements"))
    }

    @Test func countsAreTheScriptsOwn() throws {
        #expect(tree.rules == .devTools)
        for type in ["BigPayload", "CacheEntry", "WeakKey", "DetachedRoot", "DetachedLeaf"] {
            #expect(nodes(ofType: type).count == printed[type], "\(type)")
        }
    }

    @Test func aMapCacheEntryRetainsItsArrayAndNothingElse() throws {
        // Each CacheEntry retains itself, its `values` array and that array's elements store
        // (500 numbers, 8 bytes each, and a header): its map and prototype are shared by all
        // twelve entries, its key string is the Map's.
        let global = try #require(graph.edges(of: 0).first { $0.kind == .shortcut }?.target, "the root's shortcut to the global object")
        let cacheMap = try target(of: global, "cache")
        #expect(graph.typeName(of: cacheMap) == "Map")
        let entries = nodes(ofType: "CacheEntry")
        #expect(entries.count == 12)
        for entry in entries {
            let expected = graph.shallowSize(of: entry) + (try arrayBytes(try target(of: entry, "values")))
            #expect(expected >= 500 * 8)
            #expect(tree.retainedSize(of: entry) == expected, "\("@\(graph.id(of: entry))")")
            // The Map dominates every entry (through its table), even an entry V8's stack
            // roots also hold: that edge comes from outside the page.
            var dominator = tree.immediateDominator(of: entry)
            while let current = dominator, current != cacheMap { dominator = tree.immediateDominator(of: current) }
            #expect(dominator == cacheMap, "\("@\(graph.id(of: entry))")")
        }
        #expect(tree.retainedSize(of: cacheMap) > entries.reduce(0) { $0 + tree.retainedSize(of: $1) })
    }

    @Test func theWeakMapValueHangsFromItsKey() throws {
        // weakKey → (key's half of the pair) → DetachedRoot → leaves array → 7 DetachedLeaf.
        // The WeakMap's table holds the value too, but DevTools counts the key's edge: the
        // key dominates the value, and retains exactly it.
        let key = try #require(nodes(ofType: "WeakKey").first)
        let value = try #require(nodes(ofType: "DetachedRoot").first { tree.immediateDominator(of: $0) == key })
        let leaves = try target(of: value, "leaves")
        let leafNodes = graph.edges(of: leaves).filter { $0.kind == .index }.map(\.target)
        #expect(leafNodes.count == 7)
        #expect(leafNodes.allSatisfy { graph.typeName(of: $0) == "DetachedLeaf" })
        let subgraph = graph.shallowSize(of: value) + (try arrayBytes(leaves)) + leafNodes.reduce(0) { $0 + graph.shallowSize(of: $1) }
        #expect(tree.retainedSize(of: value) == subgraph)
        #expect(tree.retainedSize(of: key) == graph.shallowSize(of: key) + subgraph)
        #expect(leafNodes.allSatisfy { tree.immediateDominator(of: $0) == leaves })
        // By HeapGraph's rules both the table's and the key's edges count: neither dominates.
        let plain = DominatorTree(graph: graph, rules: .heapGraph)
        #expect(plain.immediateDominator(of: value) != key)
    }

    @Test func closuresRetainTheObjectTheyCapture() throws {
        // Each handler closure → its context → BigPayload → numbers array (2,000 numbers).
        let handlers = (0..<graph.nodeCount).filter { graph.kind(of: $0) == .closure && graph.valueLabel(of: $0) == "handler" }
        #expect(handlers.count == printed["BigPayload"])
        for handler in handlers {
            let context = try target(of: handler, "context")
            let payload = try target(of: context, "(closure) payload")
            #expect(graph.typeName(of: payload) == "BigPayload")
            let payloadBytes = graph.shallowSize(of: payload) + (try arrayBytes(try target(of: payload, "numbers")))
            #expect(payloadBytes >= 2_000 * 8)
            #expect(tree.retainedSize(of: payload) == payloadBytes)
            #expect(tree.immediateDominator(of: payload) == context)
            #expect(tree.immediateDominator(of: context) == handler)
            #expect(tree.retainedSize(of: handler) >= graph.shallowSize(of: handler) + graph.shallowSize(of: context) + payloadBytes)
        }
    }
}
