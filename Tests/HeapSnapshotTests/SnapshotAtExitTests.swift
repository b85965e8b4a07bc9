import Foundation
import Testing
import HeapRuntime
@testable import HeapGraphModel
import HeapRuntimeSnapshot

// Snapshots driven by HEAPGRAPH_SNAPSHOT, each in a child process (the variable, the exit
// hook and the signal handler are process-wide). The child makes a directory of its own,
// tells the parent where on standard output, and writes only there; the parent reads the
// files and removes the directory.

/// In the child: a fresh directory, announced on standard output, with HEAPGRAPH_SNAPSHOT
/// pointing at `app.heapgraph` inside it.
func prepareSnapshotDirectory() -> String {
    guard let directory = makeTemporaryDirectory() else { exit(90) }
    var line = "DIRECTORY \(directory)\n"
    line.withUTF8 { _ = write(1, $0.baseAddress, $0.count) }
    setenv("HEAPGRAPH_SNAPSHOT", directory + "/app.heapgraph", 1)
    return directory
}

/// In the child: `count` ints (distinct objects, 1000 and up) in a list the heap keeps.
func fill(_ heap: Heap, ints count: Int) {
    let list = heap.list().unmanaged()
    for i in 0..<count { try? heap.append(heap.int(1000 + i), to: list) }
}

func fileExists(_ path: String) -> Bool { access(path, F_OK) == 0 }

/// In the child: a failed check. The parent sees no output then, so the child removes its
/// own directory before it exits.
func failChild(_ status: Int32, removing directory: String) -> Never {
    try? FileManager.default.removeItem(atPath: directory)
    exit(status)
}

/// What a child left: its directory (removed when the test ends) and its HeapRuntime lines
/// on standard error.
struct ChildOutput {
    var directory: String
    var snapshotLines: [String]

    init(_ result: ExitTest.Result?) throws {
        let output = String(decoding: result?.standardOutputContent ?? [], as: UTF8.self)
        let prefix = "DIRECTORY "
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else {
            throw HarnessFailure("the child did not say where its directory is; stdout: \(output)")
        }
        directory = String(line.dropFirst(prefix.count))
        let errors = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        snapshotLines = errors.split(separator: "\n").map(String.init).filter { $0.hasPrefix("HeapRuntime:") }
    }

    func path(_ name: String) -> String { directory + "/" + name }

    func files() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted() }

    func ints(in name: String) throws -> Int {
        let graph = try HeapSnapshot(contentsOf: path(name))
        return (0..<graph.nodeCount).filter { graph.typeName(of: $0) == "int" }.count
    }

    /// Removes the child's directory, only if it is one `makeTemporaryDirectory` makes.
    func removeDirectory() {
        guard URL(fileURLWithPath: directory).lastPathComponent.hasPrefix("heapgraph-test.") else { return }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

struct HarnessFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

@Suite("Snapshot at exit, when freed, and on request")
struct SnapshotAtExitTests {
    @Test func environmentVariableWritesASnapshotAtExit() async throws {
        let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent, \.standardErrorContent]) {
            _ = prepareSnapshotDirectory()
            setenv("HEAPGRAPH_SNAPSHOT_TAG", "at exit", 1)
            let heap = Heap()
            fill(heap, ints: 10)
            withExtendedLifetime(heap) { exit(0) }
        }
        let child = try ChildOutput(result)
        defer { child.removeDirectory() }
        let graph = try HeapSnapshot(contentsOf: child.path("app.heapgraph"))
        #expect(graph.metadata.tag == "at exit")
        #expect(try child.ints(in: "app.heapgraph") == 10)
        #expect(child.snapshotLines.count == 1)
        #expect(child.snapshotLines.first?.hasPrefix("HeapRuntime: HEAPGRAPH_SNAPSHOT: wrote \(child.path("app.heapgraph")) (") == true)
        #expect(child.snapshotLines.first?.hasSuffix(" objects) at exit") == true)
    }

    /// LeakyApp's shape: the heap is freed before the process exits. It used to write
    /// nothing and say nothing.
    @Test func aHeapFreedBeforeExitWritesItsSnapshot() async throws {
        let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent, \.standardErrorContent]) {
            _ = prepareSnapshotDirectory()
            do {
                let heap = Heap()
                fill(heap, ints: 10)
            }
            exit(0)
        }
        let child = try ChildOutput(result)
        defer { child.removeDirectory() }
        #expect(child.files() == ["app.heapgraph"])
        let graph = try HeapSnapshot(contentsOf: child.path("app.heapgraph"))
        #expect(graph.metadata.tag == "freed")
        #expect(try child.ints(in: "app.heapgraph") == 10)
        #expect(child.snapshotLines == child.snapshotLines.filter { $0.hasSuffix("as the heap was freed") })
        #expect(child.snapshotLines.count == 1)
    }

    /// Each heap writes its own file, named by the order the heaps were made, whether it is
    /// freed before exit or alive at exit.
    @Test func severalHeapsWriteOneFileEach() async throws {
        let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent, \.standardErrorContent]) {
            _ = prepareSnapshotDirectory()
            let second: Heap
            do {
                let first = Heap()
                fill(first, ints: 10)
                second = Heap()
                fill(second, ints: 20)
                let third = Heap()
                fill(third, ints: 30)
            }
            withExtendedLifetime(second) { exit(0) }
        }
        let child = try ChildOutput(result)
        defer { child.removeDirectory() }
        #expect(child.files() == ["app-heap2.heapgraph", "app-heap3.heapgraph", "app.heapgraph"])
        #expect(try child.ints(in: "app.heapgraph") == 10)
        #expect(try child.ints(in: "app-heap2.heapgraph") == 20)
        #expect(try child.ints(in: "app-heap3.heapgraph") == 30)
        #expect(child.snapshotLines.count == 3)
        #expect(child.snapshotLines.contains { $0.contains("app-heap2.heapgraph") && $0.hasSuffix("at exit") })
    }

    /// SIGUSR2 only counts a request; the heap writes at its next safe point: an explicit
    /// `safePoint()`, or the allocation that starts an automatic collection. Not inside a
    /// death (a finalizer).
    @Test func aSignalAsksForASnapshotAtTheNextSafePoint() async throws {
        let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent, \.standardErrorContent]) {
            let directory = prepareSnapshotDirectory()
            let heap = Heap()
            fill(heap, ints: 10)
            // Tests run on worker threads that block most signals; raise() signals this
            // thread, so let it take SIGUSR2 and the handler runs before raise() returns.
            var signals = sigset_t()
            sigemptyset(&signals)
            sigaddset(&signals, SIGUSR2)
            pthread_sigmask(SIG_UNBLOCK, &signals, nil)
            raise(SIGUSR2)
            if fileExists(directory + "/app-request1.heapgraph") { failChild(3, removing: directory) }    // written by the handler
            heap.safePoint()
            guard fileExists(directory + "/app-request1.heapgraph") else { failChild(4, removing: directory) }
            heap.safePoint()                                                   // nothing new asked
            guard (try? FileManager.default.contentsOfDirectory(atPath: directory))?.count == 1 else { failChild(5, removing: directory) }

            // The start of an automatic collection is a safe point too.
            raise(SIGUSR2)
            let kept = heap.list()      // kept: a freed container takes back its count
            for _ in 0..<2_000 { try? heap.append(heap.list(), to: kept) }
            guard fileExists(directory + "/app-request2.heapgraph") else { failChild(6, removing: directory) }

            // Inside a death (a finalizer) a safe point waits.
            guard let cls = try? heap.makeClass("Finalized", finalizer: .modern { heap, _ in heap.safePoint() }),
                  let doomed = try? heap.instance(of: cls)
            else { failChild(7, removing: directory) }
            raise(SIGUSR2)
            _ = consume doomed
            if fileExists(directory + "/app-request3.heapgraph") { failChild(8, removing: directory) }
            heap.safePoint()
            guard fileExists(directory + "/app-request3.heapgraph") else { failChild(9, removing: directory) }
            withExtendedLifetime(heap) { exit(0) }
        }
        let child = try ChildOutput(result)
        defer { child.removeDirectory() }
        #expect(child.files() == ["app-request1.heapgraph", "app-request2.heapgraph", "app-request3.heapgraph", "app.heapgraph"])
        let graph = try HeapSnapshot(contentsOf: child.path("app-request1.heapgraph"))
        #expect(graph.metadata.tag == "request 1")
        #expect(try child.ints(in: "app-request1.heapgraph") == 10)
        #expect(child.snapshotLines.count == 4)
        #expect(child.snapshotLines.first?.hasSuffix("on request 1") == true)
    }

    /// A file that cannot be written is reported in one line; the program's exit status is
    /// its own.
    @Test func anUnwritableSnapshotPathIsReportedInOneLine() async throws {
        let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent, \.standardErrorContent]) {
            let directory = prepareSnapshotDirectory()
            setenv("HEAPGRAPH_SNAPSHOT", directory + "/missing/app.heapgraph", 1)
            do {
                let heap = Heap()
                fill(heap, ints: 10)
            }
            exit(0)
        }
        let child = try ChildOutput(result)
        defer { child.removeDirectory() }
        #expect(child.files().isEmpty)
        #expect(child.snapshotLines == ["HeapRuntime: HEAPGRAPH_SNAPSHOT: cannot write snapshot \(child.path("missing/app.heapgraph")): No such file or directory"])
    }

    @Test func fileNamesPerHeapAndRequest() {
        #expect(Heap.snapshotFileName(base: "/tmp/app.heapgraph", heap: 1, request: nil) == "/tmp/app.heapgraph")
        #expect(Heap.snapshotFileName(base: "/tmp/app.heapgraph", heap: 2, request: nil) == "/tmp/app-heap2.heapgraph")
        #expect(Heap.snapshotFileName(base: "/tmp/app.heapgraph", heap: 1, request: 3) == "/tmp/app-request3.heapgraph")
        #expect(Heap.snapshotFileName(base: "/tmp/app.heapgraph", heap: 2, request: 3) == "/tmp/app-heap2-request3.heapgraph")
        #expect(Heap.snapshotFileName(base: "/tmp/v1.2/app", heap: 2, request: nil) == "/tmp/v1.2/app-heap2")
        #expect(Heap.snapshotFileName(base: ".snapshot", heap: 2, request: nil) == ".snapshot-heap2")
    }
}
