import HeapAnalysis

/// What a leak check found: the report, the groups that fail it, and the files it wrote.
/// Framework adapters turn a failing verdict into a test failure carrying ``message``.
public struct LeakVerdict: Sendable {
    /// The leak report, known leaks already moved apart.
    public var report: LeakReport
    /// The categories that fail the check.
    public var failOn: Set<LeakCategory>
    /// Things that kept the check from its work (an unreadable known-leak list, an artifact
    /// that could not be written); a problem fails the check.
    public var problems: [LeakCheckProblem]
    /// The artifacts written (snapshot, pictures, report text), full paths.
    public var artifacts: [String]
    /// Who ran the check (a test name), used in messages and artifact names.
    public var name: String

    public init(report: LeakReport, failOn: Set<LeakCategory>, problems: [LeakCheckProblem] = [],
                artifacts: [String] = [], name: String) {
        self.report = report
        self.failOn = failOn
        self.problems = problems
        self.artifacts = artifacts
        self.name = name
    }

    /// The groups in a failing category, in report order.
    public var failingGroups: [LeakGroup] { report.findings(in: failOn) }

    /// Whether the check passed: no failing group and no problem.
    public var passed: Bool { failingGroups.isEmpty && problems.isEmpty }

    /// What a test failure says: one line per failing group (category, count, fingerprint,
    /// types), then the report (example cycles and leak traces), known leaks, the problems
    /// and the artifacts written. Empty when the check passed.
    public var message: String {
        guard !passed else { return "" }
        let groups = failingGroups
        var lines: [String] = []
        if !groups.isEmpty {
            let total = groups.reduce(0) { $0 + $1.count }
            lines.append("\(name): \(total) leak\(total == 1 ? "" : "s") in \(groups.count) group\(groups.count == 1 ? "" : "s")")
            for group in groups { lines.append("  " + group.caption) }
            lines.append("")
            lines.append(report.text(failingOn: failOn))
        }
        if !problems.isEmpty {
            if lines.isEmpty { lines.append("\(name): the leak check could not do what it was asked") } else { lines.append("") }
            lines += problems.map { "problem: \($0)" }
        }
        if !artifacts.isEmpty {
            lines.append("")
            lines.append("artifacts:")
            lines += artifacts.map { "  " + $0 }
        }
        return lines.joined(separator: "\n")
    }
}
