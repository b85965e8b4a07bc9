import Foundation
import Testing
import HeapRuntime
@testable import HeapGraphModel
import HeapRuntimeSnapshot

/// A heap with a bit of everything: containers, atoms, a class with instances, a cycle,
/// a weak reference, a legacy finalizer in garbage, a watched object, a frozen object.
func sampleHeap() throws -> (Heap, ObjectRef) {
    let heap = Heap()
    heap.gc.disable()
    let root = heap.list().unmanaged()               // held by the test for the heap's life
    let node = try heap.makeClass("Node")
    let legacy = try heap.makeClass("Legacy", finalizer: .legacy { _, _ in })
    let a = try heap.instance(of: node), b = try heap.instance(of: node)
    try heap.setAttribute("next", to: b, on: a)
    try heap.setAttribute("prev", to: a, on: b)
    try heap.append(a, to: root)
    let d = heap.dict()
    try heap.setItem(heap.str("key with spaces"), to: heap.int(123_456), in: d)
    try heap.setItem(heap.int(7), to: heap.tuple([heap.none, heap.bool(true)]), in: d)
    try heap.append(d, to: root)
    try heap.append(heap.weakReference(to: b), to: root)
    try heap.append(heap.bytes([0, 255]), to: root)
    try heap.append(heap.float(2.5), to: root)
    do {
        let trash = try heap.instance(of: legacy)
        try heap.setAttribute("me", to: trash, on: trash)
    }
    heap.gc.collect()                               // the legacy cycle goes to garbage
    let watched = heap.list()
    try heap.watch(watched, description: "should die")
    try heap.append(watched, to: root)
    return (heap, root)
}

/// A new directory under $TMPDIR (or /tmp) for the caller alone, or nil.
func makeTemporaryDirectory() -> String? {
    let parent = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    var template = Array((parent + "/heapgraph-test.XXXXXX").utf8CString)
    return template.withUnsafeMutableBufferPointer { buffer -> String? in
        guard let base = buffer.baseAddress, let made = mkdtemp(base) else { return nil }
        return String(cString: made)
    }
}

func temporaryPath(_ name: String) -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heapgraph-tests-\(getpid())")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    removeAtExit(directory.path)
    return directory.appendingPathComponent(name).path
}

/// Directories to remove at exit. Behind an NSLock (a pthread mutex), not a
/// `Synchronization.Mutex`, whose contended path ThreadSanitizer cannot see on Linux.
private final class DirectoriesToRemove: @unchecked Sendable {
    let lock = NSLock()
    var paths: Set<String> = []
    var hookInstalled = false
}
private let directoriesToRemove = DirectoriesToRemove()

/// Removes `path` (a directory of this process's own) when the test process exits, after
/// every test that may use it has run.
func removeAtExit(_ path: String) {
    let install = directoriesToRemove.lock.withLock {
        directoriesToRemove.paths.insert(path)
        defer { directoriesToRemove.hookInstalled = true }
        return !directoriesToRemove.hookInstalled
    }
    if install {
        atexit {
            let paths = directoriesToRemove.lock.withLock { directoriesToRemove.paths }
            for path in paths { try? FileManager.default.removeItem(atPath: path) }
        }
    }
}

@Suite("Snapshot file: round trip")
struct SnapshotRoundTripTests {
    /// The metadata is JSON written by hand: quotes, backslashes, line breaks, control
    /// characters and non-ASCII text in the tag and in a watched object's description must
    /// come back exactly.
    @Test func metadataStringsSurviveEscaping() throws {
        let heap = Heap()
        let text = "say \"hi\"\\ to\nthe\tfile \u{01}\u{1F} é ✓"
        let watched = heap.list()
        try heap.watch(watched, description: text)
        let path = temporaryPath("escaping.heapgraph")
        try heap.writeSnapshot(to: path, tag: text)
        let file = try HeapSnapshot(contentsOf: path)
        #expect(file.metadata.tag == text)
        #expect(file.metadata.watched?[watched.snapshotID] == text)
    }

    @Test func writeThenReadGivesTheLiveGraph() throws {
        let (heap, root) = try sampleHeap()
        let path = temporaryPath("roundtrip.heapgraph")
        try heap.writeSnapshot(to: path, tag: "round trip")
        let file = try HeapSnapshot(contentsOf: path)
        let live = HeapSnapshot(heap: heap)
        #expect(file.nodeCount == live.nodeCount)
        #expect(file.edgeCount == live.edgeCount)
        #expect(file.nodeCount == heap.allObjects().count)
        #expect(file.ids == live.ids)
        #expect(file.referenceCounts == live.referenceCounts)
        #expect(file.shallowSizes == live.shallowSizes)
        #expect(file.externalCounts == live.externalCounts)
        #expect(file.generations == live.generations)
        #expect(file.nodeFlags == live.nodeFlags)
        #expect(file.edgeStart == live.edgeStart)
        #expect(file.edgeTargets == live.edgeTargets)
        for node in 0..<file.nodeCount {
            #expect(file.typeName(of: node) == live.typeName(of: node))
            #expect(file.valueLabel(of: node) == live.valueLabel(of: node))
            #expect(file.edges(of: node).map(file.labelText) == live.edges(of: node).map(live.labelText))
        }
        #expect(file.metadata.tag == "round trip")
        #expect(file.metadata.thresholds == [700, 10, 10])
        #expect(file.metadata.allocator?["arenasCurrent"] ?? 0 >= 1)
        _ = root
    }

    @Test func nodesEdgesLabelsAndFlagsAreWhatTheHeapSays() throws {
        let (heap, root) = try sampleHeap()
        let graph = HeapSnapshot(heap: heap)
        func node(_ object: ObjectRef) throws -> Int {
            try #require((0..<graph.nodeCount).first { graph.id(of: $0) == object.snapshotID })
        }
        let rootNode = try node(root)
        #expect(graph.typeName(of: rootNode) == "list")
        #expect(graph.isRoot(rootNode))
        #expect(graph.externalCount(of: rootNode) == 1)
        #expect(graph.edges(of: rootNode).map(graph.labelText) == ["[0]", "[1]", "[2]", "[3]", "[4]", "[5]"])
        #expect(graph.outDegree(of: rootNode) == 6)
        let a = try heap.item(0, of: root)
        let aNode = try node(a)
        #expect(graph.typeName(of: aNode) == "Node")
        #expect(!graph.isRoot(aNode))
        #expect(graph.edges(of: aNode).map(graph.labelText).contains("next"))
        #expect(Set(graph.referrers(of: aNode)).contains(rootNode))
        let dictNode = try node(try heap.item(1, of: root))
        #expect(graph.edges(of: dictNode).map(graph.labelText).contains("['key with spaces']"))
        let weakNode = try node(try heap.item(2, of: root))
        #expect(graph.flags(of: weakNode).contains(.weakReference))
        #expect(graph.edges(of: weakNode).first?.isWeak == true)
        let watchedNode = try node(try heap.item(5, of: root))
        #expect(graph.flags(of: watchedNode).contains(.watched))
        let garbage = (0..<graph.nodeCount).filter { graph.flags(of: $0).contains(.inGarbage) }
        #expect(garbage.count == 1)
        #expect(graph.typeName(of: garbage[0]) == "Legacy")
        #expect(graph.flags(of: garbage[0]).contains(.legacyFinalizer))
        #expect((0..<graph.nodeCount).contains { graph.valueLabel(of: $0) == "123456" })
        // Every edge appears once in the reverse index.
        var incoming = 0
        for n in 0..<graph.nodeCount { incoming += graph.referrers(of: n).count }
        #expect(incoming == graph.edgeCount)
    }

    @Test func writingTakesNoReferencesAndChangesNothing() throws {
        let (heap, root) = try sampleHeap()
        let before = heap.allObjects().map { heap.refcount(of: $0) }
        try heap.writeSnapshot(to: temporaryPath("nochange.heapgraph"))
        #expect(heap.allObjects().map { heap.refcount(of: $0) } == before)
        _ = root
    }
}

@Suite("Snapshot file: bad input")
struct SnapshotBadInputTests {
    func validFile() throws -> [UInt8] {
        let (heap, root) = try sampleHeap()
        let path = temporaryPath("valid-\(UUID().uuidString).heapgraph")
        try heap.writeSnapshot(to: path)
        _ = root
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// The error reading `bytes` gives, or nil when they are accepted.
    func read(_ bytes: [UInt8]) -> SnapshotError? {
        let path = temporaryPath("bad-\(UUID().uuidString).heapgraph")
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try HeapSnapshot(contentsOf: path)
            return nil
        } catch {
            return error
        }
    }

    @Test func truncationAtManyPointsIsAnError() throws {
        let bytes = try validFile()
        for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 300)) {
            guard let error = read(Array(bytes[0..<cut])) else {
                Issue.record("a file cut at \(cut) of \(bytes.count) bytes was accepted")
                continue
            }
            if cut < 128 { #expect(error == .truncatedHeader(size: cut)) }
            else { #expect(error == .lengthMismatch(expected: UInt64(bytes.count), actual: cut)) }
        }
    }

    @Test func everyFlippedByteIsAnError() throws {
        let bytes = try validFile()
        for position in 0..<bytes.count {
            var corrupt = bytes
            corrupt[position] ^= 0x5A
            if read(corrupt) == nil { Issue.record("a flipped byte at \(position) was accepted") }
        }
    }

    @Test func absurdCountsAreRejectedBeforeAllocating() throws {
        let bytes = try validFile()
        for (offset, field) in [(16, "node count"), (24, "edge count"), (32, "string count")] {
            var corrupt = bytes
            withUnsafeBytes(of: UInt64(1 << 60).littleEndian) { corrupt.replaceSubrange(offset..<(offset + 8), with: $0) }
            #expect(read(corrupt) == .countTooLarge(field: field, count: 1 << 60, fileSize: bytes.count))
        }
    }

    @Test func wrongVersionAndWrongMagic() throws {
        let bytes = try validFile()
        var future = bytes
        future[8] = 3
        #expect(read(future) == .unsupportedVersion(3))
        var notOurs = bytes
        notOurs[0] = UInt8(ascii: "X")
        #expect(read(notOurs) == .notASnapshot)
        #expect(read([]) == .truncatedHeader(size: 0))
        #expect(read(Array("{\"nodes\": []}".utf8)) == .truncatedHeader(size: 13))
        #expect(throws: SnapshotError.self) { _ = try HeapSnapshot(contentsOf: "/nonexistent/file.heapgraph") }
    }

    @Test func checksumCatchesCorruptionThatLooksValid() throws {
        let bytes = try validFile()
        var corrupt = bytes
        corrupt[128 + 24] ^= 1                            // a node's shallow size: structurally fine
        guard case .checksumMismatch = read(corrupt) else {
            Issue.record("expected a checksum mismatch")
            return
        }
    }

    @Test func errorsNameTheProblem() {
        #expect(SnapshotError.notASnapshot.description.contains("HEAPGRPH"))
        #expect(SnapshotError.lengthMismatch(expected: 100, actual: 50).description.contains("truncated"))
        #expect(SnapshotError.badEdge(edge: 3, reason: "points at node 9 of 4").description == "corrupt snapshot: edge 3 points at node 9 of 4")
    }
}


@Suite("Snapshot writing: errors")
struct SnapshotWriteErrorTests {
    /// A write that fails on the writing thread (the file size limit is reached after the
    /// header) reaches the caller as an error naming the file and the reason, and the
    /// writer does not hang. In a child process: the limit is process-wide.
    @Test func aFailedWriteOnTheWritingThreadIsReported() async {
        await #expect(processExitsWith: .success) {
            signal(SIGXFSZ, SIG_IGN)                 // fail the write with EFBIG instead
            var limit = rlimit(rlim_cur: 256 * 1024, rlim_max: rlim_t.max)
            guard setrlimit(Int32(RLIMIT_FSIZE.rawValue), &limit) == 0 else { exit(3) }
            let heap = Heap()
            let root = heap.list().unmanaged()
            for _ in 0..<50_000 { try? heap.append(heap.list(), to: root) }
            // A directory of the child's own; `exit` runs no `defer`, so it is removed
            // explicitly before every exit.
            guard let directory = makeTemporaryDirectory() else { exit(4) }
            let path = directory + "/write-error.heapgraph"
            let status: Int32
            do throws(SnapshotWriteError) {
                try heap.writeSnapshot(to: path)
                status = 1                           // should not have fitted in 256 KiB
            } catch {
                status = error.path == path && error.reason.contains("large") ? 0 : 2
            }
            unlink(path)
            exit(rmdir(directory) == 0 ? status : 5)
        }
    }

    @Test func anUnwritablePathIsReported() throws {
        let heap = Heap()
        #expect(throws: SnapshotWriteError.self) { try heap.writeSnapshot(to: "/nonexistent-directory/x.heapgraph") }
        // A full disk, from a /dev/full of the test's own (never the machine's device).
        guard let directory = makeTemporaryDirectory() else {
            Issue.record("cannot make a temporary directory")
            return
        }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let full = directory + "/full"
        guard mknod(full, S_IFCHR | 0o666, dev_t((1 << 8) | 7)) == 0 else {    // major 1, minor 7
            print("skipped the full-disk case: mknod is not permitted here (\(String(cString: strerror(errno))))")
            return
        }
        do throws(SnapshotWriteError) {
            try heap.writeSnapshot(to: full)
            Issue.record("writing to a full device succeeded")
        } catch {
            #expect(error.reason.contains("space"))
        }
    }
}
