import HeapGraphModel

extension HeapSnapshot {
    /// One object as every command names it on a terminal: its type (``ReportStyle/typeName(_:)``),
    /// its id, and objgraph's short label when it says more than the type does —
    /// `list @12 (4 items)`, `str @5 ('cache')`, `type @3 (app.Session)`, `app.Holder @7`.
    /// - Complexity: O(outgoing edges) for dicts, O(1) otherwise.
    public func describe(_ node: Int) -> String {
        let head = "\(ReportStyle.typeName(typeName(of: node))) \(ReportStyle.objectID(id(of: node)))"
        guard let label = informativeLabel(of: node) else { return head }
        return "\(head) (\(label))"
    }

    /// The short label (``shortLabel(of:)``) unless it is the default
    /// `<Type object at 0x…>` of an instance, which repeats the type and the id.
    public func informativeLabel(of node: Int) -> String? {
        if let count = itemCount(of: node) { return "\(count) items" }
        return valueLabel(of: node)
    }

    /// What a node is, in words, as `heapgraph show` and the explorer list it: `root (2
    /// external references)`, then its flags (`tracked`, `finalized`, `has a finalizer`,
    /// `legacy finalizer`, `in gc.garbage`, `watched`, `weak reference`, `immortal`), then
    /// `generation N` where the snapshot records one.
    public func flagNames(of node: Int) -> [String] {
        let flags = flags(of: node)
        var names: [String] = []
        if isRoot(node) { names.append("root (\(externalCount(of: node)) external references)") }
        let known: [(NodeFlags, String)] = [(.tracked, "tracked"), (.finalized, "finalized"), (.hasFinalizer, "has a finalizer"),
                                            (.legacyFinalizer, "legacy finalizer"), (.inGarbage, "in gc.garbage"),
                                            (.watched, "watched"), (.weakReference, "weak reference"), (.immortal, "immortal")]
        for (flag, name) in known where flags.contains(flag) { names.append(name) }
        if let generation = generation(of: node) { names.append("generation \(generation)") }
        return names
    }
}
