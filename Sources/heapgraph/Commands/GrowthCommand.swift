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
            """
    )

    @Argument(help: "Two or more .heapgraph files of the same heap, oldest first (- for standard input, once).")
    var files: [PathArgument] = []

    @OptionGroup var limit: ListLimit

    @Flag(help: "Print JSON (docs/cli.md) instead of text.")
    var json = false

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard files.count >= 2 else { throw ValidationError("growth needs at least two snapshot files (OLD NEW [MORE…])") }
        guard files.filter(\.isStandardStream).count <= 1 else { throw ValidationError("standard input (-) can be read only once") }
    }

    func run() throws {
        var sources: [SnapshotSource] = []
        for file in files { sources.append(try SnapshotSource.open(file)) }
        let graphs = try loadSnapshots(sources, quiet: common.quiet)
        let comparison = SnapshotComparison(graphs)
        try writeOutput(json ? comparison.json(limit: limit.count) : comparison.text(limit: limit.count))
    }
}
