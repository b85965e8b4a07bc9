/// One row of objgraph's `get_new_ids` table: for a type, how many ids the previous
/// snapshot had, how many the current one has, how many of those are new, and the change.
public struct NewIDRow: Sendable, Hashable {
    public var name: String
    public var oldCount: Int
    public var currentCount: Int
    public var newCount: Int
    /// `currentCount - oldCount`.
    public var delta: Int

    public init(name: String, oldCount: Int, currentCount: Int, newCount: Int, delta: Int) {
        self.name = name
        self.oldCount = oldCount
        self.currentCount = currentCount
        self.newCount = newCount
        self.delta = delta
    }
}

/// The column ``NewIDTracker/rows(limit:sortedBy:)`` sorts by, descending (objgraph's
/// `sortby`).
public enum NewIDSortKey: Sendable, Hashable {
    case old, current, new, deltas
}
