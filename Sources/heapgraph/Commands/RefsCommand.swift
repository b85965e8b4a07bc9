import ArgumentParser
import HeapAnalysis
import HeapGraphModel

/// `heapgraph refs`: what objects refer to (objgraph's show_refs).
struct RefsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refs",
        abstract: "What objects refer to: their references, and objgraph's show_refs as a picture.",
        discussion: """
            Example:
              heapgraph refs app.heapgraph --id 0x7f3a2c001040 -o refs.svg
              heapgraph refs app.heapgraph --id 140234 --id 140298 --max-depth 2 -o refs.dot
            """
    )

    @Argument(help: "A .heapgraph or V8 .heapsnapshot file (- for standard input).")
    var file: PathArgument

    @Option(help: "An object id (decimal, or hex with 0x); repeat for several.")
    var id: [ObjectID] = []

    @OptionGroup var picture: PictureOptions

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard !id.isEmpty else { throw ValidationError("give at least one --id ID") }
    }

    func run() throws {
        let pictureFile = try picture.checkedPicture()
        let source = try SnapshotSource.open(file)
        try pictureFile?.output.refuseOverwriting([source])
        let graph = try source.load(quiet: common.quiet)
        var nodes: [Int] = []
        for id in id { nodes.append(try graph.requireNode(withID: id, file: file.display)) }
        var out = ""
        for node in nodes {
            out += graph.describe(node) + "\n"
            for edge in graph.edges(of: node) {
                let label = graph.labelText(edge)
                let name = label.isEmpty ? "→" : (label.hasPrefix("[") || label.hasPrefix("(") ? label : "." + label)
                out += "  \(name)\(edge.isWeak ? " (weak)" : "") \(graph.describe(edge.target))\n"
            }
        }
        try writeOutput(out)
        try picture.draw(into: pictureFile, quiet: common.quiet) { graph.showRefs(nodes, options: $0) }
    }
}
