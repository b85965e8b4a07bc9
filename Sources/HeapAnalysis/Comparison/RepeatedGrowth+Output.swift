extension RepeatedGrowth {
    /// The report for people: each growing type with its counts and the references that
    /// gained its objects, then the growing references.
    ///
    /// ```
    /// Grew by at least 1 at every step of 3 snapshots: 2 types, 1 reference
    ///   app.Node  4 → 8 → 12
    ///     held by no growing reference (unreachable? see heapgraph leaks)
    ///   list  3 → 4 → 5
    ///     through dict['cache'] (list @10: 2 → 3 → 4 items)
    ///
    /// Growing references:
    ///   dict['cache']  list @10  2 → 3 → 4 items (+2), gained list ×2
    /// ```
    public func text(limit: Int?) -> String {
        let shownTypes = types.prefix(limit ?? types.count)
        let shownReferences = references.prefix(limit ?? references.count)
        func plural(_ count: Int, _ noun: String) -> String { "\(ReportStyle.count(count)) \(noun)\(count == 1 ? "" : "s")" }
        var lines = ["Grew by at least \(ReportStyle.count(minGrowth)) at every step of \(snapshotCount) snapshots: "
            + "\(plural(types.count, "type")), \(plural(references.count, "growing reference"))"]
        if types.isEmpty { lines.append("  nothing") }
        for type in shownTypes {
            lines.append("  \(ReportStyle.typeName(type.name))  \(type.counts.map(ReportStyle.count).joined(separator: " → "))")
            if type.references.isEmpty {
                lines.append("    held by no growing reference (garbage, or spread over many objects; see heapgraph leaks)")
            }
            for index in type.references.prefix(3) {
                let reference = references[index]
                lines.append("    through \(reference.name) (\(ReportStyle.typeName(reference.type)) \(ReportStyle.objectID(reference.id)): "
                    + "\(reference.lengths.map(ReportStyle.count).joined(separator: " → ")) items)")
            }
            if type.references.count > 3 { lines.append("    … and \(type.references.count - 3) more growing references") }
        }
        if !references.isEmpty {
            lines.append("")
            lines.append("Growing references:")
            for reference in shownReferences {
                let change = (reference.lengths.last ?? 0) - (reference.lengths.first ?? 0)
                let gained = reference.gained.prefix(3).map { "\(ReportStyle.typeName($0.type)) ×\(ReportStyle.count($0.count))" }
                lines.append("  \(reference.name)  \(ReportStyle.typeName(reference.type)) \(ReportStyle.objectID(reference.id))  "
                    + "\(reference.lengths.map(ReportStyle.count).joined(separator: " → ")) items (\(ReportStyle.signedCount(change)))"
                    + (gained.isEmpty ? "" : ", gained " + gained.joined(separator: ", ")))
            }
        }
        let hidden = (types.count - shownTypes.count) + (references.count - shownReferences.count)
        if hidden > 0 { lines.append("… \(ReportStyle.count(hidden)) more left out (--limit 0 lists all)") }
        return lines.joined(separator: "\n")
    }

    /// The report as compact JSON, keys in a fixed order:
    /// `{"snapshots":3,"minGrowth":1,"types":[{"name","counts","references":[ids]}],
    /// "references":[{"id","type","reference","lengths","gained":[{"type","count"}]}]}`.
    public func json(limit: Int?) -> String {
        let shownTypes = types.prefix(limit ?? types.count)
        let shownReferences = references.prefix(limit ?? references.count)
        return JSONValue.object([
            ("snapshots", .int(snapshotCount)),
            ("minGrowth", .int(minGrowth)),
            ("types", .array(shownTypes.map { type in
                .object([
                    ("name", .string(type.name)),
                    ("counts", .array(type.counts.map(JSONValue.int))),
                    ("references", .array(type.references.map { .int(Int(truncatingIfNeeded: references[$0].id)) })),
                ])
            })),
            ("references", .array(shownReferences.map { reference in
                .object([
                    ("id", .int(Int(truncatingIfNeeded: reference.id))),
                    ("type", .string(reference.type)),
                    ("reference", .string(reference.name)),
                    ("lengths", .array(reference.lengths.map(JSONValue.int))),
                    ("gained", .array(reference.gained.map { .object([("type", .string($0.type)), ("count", .int($0.count))]) })),
                ])
            })),
        ]).serialized()
    }
}
