import ArgumentParser
import HeapAnalysis
import HeapGraphModel

/// `heapgraph show`: one object, everything about it.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "One object: type, shallow and retained size, references both ways, and its path from a root.",
        discussion: """
            Takes the ids every command prints (@12345), plain decimal, or hex with 0x. \
            Referents and referrers are listed with the reference's label, at most --limit \
            of each.

            Example:
              heapgraph show app.heapgraph --id @1234
              heapgraph show app.heapgraph --id @1234 --json
            """
    )

    @Argument(help: "A .heapgraph or V8 .heapsnapshot file (- for standard input).")
    var file: PathArgument

    @Option(help: "The object's id (@12345, decimal, or hex with 0x).")
    var id: String

    @OptionGroup var limit: ListLimit

    @Flag(help: "Print JSON (docs/cli.md) instead of text.")
    var json = false

    @OptionGroup var common: CommonOptions

    func run() throws {
        // Parsed here, not by ArgumentParser, so a bad id is one line like an unknown one.
        guard let objectID = ObjectID(argument: id) else {
            throw CommandFailure("--id \(id): not an object id (write it as reports print it, @12345, or as 12345 or 0x3039)")
        }
        let graph = try SnapshotSource.open(file).load(quiet: common.quiet)
        let node = try graph.requireNode(withID: objectID, file: file.display)
        let details = ObjectDetails(graph: graph, node: node)
        try writeOutput(json ? try jsonText(details, graph: graph) : text(details, graph: graph))
    }

    func text(_ details: ObjectDetails, graph: HeapSnapshot) -> String {
        let node = details.node
        var lines = [graph.describe(node)]
        lines.append("  type: \(ReportStyle.typeName(graph.typeName(of: node)))")
        lines.append("  size: \(ReportStyle.bytes(graph.shallowSize(of: node))) shallow, \(ReportStyle.bytes(details.retainedSize)) retained")
        let flags = graph.flagNames(of: node)
        if !flags.isEmpty { lines.append("  flags: " + flags.joined(separator: ", ")) }
        if let description = graph.metadata.watched?[graph.id(of: node)] { lines.append("  watched as: \(description)") }
        lines.append("referents (\(ReportStyle.count(details.referents.count))):")
        for reference in limit.prefix(details.referents) {
            let edge = ReportStyle.referenceName(reference.label)
            lines.append("  \(edge)\(reference.isWeak ? " (weak)" : "") → \(graph.describe(reference.node))")
        }
        if let more = limit.moreLine(shown: min(details.referents.count, limit.count ?? .max), total: details.referents.count, noun: "referents") {
            lines.append("  " + more)
        }
        lines.append("referrers (\(ReportStyle.count(details.referrers.count))):")
        for reference in limit.prefix(details.referrers) {
            let edge = ReportStyle.referenceName(reference.label)
            lines.append("  \(graph.describe(reference.node)) \(edge)\(reference.isWeak ? " (weak)" : "") →")
        }
        if let more = limit.moreLine(shown: min(details.referrers.count, limit.count ?? .max), total: details.referrers.count, noun: "referrers") {
            lines.append("  " + more)
        }
        if let trace = details.trace {
            lines.append("path from a root:")
            lines += trace.text(colors: Terminal.standardOutput.usesColor).split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
        } else {
            lines.append("path from a root: none; no root reaches it over strong references (garbage: see heapgraph leaks \(file.display))")
        }
        return lines.joined(separator: "\n")
    }

    func jsonText(_ details: ObjectDetails, graph: HeapSnapshot) throws(CommandFailure) -> String {
        try ReportJSON.text(ObjectJSON(details, graph: graph, file: file.display, limit: limit.count))
    }
}
