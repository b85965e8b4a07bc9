import ArgumentParser
import Foundation
import HeapAnalysis
import HeapGraphModel

/// `heapgraph dominators`: the objects that retain the most bytes (Eclipse MAT's dominator
/// tree, top entries).
struct DominatorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dominators",
        abstract: "The objects that retain the most bytes, with their retained sizes.",
        discussion: """
            An object's retained size is what would be freed if it were freed: the shallow \
            sizes of the objects it dominates (every strong path from a root to them passes \
            through it). Weak references are not followed. A V8 .heapsnapshot follows \
            Chrome DevTools' rules (docs/v8.md): its retained and shallow sizes are the ones \
            DevTools shows, and --json gives each object's DevTools distance.

            Example:
              heapgraph dominators app.heapgraph --limit 5
            """
    )

    @Argument(help: "A .heapgraph or V8 .heapsnapshot file (- for standard input).")
    var file: PathArgument

    @Option(parsing: .unconditional, help: "How many objects to list.")
    var limit = 10

    @Flag(help: "Print JSON (docs/cli.md) instead of text.")
    var json = false

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be 1 or more") }
    }

    struct Row: Encodable {
        var id: UInt64; var type: String; var label: String; var shallowBytes: Int; var retainedBytes: Int
        /// DevTools' distance from the root (V8 snapshots only; absent when unreachable).
        var distance: Int?
    }
    struct Output: Encodable { var file: String; var bytes: Int; var retainers: [Row] }

    func run() throws {
        let graph = try SnapshotSource.open(file).load(quiet: common.quiet)
        let tree = Progress.run("computing dominators", quiet: common.quiet) { DominatorTree(graph: graph) }
        let paths = json && tree.rules == .devTools ? RootPaths(graph: graph, rules: .devTools) : nil
        let rows = tree.topRetainers(limit: limit).map {
            Row(id: graph.id(of: $0.node), type: graph.typeName(of: $0.node), label: graph.shortLabel(of: $0.node),
                shallowBytes: tree.shallowSize(of: $0.node, in: graph), retainedBytes: $0.retainedSize,
                distance: paths?.distance(to: $0.node))
        }
        let total = graph.census().bytes
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            let data = try encoder.encode(Output(file: file.display, bytes: total, retainers: rows))
            try writeOutput(String(decoding: data, as: UTF8.self))
            return
        }
        var out = "Top \(rows.count) retainers of \(formatBytes(total)) in \(file.display)\n"
        let retainedWidth = max(8, rows.map { groupDigits($0.retainedBytes).count }.max() ?? 0)
        let shallowWidth = max(7, rows.map { groupDigits($0.shallowBytes).count }.max() ?? 0)
        out += "\(leftPad("retained", retainedWidth))  \(leftPad("%", 6))  \(leftPad("shallow", shallowWidth))  object\n"
        for row in rows {
            let percent = total > 0 ? String(format: "%.1f%%", Double(row.retainedBytes) * 100 / Double(total)) : "-"
            out += "\(leftPad(groupDigits(row.retainedBytes), retainedWidth))  \(leftPad(percent, 6))  "
            out += "\(leftPad(groupDigits(row.shallowBytes), shallowWidth))  \(row.type) \(row.label) (0x\(String(row.id, radix: 16)))\n"
        }
        try writeOutput(out)
    }
}
