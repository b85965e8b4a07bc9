/// A leak group a known-leak list accepts, with the entry that matched it.
public struct KnownLeak: Sendable {
    public var group: LeakGroup
    public var entry: KnownLeakEntry

    public init(group: LeakGroup, entry: KnownLeakEntry) {
        self.group = group
        self.entry = entry
    }
}
