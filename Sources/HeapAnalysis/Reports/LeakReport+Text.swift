extension LeakReport {
    /// The report for people: a summary line, then each category with findings and its
    /// groups (count, fingerprint, types, sizes, example cycle, leak trace).
    ///
    /// ```
    /// Leak report: 1 group, 1000 leaks
    ///
    /// cyclic-garbage: 1 group, 1000 leaks (Unreachable reference cycles not yet collected)
    ///   1000 leaks with the same fingerprint 5d3c…: Node
    ///     112000 B, retained 112000 B
    ///     cycle: Node.next → Node.prev → Node
    /// ```
    ///
    /// A group whose example object has a recorded allocation site adds
    /// `allocated at FILE:LINE`.
    public func text(colors: Bool = false) -> String {
        let bold = colors ? "\u{1B}[1m" : "", reset = colors ? "\u{1B}[0m" : ""
        let total = groups.reduce(0) { $0 + $1.count }
        var lines = ["\(bold)Leak report: \(Self.plural(groups.count, "group")), \(Self.plural(total, "leak"))\(reset)"
            + (file.map { " in \($0)" } ?? "")]
        if groups.isEmpty { lines.append("No leaks found.") }
        for category in LeakCategory.allCases {
            let found = findings(in: [category])
            guard !found.isEmpty else { continue }
            lines.append("")
            lines.append("\(bold)\(category.rawValue)\(reset): \(Self.plural(found.count, "group")), "
                + "\(Self.plural(leakCount(in: category), "leak")) (\(category.summary))")
            for group in found {
                let same = group.count == 1 ? "1 leak with fingerprint" : "\(group.count) leaks with the same fingerprint"
                lines.append("  \(same) \(group.fingerprint): \(group.types.joined(separator: ", "))")
                lines.append("    \(group.bytes) B, retained \(group.retainedBytes) B")
                if let description = group.description { lines.append("    description: \(description)") }
                if let note = group.note { lines.append("    \(note)") }
                if let site = group.allocationSite { lines.append("    allocated at \(site)") }
                if let cycle = group.exampleCycle { lines.append("    cycle: \(cycle)") }
                if let trace = group.trace {
                    lines.append(contentsOf: trace.text(colors: colors).split(separator: "\n", omittingEmptySubsequences: false)
                        .map { "    " + $0 })
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    static func plural(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}
