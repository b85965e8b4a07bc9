/// One type across a series of snapshots: how many objects of it, and their bytes.
public struct TypeGrowthRow: Sendable, Hashable {
    /// The type name (a class name for instances).
    public var name: String
    /// Objects of the type in each snapshot, oldest first.
    public var counts: [Int]
    /// Their total shallow size in each snapshot.
    public var bytes: [Int]

    public init(name: String, counts: [Int], bytes: [Int]) {
        self.name = name
        self.counts = counts
        self.bytes = bytes
    }

    /// Last count minus first (negative for a type that shrank).
    public var change: Int { (counts.last ?? 0) - (counts.first ?? 0) }
    /// Last bytes minus first.
    public var bytesChange: Int { (bytes.last ?? 0) - (bytes.first ?? 0) }

    /// Whether the count went up between every two consecutive snapshots.
    public var grewEveryStep: Bool {
        counts.count >= 2 && zip(counts, counts.dropFirst()).allSatisfy { $0 < $1 }
    }
}
