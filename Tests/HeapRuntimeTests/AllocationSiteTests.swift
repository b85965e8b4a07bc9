import Testing
import HeapRuntime

@Suite("Allocation sites")
struct AllocationSiteTests {
    @Test func containersRememberTheSiteSetWhenTheyWereMade() throws {
        let heap = Heap()
        let before = heap.list()
        #expect(heap.currentAllocationSite == nil)
        let first = heap.allocationSite(named: "a.py:3")
        #expect(heap.allocationSite(named: "a.py:3") == first)
        heap.currentAllocationSite = first
        let list = heap.list()
        let number = heap.int(100_000)              // atoms get no site
        heap.currentAllocationSite = heap.allocationSite(named: "a.py:4")
        let dict = heap.dict()
        heap.currentAllocationSite = nil
        let after = heap.list()
        #expect(heap.allocationSite(of: before) == nil)
        #expect(heap.allocationSite(of: list) == "a.py:3")
        #expect(heap.allocationSite(of: number) == nil)
        #expect(heap.allocationSite(of: dict) == "a.py:4")
        #expect(heap.allocationSite(of: after) == nil)
        #expect(heap.allocationSitesByObjectID() == [
            heap.snapshotID(of: list): "a.py:3", heap.snapshotID(of: dict): "a.py:4",
        ])
    }

    @Test func aDeadObjectsSiteIsForgotten() throws {
        let heap = Heap()
        heap.gc.disable()
        heap.currentAllocationSite = heap.allocationSite(named: "b.py:1")
        let id: Int
        do {
            let dying = heap.list()
            id = dying.ref.id
        }
        // Freed by its count: the record goes with it, and a new object in the same
        // block made without a site has none.
        heap.currentAllocationSite = nil
        let reused = heap.list()
        #expect(reused.ref.id == id)
        #expect(heap.allocationSite(of: reused) == nil)
        #expect(heap.allocationSitesByObjectID().isEmpty)

        // Freed by the collector.
        heap.currentAllocationSite = heap.allocationSite(named: "b.py:2")
        do {
            let ring = heap.list()
            try heap.append(ring, to: ring)
        }
        #expect(heap.allocationSitesByObjectID().values.sorted() == ["b.py:2"])
        heap.gc.collect()
        #expect(heap.allocationSitesByObjectID().isEmpty)
    }
}
