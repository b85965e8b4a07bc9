// Benchmarks of HeapRuntime. Run in release through scripts/bench/run, which puts each
// figure beside CPython's on the same workload (scripts/bench/runtime_peers.py).
//
//   swift run -c release RuntimeBenchmarks [name ...] [--json] [--phases]
//
// `--phases` adds to the instances workload the medians of its two halves, making and
// freeing, per object.
//
// Each workload runs several times; the median is reported, because these machines are
// shared and noisy.
#if canImport(Glibc)
import Glibc
#endif
import BenchmarkSupport
import HeapRuntime

struct Result {
    var name: String
    var unit: String
    var median: Double
    var runs: [Double]
}

/// Runs `body` `repeats` times; `body` returns the seconds of the part measured and the
/// number of operations it did; reports nanoseconds per operation.
/// `--quick` divides the sizes of the scalable workloads by 100 and runs each once, for
/// profiling under valgrind.
let scale = CommandLine.arguments.contains("--quick") ? 100 : 1

func measure(_ name: String, repeats: Int = 7, _ body: () throws -> (seconds: Double, operations: Int)) rethrows -> Result {
    var runs: [Double] = []
    for _ in 0..<(scale == 1 ? repeats : 1) {
        let (seconds, operations) = try body()
        runs.append(seconds * 1e9 / Double(operations))
    }
    return Result(name: name, unit: "ns/op", median: median(runs), runs: runs)
}

/// The 32 size classes, 16…512 bytes, in a fixed shuffled order so neither allocator sees
/// one size repeated.
let sizes: [Int] = {
    var rng: UInt64 = 7
    var sizes = (1...32).map { $0 * 16 }
    for i in stride(from: sizes.count - 1, to: 0, by: -1) {
        rng = rng &* 6364136223846793005 &+ 1442695040888963407
        sizes.swapAt(i, Int(rng >> 33) % (i + 1))
    }
    return sizes
}()

let batch = 1024

/// 5,000 rounds of allocating `batch` blocks of the 32 sizes in the shuffled order, then
/// freeing them: the one loop both allocators run. Inlined, so the closures cost nothing.
@inline(__always)
func allocFreeRounds(_ allocate: (Int) -> UnsafeMutableRawPointer?, _ free: (UnsafeMutableRawPointer, Int) -> Void) -> (seconds: Double, operations: Int) {
    let blocks = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: batch)
    defer { blocks.deallocate() }
    let size = UnsafeMutablePointer<Int>.allocate(capacity: 32)
    defer { size.deallocate() }
    for i in 0..<32 { size[i] = sizes[i] }
    let rounds = 5_000
    let start = now()
    for round in 0..<rounds {
        for i in 0..<batch { blocks[i] = allocate(size[(i &+ round) & 31]) }
        for i in 0..<batch { free(blocks[i].unsafelyUnwrapped, size[(i &+ round) & 31]) }
    }
    return (now() - start, rounds * batch)
}

func poolAllocFree() -> Result {
    measure("pool alloc+free 16-512 B") {
        var allocator = SmallBlockAllocator()
        return allocFreeRounds({ allocator.allocate($0) }, { allocator.deallocate($0, size: $1) })
    }
}

func mallocFree() -> Result {
    measure("malloc+free 16-512 B") {
        allocFreeRounds({ malloc($0) }, { block, _ in free(block) })
    }
}

/// A bare walk of a generation list: `gc.freeze()` then `gc.unfreeze()` each visit every
/// object once (read `next`, write a flag into `prev`); reported per object per walk. The
/// floor under any collector pass over the same objects.
func generationWalk() throws -> Result {
    try measure("bare walk of a 4M-object generation list", repeats: 5) {
        let heap = Heap()
        heap.gc.disable()
        let root = heap.list()
        let n = 4_000_000 / scale
        for _ in 0..<n { try heap.append(taking: heap.list(), to: root.ref) }
        let start = now()
        heap.gc.freeze()
        heap.gc.unfreeze()
        return (now() - start, 2 * (n + 1))
    }
}

func emptyList() -> Result {
    measure("create+destroy empty list") {
        let heap = Heap()
        let n = 20_000_000 / scale
        let start = now()
        for _ in 0..<n { _ = heap.list() }
        return (now() - start, n)
    }
}

func instances(collector: Bool) throws -> Result {
    var made: [Double] = [], freed: [Double] = []
    var result = try measure(collector ? "10M instances, 2 attributes, gc on" : "10M instances, 2 attributes, gc off", repeats: 5) {
        let heap = Heap()
        if !collector { heap.gc.disable() }
        let cls = try heap.makeClass("C")
        let a = heap.str("a"), b = heap.str("b")
        let n = 10_000_000 / scale
        let start = now()
        do {
            let objects = heap.list()
            for i in 0..<n {
                let object = try heap.instance(of: cls)
                let value = heap.int(i)
                try heap.setAttribute(a.ref, to: value.ref, on: object.ref)   // self.a = i
                try heap.setAttribute(b.ref, to: value.ref, on: object.ref)   // self.b = i
                try heap.append(taking: object, to: objects.ref)
            }
            made.append(now() - start)
        }  // the list goes, and every instance with it
        let end = now()
        freed.append(end - start - (made.last ?? 0))
        return (end - start, n)
    }
    if CommandLine.arguments.contains("--phases") {
        let n = Double(10_000_000 / scale)
        result.name += " (made \(String(format: median(made) * 1e9 / n)), freed \(String(format: median(freed) * 1e9 / n)))"
    }
    return result
}

func fullCollection(_ n: Int) throws -> Result {
    try measure("full collection, \(n / 1_000_000)M live lists", repeats: 5) {
        let heap = Heap()
        heap.gc.disable()
        let root = heap.list()
        for _ in 0..<n { try heap.append(taking: heap.list(), to: root.ref) }
        let start = now()
        heap.gc.collect()
        return (now() - start, n + 1)
    }
}

func cyclicGarbage() throws -> Result {
    try measure("collect 500k list pairs (1M garbage)", repeats: 5) {
        let heap = Heap()
        heap.gc.disable()
        for _ in 0..<500_000 {
            let a = heap.list()
            let b = heap.list([a.ref])
            try heap.append(b, to: a.ref)
        }
        let start = now()
        let found = heap.gc.collect()
        precondition(found == 1_000_000, "expected 1M unreachable, found \(found)")
        return (now() - start, found)
    }
}

/// pyperformance's gc_collect: 100 rings of 21 Node instances linked both ways.
func gcCollectWorkload() throws -> Result {
    try measure("pyperformance gc_collect (100 x 21 nodes)", repeats: 11) {
        let heap = Heap()
        heap.gc.disable()
        let node = try heap.makeClass("Node")
        let next = heap.str("next"), prev = heap.str("prev")
        var total = 0.0
        let loops = 10
        for _ in 0..<loops {
            for _ in 0..<100 {
                let head = try heap.instance(of: node)
                try heap.setAttribute(next.ref, to: heap.none, on: head.ref)
                try heap.setAttribute(prev.ref, to: heap.none, on: head.ref)
                var current = head.copy()
                for _ in 0..<20 {
                    let n = try heap.instance(of: node)
                    try heap.setAttribute(next.ref, to: n.ref, on: current.ref)
                    try heap.setAttribute(prev.ref, to: current.ref, on: n.ref)
                    current = n
                }
                try heap.setAttribute(next.ref, to: head.ref, on: current.ref)
                try heap.setAttribute(prev.ref, to: current.ref, on: head.ref)
            }
            let start = now()
            let found = heap.gc.collect()
            total += now() - start
            precondition(found >= 2_100, "expected the rings to be found, got \(found)")
        }
        return (total, loops)
    }
}

/// pyperformance's gc_traversal: 1000 levels of lists, level n holding n references to the
/// level below; nothing is garbage.
func gcTraversalWorkload() throws -> Result {
    try measure("pyperformance gc_traversal (1000 levels)", repeats: 11) {
        let heap = Heap()
        heap.gc.disable()
        var current = heap.list()
        for n in 0..<1000 {
            let level = heap.list()
            for _ in 0..<n { try heap.append(current.ref, to: level.ref) }
            current = level
        }
        var total = 0.0
        let loops = 10
        for _ in 0..<loops {
            let start = now()
            let found = heap.gc.collect()
            total += now() - start
            precondition(found == 0)
        }
        return (total, loops)
    }
}

/// `youngOnly`: the collector on with threshold 2 out of reach, so only generations 0 and
/// 1 are collected; what is left of "gc on" is the cost of the full collections.
func buildContainers(collector: Bool, youngOnly: Bool = false) throws -> Result {
    let name = youngOnly ? "build 10M lists, gc on, young generations only" : collector ? "build 10M lists, gc on" : "build 10M lists, gc off"
    return try measure(name, repeats: 5) {
        let heap = Heap()
        if !collector { heap.gc.disable() }
        if youngOnly { heap.gc.thresholds = (700, 10, 1_000_000_000) }
        let root = heap.list()
        let n = 10_000_000
        let start = now()
        for _ in 0..<n { try heap.append(taking: heap.list(), to: root.ref) }
        let seconds = now() - start
        heap.gc.disable()  // tearing down is not part of the figure
        return (seconds, n)
    }
}

/// What the machine charges for memory it has not touched yet: one write per 4 KiB page of
/// a fresh 1.3 GB mapping, reported per 128 bytes (the instances workload's footprint per
/// object: instance 64, attribute pairs 32, int 32). Every workload that grows the heap pays
/// this, CPython too.
func firstTouch() -> Result {
    measure("first touch of fresh memory, per 128 B", repeats: 5) {
        let length = 1_300 << 20
        let start = now()
        guard let raw = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), raw != MAP_FAILED else {
            fatalError("mmap failed")
        }
        for offset in stride(from: 0, to: length, by: 4096) { raw.storeBytes(of: 1, toByteOffset: offset, as: UInt8.self) }
        let seconds = now() - start
        munmap(raw, length)
        return (seconds, length / 128)
    }
}

/// A heap of `live` lists written to a snapshot file (then removed): what a long-running
/// service looks like after its first snapshot. Stable snapshot ids (issue 18) make every
/// later free look its address up; this is the workload that shows the cost.
func snapshotted(_ heap: Heap, live: Int) throws -> OwnedRef {
    let keep = heap.list()
    for _ in 0..<live { try heap.append(taking: heap.list(), to: keep.ref) }
    let path = "/tmp/runtime-benchmarks-\(getpid()).heapgraph"
    try heap.writeSnapshot(to: path, tag: "benchmark")
    unlink(path)
    return keep
}

func emptyListAfterSnapshot() throws -> Result {
    try measure("create+destroy empty list, after a snapshot") {
        let heap = Heap()
        let keep = try snapshotted(heap, live: 1_000_000 / scale)
        let n = 20_000_000 / scale
        let start = now()
        for _ in 0..<n { _ = heap.list() }
        let seconds = now() - start
        withExtendedLifetime(keep) {}
        return (seconds, n)
    }
}

func instancesAfterSnapshot() throws -> Result {
    try measure("10M instances, 2 attributes, gc off, after a snapshot", repeats: 5) {
        let heap = Heap()
        heap.gc.disable()
        let keep = try snapshotted(heap, live: 1_000_000 / scale)
        let cls = try heap.makeClass("C")
        let a = heap.str("a"), b = heap.str("b")
        let n = 10_000_000 / scale
        let start = now()
        do {
            let objects = heap.list()
            for i in 0..<n {
                let object = try heap.instance(of: cls)
                let value = heap.int(i)
                try heap.setAttribute(a.ref, to: value.ref, on: object.ref)
                try heap.setAttribute(b.ref, to: value.ref, on: object.ref)
                try heap.append(taking: object, to: objects.ref)
            }
        }
        let seconds = now() - start
        withExtendedLifetime(keep) {}
        return (seconds, n)
    }
}

/// Freeing objects that were in a snapshot: each free removes its serial from the table.
func freeSnapshotted() throws -> Result {
    try measure("free 1M lists that were in a snapshot", repeats: 5) {
        let heap = Heap()
        heap.gc.disable()
        let n = 1_000_000 / scale
        var keep: OwnedRef? = try snapshotted(heap, live: n)
        let start = now()
        keep = nil
        let seconds = now() - start
        withExtendedLifetime(keep) {}
        return (seconds, n)
    }
}

let all: [(String, () throws -> Result)] = [
    ("first_touch", firstTouch),
    ("pool", poolAllocFree), ("malloc", mallocFree), ("empty_list", emptyList),
    ("instances_gc_off", { try instances(collector: false) }),
    ("generation_walk", generationWalk),
    ("full_collect_1m", { try fullCollection(1_000_000) }), ("full_collect_4m", { try fullCollection(4_000_000) }),
    ("cyclic_garbage", cyclicGarbage), ("gc_collect", gcCollectWorkload), ("gc_traversal", gcTraversalWorkload),
    ("build_gc_on", { try buildContainers(collector: true) }), ("build_gc_off", { try buildContainers(collector: false) }),
    ("build_gc_young_only", { try buildContainers(collector: true, youngOnly: true) }),
    ("empty_list_after_snapshot", emptyListAfterSnapshot), ("instances_after_snapshot", instancesAfterSnapshot),
    ("free_snapshotted", freeSnapshotted),
]

let arguments = Array(CommandLine.arguments.dropFirst())
let json = arguments.contains("--json")
let wanted = Set(arguments.filter { !$0.hasPrefix("--") })
for (key, run) in all where wanted.isEmpty || wanted.contains(key) {
    let result = try run()
    if json {
        let runs = result.runs.map { String(format: $0) }.joined(separator: ",")
        print("{\"key\":\"\(key)\",\"name\":\"\(result.name)\",\"median_ns\":\(String(format: result.median)),\"runs\":[\(runs)]}")
    } else {
        print(result.name.padded(44), String(format: result.median), "ns/op")
    }
}

func String(format value: Double) -> String {
    let scaled = (value * 100).rounded() / 100
    return "\(scaled)"
}

extension String {
    func padded(_ width: Int) -> String { self + String(repeating: " ", count: max(1, width - count)) }
}
