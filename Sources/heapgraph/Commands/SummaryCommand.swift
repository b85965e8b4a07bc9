import ArgumentParser
import Foundation
import HeapAnalysis
import HeapGraphModel

/// `heapgraph summary`: what is in a snapshot, objgraph's most common types with bytes.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Objects, edges, bytes and the most common types of a snapshot.",
        discussion: """
            Example:
              heapgraph summary app.heapgraph --limit 5
              heapgraph summary app.heapgraph --json | jq '.types[0]'
            """
    )

    @Argument(help: "A .heapgraph or V8 .heapsnapshot file (- for standard input).")
    var file: PathArgument

    @OptionGroup var limit: ListLimit

    @Flag(help: "Print JSON (docs/cli.md) instead of text.")
    var json = false

    @OptionGroup var common: CommonOptions

    func run() throws {
        let graph = try SnapshotSource.open(file).load(quiet: common.quiet)
        let summary = SnapshotSummary(graph: graph, file: file.display, limit: limit.count)
        try writeOutput(json ? try ReportJSON.text(summary) : summary.text(colors: Terminal.standardOutput.usesColor))
    }
}

/// What `summary` prints, as a value its JSON encodes directly.
struct SnapshotSummary: Encodable {
    struct TypeRow: Encodable { var name: String; var count: Int; var bytes: Int }
    struct Generation: Encodable { var collections: Int; var collected: Int; var uncollectable: Int }
    struct Collector: Encodable { var thresholds: [Int]?; var counts: [Int]?; var generations: [Generation]? }

    var file: String
    var tag: String?
    var time: String?
    var producer: String?
    var objects: Int
    var edges: Int
    var bytes: Int
    var roots: Int
    var tracked: Int
    var garbage: Int
    var watched: Int
    var types: [TypeRow]
    var collector: Collector?
    var allocator: [String: Int]?

    init(graph: HeapSnapshot, file: String, limit: Int?) {
        self.file = file
        tag = graph.metadata.tag
        time = graph.metadata.time
        producer = graph.metadata.producer
        objects = graph.nodeCount
        edges = graph.edgeCount
        let census = graph.census()
        (bytes, roots, tracked, garbage, watched) = (census.bytes, census.roots, census.tracked, census.inGarbage, census.watched)
        types = graph.mostCommonTypes(limit: limit, style: .recorded, scope: .all).map { TypeRow(name: $0.name, count: $0.count, bytes: $0.bytes) }
        let metadata = graph.metadata
        if metadata.thresholds != nil || metadata.counts != nil || metadata.generationStats != nil {
            collector = Collector(
                thresholds: metadata.thresholds, counts: metadata.counts,
                generations: metadata.generationStats?.map {
                    Generation(collections: $0["collections"] ?? 0, collected: $0["collected"] ?? 0, uncollectable: $0["uncollectable"] ?? 0)
                })
        }
        allocator = metadata.allocator
    }

    func text(colors: Bool) -> String {
        let bold = colors ? "\u{1B}[1m" : "", reset = colors ? "\u{1B}[0m" : ""
        var out = "\(bold)\(file)\(reset)"
        var about: [String] = []
        if let tag, !tag.isEmpty { about.append("tag \"\(tag)\"") }
        if let time { about.append("written \(time)") }
        if let producer { about.append("by \(producer)") }
        if !about.isEmpty { out += ": " + about.joined(separator: ", ") }
        out += "\n"
        out += "\(ReportStyle.count(objects)) objects, \(ReportStyle.count(edges)) references, \(ReportStyle.bytes(bytes))\n"
        out += "\(ReportStyle.count(roots)) roots (held by the program), \(ReportStyle.count(tracked)) tracked by the collector, "
        out += "\(ReportStyle.count(garbage)) in gc.garbage, \(ReportStyle.count(watched)) watched\n"
        if !types.isEmpty {
            let width = max(4, types.map { ReportStyle.typeName($0.name).count }.max() ?? 0)
            let countWidth = max(5, types.map { ReportStyle.count($0.count).count }.max() ?? 0)
            let bytesWidth = max(5, types.map { ReportStyle.bytes($0.bytes).count }.max() ?? 0)
            out += "\n\(bold)\(pad("type", width))  \(leftPad("count", countWidth))  \(leftPad("bytes", bytesWidth))\(reset)\n"
            for row in types {
                out += "\(pad(ReportStyle.typeName(row.name), width))  \(leftPad(ReportStyle.count(row.count), countWidth))  \(leftPad(ReportStyle.bytes(row.bytes), bytesWidth))\n"
            }
        }
        if let collector {
            out += "\nCollector:"
            if let thresholds = collector.thresholds { out += " thresholds \(thresholds.map(String.init).joined(separator: " "))" }
            if let counts = collector.counts { out += ", counts \(counts.map(String.init).joined(separator: " "))" }
            out += "\n"
            for (index, generation) in (collector.generations ?? []).enumerated() {
                out += "  generation \(index): \(generation.collections) collections, \(generation.collected) collected, \(generation.uncollectable) uncollectable\n"
            }
        }
        if let allocator, !allocator.isEmpty {
            let arenas = allocator["arenasCurrent"].map { "\($0) arenas" }
            let blocks = allocator["blocksInUse"].map { "\(ReportStyle.count($0)) blocks in use" }
            let bytes = allocator["bytesInAllocatedBlocks"].map { "\(ReportStyle.bytes($0)) in blocks" }
            let large = allocator["largeBlocks"].map { "\($0) large blocks (\(ReportStyle.bytes(allocator["largeBytes"] ?? 0)))" }
            out += "Allocator: " + [arenas, blocks, bytes, large].compactMap { $0 }.joined(separator: ", ") + "\n"
        }
        return out
    }
}

func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}

func leftPad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
}
