import HeapGraphModel

/// objgraph's `show_most_common_types` text: one line per row, `'%-*s %i'` with the width
/// of the longest name.
///
/// ```
/// Node  1000
/// dict   998
/// ```
public enum MostCommonTypesTable {
    /// The table, each line ending in a newline.
    /// - Throws: ``ObjgraphTableError/noRows`` for an empty list, where objgraph raises.
    public static func format(_ rows: [TypeCount]) throws(ObjgraphTableError) -> String {
        guard !rows.isEmpty else { throw .noRows }
        let width = TableText.width(of: rows.lazy.map(\.name))
        var text = ""
        for row in rows { text += TableText.leftAligned(row.name, width: width) + " \(row.count)\n" }
        return text
    }
}

extension HeapSnapshot {
    /// objgraph's `show_most_common_types` text for `rows` (see ``MostCommonTypesTable``).
    public static func formatMostCommonTypes(_ rows: [TypeCount]) throws(ObjgraphTableError) -> String {
        try MostCommonTypesTable.format(rows)
    }
}
