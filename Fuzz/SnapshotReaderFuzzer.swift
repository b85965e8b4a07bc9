// libFuzzer target for the snapshot reader and the analyzers: any bytes must give a graph
// or a SnapshotError, never a trap, a hang or an allocation the file's size cannot justify;
// and every graph the reader accepts must go through every analyzer without a trap.
//
// Built and run by scripts/fuzz-snapshot (swiftc -sanitize=fuzzer,address, with the runtime's,
// the reader's and the analyzers' sources compiled into this one module).
//
// Random bytes almost never carry a right checksum, so plain mutation stops at the header.
// The custom mutator below mutates as libFuzzer would, then (most of the time) repairs what
// a mutation breaks without meaning to: the section offsets that follow from the counts,
// the metadata offset (found by walking the string table), the metadata and file lengths,
// and the checksum. Mutations thus reach the records, the strings, the metadata parser,
// graph building and the analyzers. One mutation in 16 is left unrepaired, so the header
// checks are still fuzzed.
//
// At exit it prints how many inputs ran, how many had a valid checksum, how many parsed and
// which errors rejected the rest (`fuzz-stats:` lines), also when run over a corpus with
// `-runs=0` to measure it.
#if canImport(Glibc)
import Glibc
#endif

private let inputPath = "heapgraph-fuzz-\(getpid()).heapgraph"

/// Counters printed at exit; libFuzzer runs the target on one thread.
private struct Stats {
    var inputs = 0
    var checksumValid = 0
    var parsed = 0
    var analyzedNodes = 0
    var errors: [String: Int] = [:]
}
nonisolated(unsafe) private var stats = Stats()
nonisolated(unsafe) private var statsRegistered = false

private func printStats() {
    print("fuzz-stats: inputs \(stats.inputs), checksum valid \(stats.checksumValid), parsed \(stats.parsed), nodes analyzed \(stats.analyzedNodes)")
    for (kind, count) in stats.errors.sorted(by: { $0.value > $1.value }) {
        print("fuzz-stats: rejected \(count): \(kind)")
    }
    unlink(inputPath)
}

// MARK: - Header repair

private func load64(_ data: UnsafeMutablePointer<UInt8>, _ offset: Int) -> UInt64 {
    UInt64(littleEndian: UnsafeRawPointer(data).loadUnaligned(fromByteOffset: offset, as: UInt64.self))
}

private func store64(_ data: UnsafeMutablePointer<UInt8>, _ offset: Int, _ value: UInt64) {
    UnsafeMutableRawPointer(data).storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt64.self)
}

private func checksum(_ data: UnsafePointer<UInt8>, _ size: Int) -> UInt64 {
    var sum = SnapshotFormat.Checksum()
    if size > SnapshotFormat.headerSize {
        sum.update(UnsafeRawBufferPointer(start: data + SnapshotFormat.headerSize, count: size - SnapshotFormat.headerSize))
    }
    return sum.finish()
}

/// True when the header's length and checksum fields agree with the bytes.
private func hasValidChecksum(_ data: UnsafePointer<UInt8>, _ size: Int) -> Bool {
    guard size >= SnapshotFormat.headerSize else { return false }
    let raw = UnsafeRawPointer(data)
    let length = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 80, as: UInt64.self))
    let stored = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 88, as: UInt64.self))
    return length == UInt64(size) && stored == checksum(data, size)
}

/// Makes the header agree with the bytes after it, as the writer would have: offsets from the
/// counts, the metadata offset where the string table ends (when it ends inside the file),
/// the lengths from the size, and the checksum. Counts and records are left as mutated.
private func repairHeader(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, clearReserved: Bool) {
    guard size >= SnapshotFormat.headerSize else { return }
    let nodes = load64(data, 16), edges = load64(data, 24), strings = load64(data, 32)
    let edgesOffset = 128 &+ nodes &* 48
    let stringsOffset = edgesOffset &+ edges &* 12
    store64(data, 40, 128)
    store64(data, 48, edgesOffset)
    store64(data, 56, stringsOffset)
    // Walk the string table; it can only have S entries of at least 4 bytes.
    if stringsOffset <= UInt64(size), strings <= UInt64(size) / 4 {
        var position = Int(stringsOffset)
        var complete = true
        for _ in 0..<Int(strings) {
            guard position + 4 <= size else { complete = false; break }
            let length = Int(UInt32(littleEndian: UnsafeRawPointer(data).loadUnaligned(fromByteOffset: position, as: UInt32.self)))
            guard length <= size - position - 4 else { complete = false; break }
            position += 4 + length
        }
        if complete { store64(data, 64, UInt64(position)) }
    }
    store64(data, 72, UInt64(size) &- load64(data, 64))
    store64(data, 80, UInt64(size))
    if clearReserved { for offset in 96..<128 { data[offset] = 0 } }
    store64(data, 88, checksum(data, size))
}

// MARK: - libFuzzer entry points

private typealias DefaultMutator = @convention(c) (UnsafeMutablePointer<UInt8>?, Int, Int) -> Int
private let defaultMutator: DefaultMutator? = {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "LLVMFuzzerMutate") else { return nil }
    return unsafeBitCast(symbol, to: DefaultMutator.self)
}()

@_cdecl("LLVMFuzzerCustomMutator")
public func fuzzMutate(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int, _ seed: UInt32) -> Int {
    var newSize = size
    if let mutate = defaultMutator { newSize = mutate(data, size, maxSize) }
    if seed % 16 != 0 { repairHeader(data, newSize, clearReserved: seed % 7 != 0) }
    return newSize
}

/// Splices the start of one input onto the rest of another (usually at a record boundary
/// shared by both), then repairs the header, so sections of different snapshots combine.
@_cdecl("LLVMFuzzerCustomCrossOver")
public func fuzzCrossOver(_ first: UnsafePointer<UInt8>, _ firstSize: Int, _ second: UnsafePointer<UInt8>, _ secondSize: Int,
                          _ out: UnsafeMutablePointer<UInt8>, _ maxOutSize: Int, _ seed: UInt32) -> Int {
    guard firstSize > 0, secondSize > 0, maxOutSize > 0 else { return 0 }
    let cut = Int(seed % UInt32(truncatingIfNeeded: firstSize + 1))
    let head = min(cut, maxOutSize)
    out.update(from: first, count: head)
    let resume = min(cut, secondSize)
    let tail = min(secondSize - resume, maxOutSize - head)
    (out + head).update(from: second + resume, count: tail)
    if seed % 16 != 0 { repairHeader(out, head + tail, clearReserved: true) }
    return head + tail
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSnapshotReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    if !statsRegistered {
        statsRegistered = true
        atexit { printStats() }
    }
    stats.inputs += 1
    if hasValidChecksum(data, size) { stats.checksumValid += 1 }
    let fd = open(inputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { return 0 }
    var written = 0
    while written < size {
        let n = write(fd, data + written, size - written)
        if n <= 0 { break }
        written += n
    }
    close(fd)
    let graph: HeapSnapshot
    do {
        graph = try HeapSnapshot(contentsOf: inputPath)
    } catch {
        stats.errors[kind(of: error), default: 0] += 1
        return 0
    }
    stats.parsed += 1
    stats.analyzedNodes += graph.nodeCount
    exerciseAnalyzers(graph)
    return 0
}

/// The error's case, without its values, to count rejections by kind.
private func kind(of error: SnapshotError) -> String {
    if case let .badHeader(field, _) = error { return "badHeader(\(field))" }
    if let label = Mirror(reflecting: error).children.first?.label { return label }
    return String(describing: error)
}

/// Every analysis the CLI offers, on an accepted graph; the results are only checked for
/// being produced (a trap, a sanitizer report or a hang is the failure libFuzzer catches).
private func exerciseAnalyzers(_ graph: HeapSnapshot) {
    var sink = 0
    for node in 0..<graph.nodeCount {
        sink &+= graph.typeName(of: node).utf8.count
        for edge in graph.edges(of: node) { sink &+= graph.labelText(edge).utf8.count }
        sink &+= graph.referrers(of: node).count
    }
    let census = graph.census()
    sink &+= census.hashValue
    let dominators = DominatorTree(graph: graph)
    for (node, retained) in dominators.topRetainers(limit: 5) {
        sink &+= retained &+ (dominators.immediateDominator(of: node) ?? 0)
    }
    let paths = RootPaths(graph: graph)
    let sample = Array(Set([0, graph.nodeCount / 2, graph.nodeCount - 1].filter { $0 >= 0 && $0 < graph.nodeCount }))
    for node in sample {
        if let trace = paths.trace(to: node, in: graph) { sink &+= trace.text().utf8.count }
        sink &+= paths.distance(to: node) ?? 0
        sink &+= graph.findBackrefChain(to: node, maxDepth: 10).count
        sink &+= graph.findRefChain(from: node, maxDepth: 10, where: { graph.isRoot($0) }).count
    }
    sink &+= graph.showRefs(sample).text.utf8.count
    sink &+= graph.showBackrefs(sample).text.utf8.count
    sink &+= graph.mostCommonTypes(limit: 5).count
    sink &+= graph.leakingObjects().count
    sink &+= LeakReport.analyze(graph, baselines: [graph]).groups.count
    let report = LeakReport.analyze(graph, file: "fuzz.heapgraph")
    sink &+= report.text().utf8.count &+ report.json().utf8.count
    sink &+= report.sarif().utf8.count &+ report.junitXML().utf8.count
    for group in report.groups.prefix(4) { sink &+= graph.showLeak(group).text.utf8.count }
    let comparison = SnapshotComparison([graph, graph])
    sink &+= comparison.text(limit: 5).utf8.count &+ comparison.json(limit: 5).utf8.count
    if sink == 42 { print("") }  // keeps the work from being optimised away
}
