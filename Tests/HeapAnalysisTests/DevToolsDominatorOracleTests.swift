import Foundation
import HeapGraphModel
import Testing
@testable import HeapAnalysis

/// DominatorTree by DevTools' rules computes Cooper–Harvey–Kennedy on a graph that stands for
/// DevTools' search (docs/v8.md). This checks the claim that the tree is the same: on random
/// V8 graphs, against DevTools' procedure done the way DevTools does it — Lengauer and
/// Tarjan's algorithm (the simple version of their 1979 paper), a search from the root, then
/// from each node with no essential retainer, then the remaining nodes numbered one by one
/// as children of the root, and a node with no essential retainer taking the root's
/// semidominator — written here from the paper.
@Suite("DevTools' dominators against Lengauer–Tarjan")
struct DevToolsDominatorOracleTests {
    /// Immediate dominators (node ordinals, nil for the root) by DevTools' procedure over
    /// `essential` edges, rooted at node 0.
    static func lengauerTarjan(nodeCount: Int, essential: StrongEdges) -> [Int?] {
        let reverse = essential.reversed()
        // Vertices are numbered 1...nodeCount (node + 1); 0 means none.
        let size = nodeCount + 1
        var parent = [Int](repeating: 0, count: size), ancestor = [Int](repeating: 0, count: size)
        var vertex = [Int](repeating: 0, count: size), label = [Int](repeating: 0, count: size)
        var semi = [Int](repeating: 0, count: size), dom = [Int](repeating: 0, count: size)
        var bucket = [[Int]](repeating: [], count: size)
        var n = 0
        func number(_ v: Int) {
            n += 1
            semi[v] = n
            vertex[n] = v
            label[v] = v
        }
        func search(_ start: Int) {
            number(start)
            var stack = [(start, Int(essential.start[start - 1]))]
            while let (v, cursor) = stack.last {
                if cursor < Int(essential.start[v]) {
                    stack[stack.count - 1].1 += 1
                    let w = Int(essential.targets[cursor]) + 1
                    if semi[w] == 0 {
                        parent[w] = v
                        number(w)
                        stack.append((w, Int(essential.start[w - 1])))
                    }
                } else {
                    stack.removeLast()
                }
            }
        }
        func predecessors(_ w: Int) -> [Int] {
            (Int(reverse.start[w - 1])..<Int(reverse.start[w])).map { Int(reverse.targets[$0]) + 1 }
        }
        func compress(_ v: Int) {
            var chain: [Int] = []
            var current = v
            while ancestor[ancestor[current]] != 0 { chain.append(current); current = ancestor[current] }
            for w in chain.reversed() {
                if semi[label[ancestor[w]]] < semi[label[w]] { label[w] = label[ancestor[w]] }
                ancestor[w] = ancestor[ancestor[w]]
            }
        }
        func evaluate(_ v: Int) -> Int {
            if ancestor[v] == 0 { return v }
            compress(v)
            return label[v]
        }
        let r = 1
        search(r)
        for v in 1...nodeCount where semi[v] == 0 && predecessors(v).isEmpty {
            parent[v] = r
            search(v)
        }
        for v in 1...nodeCount where semi[v] == 0 {
            parent[v] = r
            number(v)
        }
        if n >= 2 {
            for i in stride(from: n, through: 2, by: -1) {
                let w = vertex[i]
                let preds = predecessors(w)
                for v in preds {
                    let u = evaluate(v)
                    if semi[u] < semi[w] { semi[w] = semi[u] }
                }
                if preds.isEmpty { semi[w] = semi[r] }
                bucket[vertex[semi[w]]].append(w)
                ancestor[w] = parent[w]
                for v in bucket[parent[w]] {
                    let u = evaluate(v)
                    dom[v] = semi[u] < semi[v] ? u : parent[w]
                }
                bucket[parent[w]].removeAll()
            }
        }
        dom[0] = r
        dom[r] = r
        if n >= 2 {
            for i in 2...n {
                let w = vertex[i]
                if dom[w] != vertex[semi[w]] { dom[w] = dom[dom[w]] }
            }
        }
        return (1...nodeCount).map { $0 == r ? nil : dom[$0] - 1 }
    }

    /// A random V8 snapshot: node 0 the synthetic root, a few synthetic and hidden nodes,
    /// arrays and objects; element, property, internal, shortcut and weak edges, some into
    /// rings, some WeakMap pairs.
    static func randomSnapshot(seed: UInt64) -> String {
        var state = seed | 1
        func random(_ bound: Int) -> Int {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Int(state % UInt64(bound))
        }
        let count = 3 + random(30)
        let weakMapName = "1 / part of key (Key @5) -> value (Value @7) pair in WeakMap (table @3)"
        let strings = ["", "(GC roots)", "Thing", "a", "b", weakMapName, "(Document DOM trees)"]
        var types: [Int] = [9], names: [Int] = [0]
        for node in 1..<count {
            let type = node == 1 ? 9 : [0, 1, 3, 3, 3, 9][random(6)]
            types.append(type)
            names.append(type == 9 ? [1, 2, 6][random(3)] : 2)
        }
        var edges: [[Int]] = Array(repeating: [], count: count)
        for node in 0..<count {
            for _ in 0..<random(4) {
                let target = random(count)
                let type = node == 0 ? [1, 5, 5][random(3)] : [1, 2, 3, 5, 6, 3][random(6)]
                let name = type == 1 ? random(5) : (type == 3 && random(3) == 0 ? 5 : 3 + random(2))
                edges[node].append(contentsOf: [type, name, target * 7])
            }
        }
        var nodes: [Int] = []
        for node in 0..<count {
            nodes += [types[node], names[node], 1 + 2 * node, 1 + random(100), edges[node].count / 3, 0, 0]
        }
        let flat = edges.flatMap { $0 }
        let stringList = strings.map { "\"\($0)\"" }.joined(separator: ",")
        return """
        {"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count","trace_node_id","detachedness"],
        "node_types":[["hidden","array","string","object","code","closure","regexp","number","native","synthetic"],"string","number","number","number","number","number"],
        "edge_fields":["type","name_or_index","to_node"],
        "edge_types":[["context","element","property","internal","hidden","shortcut","weak"],"string_or_number","node"]},
        "node_count":\(count),"edge_count":\(flat.count / 3),"trace_function_count":0},
        "nodes":[\(nodes.map(String.init).joined(separator: ","))],
        "edges":[\(flat.map(String.init).joined(separator: ","))],
        "strings":[\(stringList)]}
        """
    }

    @Test func sameTreeAsDevToolsProcedure() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heapgraph-oracle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("random.heapsnapshot").path
        var checked = 0, hungAlone = 0
        for seed in 1...300 as ClosedRange<UInt64> {
            try Data(Self.randomSnapshot(seed: seed &* 0x9E37_79B9).utf8).write(to: URL(fileURLWithPath: path))
            let graph = try HeapSnapshot(v8ContentsOf: path)
            var heap = DevToolsHeap(graph: graph)
            let essential = StrongEdges(devToolsEssentialEdgesOf: &heap)
            let expected = Self.lengauerTarjan(nodeCount: graph.nodeCount, essential: essential)
            let tree = DominatorTree(graph: graph, rules: .devTools)
            for node in 0..<graph.nodeCount {
                #expect(tree.immediateDominator(of: node) == expected[node], "seed \(seed), node \(node)")
            }
            // Retained sizes add up along the expected tree.
            var retained = (0..<graph.nodeCount).map { tree.shallowSize(of: $0, in: graph) }
            var depth = [Int](repeating: 0, count: graph.nodeCount)
            for node in 0..<graph.nodeCount {
                var current = expected[node]
                while let next = current { depth[node] += 1; current = expected[next] }
            }
            for node in (0..<graph.nodeCount).sorted(by: { depth[$0] > depth[$1] }) {
                if let dominator = expected[node] { retained[dominator] += retained[node] }
            }
            #expect((0..<graph.nodeCount).map { tree.retainedSize(of: $0) } == retained, "seed \(seed)")
            let reverse = essential.reversed()
            let paths = RootPaths(graph: graph, rules: .devTools)
            hungAlone += (1..<graph.nodeCount).filter { reverse.start[$0] != reverse.start[$0 + 1] && !paths.isReachable($0) }.count
            checked += 1
        }
        #expect(checked == 300)
        // The random graphs do have nodes that only weak edges or rings reach.
        #expect(hungAlone > 0)
    }
}
