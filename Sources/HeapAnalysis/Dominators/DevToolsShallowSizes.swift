import HeapGraphModel

extension DevToolsHeap {
    /// DevTools' shallow sizes (`calculateShallowSizes`): a V8 `hidden` or `array` node that
    /// exactly one other object owns gives that owner its `self_size` and keeps 0, so an
    /// object's shallow size includes its backing stores (a JS array's elements, a Map's
    /// table). A node owns another when a path of non-weak edges leads from it to the other
    /// through `hidden` and `array` nodes only. Nothing moves to the root or to synthetic
    /// nodes, and nothing moves at all when the root has no user roots (a snapshot taken
    /// with "expose internals", which DevTools shows as it is).
    ///
    /// The owners are a fixed point: each node starts owned by itself (objects) or by
    /// nobody yet (`hidden`, `array`); a worklist hands each owner on along the edges, and a
    /// node reached from two owners is marked as having many. A node enters the worklist at
    /// most twice (nobody → one owner → many), so it ends.
    /// - Complexity: O(nodes + edges) time, 4 bytes per node for the owners.
    func shallowSizes() -> [Int] {
        let count = graph.nodeCount
        var sizes = (0..<count).map { graph.shallowSize(of: $0) }
        guard hasUserRoots else { return sizes }
        let nobody = UInt32.max, many = UInt32.max - 1
        var owners = [UInt32](repeating: nobody, count: count)
        var worklist: [UInt32] = []
        for node in 0..<count where !isHidden(node) && !isArray(node) {
            owners[node] = UInt32(node)
            worklist.append(UInt32(node))
        }
        while let node = worklist.popLast() {
            let owner = owners[Int(node)]
            graph.forEachStrongTarget(of: Int(node)) { target in
                switch owners[target] {
                case nobody:
                    owners[target] = owner
                    worklist.append(UInt32(target))
                case UInt32(target), owner, many:
                    break
                default:
                    owners[target] = many
                    worklist.append(UInt32(target))
                }
            }
        }
        for node in 0..<count {
            let owner = owners[node]
            guard owner != nobody, owner != many, Int(owner) != node else { continue }
            guard Int(owner) != root, graph.kind(of: Int(owner)) != .synthetic else { continue }
            sizes[Int(owner)] += sizes[node]
            sizes[node] = 0
        }
        return sizes
    }
}
