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
    /// Nodes in reverse postorder of the search (a dominator comes before what it dominates).
    let reversePostorder: [Int32]

    /// - Complexity: O((nodes + edges) × passes) time; about 40 bytes per node and 8 per
    ///   strong edge while building, 12 per node kept.
    public init(graph: HeapSnapshot) {
        self.init(graph: graph, strong: StrongEdges(graph: graph))
    }

    init(graph: HeapSnapshot, strong: StrongEdges) {
        let count = graph.nodeCount
        // 1. Depth-first search from the super-root, numbering nodes in postorder. The
        //    super-root's children are the roots, then each node still unvisited.
        var postorder = [Int32](repeating: -1, count: count)   // node → postorder number
        var order: [Int32] = []                                 // postorder number → node
        order.reserveCapacity(count)
        var entered = [Bool](repeating: false, count: count)
        var fromSuperRoot = [Bool](repeating: false, count: count)
        var stack: [(node: Int32, cursor: UInt32)] = []
        func search(from start: Int) {
            entered[start] = true
            fromSuperRoot[start] = true
            stack.append((Int32(start), strong.start[start]))
            while let top = stack.last {
                let node = Int(top.node)
                if top.cursor < strong.start[node + 1] {
                    stack[stack.count - 1].cursor += 1
                    let target = Int(strong.targets[Int(top.cursor)])
                    if !entered[target] {
                        entered[target] = true
                        stack.append((Int32(target), strong.start[target]))
                    }
                } else {
                    stack.removeLast()
                    postorder[node] = Int32(order.count)
                    order.append(Int32(node))
                }
            }
        }
        // Every root hangs from the super-root, even one found first from another root.
        for node in 0..<count where graph.isRoot(node) { fromSuperRoot[node] = true }
        for node in 0..<count where graph.isRoot(node) && !entered[node] { search(from: node) }
        for node in 0..<count where !entered[node] { search(from: node) }
        let superRoot = Int32(count)      // its postorder number: it finishes last

        // 2. Predecessors in postorder numbers, so the passes below read flat arrays.
        let reverse = strong.reversed()
        var predecessorStart = [UInt32](repeating: 0, count: count + 1)
        var predecessors: [Int32] = []
        predecessors.reserveCapacity(reverse.targets.count + count)
        for number in 0..<count {
            predecessorStart[number] = UInt32(predecessors.count)
            let node = Int(order[number])
            if fromSuperRoot[node] { predecessors.append(superRoot) }
            for index in Int(reverse.start[node])..<Int(reverse.start[node + 1]) {
                predecessors.append(postorder[Int(reverse.targets[index])])
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
            retainedByNumber[number] += graph.shallowSize(of: Int(order[number]))
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
        self.idoms = idoms
        self.retained = retained
        self.reversePostorder = order.reversed()
    }

    /// The node's immediate dominator, or nil when it is the virtual super-root (the node is
    /// a root, or is reached first from nowhere else).
    public func immediateDominator(of node: Int) -> Int? {
        idoms[node] < 0 ? nil : Int(idoms[node])
    }

    /// Shallow size of the node and of everything it dominates.
    public func retainedSize(of node: Int) -> Int { retained[node] }

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
