import Foundation
import HeapAnalysis
import HeapGraphModel
import HeapRuntime
import HeapRuntimeSnapshot
import Testing

/// Snapshots say which process and heap they are of, live graphs and files alike, so a
/// report compares one heap's snapshots object by object and others by type counts only.
@Suite("Snapshot origins")
struct SnapshotOriginTests {
    @Test func liveGraphsAndFilesOfOneHeapAreOneHeap() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("origin-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let heap = Heap(), other = Heap()
        #expect(heap.snapshotIdentity != other.snapshotIdentity)
        try heap.writeSnapshot(to: directory + "/1.heapgraph")
        try heap.writeSnapshot(to: directory + "/2.heapgraph")
        let first = try HeapSnapshot(contentsOf: directory + "/1.heapgraph")
        let second = try HeapSnapshot(contentsOf: directory + "/2.heapgraph")
        #expect(first.metadata.heapIdentity == heap.snapshotIdentity)
        #expect(first.metadata.pid == Int(getpid()))
        #expect([first.metadata.sequence, second.metadata.sequence] == [1, 2])
        #expect(SnapshotOrigin(first.metadata).isNotLater(than: SnapshotOrigin(second.metadata)) == true)
        #expect(SnapshotOrigin(second.metadata).isNotLater(than: SnapshotOrigin(first.metadata)) == false)

        let live = HeapSnapshot(heap: heap), otherLive = HeapSnapshot(heap: other)
        #expect(SnapshotOrigin(live.metadata).isSameHeap(as: SnapshotOrigin(first.metadata)) == true)
        #expect(SnapshotOrigin(otherLive.metadata).isSameHeap(as: SnapshotOrigin(first.metadata)) == false)
        let report = LeakReport.analyze(otherLive, baselines: [first])
        #expect(report.comparability?.matchesObjects == false)
        #expect(LeakReport.analyze(live, baselines: [first]).comparability == .sameHeap)
    }
}
