import Testing
import HeapRuntime
@testable import HeapGraphModel
import HeapRuntimeSnapshot

/// Allocation sites travel in the metadata of written snapshots and of live graphs; files
/// without them still read.
@Suite struct AllocationSiteSnapshotTests {
    func heapWithSites() throws -> (Heap, [ObjectRef]) {
        let heap = Heap()
        heap.currentAllocationSite = heap.allocationSite(named: "m.py:7")
        let a = heap.list().unmanaged()   // held for the heap's life
        heap.currentAllocationSite = heap.allocationSite(named: "m.py:8 \"quoted\"")
        let b = heap.dict().unmanaged()
        heap.currentAllocationSite = nil
        let c = heap.list().unmanaged()
        return (heap, [a, b, c])
    }

    @Test func writtenSnapshotCarriesSites() throws {
        let (heap, objects) = try heapWithSites()
        let path = temporaryPath("sites-\(UInt.random(in: 0...UInt.max)).heapgraph")
        try heap.writeSnapshot(to: path)
        let graph = try HeapSnapshot(contentsOf: path)
        let ids = objects.map { heap.snapshotID(of: $0) }
        #expect(ids.map { graph.metadata.allocationSite(of: $0) } == ["m.py:7", "m.py:8 \"quoted\"", nil])
        #expect(graph.metadata.allocationSiteIndexes.count == 2)
    }

    @Test func liveGraphCarriesSites() throws {
        let (heap, objects) = try heapWithSites()
        let graph = HeapSnapshot(heap: heap)
        let ids = objects.map { heap.snapshotID(of: $0) }
        #expect(ids.map { graph.metadata.allocationSite(of: $0) } == ["m.py:7", "m.py:8 \"quoted\"", nil])
    }

    @Test func metadataWithoutSitesOrWithBrokenSitesReads() throws {
        let old = try SnapshotMetadata(parsing: Array(#"{"format":"heapgraph","version":2,"tag":"old"}"#.utf8))
        #expect(old.tag == "old")
        #expect(old.allocationSiteNames.isEmpty && old.allocationSite(of: 1) == nil)
        let good = try SnapshotMetadata(parsing: Array(#"{"allocationSites":{"sites":["x.py:1","x.py:2"],"objects":[16,1,32,0]}}"#.utf8))
        #expect(good.allocationSite(of: 16) == "x.py:2")
        #expect(good.allocationSite(of: 32) == "x.py:1")
        #expect(good.allocationSite(of: 48) == nil)
        // An index past the names or an odd pair drops the record, not the file.
        for broken in [#"{"allocationSites":{"sites":["x"],"objects":[16,1]}}"#,
                       #"{"allocationSites":{"sites":["x"],"objects":[16]}}"#,
                       #"{"allocationSites":{"sites":[3],"objects":[16,0]}}"#,
                       #"{"allocationSites":[1,2],"tag":"t"}"#] {
            let metadata = try SnapshotMetadata(parsing: Array(broken.utf8))
            #expect(metadata.allocationSiteIndexes.isEmpty, "\(broken)")
        }
    }
}
