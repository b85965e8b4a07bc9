#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Heaps alive in the process when `HEAPGRAPH_SNAPSHOT` is set, in the order they were
/// made, as addresses of their cores (a `Heap` itself is not `Sendable`).
private let heapsToSnapshot = Mutex<(heaps: [UInt], hookInstalled: Bool, made: Int)>(([], false, 0))

extension Heap {
    /// The path a snapshot at exit goes to, or nil when `HEAPGRAPH_SNAPSHOT` is not set.
    static var snapshotAtExitPath: String? {
        guard let value = getenv("HEAPGRAPH_SNAPSHOT") else { return nil }
        let path = String(cString: value)
        return path.isEmpty ? nil : path
    }

    /// Called from `init`: remembers this heap for the exit snapshot.
    func registerForSnapshotAtExit() {
        guard Heap.snapshotAtExitPath != nil else { return }
        let address = UInt(bitPattern: core)
        let install = heapsToSnapshot.withLock { state -> Bool in
            state.heaps.append(address)
            defer { state.hookInstalled = true }
            return !state.hookInstalled
        }
        if install { atexit { Heap.writeSnapshotsAtExit() } }
    }

    /// Called from `deinit`.
    func unregisterForSnapshotAtExit() {
        let address = UInt(bitPattern: core)
        heapsToSnapshot.withLock { state in state.heaps.removeAll { $0 == address } }
    }

    static func writeSnapshotsAtExit() {
        guard let path = snapshotAtExitPath else { return }
        let tag = getenv("HEAPGRAPH_SNAPSHOT_TAG").map { String(cString: $0) } ?? "exit"
        let heaps = heapsToSnapshot.withLock { state in state.heaps }
        for (index, address) in heaps.enumerated() {
            guard let core = UnsafeMutablePointer<HeapCore>(bitPattern: address), let heap = core.pointee.owner else { continue }
            let target = index == 0 ? path : "\(path).\(index)"
            do {
                try heap.writeSnapshot(to: target, tag: tag)
            } catch {
                var line = "HeapRuntime: HEAPGRAPH_SNAPSHOT: \(error)\n"
                line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
            }
        }
    }
}
