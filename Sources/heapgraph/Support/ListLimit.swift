import ArgumentParser
import HeapAnalysis

/// `--limit N`, shared by every command that lists things (summary, growth, dominators,
/// objects, refs, show): at most N rows, items or objects; 0 lists them all.
struct ListLimit: ParsableArguments {
    // .unconditional: `--limit -1` is a (bad) value, not an unknown option named -1.
    @Option(parsing: .unconditional, help: "How many to list (0: all).")
    var limit = 10

    func validate() throws {
        guard limit >= 0 else { throw ValidationError("--limit must be 0 or more (0 lists everything)") }
    }

    /// The limit, nil for all.
    var count: Int? { limit == 0 ? nil : limit }

    /// The first `limit` elements of `items`.
    func prefix<C: Collection>(_ items: C) -> C.SubSequence { items.prefix(count ?? Int.max) }

    /// "… and 12 more (--limit 0 lists all)" when `total` exceeds what was shown, else nil.
    func moreLine(shown: Int, total: Int, noun: String) -> String? {
        guard total > shown else { return nil }
        return "… and \(ReportStyle.count(total - shown)) more \(noun) (--limit 0 lists all)"
    }
}
