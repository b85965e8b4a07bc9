import HeapGraphModel

extension HeapSnapshot {
    /// objgraph's `show_refs`: DOT of what `starts` refer to, breadth-first to
    /// `options.maxDepth` references (see ``DOTOptions`` and docs/objgraph.md).
    /// - Complexity: O(edges of the drawn nodes); at most `options.maxNodes` nodes are drawn.
    public func showRefs(_ starts: [Int], options: DOTOptions = DOTOptions()) -> ObjectGraphDOT {
        ObjectGraphDOTWriter(graph: self, options: options, direction: .references).draw(starts)
    }

    /// objgraph's `show_backrefs`: DOT of what refers to `starts`, breadth-first backwards to
    /// `options.maxDepth` references. Weak references are drawn (dashed): they explain why an
    /// object is reachable, not why it is alive.
    /// - Complexity: O(incoming edges of the drawn nodes + outgoing edges of the drawn
    ///   referrers).
    public func showBackrefs(_ starts: [Int], options: DOTOptions = DOTOptions()) -> ObjectGraphDOT {
        ObjectGraphDOTWriter(graph: self, options: options, direction: .referrers).draw(starts)
    }

    /// objgraph's `show_chain`: draws chains from ``findBackrefChain(to:maxDepth:ignoring:where:)``
    /// (`backrefs: true`, drawn from each chain's last node backwards) or
    /// ``findRefChain(from:maxDepth:ignoring:where:)`` (`backrefs: false`, from each first
    /// node). As objgraph does, it sets the depth to the longest chain and keeps only nodes
    /// on a chain; a filter in `options` further narrows that.
    public func showChain(_ chains: [[Int]], backrefs: Bool = true, options: DOTOptions = DOTOptions()) -> ObjectGraphDOT {
        let chains = chains.filter { !$0.isEmpty }
        let onChain = Set(chains.joined())
        var options = options
        options.maxDepth = (chains.map(\.count).max() ?? 1) - 1
        let userFilter = options.filter
        options.filter = { node in onChain.contains(node) && (userFilter?(node) ?? true) }
        if backrefs {
            return showBackrefs(chains.compactMap(\.last), options: options)
        }
        return showRefs(chains.compactMap(\.first), options: options)
    }
}
