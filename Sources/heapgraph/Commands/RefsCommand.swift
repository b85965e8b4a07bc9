import ArgumentParser
import HeapAnalysis
import HeapSnapshot

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

    @Argument(help: "A .heapgraph snapshot file.")
    var file: String

    @Option(help: "An object id (decimal, or hex with 0x); repeat for several.")
    var id: [ObjectID] = []

    @Option(help: "Depth of the picture (objgraph's max_depth).")
    var maxDepth = 3

    @Option(help: "References drawn per object before the rest are elided (objgraph's too_many).")
    var tooMany = 10

    @Option(name: .shortAndLong, help: "Draw show_refs into this picture (.svg, .png, .pdf, .dot).")
    var output: String?

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard !id.isEmpty else { throw ValidationError("give at least one --id ID") }
        guard maxDepth >= 0 else { throw ValidationError("--max-depth must be 0 or more") }
        guard tooMany >= 1 else { throw ValidationError("--too-many must be 1 or more") }
    }

    func run() throws {
        if let output { try checkPictureType(output) }
        let graph = try loadSnapshot(file, quiet: common.quiet)
        var nodes: [Int] = []
        for id in id { nodes.append(try graph.requireNode(withID: id, file: file)) }
        var out = ""
        for node in nodes {
            out += graph.describe(node) + "\n"
            for edge in graph.edges(of: node) {
                let label = graph.labelText(edge)
                let name = label.isEmpty ? "→" : (label.hasPrefix("[") || label.hasPrefix("(") ? label : "." + label)
                out += "  \(name)\(edge.isWeak ? " (weak)" : "") \(graph.describe(edge.target))\n"
            }
        }
        try writeOutput(out, to: nil)
        if let output {
            var options = DOTOptions()
            options.maxDepth = maxDepth
            options.tooMany = tooMany
            let picture = graph.showRefs(nodes, options: options)
            try writePicture(picture, to: output)
            try writeOutput("Graph written to \(output) (\(picture.nodeCount) nodes)", to: nil)
        }
    }
}
