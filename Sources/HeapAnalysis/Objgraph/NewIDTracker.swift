import HeapGraphModel

/// objgraph's `get_new_ids`: the ids of objects that appeared since the previous call.
///
/// Each ``update(with:style:scope:)`` makes the previous "current" ids the "old" ones, reads
/// the graph's ids by type, and keeps those not seen before as ``newIDs``. objgraph keeps
/// this state in a hidden default argument; here it is a value you own.
///
/// ```swift
/// var tracker = NewIDTracker()
/// tracker.update(with: before)
/// let fresh = tracker.update(with: after)["Node"] ?? []   // ids of the new Nodes
/// print(NewIDTracker.format(tracker.rows(limit: 3)), terminator: "")
/// ```
public struct NewIDTracker: Sendable {
    /// The ids new in the last update, by type name (objgraph's return value;
    /// `skip_update=True` is reading this property).
    public private(set) var newIDs: [String: Set<UInt64>] = [:]
    /// The naming style; remembered between updates, as objgraph's `shortnames=None` does.
    public var style: TypeNameStyle
    private var oldIDs: [String: Set<UInt64>] = [:]
    private var currentIDs: [String: Set<UInt64>] = [:]
    private var lastRows: [NewIDRow] = []

    public init(style: TypeNameStyle = .short) {
        self.style = style
    }

    /// Takes the graph as the new current state and returns the ids new since the last
    /// update (every id, the first time). `style` nil keeps the remembered style.
    /// - Complexity: O(nodes) set insertions.
    @discardableResult
    public mutating func update(with graph: HeapSnapshot, style: TypeNameStyle? = nil,
                                scope: ObjectScope = .tracked) -> [String: Set<UInt64>] {
        if let style { self.style = style }
        oldIDs = currentIDs
        currentIDs = Self.idsByType(in: graph, style: self.style, scope: scope)
        newIDs = [:]
        lastRows = []
        for name in Set(oldIDs.keys).union(currentIDs.keys) {
            let old = oldIDs[name] ?? [], current = currentIDs[name] ?? []
            if old.isEmpty && current.isEmpty { continue }
            let fresh = current.subtracting(old)
            newIDs[name] = fresh
            lastRows.append(NewIDRow(name: name, oldCount: old.count, currentCount: current.count,
                                     newCount: fresh.count, delta: current.count - old.count))
        }
        return newIDs
    }

    /// The last update's rows sorted by `key`, largest first, ties by name in reverse (as
    /// objgraph sorts); at most `limit` rows (nil: all, 0: none, as objgraph prints none).
    public func rows(limit: Int? = 10, sortedBy key: NewIDSortKey = .deltas) -> [NewIDRow] {
        func value(_ row: NewIDRow) -> Int {
            switch key {
            case .old: return row.oldCount
            case .current: return row.currentCount
            case .new: return row.newCount
            case .deltas: return row.delta
            }
        }
        let sorted = lastRows.sorted { value($0) != value($1) ? value($0) > value($1) : $0.name > $1.name }
        guard let limit else { return sorted }
        return Array(sorted.prefix(max(0, limit)))
    }

    /// objgraph's `get_new_ids` table; "" for no rows (objgraph prints nothing).
    ///
    /// ```
    /// ======================================================================
    /// Type                    Old_ids  Current_ids      New_ids Count_Deltas
    /// ======================================================================
    /// list                        320          331          +11          +11
    /// ======================================================================
    /// ```
    public static func format(_ rows: [NewIDRow]) -> String {
        guard !rows.isEmpty else { return "" }
        let width = TableText.width(of: rows.lazy.map(\.name))
        let rule = String(repeating: "=", count: width + 13 * 4) + "\n"
        var text = rule + TableText.leftAligned("Type", width: width)
        for title in ["Old_ids", "Current_ids", "New_ids", "Count_Deltas"] { text += TableText.rightAligned(title, width: 13) }
        text += "\n" + rule
        for row in rows {
            text += TableText.leftAligned(row.name, width: width)
                + TableText.rightAligned("\(row.oldCount)", width: 13) + TableText.rightAligned("\(row.currentCount)", width: 13)
                + TableText.signed(row.newCount, width: 13) + TableText.signed(row.delta, width: 13) + "\n"
        }
        return text + rule
    }

    /// Ids grouped by type-string index first (no string hashing per node), then by styled name.
    private static func idsByType(in graph: HeapSnapshot, style: TypeNameStyle, scope: ObjectScope) -> [String: Set<UInt64>] {
        var byIndex: [Int: [UInt64]] = [:]
        for node in 0..<graph.nodeCount where graph.isIn(scope, node) {
            byIndex[graph.typeIndex(of: node), default: []].append(graph.id(of: node))
        }
        var byName: [String: Set<UInt64>] = [:]
        for (index, ids) in byIndex {
            byName[HeapSnapshot.styledTypeName(graph.strings[index], style: style), default: []].formUnion(ids)
        }
        return byName
    }
}
