/// One row of ``GrowthTracker/growth(in:limit:style:scope:filter:)``: a type, how many
/// objects it has now, and how far that is above its previous peak.
public struct GrowthRow: Sendable, Hashable {
    public var name: String
    public var count: Int
    public var delta: Int

    public init(name: String, count: Int, delta: Int) {
        self.name = name
        self.count = count
        self.delta = delta
    }
}
