import Foundation
import HeapRuntime
import HeapTesting

/// A directory of the test's own under TMPDIR, removed by `remove()` (call it in a `defer`).
struct TemporaryDirectory {
    let path: String

    init() throws {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base.hasSuffix("/") ? base : base + "/").utf8CString.dropLast()) + Array("heaptesting.XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }) else {
            throw CocoaError(.fileWriteUnknown)
        }
        path = String(cString: made)
    }

    func file(_ name: String) -> String { path + "/" + name }

    /// Names in the directory (or in `subdirectory` of it), sorted; empty when it is missing.
    func contents(_ subdirectory: String? = nil) -> [String] {
        let directory = subdirectory.map(file) ?? path
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Options that write no artifacts and read no known-leak file, whatever the environment
/// and the current directory hold.
func isolated(_ options: LeakCheckOptions = .noLeaks) -> LeakCheckOptions {
    var options = options
    options.artifacts = .none
    options.knownLeaks = .none
    return options
}

/// A heap with the classes the tests leak, held by the test for as long as it lives.
final class LeakyHeap {
    let heap = Heap()
    let nodeClass: OwnedRef
    let sessionClass: OwnedRef
    let connectionClass: OwnedRef
    let socketClass: OwnedRef
    /// A list the test holds (a root): what is appended to it stays alive.
    let cache: OwnedRef

    init() throws {
        nodeClass = try heap.makeClass("Node")
        sessionClass = try heap.makeClass("Session")
        connectionClass = try heap.makeClass("Connection", finalizer: .legacy { _, _ in })
        socketClass = try heap.makeClass("Socket")
        cache = heap.list()
    }

    /// Two Nodes, `a.next = b` and `b.prev = a`, dropped: cyclic garbage until collected.
    func dropNodeCycle(_ heap: Heap) throws {
        let a = try heap.instance(of: nodeClass), b = try heap.instance(of: nodeClass)
        try heap.setAttribute("next", to: b, on: a)
        try heap.setAttribute("prev", to: a, on: b)
    }

    /// A Connection with a legacy finalizer and its Socket in a cycle, dropped: the
    /// collector leaves them in gc.garbage (uncollectable).
    func dropLegacyCycle(_ heap: Heap) throws {
        let connection = try heap.instance(of: connectionClass), socket = try heap.instance(of: socketClass)
        try heap.setAttribute("socket", to: socket, on: connection)
        try heap.setAttribute("connection", to: connection, on: socket)
    }

    /// A Session appended to the cache; watched when `watched`.
    func cacheSession(_ heap: Heap, watched: Bool = false) throws {
        let session = try heap.instance(of: sessionClass)
        try heap.append(session, to: cache)
        if watched { try heap.expectWeaklyReachable(session, description: "closed session") }
    }

    /// A watched Session that nothing holds at the end.
    func dropWatchedSession(_ heap: Heap) throws {
        let session = try heap.instance(of: sessionClass)
        try heap.expectWeaklyReachable(session, description: "closed session")
    }

    /// Objects made and dropped, no cycle.
    func churn(_ heap: Heap) throws {
        let list = heap.list()
        try heap.append(heap.dict(), to: list)
        try heap.append(heap.instance(of: sessionClass), to: list)
    }
}
