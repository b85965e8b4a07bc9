import HeapGraphModel

/// Which nodes the objgraph-style counts look at.
public enum ObjectScope: Sendable, Hashable {
    /// Objects the collector tracks: what objgraph sees through `gc.get_objects()`.
    case tracked
    /// Every node of the snapshot, atoms (str, int, …) and untracked tuples and dicts
    /// included, which objgraph cannot see.
    case all
}

extension HeapSnapshot {
    /// Whether `node` is in `scope`.
    func isIn(_ scope: ObjectScope, _ node: Int) -> Bool {
        scope == .all || flags(of: node).contains(.tracked)
    }
}
