import ArgumentParser
import HeapAnalysis
import HeapGraphModel

/// `heapgraph objects`: the objects of a type (objgraph's by_type), with their ids.
struct ObjectsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "objects",
        abstract: "The objects of a type, with their ids and sizes (objgraph's by_type).",
        discussion: """
            Lists the first --limit objects of the type in file order: id, shallow size, type \
            and objgraph's short label. The ids go to show, backrefs and refs.

            Example:
              heapgraph objects app.heapgraph --type Session --limit 5
              heapgraph objects app.heapgraph --type service.Session --limit 0 --json
            """
    )

    @Argument(help: "A .heapgraph or V8 .heapsnapshot file (- for standard input).")
    var file: PathArgument

    @Option(help: "A type name (Session matches every module's Session; service.Session only that one).")
    var type: String

    @OptionGroup var limit: ListLimit

    @Flag(help: "Print JSON (docs/cli.md) instead of text.")
    var json = false

    @OptionGroup var common: CommonOptions

    struct Row: Encodable { var id: UInt64; var type: String; var shallowBytes: Int; var label: String? }
    struct Output: Encodable { var file: String; var type: String; var count: Int; var bytes: Int; var objects: [Row] }

    func run() throws {
        let graph = try SnapshotSource.open(file).load(quiet: common.quiet)
        let nodes = graph.nodes(ofType: type, scope: .all)
        guard !nodes.isEmpty else { throw graph.noObjects(ofType: type, file: file.display) }
        let bytes = nodes.reduce(0) { $0 + graph.shallowSize(of: $1) }
        let shown = limit.prefix(nodes)
        if json {
            let rows = shown.map {
                Row(id: graph.id(of: $0), type: graph.typeName(of: $0), shallowBytes: graph.shallowSize(of: $0), label: graph.informativeLabel(of: $0))
            }
            try writeOutput(try ReportJSON.text(Output(file: file.display, type: type, count: nodes.count, bytes: bytes, objects: rows)))
            return
        }
        var out = "\(ReportStyle.count(nodes.count)) objects of type \(type), \(ReportStyle.bytes(bytes)), in \(file.display)\n"
        let ids = shown.map { ReportStyle.objectID(graph.id(of: $0)) }
        let sizes = shown.map { ReportStyle.bytes(graph.shallowSize(of: $0)) }
        let idWidth = max(2, ids.map(\.count).max() ?? 0), sizeWidth = max(7, sizes.map(\.count).max() ?? 0)
        out += "\(pad("id", idWidth))  \(leftPad("shallow", sizeWidth))  object\n"
        for (position, node) in shown.enumerated() {
            let label = graph.informativeLabel(of: node).map { " (\($0))" } ?? ""
            out += "\(pad(ids[position], idWidth))  \(leftPad(sizes[position], sizeWidth))  \(ReportStyle.typeName(graph.typeName(of: node)))\(label)\n"
        }
        if let more = limit.moreLine(shown: shown.count, total: nodes.count, noun: "objects") { out += more + "\n" }
        try writeOutput(out)
    }
}
