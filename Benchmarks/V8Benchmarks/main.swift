// V8 snapshot benchmarks (release only), driven by scripts/bench/v8-snapshots:
//
//   V8Benchmarks make UNITS OUT.heapsnapshot   a runtime heap of 5 × UNITS objects, exported
//                                              with HeapSnapshot.writeV8Snapshot(to:)
//   V8Benchmarks load FILE [RUNS]              HeapSnapshot(v8ContentsOf:) timed (median),
//                                              with the peak memory against the graph's size
//
// Each prints one JSON line.
import Foundation
import HeapGraphModel
import HeapRuntime
import HeapRuntimeSnapshot

/// A heap of `units` × 5 objects: per unit an `app.Item` instance with an int `id` (past the
/// small ints, so a node of its own), a str `name` and a list `tags` holding a float; items
/// hang from lists of 10,000 under one root list.
func buildHeap(units: Int) throws -> Heap {
    let heap = Heap()
    heap.gc.disable()
    let root = heap.list().unmanaged()
    let item = try heap.makeClass("app.Item")
    try heap.append(item, to: root)
    var chunk = heap.list()
    for unit in 0..<units {
        if unit % 10_000 == 0 {
            chunk = heap.list()
            try heap.append(chunk, to: root)
        }
        let object = try heap.instance(of: item)
        try heap.setAttribute("id", to: heap.int(1_000 + unit), on: object)
        try heap.setAttribute("name", to: heap.str("item-\(unit)"), on: object)
        let value = heap.float(Double(unit) + 0.5)
        try heap.setAttribute("tags", to: heap.list([value.ref]), on: object)
        try heap.append(object, to: chunk)
    }
    return heap
}

/// User plus system CPU seconds this process has used: on a machine shared with other
/// work, the wall-clock time includes waiting for a core, the CPU time does not.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// A field of /proc/self/status in bytes (VmHWM: peak resident, VmRSS: resident now).
func status(_ field: String) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
        let number = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return number * 1024
    }
    return 0
}

/// Resets VmHWM to the current resident size (Linux: writing 5 to clear_refs).
func resetPeak() {
    try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
}

let arguments = CommandLine.arguments
let clock = ContinuousClock()
switch arguments.dropFirst().first {
case "make":
    guard arguments.count == 4, let units = Int(arguments[2]) else { fatalError("usage: V8Benchmarks make UNITS OUT") }
    var start = clock.now
    var graph: HeapSnapshot
    do {
        let heap = try buildHeap(units: units)
        let built = seconds(clock.now - start)
        start = clock.now
        graph = HeapSnapshot(heap: heap)
        FileHandle.standardError.write("heap of \(graph.nodeCount) objects built in \(built) s, graph taken in \(seconds(clock.now - start)) s\n".data(using: .utf8) ?? Data())
    }
    start = clock.now
    let cpuStart = cpuSeconds()
    try graph.writeV8Snapshot(to: arguments[3])
    let written = seconds(clock.now - start), writtenCPU = cpuSeconds() - cpuStart
    let size = (try FileManager.default.attributesOfItem(atPath: arguments[3])[.size] as? Int) ?? 0
    print("{\"mode\":\"make\",\"objects\":\(graph.nodeCount),\"edges\":\(graph.edgeCount),\"bytes\":\(size),\"export_s\":\(written),\"export_mb_s\":\(Double(size) / 1e6 / written),\"export_cpu_s\":\(writtenCPU)}")
case "load":
    guard arguments.count >= 3 else { fatalError("usage: V8Benchmarks load FILE [RUNS]") }
    let path = arguments[2]
    let runs = arguments.count > 3 ? Int(arguments[3]) ?? 1 : 1
    let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    var times: [Double] = [], cpuTimes: [Double] = []
    var peaks: [Int] = []
    var graphBytes = 0, nodes = 0, edges = 0
    for _ in 0..<runs {
        resetPeak()
        let before = status("VmRSS")
        let start = clock.now, cpuStart = cpuSeconds()
        let graph = try HeapSnapshot(v8ContentsOf: path)
        times.append(seconds(clock.now - start))
        cpuTimes.append(cpuSeconds() - cpuStart)
        peaks.append(status("VmHWM") - before)
        graphBytes = graph.memoryBytes
        nodes = graph.nodeCount
        edges = graph.edgeCount
    }
    let time = times.sorted()[times.count / 2], cpu = cpuTimes.sorted()[cpuTimes.count / 2]
    let peak = peaks.max() ?? 0
    print("{\"mode\":\"load\",\"bytes\":\(size),\"nodes\":\(nodes),\"edges\":\(edges),\"median_s\":\(time),\"mb_s\":\(Double(size) / 1e6 / time),\"median_cpu_s\":\(cpu),\"cpu_mb_s\":\(Double(size) / 1e6 / cpu),\"runs\":\(runs),\"graph_bytes\":\(graphBytes),\"peak_bytes\":\(peak),\"peak_over_graph\":\(Double(peak) / Double(max(graphBytes, 1)))}")
default:
    fatalError("usage: V8Benchmarks make UNITS OUT | load FILE [RUNS]")
}
