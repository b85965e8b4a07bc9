import ArgumentParser
import HeapAnalysis
import HeapGraphModel

/// `heapgraph refs`: what objects refer to (objgraph's show_refs).
struct RefsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refs",
        abstract: "What objects refer to: their references, and objgraph's show_refs as a picture.",
        discussion: """
            Objects are named by --id (repeat for several) or by --type (the first --limit \
            objects of it, in file order); each is listed with its references, at most --limit \
            of them.

            Example:
              heapgraph refs app.heapgraph --id @1234 -o refs.svg
              heapgraph refs app.heapgraph --type Session --limit 3
              heapgraph refs app.heapgraph --id 140234 --id 140298 --max-depth 2 -o refs.dot
            """
    )

    @Argument(help: "A .heapgraph or V8 .heapsnapshot file (- for standard input).")
    var file: PathArgument

    @Option(help: "An object id (@12345, decimal, or hex with 0x); repeat for several.")
    var id: [ObjectID] = []

    @Option(help: "A type name (Session, or service.Session): its objects, the first --limit of them.")
    var type: String?

    @OptionGroup var limit: ListLimit

    @OptionGroup var picture: PictureOptions

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard !id.isEmpty || type != nil else { throw ValidationError("give at least one --id ID, or --type NAME") }
    }

    func run() throws {
        let pictureFile = try picture.checkedPicture()
        let source = try SnapshotSource.open(file)
        try pictureFile?.output.refuseOverwriting([source])
        let graph = try source.load(quiet: common.quiet)
        var nodes: [Int] = []
        for id in id { nodes.append(try graph.requireNode(withID: id, file: file.display)) }
        var more: String?
        if let type {
            let ofType = graph.nodes(ofType: type, scope: .all)
            guard !ofType.isEmpty else { throw graph.noObjects(ofType: type, file: file.display) }
            let shown = limit.prefix(ofType)
            nodes += shown
            more = limit.moreLine(shown: shown.count, total: ofType.count, noun: "objects of type \(type)")
        }
        var out = ""
        for node in nodes {
            out += graph.describe(node) + "\n"
            let edges = graph.edges(of: node)
            for edge in limit.prefix(edges) {
                out += "  \(graph.referenceName(edge))\(edge.isWeak ? " (weak)" : "") \(graph.describe(edge.target))\n"
            }
            if let line = limit.moreLine(shown: min(edges.count, limit.count ?? Int.max), total: edges.count, noun: "references") {
                out += "  \(line)\n"
            }
        }
        if let more { out += more + "\n" }
        try writeOutput(out)
        try picture.draw(into: pictureFile, quiet: common.quiet) { graph.showRefs(nodes, options: $0) }
    }
}

extension HeapSnapshot {
    /// How an edge reads after its source object: `.session`, `[0]`, `['key']`, `(key)`,
    /// `→` for an unnamed one.
    func referenceName(_ edge: Edge) -> String {
        let label = labelText(edge)
        return label.isEmpty ? "→" : (label.hasPrefix("[") || label.hasPrefix("(") ? label : "." + label)
    }
}
