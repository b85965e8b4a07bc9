/// Whether a leak check runs a full collection before it looks at the heap.
public enum CollectionPolicy: Sendable, Hashable {
    /// Collect when the heap's collector is enabled. With the collector off, cycles the body
    /// dropped stay as cyclic garbage and fail the check, as they would leak in production.
    case whenEnabled
    /// Always collect first (`gc.collect()` works with the collector off, as in CPython).
    case always
    /// Never collect: cycles not collected yet are reported as cyclic garbage.
    case never
}
