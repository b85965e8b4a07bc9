/// The kinds of leak a ``LeakReport`` finds.
public enum LeakCategory: String, CaseIterable, Sendable, Hashable {
    /// Cycles in `gc.garbage`: the collector found them unreachable but would not free
    /// them (CPython's legacy `__del__` finalizers).
    case uncollectable
    /// Unreachable cycles the collector has not freed yet; with the collector off they
    /// never will be.
    case cyclicGarbage = "cyclic-garbage"
    /// Objects the host said should be dead (`Heap.watch(_:description:)`)
    /// that are still alive.
    case watched
    /// Types that grew at every step since the baseline snapshots.
    case growth

    /// One line saying what the category means, for reports and SARIF rules.
    public var summary: String {
        switch self {
        case .uncollectable: "Uncollectable cycles kept in gc.garbage (legacy finalizers)"
        case .cyclicGarbage: "Unreachable reference cycles not yet collected"
        case .watched: "Objects expected to be freed that are still alive"
        case .growth: "Types whose object count grew at every snapshot"
        }
    }
}
