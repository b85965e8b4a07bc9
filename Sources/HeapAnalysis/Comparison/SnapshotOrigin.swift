import HeapGraphModel

/// Where and when a snapshot was taken, as its metadata says: the process (`pid`), the heap
/// (`heap`, HeapRuntime's per-heap identity), the time and the heap's snapshot number
/// (`sequence`). Snapshots are compared object by object only when they are of one heap,
/// and only oldest first.
///
/// ```swift
/// let origins = graphs.map { SnapshotOrigin($0.metadata) }
/// if let problem = SnapshotOrigin.orderProblem(zip(names, origins).map { ($0, $1) }) { print(problem) }
/// ```
public struct SnapshotOrigin: Sendable, Hashable {
    public var runtime: String?
    public var pid: Int?
    public var heap: String?
    /// ISO 8601 UTC, `2026-11-21T04:15:28Z`.
    public var time: String?
    public var sequence: Int?

    public init(runtime: String? = nil, pid: Int? = nil, heap: String? = nil, time: String? = nil, sequence: Int? = nil) {
        self.runtime = runtime
        self.pid = pid
        self.heap = heap
        self.time = time
        self.sequence = sequence
    }

    public init(_ metadata: SnapshotMetadata) {
        self.init(runtime: metadata.runtime ?? metadata.producer, pid: metadata.pid, heap: metadata.heapIdentity,
                  time: metadata.time, sequence: metadata.sequence)
    }

    /// Whether both snapshots are of one heap: `false` when their runtimes, heap identities
    /// or processes differ, `true` when their heap identities are equal, nil when the
    /// metadata cannot tell (V8 files, which record neither; one process id in both, which
    /// may have been reused).
    public func isSameHeap(as other: SnapshotOrigin) -> Bool? {
        if let mine = runtime, let theirs = other.runtime, mine != theirs { return false }
        if let mine = heap, let theirs = other.heap { return mine == theirs }
        if let mine = pid, let theirs = other.pid, mine != theirs { return false }
        return nil
    }

    /// Whether this snapshot was taken no later than `other`: by `sequence` within one
    /// heap, else by time (to the second); nil when the metadata cannot tell.
    public func isNotLater(than other: SnapshotOrigin) -> Bool? {
        if isSameHeap(as: other) == true, let mine = sequence, let theirs = other.sequence { return mine <= theirs }
        // One format (the runtime and the CPython dumper write `YYYY-MM-DDTHH:MM:SSZ`), so
        // the text sorts as the time does.
        if let mine = time, let theirs = other.time, mine.utf8.count == theirs.utf8.count { return mine <= theirs }
        return nil
    }

    /// A sentence saying which snapshot is out of order, or nil when every snapshot is no
    /// later than the next (or the metadata cannot tell). `snapshots` are oldest first as
    /// the user gave them.
    public static func orderProblem(_ snapshots: [(name: String, origin: SnapshotOrigin)]) -> String? {
        for (older, newer) in zip(snapshots, snapshots.dropFirst()) where older.origin.isNotLater(than: newer.origin) == false {
            func when(_ origin: SnapshotOrigin) -> String {
                [origin.time.map { "taken \($0)" }, origin.sequence.map { "snapshot \($0) of its heap" }]
                    .compactMap { $0 }.joined(separator: ", ")
            }
            return "\(older.name) (\(when(older.origin))) is newer than \(newer.name) (\(when(newer.origin))); "
                + "give the snapshots oldest first"
        }
        return nil
    }
}

/// How far earlier snapshots can be compared with the newest: object by object (one heap,
/// so an id names one object) or by type counts only (different processes or heaps, whose
/// ids mean nothing to each other).
public enum BaselineComparability: Sendable, Hashable {
    case sameHeap
    /// The reason, as one sentence for reports.
    case typeCountsOnly(String)

    /// `.typeCountsOnly` as soon as one earlier snapshot is known to be of another heap.
    public init(newest: SnapshotOrigin, older: [SnapshotOrigin]) {
        for origin in older where origin.isSameHeap(as: newest) == false {
            let what: String
            if let mine = origin.runtime, let theirs = newest.runtime, mine != theirs {
                what = "different runtimes (\(mine), \(theirs))"
            } else if let mine = origin.pid, let theirs = newest.pid, mine != theirs {
                what = "different processes (pid \(mine), pid \(theirs))"
            } else {
                what = "different heaps"
            }
            self = .typeCountsOnly("the snapshots are of \(what): compared by type counts only, no object is matched by id")
            return
        }
        self = .sameHeap
    }

    /// Whether objects may be matched by id.
    public var matchesObjects: Bool { self == .sameHeap }
}
