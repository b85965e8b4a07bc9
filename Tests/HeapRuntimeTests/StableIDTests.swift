import Testing
@testable import HeapRuntime

/// Snapshot ids (serial numbers) against a churning heap: every live object keeps its id,
/// a freed object's id never comes back, and the allocator forgets what was freed.
@Suite struct StableIDTests {
    @Test func idsSurviveChurnAndAreNeverReused() throws {
        let heap = Heap()
        heap.gc.disable()
        var random = SplitMix64(state: 18)
        var live: [(object: ObjectRef, id: UInt64, address: Int)] = []
        var given = Set<UInt64>()
        var reusedAddresses = 0
        var freedAddresses = Set<Int>()
        for _ in 0..<40 {
            // Make a batch and number it, as a snapshot would.
            for _ in 0..<2_000 {
                let object = heap.list().unmanaged()   // released by hand below
                let id = heap.snapshotID(of: object)
                #expect(given.insert(id).inserted, "id \(id) given twice")
                if freedAddresses.contains(heap.id(of: object)) { reusedAddresses += 1 }
                live.append((object, id, heap.id(of: object)))
            }
            // Free about half, in random order: each free clears its slot.
            var kept: [(object: ObjectRef, id: UInt64, address: Int)] = []
            for entry in live {
                if random.next() % 2 == 0 { kept.append(entry) } else {
                    freedAddresses.insert(entry.address)
                    heap.release(entry.object)
                }
            }
            live = kept
            // Everything still alive has the id it was given.
            for entry in live.prefix(500) { #expect(heap.snapshotID(of: entry.object) == entry.id) }
            #expect(heap.core.pointee.allocator.numberedObjectCount() == live.count)
        }
        // The allocator did reuse freed addresses, and their new objects got new ids.
        #expect(reusedAddresses > 10_000)
        for entry in live { #expect(heap.snapshotID(of: entry.object) == entry.id) }
        for entry in live { heap.release(entry.object) }
        live.removeAll()
        #expect(heap.core.pointee.allocator.numberedObjectCount() == 0)
    }

    @Test func nothingIsKeptUntilTheFirstSnapshot() throws {
        let heap = Heap()
        for _ in 0..<1_000 { _ = heap.list() }
        #expect(heap.core.pointee.allocator.numberedObjectCount() == 0)
        #expect(heap.core.pointee.allocator.serialArrayBytes() == 0)
        let kept = heap.list()
        let id = heap.snapshotID(of: kept)
        #expect(id == 1)
        #expect(heap.core.pointee.allocator.numberedObjectCount() == 1)
        #expect(kept.snapshotID == id)
    }

    @Test func largeObjectsKeepTheirIdsInTheirLinks() throws {
        let heap = Heap()
        let items = (0..<100).map { heap.int($0 + 1_000).unmanaged() }
        defer { for item in items { heap.release(item) } }
        var oldID: UInt64 = 0
        do {
            let big = heap.tuple(items)            // 24 + 800 bytes: a large block
            oldID = heap.snapshotID(of: big)
            #expect(heap.snapshotID(of: big) == oldID)
            #expect(heap.core.pointee.allocator.numberedObjectCount() == 1)
        }
        #expect(heap.core.pointee.allocator.numberedObjectCount() == 0)
        let again = heap.tuple(items)
        #expect(heap.snapshotID(of: again) != oldID)
        #expect(heap.snapshotID(of: again) > oldID)
    }
}
