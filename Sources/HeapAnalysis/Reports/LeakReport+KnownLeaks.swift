import HeapGraphModel

extension LeakReport {
    /// The report with the groups `list` matches moved to ``knownLeaks`` (so they never
    /// fail a gate), and the entries that matched no group in ``staleKnownLeaks``.
    /// - Complexity: O(groups × entries × (trace length + example cycle edges)).
    public func applying(_ list: KnownLeakList, graph: HeapSnapshot) -> LeakReport {
        var report = self
        report.groups = []
        report.knownLeakFile = list.file
        var used = Set<Int>()
        for group in groups {
            if let entry = list.match(group, in: graph) {
                report.knownLeaks.append(KnownLeak(group: group, entry: entry))
                used.insert(entry.line)
            } else {
                report.groups.append(group)
            }
        }
        // A later entry that would have matched a group an earlier one took still counts
        // as in use: it is not stale, only redundant.
        for entry in list.entries where !used.contains(entry.line) {
            if report.knownLeaks.contains(where: { entry.matches($0.group, in: graph) }) { used.insert(entry.line) }
        }
        report.staleKnownLeaks = list.entries.filter { !used.contains($0.line) }
        return report
    }
}
