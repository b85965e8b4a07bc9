extension LeakVerdict: CustomStringConvertible {
    /// One line (`passed`, or `failed: 2 groups, 1 problem`), so an `#expect` that shows
    /// the verdict stays short; ``message`` has the details.
    public var description: String {
        guard !passed else { return "passed" }
        var parts: [String] = []
        let groups = failingGroups.count
        if groups > 0 { parts.append("\(groups) failing group\(groups == 1 ? "" : "s")") }
        if !problems.isEmpty { parts.append("\(problems.count) problem\(problems.count == 1 ? "" : "s")") }
        return "failed: " + parts.joined(separator: ", ")
    }
}
