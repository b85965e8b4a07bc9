import HeapGraphModel

extension HeapSnapshot {
    /// The picture of one leak group: its leak trace drawn as a back-reference chain when it
    /// has one (watched objects, growth suspects, uncollectable cycles), otherwise its
    /// example leak's objects and the references between them (a cycle of garbage).
    /// - Complexity: O(the example's nodes and their edges).
    public func showLeak(_ group: LeakGroup) -> ObjectGraphDOT {
        if let trace = group.trace, trace.steps.count > 1 {
            return showChain([trace.steps.map(\.node)], backrefs: true)
        }
        let members = Set(group.exampleNodes)
        var options = DOTOptions()
        options.maxDepth = max(1, members.count)
        options.filter = { members.contains($0) }
        return showRefs(Array(group.exampleNodes.prefix(1)), options: options)
    }
}
