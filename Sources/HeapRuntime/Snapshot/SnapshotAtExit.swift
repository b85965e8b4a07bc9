#if canImport(Glibc)
import Glibc
#endif
import Synchronization

// Snapshots without code changes, driven by the environment:
//
//   HEAPGRAPH_SNAPSHOT=PATH      every heap made while it is set writes a snapshot when it is
//                                freed (deinitialised, before its objects are torn down), or
//                                at exit if it is still alive then; and once more on each
//                                request (SIGUSR2, or `Heap.requestSnapshot()`), at its next
//                                safe point.
//   HEAPGRAPH_SNAPSHOT_TAG=TEXT  the snapshots' tag (default: "exit", "freed", "request N").
//
// File names. Heaps are numbered in the order they were made; the first writes PATH itself,
// the k-th (k >= 2) inserts "-heapK" before PATH's extension. A snapshot on request N adds
// "-requestN" the same way:
//
//   app.heapgraph                 heap 1, freed or at exit
//   app-heap2.heapgraph           heap 2, freed or at exit
//   app-request1.heapgraph        heap 1, first request
//   app-heap2-request3.heapgraph  heap 2, third request
//
// Every write prints one line on standard error naming the file, or why it could not be
// written; the program's own exit status is left alone.
//
// Safe points. A signal handler may do almost nothing safely, and a snapshot must not see a
// heap in the middle of a death or a collection, so the handler only counts the request in
// an atomic and each heap writes at its next safe point: `heap.safePoint()`, which a
// long-running host calls from its main loop, and the start of an automatic collection (the
// allocation that crosses generation 0's threshold, where the heap is already consistent
// enough for the collector to walk it). A safe point reached inside a death (a finalizer,
// a weak-reference callback) or inside a collection (a collector callback) defers the
// request to the next one. While the collector is disabled only `safePoint()` serves.

/// Requests for a snapshot made so far in this process (SIGUSR2 or `Heap.requestSnapshot()`).
/// Incremented by the signal handler, so only lock-free atomics touch it.
let snapshotRequests = Atomic<Int>(0)

/// The signal that asks for a snapshot.
let snapshotRequestSignal = SIGUSR2

/// Heaps made while `HEAPGRAPH_SNAPSHOT` was set and not yet freed, as addresses of their
/// cores (a `Heap` itself is not `Sendable`) with their numbers in order of making.
private struct SnapshotRegistry {
    var heaps: [(core: UInt, number: Int)] = []
    var made = 0
    var exitHookInstalled = false
    var signalInstalled = false
}
private let snapshotRegistry = RegistryLock()

/// The registry behind a pthread mutex. Not `Synchronization.Mutex`: on Linux its contended
/// path waits on a futex inside the uninstrumented runtime, so ThreadSanitizer reports
/// heaps made or freed on two threads at once as a race; TSan understands pthread mutexes
/// (as GraphvizRender's SessionLock does).
private final class RegistryLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var registry = SnapshotRegistry()

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    func withLock<Result>(_ body: (inout SnapshotRegistry) -> Result) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body(&registry)
    }
}

/// When a snapshot driven by `HEAPGRAPH_SNAPSHOT` is written.
enum SnapshotOccasion {
    case freed, exit, request(Int)

    var defaultTag: String {
        switch self {
        case .freed: "freed"
        case .exit: "exit"
        case let .request(number): "request \(number)"
        }
    }

    var phrase: String {
        switch self {
        case .freed: "as the heap was freed"
        case .exit: "at exit"
        case let .request(number): "on request \(number)"
        }
    }
}

extension Heap {
    /// The path `HEAPGRAPH_SNAPSHOT` names, or nil when it is not set.
    static var snapshotAtExitPath: String? {
        guard let value = getenv("HEAPGRAPH_SNAPSHOT") else { return nil }
        let path = String(cString: value)
        return path.isEmpty ? nil : path
    }

    /// The file that heap number `heap` (1 for the first heap made, in order of making)
    /// writes for `HEAPGRAPH_SNAPSHOT=base`: when freed or at exit (`request` nil), or on
    /// request number `request`. The first heap's end-of-life snapshot is `base` itself;
    /// otherwise `-heapK` and `-requestN` go before the extension of the file name:
    /// `app.heapgraph`, `app-heap2.heapgraph`, `app-request1.heapgraph`,
    /// `app-heap2-request3.heapgraph`.
    public static func snapshotFileName(base: String, heap: Int, request: Int?) -> String {
        var suffix = heap > 1 ? "-heap\(heap)" : ""
        if let request { suffix += "-request\(request)" }
        guard !suffix.isEmpty else { return base }
        // Before the extension of the last path component, if it has one (not a leading dot).
        let name = base.lastIndex(of: "/").map { base.index(after: $0) } ?? base.startIndex
        if let dot = base[name...].lastIndex(of: "."), dot > name {
            return String(base[..<dot]) + suffix + String(base[dot...])
        }
        return base + suffix
    }

    /// Asks every heap made while `HEAPGRAPH_SNAPSHOT` is set to write a snapshot at its next
    /// safe point (see ``safePoint()``): what SIGUSR2 does. For hosts that handle SIGUSR2
    /// themselves; safe to call from a signal handler (it only increments an atomic).
    public static func requestSnapshot() {
        snapshotRequests.add(1, ordering: .relaxed)
    }

    /// A safe point: if a snapshot was requested (SIGUSR2 or ``requestSnapshot()``) since this
    /// heap last wrote one, and `HEAPGRAPH_SNAPSHOT` is set, writes it now, to
    /// `PATH-requestN` (one line on standard error says where). A long-running host calls this
    /// from its main loop, between pieces of work. Inside a finalizer, a weak-reference
    /// callback or a collector callback it does nothing, and the request waits for the next
    /// safe point.
    /// - Complexity: O(1) when nothing was requested (one atomic load); otherwise the write,
    ///   O(objects + references).
    public func safePoint() {
        core.serveSnapshotRequest()
    }

    /// Called from `init`: numbers this heap for its snapshots, and installs the exit hook
    /// and the SIGUSR2 handler the first time.
    func registerForSnapshotAtExit() {
        core.pointee.snapshotRequestsServed = snapshotRequests.load(ordering: .relaxed)
        guard Heap.snapshotAtExitPath != nil else { return }
        let address = UInt(bitPattern: core)
        let (installExitHook, installSignal) = snapshotRegistry.withLock { state -> (Bool, Bool) in
            state.made += 1
            state.heaps.append((address, state.made))
            defer { state.exitHookInstalled = true; state.signalInstalled = true }
            return (!state.exitHookInstalled, !state.signalInstalled)
        }
        if installExitHook { atexit { Heap.writeSnapshotsAtExit() } }
        if installSignal { Heap.installSnapshotSignalHandler() }
    }

    /// Called first in `deinit`: a registered heap writes its snapshot while it is intact.
    func unregisterForSnapshotAtExit() {
        let address = UInt(bitPattern: core)
        let number = snapshotRegistry.withLock { state -> Int? in
            guard let index = state.heaps.firstIndex(where: { $0.core == address }) else { return nil }
            return state.heaps.remove(at: index).number
        }
        guard let number, let base = Heap.snapshotAtExitPath else { return }
        writeSnapshotForEnvironment(base: base, number: number, occasion: .freed)
    }

    static func writeSnapshotsAtExit() {
        guard let base = snapshotAtExitPath else { return }
        let heaps = snapshotRegistry.withLock { state in
            defer { state.heaps.removeAll() }
            return state.heaps
        }
        for (address, number) in heaps {
            guard let core = UnsafeMutablePointer<HeapCore>(bitPattern: address), let heap = core.pointee.owner else { continue }
            heap.writeSnapshotForEnvironment(base: base, number: number, occasion: .exit)
        }
    }

    /// Writes this heap's snapshot for `occasion` and says so, or why not, in one line on
    /// standard error.
    func writeSnapshotForEnvironment(base: String, number: Int, occasion: SnapshotOccasion) {
        var request: Int? = nil
        if case let .request(number) = occasion { request = number }
        let path = Heap.snapshotFileName(base: base, heap: number, request: request)
        var tag = occasion.defaultTag
        if let custom = getenv("HEAPGRAPH_SNAPSHOT_TAG").map({ String(cString: $0) }), !custom.isEmpty {
            if case let .request(number) = occasion { tag = "\(custom) (request \(number))" } else { tag = custom }
        }
        let line: String
        do {
            try writeSnapshot(to: path, tag: tag)
            line = "HeapRuntime: HEAPGRAPH_SNAPSHOT: wrote \(path) (\(objectCount) objects) \(occasion.phrase)\n"
        } catch {
            line = "HeapRuntime: HEAPGRAPH_SNAPSHOT: \(error)\n"
        }
        var text = line
        text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }

    /// Counts SIGUSR2 as a request, unless the program already does something with SIGUSR2,
    /// which is then left alone (and `requestSnapshot()` is the way in).
    static func installSnapshotSignalHandler() {
        _ = snapshotRequests.load(ordering: .relaxed)    // initialised before the handler can run
        var current = sigaction()
        guard sigaction(snapshotRequestSignal, nil, &current) == 0 else { return }
        // SIG_DFL is a null handler; SIG_IGN or a handler of the program's is not.
        guard current.__sigaction_handler.sa_handler == nil else {
            var text = "HeapRuntime: HEAPGRAPH_SNAPSHOT: SIGUSR2 is already handled by this program; snapshots on request need Heap.requestSnapshot()\n"
            text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
            return
        }
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in snapshotRequests.add(1, ordering: .relaxed) }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART          // a request must not make the host's system calls fail
        sigaction(snapshotRequestSignal, &action, nil)
    }
}

extension UnsafeMutablePointer where Pointee == HeapCore {
    /// The body of a safe point (see the top of this file and `Heap.safePoint()`).
    @usableFromInline @inline(never)
    func serveSnapshotRequest() {
        let requested = snapshotRequests.load(ordering: .relaxed)
        guard requested != pointee.snapshotRequestsServed else { return }
        // Not inside a death or a collection: the request waits for the next safe point.
        guard !pointee.isDraining, !pointee.collector.isCollecting, let heap = pointee.owner else { return }
        pointee.snapshotRequestsServed = requested
        guard let base = Heap.snapshotAtExitPath else { return }
        let address = UInt(bitPattern: self)
        let number = snapshotRegistry.withLock { state in state.heaps.first { $0.core == address }?.number }
        guard let number else { return }                // made before HEAPGRAPH_SNAPSHOT was set
        heap.writeSnapshotForEnvironment(base: base, number: number, occasion: .request(requested))
    }
}
