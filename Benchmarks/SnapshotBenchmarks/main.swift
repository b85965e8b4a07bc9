// Snapshot benchmark: a heap of 10M objects and 30M edges written to a .heapgraph file and
// read back into the compact graph, with the reader's memory.
//
//   swift run -c release SnapshotBenchmarks [--nodes N] [--runs N] [--path FILE] [--phases] [--replace]
//                                           [--watch N] [--tag TEXT] [--keep FILE] [--host-held]
//
// --watch N watches the first N lists (each with a description, as LeakyApp's closed
// sessions), so the metadata carries N watched entries; --tag sets the snapshot's tag.
// --leakyapp-requests N instead reads back what LeakyApp writes (LeakyAppSnapshot.swift).
// `--host-held` adds one int that only the program holds, so every write also walks the
// allocator's pools for objects no tracked object reaches (docs/architecture.md).
#if canImport(Glibc)
import Glibc
#endif
import BenchmarkSupport
import HeapRuntime
import HeapGraphModel

let arguments = CommandLine.arguments
let nodes = option("--nodes").flatMap { Int($0) } ?? 10_000_000
let path = option("--path") ?? "/tmp/heapgraph-benchmark.heapgraph"
let runs = option("--runs").flatMap { Int($0) } ?? 3
let watchCount = option("--watch").flatMap { Int($0) } ?? 0
let tag = option("--tag") ?? "benchmark"
if let requests = option("--leakyapp-requests").flatMap({ Int($0) }) {
    exit(runLeakyAppSnapshotBenchmark(requests: requests, runs: runs))
}

// Each list refers to three others (the next one and two pseudo-random ones): 3 edges per
// node, and every list reachable from the first, which the program holds.
let heap = Heap()
heap.gc.disable()
let first: ObjectRef
do {
    let holder = heap.list()
    for _ in 0..<nodes { try heap.append(taking: heap.list(), to: holder.ref) }
    let lists = try heap.items(of: holder.ref)
    for i in 0..<nodes {
        try heap.append(lists[(i + 1) % nodes], to: lists[i])
        try heap.append(lists[(i &* 7 &+ 3) % nodes], to: lists[i])
        try heap.append(lists[(i &* 13 &+ 5) % nodes], to: lists[i])
    }
    for i in 0..<min(watchCount, nodes) {
        try heap.watch(lists[i], description: "closed Session #\(i) (request \(i * 10))")
    }
    first = heap.retain(lists[0]).unmanaged()
}
let hostHeld = arguments.contains("--host-held") ? heap.int(123_456_789).unmanaged() : nil
print("heap: \(nodes) lists, \(3 * nodes) edges, \(min(watchCount, nodes)) watched\(hostHeld == nil ? "" : ", and an int only the program holds")")

if arguments.contains("--phases") {
    // Where a write's time goes: opening the view (the numbering walk and the held-count
    // walk), then building every node record without writing it.
    var opens: [Double] = []
    var nodeRecords: [Double] = []
    for _ in 0..<runs {
        var start = now()
        heap.withSnapshotView { _ in }
        opens.append(now() - start)
        start = now()
        let total = heap.withSnapshotView { view in
            var sum = 0
            for ordinal in 0..<view.count { sum &+= view.node(ordinal).shallowSize }
            return sum
        }
        nodeRecords.append(now() - start)
        precondition(total > 0)
    }
    print("open view: median \(median(opens)) s of \(opens.map { ($0 * 100).rounded() / 100 })")
    print("open + nodes: median \(median(nodeRecords)) s of \(nodeRecords.map { ($0 * 100).rounded() / 100 })")
}

var writes: [Double] = []
for _ in 0..<runs {
    // Each write starts as a user's would: no file to replace, and no dirty pages of the
    // previous run still being flushed by the kernel beside it (not timed). `--replace`
    // keeps the old protocol: each run truncates the last run's file while the kernel is
    // still writing it back.
    if !arguments.contains("--replace") {
        unlink(path)
        sync()
    }
    let start = now()
    try heap.writeSnapshot(to: path, tag: tag)
    writes.append(now() - start)
}
var reads: [Double] = []
var retained = 0
var graphEdges = 0
var graphNodes = 0
var watchedRead = 0
for _ in 0..<runs {
    let before = residentBytes()
    let start = now()
    let graph = try HeapSnapshot(contentsOf: path)
    reads.append(now() - start)
    // The first read's figure: later reads reuse the pages the previous graph freed.
    retained = max(retained, residentBytes() - before)
    graphNodes = graph.nodeCount
    watchedRead = graph.metadata.watched?.count ?? 0
    graphEdges = graph.edgeCount
}
var size = stat()
stat(path, &size)
let budget = 40 * graphNodes + 12 * graphEdges
print("file: \(size.st_size / 1_000_000) MB, \(graphNodes) nodes, \(graphEdges) edges, \(watchedRead) watched entries read")
print("write: median \(median(writes)) s of \(writes.map { ($0 * 100).rounded() / 100 })")
print("read:  median \(median(reads)) s of \(reads.map { ($0 * 100).rounded() / 100 })")
print("reader memory: \(retained / 1_000_000) MB resident after reading; budget 40 B/node + 12 B/edge = \(budget / 1_000_000) MB")
print("per node: \(Double(retained) / Double(max(graphNodes, 1))) bytes with edges, compact graph \(39 * graphNodes + 12 * graphEdges) bytes by construction")
if let keep = option("--keep") { rename(path, keep) } else { unlink(path) }
heap.release(first)
