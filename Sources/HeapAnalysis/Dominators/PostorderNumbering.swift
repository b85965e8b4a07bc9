/// Depth-first searches over a set of edges, numbering nodes in postorder (a node gets its
/// number when everything it leads to has one), on an explicit stack.
struct PostorderNumbering {
    /// Node → postorder number, -1 until numbered.
    private(set) var postorder: [Int32]
    /// Postorder number → node.
    private(set) var order: [Int32] = []
    /// Whether each node has been entered (by any search so far).
    private(set) var entered: [Bool]
    private var stack: [(node: Int32, cursor: UInt32)] = []

    init(count: Int) {
        postorder = [Int32](repeating: -1, count: count)
        order.reserveCapacity(count)
        entered = [Bool](repeating: false, count: count)
    }

    func isEntered(_ node: Int) -> Bool { entered[node] }

    /// Searches from `start`; with `keepingStartOpen`, `start` gets no number yet (``finish(_:)``
    /// gives it one), so nodes searched afterwards still number below it.
    /// - Complexity: O(nodes and edges reached).
    mutating func search(from start: Int, over edges: StrongEdges, keepingStartOpen: Bool = false) {
        entered[start] = true
        stack.append((Int32(start), edges.start[start]))
        while let top = stack.last {
            let node = Int(top.node)
            if top.cursor < edges.start[node + 1] {
                stack[stack.count - 1].cursor += 1
                let target = Int(edges.targets[Int(top.cursor)])
                if !entered[target] {
                    entered[target] = true
                    stack.append((Int32(target), edges.start[target]))
                }
            } else {
                stack.removeLast()
                if keepingStartOpen && node == start { return }
                number(node)
            }
        }
    }

    /// Numbers `node` at once, without following its edges.
    mutating func enterLeaf(_ node: Int) {
        entered[node] = true
        number(node)
    }

    /// Numbers a start that ``search(from:over:keepingStartOpen:)`` left open.
    mutating func finish(_ node: Int) { number(node) }

    private mutating func number(_ node: Int) {
        postorder[node] = Int32(order.count)
        order.append(Int32(node))
    }
}
