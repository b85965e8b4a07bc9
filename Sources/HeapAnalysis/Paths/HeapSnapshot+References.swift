import HeapGraphModel

extension HeapSnapshot {
    /// The first strong edge from `source` to `target`: the one a leak trace follows.
    func strongEdge(from source: Int, to target: Int) -> Edge? {
        edges(of: source).first { $0.target == target && !$0.isWeak }
    }

    /// A reference as leak traces and cycles write it: `Node.next`, `list[3]`,
    /// `dict['key']`, `dict(key)`, `weakref.referent`; `set (item)` when the edge has no
    /// name.
    static func referenceText(type: String, label: String) -> String {
        if label.isEmpty { return type + " (item)" }
        if label.hasPrefix("[") || label.hasPrefix("(") { return type + label }
        return type + "." + label
    }

    /// An edge's label with list and tuple indexes written `[x]`, as LeakCanary normalises
    /// array indexes in its fingerprints: one leak stored at index 3 or at index 7 is the
    /// same leak.
    func normalizedLabelText(_ edge: Edge) -> String {
        edge.kind == .index ? "[x]" : labelText(edge)
    }
}
