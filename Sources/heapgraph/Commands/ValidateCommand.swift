import ArgumentParser
import HeapGraphModel

/// `heapgraph validate`: whether a snapshot file is well formed, and if not, every way it
/// is not.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a snapshot file: every invariant of V8's .heapsnapshot format, or a .heapgraph file's records and checksum.",
        discussion: """
            Prints one line saying the file is valid, with its counts (exit status 0), or one \
            line per problem found (exit status 1). For V8 files the checks are those \
            DevTools' loader relies on (docs/v8.md, "The validator").

            Example:
              heapgraph validate app.heapsnapshot
            """
    )

    @Argument(help: "A .heapgraph or V8 .heapsnapshot file (- for standard input).")
    var file: PathArgument

    func run() throws {
        let source = try SnapshotSource.open(file)
        let name = file.isStandardStream ? "standard input" : file.display
        if source.isV8HeapSnapshot() {
            let report = HeapSnapshot.validateV8Snapshot(at: source.readablePath)
            guard report.isValid else {
                try writeOutput(report.problems.map { "\(name): \($0)" }.joined(separator: "\n"))
                throw ExitCode(1)
            }
            try writeOutput("\(name): valid V8 heap snapshot: \(report.nodeCount) nodes, \(report.edgeCount) edges, \(report.stringCount) strings")
            return
        }
        do {
            let graph = try HeapSnapshot(contentsOf: source.readablePath)
            try writeOutput("\(name): valid .heapgraph file: \(graph.nodeCount) nodes, \(graph.edgeCount) edges, \(graph.strings.count) strings")
        } catch {
            try writeOutput("\(name): \(error)")
            throw ExitCode(1)
        }
    }
}
