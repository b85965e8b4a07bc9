import HeapGraphModel

/// Everything `heapgraph show` says of one object: its type and label, shallow and
/// retained size, flags, what it refers to and what refers to it (with the references'
/// labels), and the shortest strong path from a root.
public struct ObjectDetails: Sendable {
    /// One reference to or from the object.
    public struct Reference: Sendable, Hashable {
        /// The other object's ordinal.
        public var node: Int
        /// The edge's label (`session`, `[0]`, `['key']`; empty when unnamed).
        public var label: String
        /// A weak reference (does not keep its target alive).
        public var isWeak: Bool
    }

    public var node: Int
    public var retainedSize: Int
    /// Outgoing references, in the object's order.
    public var referents: [Reference]
    /// Incoming references, by referrer ordinal then the referrer's edge order.
    public var referrers: [Reference]
    /// The shortest strong path from a root, or nil when no root reaches the object.
    public var trace: LeakTrace?

    /// Gathers the details of `node`.
    /// - Complexity: O(nodes + edges): the retained size needs the dominator tree and the
    ///   path a breadth-first search from the roots.
    public init(graph: HeapSnapshot, node: Int) {
        let strong = StrongEdges(graph: graph)
        self.init(graph: graph, node: node, dominators: DominatorTree(graph: graph, strong: strong),
                  paths: RootPaths(graph: graph, strong: strong))
    }

    /// Gathers the details of `node` from a dominator tree and root paths already built (a
    /// server answering many questions about one graph builds them once).
    /// - Complexity: O(edges of `node` + edges of its referrers + path length).
    public init(graph: HeapSnapshot, node: Int, dominators: DominatorTree, paths: RootPaths) {
        self.node = node
        retainedSize = dominators.retainedSize(of: node)
        referents = graph.edges(of: node).map { Reference(node: $0.target, label: graph.labelText($0), isWeak: $0.isWeak) }
        var referrers: [Reference] = []
        for source in Set(graph.referrers(of: node)).sorted() {
            for edge in graph.edges(of: source) where edge.target == node {
                referrers.append(Reference(node: source, label: graph.labelText(edge), isWeak: edge.isWeak))
            }
        }
        self.referrers = referrers
        trace = paths.trace(to: node, in: graph)
    }
}
