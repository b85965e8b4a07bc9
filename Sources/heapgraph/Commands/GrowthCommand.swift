import ArgumentParser
import HeapAnalysis
import HeapGraphModel

/// `heapgraph growth`: per-type counts and bytes across snapshots of one heap.
struct GrowthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "growth",
        abstract: "Per type, count and bytes in each snapshot and the change; the types that grew at every step.",
        discussion: """
            Unlike objgraph's show_growth, decreases are shown too, and any number of snapshots \
            can be compared (oldest first).

            Example:
              heapgraph growth before.heapgraph after.heapgraph
              heapgraph growth run1.heapgraph run2.heapgraph run3.heapgraph --limit 20 --json
              heapgraph growth s1.heapgraph s2.heapgraph s3.heapgraph --min-growth 100

            --min-growth K is LeakCanary's heap-growth detection: the types whose count grew by \
            at least K at every step, and the references whose length grew with them (a list \
            in a module global, a dict attribute), named by what holds them. Exit status 1 when \
            a type grew so.
            """
    )

    @Argument(help: "Two or more .heapgraph files of the same heap, oldest first (- for standard input, once).")
    var files: [PathArgument] = []

    @OptionGroup var limit: ListLimit

    @Option(parsing: .unconditional, help: "Report only the types that grew by at least this much at every step, with the references (collections) that grew with them; exit status 1 when there are some.")
    var minGrowth: Int?

    @Flag(help: "Print JSON (docs/cli.md) instead of text.")
    var json = false

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard files.count >= 2 else { throw ValidationError("growth needs at least two snapshot files (OLD NEW [MORE…])") }
        if let minGrowth, minGrowth < 1 { throw ValidationError("--min-growth must be 1 or more") }
        guard files.filter(\.isStandardStream).count <= 1 else { throw ValidationError("standard input (-) can be read only once") }
    }

    func run() throws {
        var sources: [SnapshotSource] = []
        for file in files { sources.append(try SnapshotSource.open(file)) }
        let graphs = try loadSnapshots(sources, quiet: common.quiet)
        if let problem = SnapshotOrigin.orderProblem(zip(files, graphs).map { ($0.display, SnapshotOrigin($1.metadata)) }) {
            throw CommandFailure(problem)
        }
        if let minGrowth {
            let growth = RepeatedGrowth(graphs, minGrowth: minGrowth)
            try writeOutput(json ? growth.json(limit: limit.count) : growth.text(limit: limit.count))
            if !growth.types.isEmpty { throw ExitCode(1) }
            return
        }
        let comparison = SnapshotComparison(graphs)
        try writeOutput(json ? comparison.json(limit: limit.count) : comparison.text(limit: limit.count))
    }
}
