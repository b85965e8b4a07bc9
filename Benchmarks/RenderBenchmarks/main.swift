// Times DOT -> SVG in-process through libgvc against objgraph's way of
// spawning `dot`, on deterministic objgraph-style graphs.
//
//     swift run -c release RenderBenchmarks [--runs N] [--emit DIR]
//
// --emit writes the generated graphs to DIR as .dot files and exits.
// Exits with status 1 when a target is missed.
import Foundation
import GraphvizRender

struct Case {
    var name: String
    var graph: BackrefsGraph
    var target: Duration?
}

let arguments = CommandLine.arguments
let runs = arguments.firstIndex(of: "--runs").flatMap { index in
    arguments.indices.contains(index + 1) ? Int(arguments[index + 1]) : nil
} ?? 5

let cases = [
    Case(name: "backrefs 100", graph: BackrefsGraph(shape: .backrefs, nodes: 100, edges: 130, seed: 1),
         target: .milliseconds(200)),
    Case(name: "backrefs 200 (analyzer cap)", graph: BackrefsGraph(shape: .backrefs, nodes: 200, edges: 260, seed: 2),
         target: nil),
    Case(name: "random 400/800", graph: BackrefsGraph(shape: .random, nodes: 400, edges: 800, seed: 3), target: nil),
    Case(name: "backrefs 1000/2000", graph: BackrefsGraph(shape: .backrefs, nodes: 1000, edges: 2000, seed: 4),
         target: .seconds(10)),
    Case(name: "random 1000/2000", graph: BackrefsGraph(shape: .random, nodes: 1000, edges: 2000, seed: 5),
         target: .seconds(10)),
]

func median(_ samples: [Duration]) -> Duration {
    let sorted = samples.sorted()
    let middle = sorted.count / 2
    return sorted.count.isMultiple(of: 2) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
}

func seconds(_ duration: Duration) -> Double {
    let parts = duration.components
    return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
}

func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, width - text.count))
    return left ? fill + text : text + fill
}

func fixed(_ value: Double, _ decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = Int((value * scale).rounded())
    let whole = scaled / Int(scale)
    let fraction = String(scaled % Int(scale))
    return decimals == 0 ? "\(whole)" : "\(whole)." + String(repeating: "0", count: decimals - fraction.count) + fraction
}

if let index = arguments.firstIndex(of: "--emit"), arguments.indices.contains(index + 1) {
    let directory = URL(fileURLWithPath: arguments[index + 1])
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    for benchmark in cases {
        let name = benchmark.name.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: "-") + ".dot"
        try Data(benchmark.graph.dot().utf8).write(to: directory.appendingPathComponent(name))
        print(directory.appendingPathComponent(name).path)
    }
    exit(0)
}

let clock = ContinuousClock()
let renderer = GraphvizRenderer()
let spawned = try SpawnedDot()
defer { spawned.cleanUp() }
var missed: [String] = []

print("RenderBenchmarks: DOT -> SVG, median of \(runs) runs after one warm-up, \(ProcessInfo.processInfo.activeProcessorCount) cores")
var table = [["graph", "nodes", "edges", "layout (LayoutPolicy.standard)", "in-process", "spawned dot", "ratio", "SVG bytes"]]
for benchmark in cases {
    let dot = benchmark.graph.dot()
    let plan = try renderer.layoutPlan(forDOT: dot)
    _ = try renderer.render(dot: dot, format: .svg)
    _ = try spawned.renderSVG(dot, plan: plan)

    var inProcess: [Duration] = []
    var peer: [Duration] = []
    var inProcessBytes = 0
    var peerBytes = 0
    for _ in 0..<runs {
        let start = clock.now
        inProcessBytes = try renderer.render(dot: dot, format: .svg).count
        inProcess.append(clock.now - start)
        let peerStart = clock.now
        peerBytes = try spawned.renderSVG(dot, plan: plan).count
        peer.append(clock.now - peerStart)
    }
    let ours = median(inProcess)
    let theirs = median(peer)
    table.append([
        benchmark.name, "\(benchmark.graph.nodes)", "\(benchmark.graph.edges)", plan.description,
        fixed(seconds(ours), 3) + " s", fixed(seconds(theirs), 3) + " s",
        fixed(seconds(theirs) / seconds(ours), 2) + "x", "\(inProcessBytes)/\(peerBytes)",
    ])
    if let target = benchmark.target, ours > target {
        missed.append("\(benchmark.name): \(fixed(seconds(ours), 3)) s > target \(fixed(seconds(target), 3)) s")
    }
}
let widths = table[0].indices.map { column in table.map { $0[column].count }.max() ?? 0 }
for row in table {
    // Text columns left-aligned, numbers right-aligned.
    let cells = row.indices.map { column in
        [0, 3].contains(column) ? pad(row[column], widths[column]) : pad(row[column], widths[column], left: true)
    }
    print(cells.joined(separator: "  "))
}
print("ratio = spawned dot / in-process (higher means in-process is faster); SVG bytes = in-process/spawned.")
if missed.isEmpty {
    print("targets met: backrefs 100 <= 0.2 s, 1000/2000 graphs <= 10 s")
} else {
    print("TARGETS MISSED:\n  " + missed.joined(separator: "\n  "))
    exit(1)
}
