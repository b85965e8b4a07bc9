extension LeakReport {
    /// The report for people: a summary line, then each category with findings and its
    /// groups (count, fingerprint, types, sizes, example cycle, leak trace).
    ///
    /// ```
    /// Leak report: 1 group, 1000 leaks
    ///
    /// cyclic-garbage: 1 group, 1000 leaks (Unreachable reference cycles not yet collected)
    ///   1000 leaks with the same fingerprint 5d3c…: Node
    ///     109.4 KiB, retained 109.4 KiB
    ///     example ids: @12 @14 @16 @18 @20 (5 of 1,000)
    ///     cycle: Node.next → Node.prev → Node
    /// ```
    ///
    /// `failingOn` names the categories that fail the gate; a category with findings that
    /// is not among them says it is tolerated. Known leaks and stale known-leak entries come
    /// last. A group whose example object has a recorded allocation site adds
    /// `allocated at FILE:LINE`. `groupLimit` shows at most that many groups per category (the largest first,
    /// as they are ordered) and counts the rest in one line; nil shows them all.
    public func text(colors: Bool = false, failingOn: Set<LeakCategory> = Set(LeakCategory.allCases),
                     groupLimit: Int? = nil) -> String {
        let bold = colors ? "\u{1B}[1m" : "", reset = colors ? "\u{1B}[0m" : ""
        let total = groups.reduce(0) { $0 + $1.count }
        var lines = ["\(bold)Leak report: \(Self.plural(groups.count, "group")), \(Self.plural(total, "leak"))\(reset)"
            + (file.map { " in \($0)" } ?? "")]
        if groups.isEmpty { lines.append("No leaks found.") }
        if case .typeCountsOnly(let reason)? = comparability { lines.append("Baselines: \(reason).") }
        for category in LeakCategory.allCases {
            let found = findings(in: [category])
            guard !found.isEmpty else { continue }
            lines.append("")
            lines.append("\(bold)\(category.rawValue)\(reset): \(Self.plural(found.count, "group")), "
                + "\(Self.plural(leakCount(in: category), "leak")) (\(category.summary))"
                + (failingOn.contains(category) ? "" : ", tolerated (not in --fail-on)"))
            let shown = found.prefix(groupLimit ?? Int.max)
            for group in shown {
                let same = group.count == 1 ? "1 leak with fingerprint" : "\(group.count) leaks with the same fingerprint"
                lines.append("  \(same) \(group.fingerprint): \(group.types.map(ReportStyle.typeName).joined(separator: ", "))")
                lines.append("    \(ReportStyle.bytes(group.bytes)), retained \(ReportStyle.bytes(group.retainedBytes))")
                if !group.exampleIDs.isEmpty {
                    let more = group.count > group.exampleIDs.count ? " (\(group.exampleIDs.count) of \(ReportStyle.count(group.count)))" : ""
                    lines.append("    example ids: \(group.exampleIDs.map(ReportStyle.objectID).joined(separator: " "))\(more)")
                }
                if let description = group.description { lines.append("    description: \(description)") }
                if let note = group.note { lines.append("    \(note)") }
                if let site = group.allocationSite { lines.append("    allocated at \(site)") }
                if let cycle = group.exampleCycle {
                    lines.append("    cycle: \(cycle)")
                    // LeakCanary's underline under the reference that closes the cycle.
                    let pieces = cycle.split(separator: " → ", omittingEmptySubsequences: false).map(String.init)
                    if let suspect = group.suspectReference, pieces.count >= 2, pieces[pieces.count - 2] == suspect {
                        let offset = pieces.dropLast(2).reduce(0) { $0 + $1.count + " → ".count }
                        lines.append("    " + String(repeating: " ", count: "cycle: ".count + offset)
                            + String(repeating: "~", count: suspect.count) + " " + LeakTraceSuspect.Reason.closesCycle.rawValue)
                    }
                }
                if !group.alsoFits.isEmpty {
                    lines.append("    also fits: \(group.alsoFits.map(\.rawValue).joined(separator: ", ")) (counted here only)")
                }
                if let trace = group.trace {
                    lines.append(contentsOf: trace.text(colors: colors).split(separator: "\n", omittingEmptySubsequences: false)
                        .map { "    " + $0 })
                }
            }
            if found.count > shown.count {
                let hidden = found.dropFirst(shown.count)
                lines.append("  … and \(Self.plural(hidden.count, "more group")) (\(Self.plural(hidden.reduce(0) { $0 + $1.count }, "leak"))); --limit 0 lists all")
            }
        }
        lines += knownLeakTextLines(colors: colors)
        return lines.joined(separator: "\n")
    }

    /// Known leaks (matched by the known-leak list) and the list's stale entries.
    func knownLeakTextLines(colors: Bool) -> [String] {
        guard let list = knownLeakFile else { return [] }
        let bold = colors ? "\u{1B}[1m" : "", reset = colors ? "\u{1B}[0m" : ""
        var lines: [String] = []
        if !knownLeaks.isEmpty {
            let total = knownLeaks.reduce(0) { $0 + $1.group.count }
            lines.append("")
            lines.append("\(bold)known leaks\(reset): \(Self.plural(knownLeaks.count, "group")), \(Self.plural(total, "leak"))"
                + " (matched by \(list); they never fail the gate)")
            for known in knownLeaks {
                let reason = known.entry.reason.map { ": \($0)" } ?? ""
                lines.append("  \(known.group.category.rawValue) \(known.group.fingerprint) × \(known.group.count): "
                    + "\(known.group.types.joined(separator: ", ")) — \(list):\(known.entry.line) \(known.entry.text)\(reason)")
            }
        }
        if !staleKnownLeaks.isEmpty {
            lines.append("")
            lines.append("\(bold)stale known-leak entries\(reset): \(staleKnownLeaks.count) in \(list) match nothing (remove them)")
            for entry in staleKnownLeaks {
                lines.append("  \(list):\(entry.line): \(entry.text)" + (entry.reason.map { "  # \($0)" } ?? ""))
            }
        }
        return lines
    }

    static func plural(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}
