// The issue-14 case, opt-in: LeakyApp writes a snapshot of N requests (2,000,000 gives 8.8M
// objects and 200,000 watched sessions, 641 MB), and this process reads it back `runs` times.
// It fails (exit 1) unless every watched node's entry comes back from the metadata.
//
//   swift build -c release --product LeakyApp && swift build -c release --product SnapshotBenchmarks
//   .build/release/SnapshotBenchmarks --leakyapp-requests 2000000 [--runs N]
#if canImport(Glibc)
import Glibc
#endif
import BenchmarkSupport
import HeapSnapshot

func runLeakyAppSnapshotBenchmark(requests: Int, runs: Int) -> Int32 {
    // LeakyApp is built beside this executable.
    let executable = CommandLine.arguments[0]
    let directory = executable.lastIndex(of: "/").map { String(executable[..<$0]) } ?? "."
    let leakyApp = directory + "/LeakyApp"
    guard access(leakyApp, X_OK) == 0 else {
        print("no \(leakyApp): build it first (swift build -c release --product LeakyApp)")
        return 2
    }
    var template = Array("/tmp/heapgraph-leakyapp-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buffer in
        buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
    }
    guard let output = made else {
        print("cannot make a temporary directory: \(String(cString: strerror(errno)))")
        return 2
    }
    let snapshot = output + "/app.heapgraph"
    defer {
        unlink(snapshot)
        unlink(output + "/baseline.heapgraph")
        rmdir(output)
    }

    let start = now()
    let words: [String] = [leakyApp, output, "--requests", String(requests)]
    let argv = words.map { strdup($0) }
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, leakyApp, nil, nil, argv + [nil], environ) == 0 else {
        print("cannot run \(leakyApp)")
        return 2
    }
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    let writeSeconds = now() - start
    guard status == 0 else {
        print("LeakyApp failed (status \(status))")
        return 1
    }
    var children = rusage()
    getrusage(RUSAGE_CHILDREN.rawValue, &children)
    var info = stat()
    stat(snapshot, &info)

    var reads: [Double] = []
    var nodes = 0, edges = 0, watchedNodes = 0, watchedEntries = 0
    for _ in 0..<max(runs, 1) {
        let readStart = now()
        let graph: HeapSnapshot
        do throws(SnapshotError) {
            graph = try HeapSnapshot(contentsOf: snapshot)
        } catch {
            print("cannot read \(snapshot): \(error)")
            return 1
        }
        reads.append(now() - readStart)
        nodes = graph.nodeCount
        edges = graph.edgeCount
        watchedNodes = (0..<graph.nodeCount).filter { graph.flags(of: $0).contains(.watched) }.count
        watchedEntries = graph.metadata.watched?.count ?? 0
    }
    var me = rusage()
    getrusage(RUSAGE_SELF.rawValue, &me)
    print("LeakyApp --requests \(requests): \(format2(writeSeconds)) s, peak \(children.ru_maxrss / 1024) MB")
    print("file: \(info.st_size) bytes, \(nodes) objects, \(edges) references, \(watchedEntries) watched entries")
    print("read: median \(format2(median(reads))) s of \(reads.map(format2)); peak resident \(me.ru_maxrss / 1024) MB")
    guard watchedEntries == watchedNodes, watchedEntries > 0 else {
        print("FAILED: \(watchedNodes) watched nodes but \(watchedEntries) watched entries in the metadata")
        return 1
    }
    return 0
}

private func format2(_ value: Double) -> String {
    String((value * 100).rounded() / 100)
}
