extension SnapshotComparison {
    /// A table of the rows (the first `limit`, or all): type, count in each snapshot, count
    /// change, bytes change; then the types that grew at every step.
    ///
    /// ```
    /// Type       #1    #2    #3  Change   Bytes
    /// Node       10    20    30     +20  +1,120 B
    /// list        5     3     1      -4    -224 B
    /// Grew at every step: Node
    /// ```
    public func text(limit: Int?) -> String {
        let shown = rows.prefix(limit ?? rows.count)
        let snapshots = snapshotCount
        var table: [[String]] = [["Type"] + (0..<snapshots).map { "#\($0 + 1)" } + ["Change", "Bytes"]]
        for row in shown {
            table.append([ReportStyle.typeName(row.name)] + row.counts.map(ReportStyle.count)
                + [ReportStyle.signedCount(row.change), ReportStyle.signedBytes(row.bytesChange)])
        }
        let columns = table.first?.count ?? 0
        let widths = (0..<columns).map { column in table.map { $0[column].count }.max() ?? 0 }
        var lines = table.map { cells in
            cells.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        lines.append("Grew at every step: " + (grewEveryStep.isEmpty ? "none" : grewEveryStep.map(ReportStyle.typeName).joined(separator: ", ")))
        if case .typeCountsOnly(let reason) = comparability { lines.append("Note: \(reason).") }
        let new = newObjects(limit: limit ?? Int.max)
        if !new.isEmpty {
            lines.append("New objects (in the last snapshot, not the first), by id:")
            for entry in new {
                let shown = entry.ids.prefix(Self.idsShown).map(ReportStyle.objectID)
                let more = entry.ids.count > Self.idsShown ? " … (\(ReportStyle.count(entry.ids.count - Self.idsShown)) more)" : ""
                lines.append("  \(ReportStyle.typeName(entry.type)) +\(ReportStyle.count(entry.ids.count)): " + shown.joined(separator: " ") + more)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The comparison as JSON: `{"snapshots":N,"types":[{"name","counts","bytes","change",
    /// "bytesChange"}],"grewEveryStep":[…]}`, rows in ``rows`` order, keys in a fixed order.
    public func json(limit: Int?) -> String {
        let shown = rows.prefix(limit ?? rows.count)
        return JSONValue.object([
            ("snapshots", .int(snapshotCount)),
            ("types", .array(shown.map { row in
                .object([
                    ("name", .string(row.name)),
                    ("counts", .array(row.counts.map(JSONValue.int))),
                    ("bytes", .array(row.bytes.map(JSONValue.int))),
                    ("change", .int(row.change)),
                    ("bytesChange", .int(row.bytesChange)),
                ])
            })),
            ("grewEveryStep", .array(grewEveryStep.map(JSONValue.string))),
            ("newObjects", .array(newObjects(limit: limit ?? Int.max).map { entry in
                .object([
                    ("type", .string(entry.type)),
                    ("count", .int(entry.ids.count)),
                    ("ids", .array(entry.ids.prefix(Self.idsListed).map { .int(Int(truncatingIfNeeded: $0)) })),
                ])
            })),
            ("byObject", .bool(comparability.matchesObjects)),
        ]).serialized()
    }

    /// New ids printed per type in the text, and listed per type in the JSON.
    static let idsShown = 5
    static let idsListed = 100
}
