// libFuzzer target for the V8 `.heapsnapshot` reader and DevTools' rules: any bytes must give
// a graph or a V8SnapshotError, never a trap, a hang or an allocation the file's size cannot
// justify; every graph the reader accepts must go through the analyses a V8 file gets
// (DevTools' dominators, distances and paths, HeapGraph's too, the leak report) without a
// trap.
//
// Each input is read twice: through the public reader (a 4 MiB buffer, so a small input is
// one read), and through the same reader with a buffer of 1 to 64 bytes chosen from the
// input, so that every token, string escape and number also crosses a refill. Both must agree
// on the outcome: the same error kind, or graphs of the same nodes, edges and strings.
//
// Built and run by `scripts/fuzz-snapshot --v8` (swiftc -sanitize=fuzzer,address, linked
// with the HeapGraphFormat, HeapGraphModel and HeapAnalysis modules as they are, the last
// two built with -enable-testing for the small-buffer reader and the internal passes).
// Seeds are the hand-written snapshots of Tests/V8Fixtures; Fuzz/V8/v8.dict gives libFuzzer
// the format's keys and tokens.
//
// Byte mutations almost always break the JSON, so a custom mutator (below) mostly edits
// numbers instead. Half the time it edits the graph (V8GraphMutation.swift): retargets edges,
// changes edge and node types, names, ids and sizes, moves an edge from one node to the
// next, keeping counts and offsets valid, so the input reaches DevTools' rules. A quarter of
// the time it replaces a few runs of digits anywhere with other integers (nearby values,
// small ones, node offsets, limits), which keeps the text JSON and tries the reader's
// checks. The last quarter is libFuzzer's own mutation.
//
// At exit it prints how many inputs ran, how many parsed, and which errors rejected the
// rest (`fuzz-stats:` lines).
#if canImport(Glibc)
import Glibc
#endif
import HeapGraphFormat
@testable import HeapGraphModel
@testable import HeapAnalysis

private let inputPath = "heapgraph-v8-fuzz-\(getpid()).heapsnapshot"

/// Counters printed at exit; libFuzzer runs the target on one thread.
private struct Stats {
    var inputs = 0
    var parsed = 0
    var analyzedNodes = 0
    var errors: [String: Int] = [:]
    /// Mutations made: libFuzzer's, graph edits, number replacements.
    var mutations = (libFuzzer: 0, graph: 0, numbers: 0)
}
nonisolated(unsafe) private var stats = Stats()
nonisolated(unsafe) private var statsRegistered = false

private func printStats() {
    print("fuzz-stats: inputs \(stats.inputs), parsed \(stats.parsed), nodes analyzed \(stats.analyzedNodes)")
    let mutations = stats.mutations
    print("fuzz-stats: mutations: libFuzzer's \(mutations.libFuzzer), graph edits \(mutations.graph), numbers \(mutations.numbers)")
    for (kind, count) in stats.errors.sorted(by: { $0.value > $1.value }) {
        print("fuzz-stats: rejected \(count): \(kind)")
    }
    unlink(inputPath)
}

/// The error's case, without its values.
private func kind(of error: V8SnapshotError) -> String {
    if let label = Mirror(reflecting: error).children.first?.label { return label }
    return String(describing: error)
}

/// Reads the input file through a buffer of `capacity` bytes.
private func readWithSmallBuffer(capacity: Int, size: Int) -> Result<HeapSnapshot, V8SnapshotError> {
    let descriptor = open(inputPath, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return .failure(.unreadable(path: inputPath, reason: "open failed")) }
    defer { close(descriptor) }
    var reader = V8SnapshotReader(stream: V8ByteStream(descriptor: descriptor, capacity: capacity), fileSize: size)
    do throws(V8SnapshotError) {
        return .success(try reader.read(path: inputPath))
    } catch {
        return .failure(error)
    }
}

// MARK: - Mutation

/// libFuzzer's own mutation, linked directly: the fuzzer binary does not export its symbols,
/// so `dlsym` does not find it.
@_silgen_name("LLVMFuzzerMutate")
private func libFuzzerMutate(_ data: UnsafeMutablePointer<UInt8>?, _ size: Int, _ maxSize: Int) -> Int

/// A small deterministic generator (xorshift), seeded by libFuzzer's seed.
private struct Generator {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return Int(state % UInt64(max(bound, 1)))
    }
}

/// An integer to put where a number was: near it, small, a node offset in a 6- or 7-field
/// layout, or a limit.
private func replacement(for old: UInt64, _ random: inout Generator) -> UInt64 {
    switch random.next(6) {
    case 0: return old &+ 1
    case 1: return old == 0 ? 0 : old - 1
    case 2: return UInt64(random.next(16))
    case 3: return UInt64(random.next(24) * (random.next(2) == 0 ? 6 : 7))
    case 4:
        let limits: [UInt64] = [UInt64(UInt32.max), 1 << 27 - 1, 1 << 27, 100_000_000, 1 << 53]
        return limits[random.next(limits.count)]
    default: return UInt64(random.next(200))
    }
}

@_cdecl("LLVMFuzzerCustomMutator")
public func fuzzMutate(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int, _ seed: UInt32) -> Int {
    var random = Generator(state: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 | 1)
    let mode = random.next(4)
    if mode == 0 {
        stats.mutations.libFuzzer += 1
        return libFuzzerMutate(data, size, maxSize)
    }
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if mode >= 2, mutateGraph(&bytes, next: { random.next($0) }) {
        stats.mutations.graph += 1
        guard bytes.count <= maxSize else { return size }
        bytes.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { data.update(from: base, count: buffer.count) }
        }
        return bytes.count
    }
    var runs: [Range<Int>] = []
    var index = 0
    while index < bytes.count {
        guard bytes[index] >= 0x30, bytes[index] <= 0x39 else { index += 1; continue }
        let start = index
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
        runs.append(start..<index)
    }
    guard !runs.isEmpty else {
        stats.mutations.libFuzzer += 1
        return libFuzzerMutate(data, size, maxSize)
    }
    stats.mutations.numbers += 1
    // Edit from the last chosen run backwards, so earlier ranges stay valid.
    let chosen = Set((0..<(1 + random.next(4))).map { _ in random.next(runs.count) }).sorted(by: >)
    for run in chosen.map({ runs[$0] }) {
        let old = bytes[run].reduce(UInt64(0)) { $0 &* 10 &+ UInt64($1 - 0x30) }
        bytes.replaceSubrange(run, with: Array(String(replacement(for: old, &random)).utf8))
    }
    guard bytes.count <= maxSize else { return size }
    bytes.withUnsafeBufferPointer { buffer in
        if let base = buffer.baseAddress { data.update(from: base, count: buffer.count) }
    }
    return bytes.count
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzV8Reader(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    if !statsRegistered {
        statsRegistered = true
        atexit { printStats() }
    }
    stats.inputs += 1
    let fd = open(inputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { return 0 }
    var written = 0
    while written < size {
        let n = write(fd, data + written, size - written)
        if n <= 0 { break }
        written += n
    }
    close(fd)
    let whole: Result<HeapSnapshot, V8SnapshotError>
    do throws(V8SnapshotError) {
        whole = .success(try HeapSnapshot(v8ContentsOf: inputPath))
    } catch {
        whole = .failure(error)
    }
    let capacity = 1 + (size > 0 ? Int(data[size / 2]) % 64 : 0)
    let pieces = readWithSmallBuffer(capacity: capacity, size: size)
    switch (whole, pieces) {
    case let (.failure(first), .failure(second)):
        guard kind(of: first) == kind(of: second) else {
            fatalError("the reader's outcome depends on its buffer: \(first) with 4 MiB, \(second) with \(capacity) bytes")
        }
        stats.errors[kind(of: first), default: 0] += 1
    case let (.success(graph), .success(again)):
        guard graph.nodeCount == again.nodeCount, graph.edgeCount == again.edgeCount, graph.strings == again.strings,
              graph.roots == again.roots else {
            fatalError("the reader's graph depends on its buffer (\(capacity) bytes)")
        }
        stats.parsed += 1
        stats.analyzedNodes += graph.nodeCount
        exerciseAnalyses(graph)
    default:
        fatalError("the reader accepts the input with one buffer and not the other (\(capacity) bytes): \(whole), \(pieces)")
    }
    return 0
}

/// What the CLI computes for a V8 file; results are only checked for being produced and
/// consistent (a trap, a sanitizer report or a hang is what libFuzzer catches).
private func exerciseAnalyses(_ graph: HeapSnapshot) {
    var sink = 0
    for node in 0..<graph.nodeCount {
        sink &+= graph.typeName(of: node).utf8.count
        for edge in graph.edges(of: node) { sink &+= graph.labelText(edge).utf8.count }
    }
    sink &+= graph.census().hashValue
    for rules in [RetentionRules.devTools, .heapGraph] {
        let tree = DominatorTree(graph: graph, rules: rules)
        let paths = RootPaths(graph: graph, rules: rules)
        var total = 0
        for node in 0..<graph.nodeCount {
            total &+= tree.shallowSize(of: node, in: graph)
            precondition(tree.retainedSize(of: node) >= tree.shallowSize(of: node, in: graph), "retained below shallow")
        }
        // Every node hangs somewhere below the roots, so the top retainers hold every byte.
        if rules == .devTools, graph.nodeCount > 0 {
            precondition(tree.retainedSize(of: 0) == total, "the root retains \(tree.retainedSize(of: 0)) of \(total)")
        }
        for (node, retained) in tree.topRetainers(limit: 5) {
            sink &+= retained &+ (tree.immediateDominator(of: node) ?? 0)
        }
        for node in Set([0, graph.nodeCount / 2, graph.nodeCount - 1]) where node >= 0 && node < graph.nodeCount {
            if let trace = paths.trace(to: node, in: graph) { sink &+= trace.text().utf8.count }
            sink &+= paths.distance(to: node) ?? 0
        }
    }
    let report = LeakReport.analyze(graph, baselines: [graph], file: "fuzz.heapsnapshot")
    sink &+= report.text().utf8.count &+ report.json().utf8.count
    if sink == 42 { print("") }  // keeps the work from being optimised away
}
