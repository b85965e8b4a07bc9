import HeapGraphModel

/// Shortest strong paths from the roots (the nodes the host program holds) to every node.
///
/// One breadth-first search from all roots at once, in ordinal order, over strong edges
/// only: a weak reference never keeps an object alive, so it is never part of a path (as
/// LeakCanary and MAT's "exclude weak references" do). Each node remembers the node it was
/// first found from, so the path to it is read back through those parents.
///
/// A graph read from a V8 heap snapshot follows DevTools' rules (``RetentionRules/devTools``,
/// `calculateDistances` in its `HeapSnapshot.ts`): the search starts at the user roots (the
/// synthetic root's non-synthetic children, such as the global object) at distance 1 and
/// then at the root for what they do not reach, whose distances count from 100,000,000
/// (DevTools shows them as "−"); it skips weak edges, a native context's
/// `sloppy_function_map`, the descriptor edges of `(map descriptors)` arrays, and the first
/// edge found of each WeakMap value's pair (so the value's distance is the later of its
/// table's and its key's). Every path then starts at the root.
///
/// ```swift
/// let paths = RootPaths(graph: graph)
/// if let path = paths.path(to: node) { print(LeakTrace(graph: graph, path: path).text()) }
/// ```
public struct RootPaths: Sendable {
    /// Parent ordinal, `-1` for a root, `-2` for a node no root reaches.
    private let parents: [Int32]
    /// The graph-wide index of the edge each node was reached by (UInt32.max for roots).
    private let parentEdges: [UInt32]
    private let distances: [Int32]

    /// - Complexity: O(nodes + edges) time, 8 bytes per node (plus the strong edges while
    ///   it runs).
    public init(graph: HeapSnapshot) {
        self.init(graph: graph, rules: RetentionRules(for: graph))
    }

    /// The paths by the given rules (``RetentionRules/init(for:)`` picks them by source).
    /// - Complexity: O(nodes + edges), plus one parse per distinct internal edge name for
    ///   DevTools' rules.
    public init(graph: HeapSnapshot, rules: RetentionRules) {
        switch rules {
        case .heapGraph: self.init(heapGraph: graph, strong: StrongEdges(graph: graph))
        case .devTools: self.init(devToolsGraph: graph)
        }
    }

    /// The paths over the given strong edges, or by DevTools' rules for a V8 graph.
    init(graph: HeapSnapshot, strong: StrongEdges) {
        if RetentionRules(for: graph) == .devTools {
            self.init(devToolsGraph: graph)
        } else {
            self.init(heapGraph: graph, strong: strong)
        }
    }

    private init(parents: [Int32], parentEdges: [UInt32], distances: [Int32]) {
        self.parents = parents
        self.parentEdges = parentEdges
        self.distances = distances
    }

    /// HeapGraph's search (``RetentionRules/heapGraph``) over the given strong edges.
    private init(heapGraph graph: HeapSnapshot, strong: StrongEdges) {
        let count = graph.nodeCount
        var parents = [Int32](repeating: -2, count: count)
        var parentEdges = [UInt32](repeating: .max, count: count)
        var distances = [Int32](repeating: -1, count: count)
        var queue: [Int32] = []
        for node in 0..<count where graph.isRoot(node) {
            parents[node] = -1
            distances[node] = 0
            queue.append(Int32(node))
        }
        var head = 0
        while head < queue.count {
            let node = Int(queue[head])
            head += 1
            let next = distances[node] + 1
            for index in Int(strong.start[node])..<Int(strong.start[node + 1]) {
                let target = Int(strong.targets[index])
                if distances[target] < 0 {
                    distances[target] = next
                    parents[target] = Int32(node)
                    parentEdges[target] = strong.edgeIndices[index]
                    queue.append(Int32(target))
                }
            }
        }
        self.init(parents: parents, parentEdges: parentEdges, distances: distances)
    }

    /// DevTools' distance of the nodes only system roots reach (`baseSystemDistance`).
    public static let devToolsSystemDistance = 100_000_000

    /// DevTools' two breadth-first searches (see the type's documentation).
    init(devToolsGraph graph: HeapSnapshot) {
        var search = DevToolsDistanceSearch(graph: graph)
        search.run()
        self.init(parents: search.parents, parentEdges: search.parentEdges, distances: search.distances)
    }

    /// The integer a name starts with (after white space, with an optional sign), as
    /// JavaScript's `parseInt` reads it, or nil.
    static func leadingInteger(_ name: String) -> Int? {
        var bytes = Substring(name).utf8.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        let digits = bytes.prefix { $0 >= 0x30 && $0 <= 0x39 }.prefix(18)
        guard !digits.isEmpty else { return nil }
        let value = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        return negative ? -value : value
    }

    /// Whether some root reaches `node` over strong edges.
    public func isReachable(_ node: Int) -> Bool { distances[node] >= 0 }

    /// Number of strong edges on the shortest path from a root (0 for a root), or nil. By
    /// DevTools' rules, DevTools' distance: 1 for a user root, and from 100,000,000
    /// (``devToolsSystemDistance``) for what only system roots reach.
    public func distance(to node: Int) -> Int? {
        distances[node] >= 0 ? Int(distances[node]) : nil
    }

    /// The shortest strong path from a root to `node`, root first and `node` last, or nil
    /// when no root reaches it.
    /// - Complexity: O(length of the path).
    public func path(to node: Int) -> [Int]? {
        guard distances[node] >= 0 else { return nil }
        var path = [node]
        var current = node
        while parents[current] >= 0 {
            current = Int(parents[current])
            path.append(current)
        }
        return path.reversed()
    }

    /// The leak trace of the shortest strong path from a root to `node`, or nil when none
    /// reaches it. Each reference is the edge the search followed.
    /// - Complexity: O(path length): no node's edges are scanned (a list with a million
    ///   items on the path costs no more than any other step).
    public func trace(to node: Int, in graph: HeapSnapshot) -> LeakTrace? {
        guard let path = path(to: node) else { return nil }
        let edges = path.dropFirst().map { next in graph.edges(of: Int(parents[next]))[Int(parentEdges[next])] }
        return LeakTrace(graph: graph, path: path, edges: edges)
    }
}
