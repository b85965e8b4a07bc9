import HeapGraphModel

/// Who keeps whom alive: node d dominates node v when every strong path from the roots to
/// v passes through d, so freeing d frees v. The retained size of d is the shallow size of
/// everything it dominates, itself included (MAT's and Chrome's "retained size").
///
/// Built over strong edges from a virtual super-root with an edge to every root. Nodes no
/// root reaches (cyclic garbage) still get a place: after everything the roots reach has
/// been visited, the super-root is given an edge to each node still unvisited, in ordinal
/// order, and the search goes on from it. So the first node of an unreachable ring (by
/// ordinal) dominates the rest of it, and the ring's retained size is that node's.
///
/// A graph read from a V8 heap snapshot follows DevTools' rules instead
/// (``RetentionRules/devTools``): the tree hangs from the synthetic root over DevTools'
/// essential edges, nodes with no essential retainer hang from the root with what they reach,
/// and the sizes summed are DevTools' shallow sizes; retained sizes are then the ones the
/// Memory panel shows.
///
/// Algorithm: Cooper, Harvey and Kennedy's "A Simple, Fast Dominance Algorithm" (2001),
/// iterated over reverse postorder until nothing changes, with the depth-first search on an
/// explicit stack. On heap graphs, which are nearly trees, it settles in two or three
/// passes.
///
/// ```swift
/// let tree = DominatorTree(graph: graph)
/// for (node, bytes) in tree.topRetainers(limit: 10) { print(graph.typeName(of: node), bytes) }
/// ```
public struct DominatorTree: Sendable {
    /// Immediate dominator of each node, `-1` for the super-root.
    private let idoms: [Int32]
    private let retained: [Int]
    /// Whether a root reaches the node over strong edges (found before the searches from
    /// unvisited nodes began).
    private let reachable: [Bool]
    /// The shallow sizes the tree summed, when they are not the graph's (DevTools' rules).
    private let shallow: [Int]?
    /// The rules the tree was built by.
    public let rules: RetentionRules
    /// Nodes in reverse postorder of the search (a dominator comes before what it dominates).
    let reversePostorder: [Int32]

    /// - Complexity: O((nodes + edges) × passes) time; about 40 bytes per node and 8 per
    ///   strong edge while building, 13 per node kept.
    public init(graph: HeapSnapshot) {
        self.init(graph: graph, rules: RetentionRules(for: graph))
    }

    /// The tree by the given rules (``RetentionRules/init(for:)`` picks them by source).
    /// - Complexity: as ``init(graph:)``; DevTools' rules add a pass for the page-owned
    ///   nodes and one for the shallow sizes: about 15 bytes per node more while building,
    ///   8 of them (the shallow sizes) kept.
    public init(graph: HeapSnapshot, rules: RetentionRules) {
        switch rules {
        case .heapGraph: self.init(heapGraph: graph, strong: StrongEdges(graph: graph))
        case .devTools: self.init(devToolsGraph: graph)
        }
    }

    /// The tree by HeapGraph's rules over the given strong edges, or by DevTools' rules for
    /// a V8 graph (which counts its own edges, not `strong`).
    init(graph: HeapSnapshot, strong: StrongEdges) {
        if RetentionRules(for: graph) == .devTools {
            self.init(devToolsGraph: graph)
        } else {
            self.init(heapGraph: graph, strong: strong)
        }
    }

    private init(idoms: [Int32], retained: [Int], order: [Int32], shallow: [Int]?, rules: RetentionRules, reachable: [Bool]) {
        self.idoms = idoms
        self.reachable = reachable
        self.retained = retained
        self.reversePostorder = order.reversed()
        self.shallow = shallow
        self.rules = rules
    }

    /// HeapGraph's tree (``RetentionRules/heapGraph``) over the given strong edges.
    private init(heapGraph graph: HeapSnapshot, strong: StrongEdges) {
        let count = graph.nodeCount
        // 1. Depth-first search from the super-root, numbering nodes in postorder. The
        //    super-root's children are the roots, then each node still unvisited.
        var numbering = PostorderNumbering(count: count)
        var fromSuperRoot = [Bool](repeating: false, count: count)
        // Every root hangs from the super-root, even one found first from another root.
        for node in 0..<count where graph.isRoot(node) { fromSuperRoot[node] = true }
        for node in 0..<count where graph.isRoot(node) && !numbering.isEntered(node) {
            numbering.search(from: node, over: strong)
        }
        let reachable = numbering.entered
        for node in 0..<count where !numbering.isEntered(node) {
            fromSuperRoot[node] = true
            numbering.search(from: node, over: strong)
        }
        let solved = Self.solve(numbering: numbering, reverse: strong.reversed(), size: graph.shallowSize(of:)) { node in
            fromSuperRoot[node] ? .superRoot : nil
        }
        self.init(idoms: solved.idoms, retained: solved.retained, order: numbering.order, shallow: nil, rules: .heapGraph,
                  reachable: reachable)
    }

    /// DevTools' tree (``RetentionRules/devTools``). Its Lengauer–Tarjan search starts at
    /// the root, then starts again from each node with no essential retainer, as if the root
    /// had one more edge to it; what is still unvisited (rings that hold only each other)
    /// hangs from the root one node at a time, its own edges unused. The same graph —
    /// essential edges, those extra root edges, minus the edges out of the nodes hung one
    /// at a time — goes through Cooper–Harvey–Kennedy here, which gives the same tree:
    /// a node's dominators do not depend on the algorithm.
    init(devToolsGraph graph: HeapSnapshot) {
        var heap = DevToolsHeap(graph: graph)
        let essential = StrongEdges(devToolsEssentialEdgesOf: &heap)
        let count = graph.nodeCount
        var numbering = PostorderNumbering(count: count)
        var fromRoot = [Bool](repeating: false, count: count)   // an extra edge from the root
        var alone = [Bool](repeating: false, count: count)      // hung one by one
        var reachable = [Bool](repeating: false, count: count)  // from the root over essential edges
        let reverse = essential.reversed()
        if count > 0 {
            // The root stays open (its postorder number last) while the rest hangs from it.
            numbering.search(from: heap.root, over: essential, keepingStartOpen: true)
            reachable = numbering.entered
            for node in 0..<count where !numbering.isEntered(node) && reverse.start[node] == reverse.start[node + 1] {
                fromRoot[node] = true
                numbering.search(from: node, over: essential)
            }
            for node in 0..<count where !numbering.isEntered(node) {
                fromRoot[node] = true
                alone[node] = true
                numbering.enterLeaf(node)
            }
            numbering.finish(heap.root)
        }
        let sizes = heap.shallowSizes()
        let root = heap.root
        let solved = Self.solve(numbering: numbering, reverse: reverse, size: { sizes[$0] }, ignoringSources: alone) { node in
            if node == root { return .superRoot }
            return fromRoot[node] ? .node(root) : nil
        }
        self.init(idoms: solved.idoms, retained: solved.retained, order: numbering.order, shallow: sizes, rules: .devTools,
                  reachable: reachable)
    }

    /// An extra predecessor a node has beside its edges.
    enum ExtraPredecessor { case superRoot, node(Int) }

    /// Steps 2 to 4, for any numbering: predecessors, Cooper–Harvey–Kennedy, retained sizes.
    /// `reverse` is the edges reversed (each node's predecessors); `ignoringSources` marks
    /// nodes whose edges do not count as anyone's predecessors.
    static func solve(numbering: PostorderNumbering, reverse: StrongEdges, size: (Int) -> Int, ignoringSources ignored: [Bool] = [],
                      extra: (Int) -> ExtraPredecessor?) -> (idoms: [Int32], retained: [Int]) {
        let count = numbering.order.count
        let order = numbering.order, postorder = numbering.postorder
        let superRoot = Int32(count)      // its postorder number: it finishes last

        // 2. Predecessors in postorder numbers, so the passes below read flat arrays.
        var predecessorStart = [UInt32](repeating: 0, count: count + 1)
        var predecessors: [Int32] = []
        predecessors.reserveCapacity(reverse.targets.count + count)
        for number in 0..<count {
            predecessorStart[number] = UInt32(predecessors.count)
            let node = Int(order[number])
            switch extra(node) {
            case .superRoot: predecessors.append(superRoot)
            case .node(let other): predecessors.append(postorder[other])
            case nil: break
            }
            for index in Int(reverse.start[node])..<Int(reverse.start[node + 1]) {
                let source = Int(reverse.targets[index])
                if !ignored.isEmpty && ignored[source] { continue }
                predecessors.append(postorder[source])
            }
        }
        predecessorStart[count] = UInt32(predecessors.count)

        // 3. Cooper–Harvey–Kennedy: idom by postorder number, -1 = not yet known.
        var idom = [Int32](repeating: -1, count: count + 1)
        idom[count] = superRoot
        var changed = true
        while changed {
            changed = false
            for number in stride(from: count - 1, through: 0, by: -1) {   // reverse postorder
                var newIdom: Int32 = -1
                for index in Int(predecessorStart[number])..<Int(predecessorStart[number + 1]) {
                    var other = predecessors[index]
                    guard idom[Int(other)] >= 0 else { continue }
                    if newIdom < 0 { newIdom = other; continue }
                    // Intersect: climb the two fingers until they meet; a dominator has a
                    // higher postorder number than what it dominates.
                    var finger = newIdom
                    while finger != other {
                        while finger < other { finger = idom[Int(finger)] }
                        while other < finger { other = idom[Int(other)] }
                    }
                    newIdom = finger
                }
                if idom[number] != newIdom {
                    idom[number] = newIdom
                    changed = true
                }
            }
        }

        // 4. Retained sizes: children finish before their dominators, so one pass in
        //    postorder adds each node's total into its dominator's.
        var retainedByNumber = [Int](repeating: 0, count: count + 1)
        for number in 0..<count {
            retainedByNumber[number] += size(Int(order[number]))
            retainedByNumber[Int(idom[number])] += retainedByNumber[number]
        }
        var idoms = [Int32](repeating: -1, count: count)
        var retained = [Int](repeating: 0, count: count)
        for number in 0..<count {
            let node = Int(order[number])
            let dominator = idom[number]
            idoms[node] = dominator == superRoot ? -1 : order[Int(dominator)]
            retained[node] = retainedByNumber[number]
        }
        return (idoms, retained)
    }

    /// The node's immediate dominator, or nil when it is the virtual super-root (the node is
    /// a root, or is reached first from nowhere else).
    public func immediateDominator(of node: Int) -> Int? {
        idoms[node] < 0 ? nil : Int(idoms[node])
    }

    /// Whether a root reaches the node over strong edges; false for garbage.
    public func isReachable(_ node: Int) -> Bool { reachable[node] }

    /// Shallow size of the node and of everything it dominates.
    public func retainedSize(of node: Int) -> Int { retained[node] }

    /// The node's shallow size as the tree counted it: the graph's, or by DevTools' rules
    /// DevTools' (with the `hidden` and `array` nodes it alone owns).
    public func shallowSize(of node: Int, in graph: HeapSnapshot) -> Int {
        shallow?[node] ?? graph.shallowSize(of: node)
    }

    /// The nodes with the largest retained sizes, largest first (ties by ordinal); the
    /// super-root is not a node and is never listed.
    /// - Complexity: O(nodes × log limit).
    public func topRetainers(limit: Int) -> [(node: Int, retainedSize: Int)] {
        guard limit > 0 else { return [] }
        // A sorted window of the best `limit` so far; most nodes fail the first comparison.
        var best: [(node: Int, retainedSize: Int)] = []
        best.reserveCapacity(limit + 1)
        for node in 0..<retained.count {
            let size = retained[node]
            if best.count == limit, let last = best.last, size <= last.retainedSize { continue }
            var low = 0, high = best.count
            while low < high {
                let middle = (low + high) / 2
                if best[middle].retainedSize >= size { low = middle + 1 } else { high = middle }
            }
            best.insert((node, size), at: low)
            if best.count > limit { best.removeLast() }
        }
        return best
    }
}

extension DominatorTree {
    /// Per node: whether it is one of `owners` or dominated by one, that is, kept alive by
    /// them alone. One pass in reverse postorder, where a dominator comes before the nodes
    /// it dominates.
    /// - Complexity: O(nodes).
    func claims(_ owners: [Int]) -> [Bool] {
        var claimed = [Bool](repeating: false, count: idoms.count)
        guard !owners.isEmpty else { return claimed }
        for owner in owners { claimed[owner] = true }
        for node in reversePostorder {
            let dominator = idoms[Int(node)]
            if dominator >= 0, claimed[Int(dominator)] { claimed[Int(node)] = true }
        }
        return claimed
    }
}
