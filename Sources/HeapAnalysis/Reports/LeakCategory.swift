/// The kinds of leak a ``LeakReport`` finds, in order of precedence: an object that fits
/// several belongs to the first (an uncollectable cycle's watched member is counted there,
/// not again as watched), and its group lists the others in ``LeakGroup/alsoFits``.
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
    /// memlab's three-snapshot method: objects allocated between the baseline and the target
    /// snapshots (in the target, not in the baseline) that are still alive in the final one,
    /// grouped by leak trace.
    case survivors
    /// Types that grew at every step since the baseline snapshots.
    case growth

    /// One line saying what the category means, for reports and SARIF rules.
    public var summary: String {
        switch self {
        case .uncollectable: "Uncollectable cycles kept in gc.garbage (legacy finalizers)"
        case .cyclicGarbage: "Unreachable reference cycles not yet collected"
        case .watched: "Objects expected to be freed that are still alive"
        case .survivors: "Objects allocated between the baseline and the target that are still alive"
        case .growth: "Types whose object count grew at every snapshot"
        }
    }
}
