import HeapGraphModel

extension HeapSnapshot {
    /// objgraph's `get_leaking_objects()`: tracked nodes that no tracked node refers to
    /// through a strong edge.
    ///
    /// objgraph meant these as a hint of reference-counting bugs in C code; here they are
    /// mostly what the host holds directly (roots held by nothing in the heap), plus any
    /// object kept alive by a reference the heap cannot see. Weak edges do not count, as
    /// `gc.get_referents` does not report a weak reference's referent.
    /// - Complexity: O(nodes + edges), two bytes per node.
    public func leakingObjects() -> [Int] {
        let tracked = nodesWithFlags(.tracked)
        var referred = [Bool](repeating: false, count: nodeCount)
        forEachEdge { source, target, isWeak in
            if tracked[source] && !isWeak { referred[target] = true }
        }
        return (0..<nodeCount).filter { tracked[$0] && !referred[$0] }
    }
}
