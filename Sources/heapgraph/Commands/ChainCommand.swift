import ArgumentParser
import HeapAnalysis
import HeapGraphModel

/// `heapgraph chain`: the shortest reference chain from an object to one of a type
/// (objgraph's find_ref_chain).
struct ChainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chain",
        abstract: "The shortest reference chain from an object to an object of a type.",
        discussion: """
            Exit status 1 when no chain exists within --max-depth.

            Example:
              heapgraph chain app.heapgraph --from @1234 --to-type Session
            """
    )

    @Argument(help: "A .heapgraph or V8 .heapsnapshot file (- for standard input).")
    var file: PathArgument

    @Option(help: "Where the chain starts: an object id (@12345, decimal, or hex with 0x).")
    var from: ObjectID

    @Option(help: "Where it ends: any object of this type (Session, or service.Session).")
    var toType: String

    @Option(parsing: .unconditional, help: "The longest chain to look for, in references.")
    var maxDepth = 20

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard maxDepth >= 1 else { throw ValidationError("--max-depth must be 1 or more") }
    }

    func run() throws {
        let graph = try SnapshotSource.open(file).load(quiet: common.quiet)
        let start = try graph.requireNode(withID: from, file: file.display)
        let targets = Set(graph.nodes(ofType: toType, scope: .all))
        guard !targets.isEmpty else { throw graph.noObjects(ofType: toType, file: file.display) }
        let chain = graph.findRefChain(from: start, maxDepth: maxDepth, where: { targets.contains($0) })
        guard let last = chain.last, targets.contains(last) else {
            try writeOutput("No chain of at most \(maxDepth) references leads from \(graph.describe(start)) to a \(toType).")
            throw ExitCode(1)
        }
        try writeOutput(LeakTrace(graph: graph, path: chain).text(colors: Terminal.standardOutput.usesColor))
    }
}
