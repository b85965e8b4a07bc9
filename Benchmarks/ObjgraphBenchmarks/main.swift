// objgraph's whole-heap queries on a 1M-object heap: typestats, a backref chain to a root
// (with and without rebuilding the reverse index), leaking objects, and a show_backrefs
// drawing. scripts/bench/objgraph_peer.py builds the same heap in CPython and times
// objgraph 3.7 on it; run both in one go:
//
//   swift run -c release ObjgraphBenchmarks [--records N] [--runs N] && python3 scripts/bench/objgraph_peer.py
//
// Prints one JSON line per workload ({"key", "name", "median_ns", "runs"}) on stdout.
#if canImport(Glibc)
import Glibc
#endif
import BenchmarkSupport
import HeapAnalysis
import HeapRuntime
import HeapGraphModel
import HeapRuntimeSnapshot


/// Times `body` `runs` times after one warm-up and prints the median as a JSON line.
func measure(_ key: String, _ name: String, runs: Int, _ body: () -> Int) {
    var samples: [Double] = []
    var sink = body()
    for _ in 0..<runs {
        let start = now()
        sink &+= body()
        samples.append((now() - start) * 1e9)
    }
    let median = samples.sorted()[samples.count / 2]
    let list = samples.map { String(Int($0)) }.joined(separator: ", ")
    print("{\"key\": \"\(key)\", \"name\": \"\(name)\", \"median_ns\": \(Int(median)), \"runs\": [\(list)]}")
    if sink == Int.min { print("") }   // keeps the results alive
}

/// The heap (same shape as objgraph_peer.py): a registry dict the host holds; `records`
/// instances of `Record`, each with a unique name (str), a value (int), tags (a list of two
/// shared strs), meta (a dict {"id": value}) and pair (a tuple (value, name)): 6 objects per
/// record, in bucket lists of 1,000 under registry["bucket<i>"]; and registry["chain"], a
/// linked list of 15 `Node`s whose last one holds the deep object, a list 16 references
/// from the registry. Returns the graph and the deep object's id.
func buildHeap(records: Int) throws -> (HeapSnapshot, UInt64) {
    let heap = Heap()
    let registry = heap.dict()
    let record = try heap.makeClass("bench.Record")
    let nodeClass = try heap.makeClass("bench.Node")
    let red = heap.str("red"), blue = heap.str("blue"), idKey = heap.str("id")
    var bucket = heap.list()
    for i in 0..<records {
        if i % 1000 == 0 {
            bucket = heap.list()
            try heap.setItem(heap.str("bucket\(i / 1000)"), to: bucket, in: registry)
        }
        let instance = try heap.instance(of: record)
        let name = heap.str("record-\(i)")
        let value = heap.int(1_000_000 + i)
        try heap.setAttribute("name", to: name, on: instance)
        try heap.setAttribute("value", to: value, on: instance)
        try heap.setAttribute("tags", to: heap.list([red.ref, blue.ref]), on: instance)
        let meta = heap.dict()
        try heap.setItem(idKey, to: value, in: meta)
        try heap.setAttribute("meta", to: meta, on: instance)
        try heap.setAttribute("pair", to: heap.tuple([value.ref, name.ref]), on: instance)
        try heap.append(instance, to: bucket)
    }
    bucket = heap.list()                                // the host keeps no bucket
    let deepID = try addChain(to: registry, nodeClass: nodeClass, heap: heap)
    heap.gc.collect()                                   // as objgraph does first: tuples of atoms untracked
    return (HeapSnapshot(heap: heap), deepID)
}

/// registry["chain"] → Node → … (15 Nodes) → the deep list; the host holds none of them.
func addChain(to registry: borrowing OwnedRef, nodeClass: borrowing OwnedRef, heap: Heap) throws -> UInt64 {
    let deep = heap.list()
    var next = try heap.instance(of: nodeClass)
    try heap.setAttribute("payload", to: deep, on: next)
    for _ in 1..<15 {
        let node = try heap.instance(of: nodeClass)
        try heap.setAttribute("next", to: next, on: node)
        next = node
    }
    try heap.setItem(heap.str("chain"), to: next, in: registry)
    return UInt64(UInt(bitPattern: deep.id))
}

func run() throws {
    let records = option("--records").flatMap { Int($0) } ?? 166_667
    let runs = option("--runs").flatMap { Int($0) } ?? 7
    let start = now()
    let (graph, deepID) = try buildHeap(records: records)
    guard let deep = graph.node(withID: deepID) else { fatalError("the deep object is not in the snapshot") }
    let chain = graph.findBackrefChain(to: deep)
    let tracked = graph.typeStats().values.reduce(0, +)
    let stderrLine = "heap: \(graph.nodeCount) nodes (\(tracked) tracked), \(graph.edgeCount) edges, built in \(Int(now() - start)) s; "
        + "chain of \(chain.count) from \(graph.typeName(of: chain[0]))\n"
    _ = stderrLine.withCString { write(2, $0, strlen($0)) }

    measure("typestats", "typeStats()", runs: runs) { graph.typeStats().count }
    measure("reverse_index", "reverse index build", runs: runs) { graph.buildReverseIndex().sources.count }
    measure("backref_chain", "findBackrefChain to a root", runs: runs) { graph.findBackrefChain(to: deep).count }
    measure("backref_chain_with_index", "reverse index build + findBackrefChain", runs: runs) {
        graph.buildReverseIndex().sources.count + graph.findBackrefChain(to: deep).count
    }
    measure("leaking_objects", "leakingObjects()", runs: runs) { graph.leakingObjects().count }
    measure("show_backrefs", "showBackrefs (DOT text)", runs: runs) { graph.showBackrefs([deep]).text.utf8.count }
}

try run()
