import HeapGraphModel

/// objgraph's `growth` and `show_growth`: which types have more objects than ever before.
///
/// Peak semantics, as objgraph's: each type's peak count is remembered; a call reports only
/// the types now above their peak, by how much, and raises those peaks. Peaks never fall,
/// so a type that shrinks and regrows to its old peak is not reported again.
///
/// objgraph runs `gc.collect()` first; a snapshot is what it is, so take it after a
/// collection (`heap.gc.collect()`) to compare the same things.
///
/// ```swift
/// var tracker = GrowthTracker()
/// _ = tracker.growth(in: before)
/// print(GrowthTracker.format(tracker.growth(in: after)), terminator: "")
/// // Node          1000     +1000
/// ```
public struct GrowthTracker: Sendable {
    /// The highest count seen for each type name (objgraph's `peak_stats`).
    public var peakStats: [String: Int]

    public init(peakStats: [String: Int] = [:]) {
        self.peakStats = peakStats
    }

    /// The types above their peak, largest increase first (ties by name), at most `limit`
    /// rows (nil or 0: all); raises their peaks.
    /// - Complexity: O(nodes) for the counts (see ``HeapGraphModel/HeapSnapshot/typeStats(style:scope:filter:)``).
    public mutating func growth(in graph: HeapSnapshot, limit: Int? = 10, style: TypeNameStyle = .short,
                                scope: ObjectScope = .tracked, filter: ((Int) -> Bool)? = nil) -> [GrowthRow] {
        var rows: [GrowthRow] = []
        for (name, count) in graph.typeStats(style: style, scope: scope, filter: filter) {
            let peak = peakStats[name, default: 0]
            guard count > peak else { continue }
            rows.append(GrowthRow(name: name, count: count, delta: count - peak))
            peakStats[name] = count
        }
        rows.sort { $0.delta != $1.delta ? $0.delta > $1.delta : $0.name < $1.name }
        guard let limit, limit > 0 else { return rows }
        return Array(rows.prefix(limit))
    }

    /// objgraph's `show_growth` text: `'%-*s%9d %+9d'` per row with the width of the longest
    /// name; "" when nothing grew (objgraph prints nothing).
    public static func format(_ rows: [GrowthRow]) -> String {
        let width = TableText.width(of: rows.lazy.map(\.name))
        var text = ""
        for row in rows {
            text += TableText.leftAligned(row.name, width: width) + TableText.rightAligned("\(row.count)", width: 9)
                + " " + TableText.signed(row.delta, width: 9) + "\n"
        }
        return text
    }
}
