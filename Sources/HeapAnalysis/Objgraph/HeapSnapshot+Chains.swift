import HeapGraphModel

extension HeapSnapshot {
    /// objgraph's `find_ref_chain(obj, predicate)`: the shortest chain of strong references
    /// from `start` to a node `predicate` accepts, as `[start, …, match]`; `[start]` when no
    /// such node is within `maxDepth` references (or when `start` itself matches).
    ///
    /// Breadth-first, so the chain is a shortest one; nodes in `ignoring` are never entered.
    /// Weak edges are not followed: they do not keep their target alive.
    /// - Complexity: O(nodes + edges) time in the worst case, 4 bytes per node.
    public func findRefChain(from start: Int, maxDepth: Int = 20, ignoring: Set<Int> = [],
                             where predicate: (Int) -> Bool) -> [Int] {
        let found = shortestChain(from: start, maxDepth: maxDepth, ignoring: ignoring, predicate: predicate) { node, visit in
            for edge in self.edges(of: node) where !edge.isWeak { visit(edge.target, { true }) }
        }
        return found.reversed()
    }

    /// objgraph's `find_backref_chain(obj, predicate)`: the shortest chain of strong
    /// references from a node `predicate` accepts down to `target`, as `[match, …, target]`;
    /// `[target]` when none is within `maxDepth` references back (or `target` matches).
    ///
    /// With no predicate it stops at a root, an object the host program holds (`isRoot(_:)`),
    /// which answers "who keeps this alive?". Only strong edges are followed, backwards over
    /// `referrers(of:)`: a weak reference does not keep its referent alive, so a chain
    /// through one would explain nothing. Nodes in `ignoring` are never entered.
    /// - Complexity: O(nodes + edges) time in the worst case (each referrer's edges are
    ///   scanned once, when it is first reached, to tell strong from weak), 4 bytes per node.
    public func findBackrefChain(to target: Int, maxDepth: Int = 20, ignoring: Set<Int> = [],
                                 where predicate: ((Int) -> Bool)? = nil) -> [Int] {
        let accepts = predicate ?? { self.isRoot($0) }
        return shortestChain(from: target, maxDepth: maxDepth, ignoring: ignoring, predicate: accepts) { node, visit in
            for referrer in self.referrers(of: node) {
                visit(referrer, { self.edges(of: referrer).contains { $0.target == node && !$0.isWeak } })
            }
        }
    }

    /// Breadth-first search from `start` over `neighbours` for a node `predicate` accepts;
    /// returns `[match, parent of match, …, start]`, or `[start]`.
    ///
    /// Parents live in one `Int32` array (-1 unseen, -2 ignored), so the search allocates
    /// nothing per node; levels are walked one at a time to know each node's depth without
    /// storing it. `neighbours` calls `visit(node, isUsable)` for each neighbour; `isUsable`
    /// is asked only for unseen nodes, so a costly check runs once per node reached.
    private func shortestChain(from start: Int, maxDepth: Int, ignoring: Set<Int>, predicate: (Int) -> Bool,
                               neighbours: (Int, (Int, () -> Bool) -> Void) -> Void) -> [Int] {
        var parent = [Int32](repeating: -1, count: nodeCount)
        for node in ignoring where node >= 0 && node < nodeCount && node != start { parent[node] = -2 }
        parent[start] = Int32(start)
        var level = [start]
        var next: [Int] = []
        var depth = 0
        while !level.isEmpty {
            for node in level {
                if predicate(node) { return chain(endingAt: node, parents: parent) }
                guard depth < maxDepth else { continue }
                neighbours(node) { neighbour, isUsable in
                    guard parent[neighbour] == -1, isUsable() else { return }
                    parent[neighbour] = Int32(node)
                    next.append(neighbour)
                }
            }
            swap(&level, &next)
            next.removeAll(keepingCapacity: true)
            depth += 1
        }
        return [start]
    }

    private func chain(endingAt match: Int, parents: [Int32]) -> [Int] {
        var chain = [match]
        var node = match
        while Int(parents[node]) != node {
            node = Int(parents[node])
            chain.append(node)
        }
        return chain
    }
}
