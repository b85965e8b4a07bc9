import ArgumentParser
import GraphvizRender
import HeapAnalysis
import HeapGraphModel

/// `heapgraph report`: one self-contained HTML page for CI artifacts and for people.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one self-contained HTML page: summary, growth, leaks with pictures, known leaks, dominators.",
        discussion: """
            The page needs no server and no network: its style, its pictures (SVG, drawn by \
            Graphviz in-process) and its small script are inside it. It reads with JavaScript \
            off; with JavaScript on, the tables sort and a search box filters the page. Long \
            tables are cut (the page says where), so a million-object heap gives a page of a \
            few megabytes. Exit status 0 when the page was written: the gate is `heapgraph leaks`.

            Example (CI):
              heapgraph report app.heapgraph --baseline warmup.heapgraph -o heap-report.html
            """
    )

    @Argument(help: "A .heapgraph or V8 .heapsnapshot file (- for standard input).")
    var file: PathArgument

    @Option(help: "An earlier snapshot of the same heap, for the growth table and growth leaks. Repeat for several steps, oldest first.")
    var baseline: [PathArgument] = []

    @Option(help: "Known leaks to show apart (default: .heapgraph-ignore beside FILE or in the current directory).")
    var ignore: PathArgument?

    @Option(name: .shortAndLong, help: "Write the page to this file instead of stdout (- for stdout).")
    var output: PathArgument?

    @OptionGroup var common: CommonOptions

    func validate() throws {
        let streams = ([file] + baseline).filter(\.isStandardStream).count
        guard streams <= 1 else { throw ValidationError("standard input (-) can be read only once") }
    }

    func run() throws {
        let page = OutputFile(argument: output)
        try page.checkWritable()
        let knownLeaks = try KnownLeakFile.load(explicit: ignore, snapshot: file, quiet: common.quiet)
        var sources = [try SnapshotSource.open(file)]
        for path in baseline { sources.append(try SnapshotSource.open(path)) }
        try page.refuseOverwriting(sources)

        let graphs = try loadSnapshots(sources, quiet: common.quiet)
        let graph = graphs[0]
        let baselines = Array(graphs.dropFirst())
        let named = zip(baseline, baselines).map { ($0.display, SnapshotOrigin($1.metadata)) } + [(file.display, SnapshotOrigin(graph.metadata))]
        if let problem = SnapshotOrigin.orderProblem(named) { throw CommandFailure(problem) }

        var leakReport = Progress.run("analysing", quiet: common.quiet) {
            LeakReport.analyze(graph, baselines: baselines, file: file.display)
        }
        if let knownLeaks { leakReport = leakReport.applying(knownLeaks, graph: graph) }
        let tree = Progress.run("computing dominators", quiet: common.quiet) { DominatorTree(graph: graph) }
        let limits = ReportLimits()
        var pictures: [Int: LeakPictureSVG] = [:]
        Progress.run("drawing leak pictures", quiet: common.quiet) {
            for (index, group) in leakReport.groups.prefix(limits.pictures).enumerated() {
                pictures[index] = LeakPictureSVG(group: group, graph: graph, maxNodes: limits.pictureNodes, idPrefix: "leak\(index + 1)-")
            }
        }
        let html = HeapReportPage(file: file.display, graph: graph, report: leakReport,
                                  comparison: baselines.isEmpty ? nil : SnapshotComparison(baselines + [graph]),
                                  baselineNames: baseline.map(\.display), dominators: tree,
                                  pictures: pictures, limits: limits).html()
        try page.writeText(html)
        if !common.quiet, !page.isStandardOutput {
            Terminal.standardError.write("wrote \(page.displayName): \(leakReport.groups.count) leak groups, \(ReportStyle.bytes(html.utf8.count))\n")
        }
    }
}
