// Leak analysis benchmarks (release only): `swift run -c release LeakBenchmarks [runs]`.
//
// 1. DominatorTree(graph:) on a 1M-object heap, against a breadth-first search from the
//    roots over the same graph (RootPaths: the least any whole-graph analysis does).
// 2. LeakReport.analyze on a 10M-object snapshot loaded from a file; the load is timed
//    separately and is not part of the report's figure.
//
// `LeakBenchmarks --v8 FILE [runs]` instead times, on one V8 .heapsnapshot, the dominator
// tree and the paths from the roots by DevTools' rules against HeapGraph's, alternated in
// one process (docs/performance.md, "DevTools' rules on V8 snapshots").
import Foundation
import HeapAnalysis
import HeapRuntime
import HeapGraphModel
import HeapRuntimeSnapshot

/// A heap of about `objects` objects in units of eight: a list holding a Node instance
/// whose `next` is another Node holding an int `value` and a dict {unique str: int}, and a
/// 2-tuple (the int and the str). Every 1,000th unit also leaves a two-Node ring as cyclic
/// garbage; every 10,000th puts a watched list in its unit's list. Units hang from root
/// lists of 10,000.
func buildHeap(objects: Int) throws -> Heap {
    let heap = Heap()
    heap.gc.disable()
    let root = heap.list().unmanaged()
    let node = try heap.makeClass("app.Node")
    try heap.append(node, to: root)
    var chunk = heap.list()
    let units = objects / 8
    for unit in 0..<units {
        if unit % 10_000 == 0 {
            chunk = heap.list()
            try heap.append(chunk, to: root)
        }
        let holder = heap.list()
        let a = try heap.instance(of: node), b = try heap.instance(of: node)
        let value = heap.int(unit), key = heap.str("k\(unit)")
        let table = heap.dict()
        try heap.setItem(key, to: heap.int(unit &* 7), in: table)
        try heap.setAttribute("value", to: value, on: b)
        try heap.setAttribute("table", to: table, on: b)
        try heap.setAttribute("next", to: b, on: a)
        try heap.append(a, to: holder)
        try heap.append(heap.tuple([value.ref, key.ref]), to: holder)
        try heap.append(holder, to: chunk)
        if unit % 1_000 == 0 {
            let x = try heap.instance(of: node), y = try heap.instance(of: node)
            try heap.setAttribute("next", to: y, on: x)
            try heap.setAttribute("prev", to: x, on: y)
        }
        if unit % 10_000 == 5 {
            let watched = heap.list()
            try heap.watch(watched, description: "closed unit \(unit)")
            try heap.append(watched, to: holder)
        }
    }
    return heap
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// Median of `runs` timings of `body` (each result is kept alive until timed).
func median<T>(_ runs: Int, _ body: () -> T) -> (median: Double, all: [Double]) {
    var times: [Double] = []
    for _ in 0..<runs {
        let clock = ContinuousClock()
        var result: T?
        let elapsed = clock.measure { result = body() }
        withExtendedLifetime(result) {}
        times.append(seconds(elapsed))
    }
    let sorted = times.sorted()
    return (sorted[sorted.count / 2], times)
}

func format(_ figure: (median: Double, all: [Double])) -> String {
    String(format: "%.3f s (runs: %@)", figure.median, figure.all.map { String(format: "%.3f", $0) }.joined(separator: ", "))
}

/// DevTools' rules against HeapGraph's on one V8 snapshot: each run times the four in turn,
/// so the machine's load falls on all of them alike.
func runV8(path: String, runs: Int) throws {
    let clock = ContinuousClock()
    var loaded: HeapSnapshot?
    let load = clock.measure { loaded = try? HeapSnapshot(v8ContentsOf: path) }
    guard let graph = loaded else { print("could not read \(path)"); return }
    print("\(path): \(graph.nodeCount) nodes, \(graph.edgeCount) edges; load \(String(format: "%.3f", seconds(load))) s")
    let workloads: [(String, () -> Any)] = [
        ("DominatorTree, HeapGraph's rules", { DominatorTree(graph: graph, rules: .heapGraph) }),
        ("DominatorTree, DevTools' rules", { DominatorTree(graph: graph, rules: .devTools) }),
        ("RootPaths, HeapGraph's rules", { RootPaths(graph: graph, rules: .heapGraph) }),
        ("RootPaths, DevTools' rules", { RootPaths(graph: graph, rules: .devTools) }),
    ]
    var times = [[Double]](repeating: [], count: workloads.count)
    for _ in 0..<runs {
        for (index, workload) in workloads.enumerated() {
            var result: Any?
            let elapsed = clock.measure { result = workload.1() }
            withExtendedLifetime(result) {}
            times[index].append(seconds(elapsed))
        }
    }
    for (index, workload) in workloads.enumerated() {
        let sorted = times[index].sorted()
        print("  \(workload.0): " + format((sorted[sorted.count / 2], times[index])))
    }
}

func run() throws {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.first == "--v8" {
        guard arguments.count >= 2 else { print("usage: LeakBenchmarks --v8 FILE [runs]"); return }
        try runV8(path: arguments[1], runs: arguments.dropFirst(2).first.flatMap { Int($0) } ?? 5)
        return
    }
    let runs = arguments.first.flatMap { Int($0) } ?? 5

    do {
        let heap = try buildHeap(objects: 1_000_000)
        let graph = HeapSnapshot(heap: heap)
        print("1M heap: \(graph.nodeCount) nodes, \(graph.edgeCount) edges")
        let bfs = median(runs) { RootPaths(graph: graph) }
        let dominators = median(runs) { DominatorTree(graph: graph) }
        let report = median(runs) { LeakReport.analyze(graph) }
        print("  BFS from roots (RootPaths), floor: \(format(bfs))")
        print("  DominatorTree(graph:):             \(format(dominators))")
        print("  LeakReport.analyze:                \(format(report))")
        print("  dominators / BFS: \(String(format: "%.2f", dominators.median / bfs.median))")
    }

    let path = FileManager.default.temporaryDirectory.appendingPathComponent("leak-bench-\(getpid()).heapgraph").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    do {
        let heap = try buildHeap(objects: 10_000_000)
        try heap.writeSnapshot(to: path, tag: "leak benchmark")
    }
    let load = median(1) { try? HeapSnapshot(contentsOf: path) }
    guard let graph = try? HeapSnapshot(contentsOf: path) else { print("could not read \(path)"); return }
    print("10M snapshot: \(graph.nodeCount) nodes, \(graph.edgeCount) edges; load \(format(load))")
    let reportRuns = max(3, runs / 2)
    let bfs = median(reportRuns) { RootPaths(graph: graph) }
    let report = median(reportRuns) { LeakReport.analyze(graph, file: path) }
    let result = LeakReport.analyze(graph, file: path)
    print("  BFS from roots (RootPaths), floor: \(format(bfs))")
    print("  LeakReport.analyze (load not included): \(format(report))")
    print("  groups: " + result.groups.map { "\($0.category.rawValue) ×\($0.count)" }.joined(separator: ", "))
}

try run()
