import ArgumentParser
import HeapAnalysis
import HeapGraphModel

/// `heapgraph dominators`: the objects that retain the most bytes (Eclipse MAT's dominator
/// tree, top entries), or the tree's top level grouped by type (MAT's group by class).
struct DominatorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dominators",
        abstract: "The objects that retain the most bytes, or retained bytes per type.",
        discussion: """
            An object's retained size is what would be freed if it were freed: the shallow \
            sizes of the objects it dominates (every strong path from a root to them passes \
            through it). Weak references are not followed. A V8 .heapsnapshot follows \
            Chrome DevTools' rules (docs/v8.md): its retained and shallow sizes are the ones \
            DevTools shows, and --json gives each object's DevTools distance.

            --by type groups the top of the dominator tree by type (MAT's group by class): \
            200,000 sessions are one row with their total, and garbage no root reaches is one \
            "unreachable" total.

            Example:
              heapgraph dominators app.heapgraph --limit 5
              heapgraph dominators app.heapgraph --by type
            """
    )

    enum Grouping: String, ExpressibleByArgument, CaseIterable {
        case object, type
    }

    @Argument(help: "A .heapgraph or V8 .heapsnapshot file (- for standard input).")
    var file: PathArgument

    @OptionGroup var limit: ListLimit

    @Option(help: "object: one row per object (the default); type: retained bytes per type, and the unreachable total.")
    var by: Grouping = .object

    @Flag(help: "Print JSON (docs/cli.md) instead of text.")
    var json = false

    @OptionGroup var common: CommonOptions

    struct Row: Encodable {
        var id: UInt64; var type: String; var label: String; var shallowBytes: Int; var retainedBytes: Int
        /// DevTools' distance from the root (V8 snapshots only; absent when unreachable).
        var distance: Int?
    }
    struct Output: Encodable { var file: String; var bytes: Int; var retainers: [Row] }
    struct TypeRow: Encodable { var type: String; var objects: Int; var shallowBytes: Int; var retainedBytes: Int }
    struct Unreachable: Encodable { var objects: Int; var bytes: Int }
    struct TypeOutput: Encodable { var file: String; var bytes: Int; var types: [TypeRow]; var unreachable: Unreachable }

    func run() throws {
        let graph = try SnapshotSource.open(file).load(quiet: common.quiet)
        let tree = Progress.run("computing dominators", quiet: common.quiet) { DominatorTree(graph: graph) }
        let total = graph.census().bytes
        switch by {
        case .object: try writeOutput(try byObject(graph: graph, tree: tree, total: total))
        case .type: try writeOutput(try byType(graph: graph, tree: tree, total: total))
        }
    }

    func byObject(graph: HeapSnapshot, tree: DominatorTree, total: Int) throws(CommandFailure) -> String {
        let retainers = tree.topRetainers(limit: limit.count ?? graph.nodeCount)
        if json {
            let paths = tree.rules == .devTools ? RootPaths(graph: graph, rules: .devTools) : nil
            let rows = retainers.map {
                Row(id: graph.id(of: $0.node), type: graph.typeName(of: $0.node), label: graph.shortLabel(of: $0.node),
                    shallowBytes: tree.shallowSize(of: $0.node, in: graph), retainedBytes: $0.retainedSize,
                    distance: paths?.distance(to: $0.node))
            }
            return try ReportJSON.text(Output(file: file.display, bytes: total, retainers: rows))
        }
        let table = retainers.map { retainer -> [String] in
            [ReportStyle.bytes(retainer.retainedSize), percent(retainer.retainedSize, of: total),
             ReportStyle.bytes(tree.shallowSize(of: retainer.node, in: graph)), graph.describe(retainer.node)]
        }
        var out = "Top \(retainers.count) retainers of \(ReportStyle.bytes(total)) in \(file.display)\n"
        out += Self.table(header: ["retained", "%", "shallow", "object"], rows: table)
        return out
    }

    func byType(graph: HeapSnapshot, tree: DominatorTree, total: Int) throws(CommandFailure) -> String {
        let grouped = RetainedByType(tree: tree, graph: graph)
        let shown = limit.prefix(grouped.rows)
        if json {
            let rows = shown.map { TypeRow(type: $0.type, objects: $0.objects, shallowBytes: $0.shallowBytes, retainedBytes: $0.retainedBytes) }
            return try ReportJSON.text(TypeOutput(file: file.display, bytes: total, types: rows,
                                                  unreachable: Unreachable(objects: grouped.unreachableObjects, bytes: grouped.unreachableBytes)))
        }
        let table = shown.map { row -> [String] in
            [ReportStyle.bytes(row.retainedBytes), percent(row.retainedBytes, of: total), ReportStyle.count(row.objects),
             ReportStyle.bytes(row.shallowBytes), ReportStyle.typeName(row.type)]
        }
        var out = "Retained bytes by type (top of the dominator tree) of \(ReportStyle.bytes(total)) in \(file.display)\n"
        out += Self.table(header: ["retained", "%", "objects", "shallow", "type"], rows: table)
        if let more = limit.moreLine(shown: shown.count, total: grouped.rows.count, noun: "types") { out += more + "\n" }
        out += "unreachable: \(ReportStyle.bytes(grouped.unreachableBytes)) (\(percent(grouped.unreachableBytes, of: total))) "
        out += "in \(ReportStyle.count(grouped.unreachableObjects)) objects no root reaches (see: heapgraph leaks \(file.display))\n"
        return out
    }

    /// "14.4%", one decimal, or "-" for an empty heap.
    func percent(_ part: Int, of total: Int) -> String {
        guard total > 0 else { return "-" }
        let tenths = (part * 1000 + total / 2) / total
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// Columns right-aligned but the last, two spaces apart.
    static func table(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { cells in
            cells.enumerated().map { column, cell in
                column == cells.count - 1 ? cell : leftPad(cell, widths[column])
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
