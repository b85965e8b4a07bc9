import ArgumentParser
import Foundation
import HeapAnalysis
import HeapSnapshot

/// `heapgraph leaks`: the leak report, for people and for CI.
struct LeaksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leaks",
        abstract: "Report leaks: uncollectable cycles, cyclic garbage, watched objects still alive, growth.",
        discussion: """
            Identical leaks are grouped by fingerprint (the types and references along the \
            cycle or path), so a thousand leaked sessions are one entry with count 1000.
            Exit status 1 when a finding is in one of the --fail-on categories, 0 otherwise.

            Example (CI):
              heapgraph leaks app.heapgraph --baseline warmup.heapgraph --format junit -o leaks.xml
              heapgraph leaks app.heapgraph --format sarif -o leaks.sarif --fail-on uncollectable,watched
              heapgraph leaks app.heapgraph --render-dir leak-pictures
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, junit, sarif
    }

    @Argument(help: "A .heapgraph snapshot file.")
    var file: String

    @Option(help: "An earlier snapshot of the same heap: types that grew since are growth suspects. Repeat for several steps, oldest first.")
    var baseline: [String] = []

    @Option(help: "Report format: text, json, junit or sarif.")
    var format: Format = .text

    @Option(name: .shortAndLong, help: "Write the report to this file instead of stdout.")
    var output: String?

    @Option(help: "Render one picture per leak group into this directory.")
    var renderDir: String?

    @Option(help: "Picture type for --render-dir: svg, png, pdf or dot.")
    var renderFormat = "svg"

    @Option(help: "Comma-separated categories that make the exit status 1: uncollectable, cyclic-garbage, watched, growth, all, none.")
    var failOn = "all"

    @OptionGroup var common: CommonOptions

    func validate() throws {
        _ = try failingCategories()
        guard ["svg", "png", "pdf", "dot"].contains(renderFormat) else {
            throw ValidationError("--render-format must be svg, png, pdf or dot")
        }
    }

    func failingCategories() throws(ValidationError) -> Set<LeakCategory> {
        var categories: Set<LeakCategory> = []
        for name in failOn.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            switch name {
            case "all": categories.formUnion(LeakCategory.allCases)
            case "none": continue
            default:
                guard let category = LeakCategory(rawValue: name) else {
                    throw ValidationError("--fail-on: unknown category '\(name)' (use \(LeakCategory.allCases.map(\.rawValue).joined(separator: ", ")), all or none)")
                }
                categories.insert(category)
            }
        }
        return categories
    }

    func run() throws {
        let graph = try loadSnapshot(file, quiet: common.quiet)
        var baselines: [HeapSnapshot] = []
        for path in baseline { baselines.append(try loadSnapshot(path, quiet: common.quiet)) }
        let report = Progress.run("analysing", quiet: common.quiet) {
            LeakReport.analyze(graph, baselines: baselines, file: file)
        }
        let text: String
        switch format {
        case .text: text = report.text(colors: output == nil && Terminal.standardOutput.usesColor)
        case .json: text = report.json()
        case .junit: text = report.junitXML()
        case .sarif: text = report.sarif()
        }
        try writeOutput(text, to: output)
        if let renderDir { try renderGroups(report, graph: graph, into: renderDir) }
        if !report.findings(in: try failingCategories()).isEmpty { throw ExitCode(1) }
    }

    /// One picture per group (``HeapSnapshot/showLeak(_:)``).
    func renderGroups(_ report: LeakReport, graph: HeapSnapshot, into directory: String) throws(CommandFailure) {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw CommandFailure("\(directory): cannot create directory: \(error.localizedDescription)")
        }
        for (index, group) in report.groups.enumerated() {
            let picture = graph.showLeak(group)
            let number = index + 1 < 10 ? "0\(index + 1)" : "\(index + 1)"
            let name = "leak-\(number)-\(group.category.rawValue).\(renderFormat)"
            try writePicture(picture, to: directory + "/" + name)
        }
        if !common.quiet {
            Terminal.standardError.write("rendered \(report.groups.count) leak pictures into \(directory)\n")
        }
    }
}
