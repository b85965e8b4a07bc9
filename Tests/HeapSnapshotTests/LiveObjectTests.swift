import Testing
import HeapRuntime
@testable import HeapGraphModel
import HeapRuntimeSnapshot

/// Singletons a heap makes at birth: None, True, False and the ints −5…256. They are not in
/// `Heap.objectCount − singletonCount`, and a snapshot has them only where something refers
/// to them, flagged immortal.
private let singletonCount = 3 + 262

/// A tuple of `items` (whose references it takes over) followed by `plus` (which it
/// shares), held by the caller.
private func tupleTaking(_ heap: Heap, _ items: [ObjectRef], plus: [ObjectRef] = []) -> ObjectRef {
    let tuple = heap.tuple(items + plus).unmanaged()
    for item in items { heap.release(item) }
    return tuple
}

@Suite("Snapshot: every live object")
struct LiveObjectTests {
    /// Objects only the host holds are on no collector list and reached by no tracked
    /// object: an untracked dict of atoms, a tuple of atoms the collector untracked, atoms in
    /// Swift variables, large blocks among them. The snapshot has each, as a root, and its
    /// mortal nodes are exactly the heap's objects.
    @Test func objectsOnlyTheHostHoldsAreNodes() throws {
        let heap = Heap()
        // Held by the test (each unmanaged reference is one the host keeps).
        let dict = heap.dict().unmanaged()
        try heap.setItem(heap.str("answer"), to: heap.int(42_000), in: dict)
        let tuple = tupleTaking(heap, [heap.int(1_000).unmanaged(), heap.str("x").unmanaged()], plus: [heap.none])
        let bigTuple = tupleTaking(heap, (0..<100).map { heap.int(10_000 + $0).unmanaged() })   // a large block
        heap.gc.collect()
        #expect(!heap.gc.isTracked(dict))
        #expect(!heap.gc.isTracked(tuple))
        #expect(!heap.gc.isTracked(bigTuple))
        let number = heap.int(123_456_789).unmanaged()
        let text = heap.str("held by Swift").unmanaged()
        let bigText = heap.str(String(repeating: "y", count: 2_000)).unmanaged()   // a large block
        let tracked = heap.list().unmanaged()
        try heap.append(heap.float(1.5), to: tracked)

        let snapshot = HeapSnapshot(heap: heap)
        var nodeOf: [UInt64: Int] = [:]
        for node in 0..<snapshot.nodeCount { nodeOf[snapshot.ids[node]] = node }
        let held: [(String, ObjectRef)] = [("dict", dict), ("tuple", tuple), ("bigTuple", bigTuple),
                                           ("number", number), ("text", text), ("bigText", bigText),
                                           ("tracked", tracked)]
        for (name, object) in held {
            let node = try #require(nodeOf[object.snapshotID], "\(name) is missing")
            #expect(snapshot.isRoot(node), "\(name) is not a root")
            #expect(snapshot.externalCount(of: node) == 1, "\(name)")
        }
        #expect(snapshot.edges(of: try #require(nodeOf[bigTuple.snapshotID])).count == 100)
        let immortal = (0..<snapshot.nodeCount).filter { snapshot.flags(of: $0).contains(.immortal) }.count
        // None (in the tuple) is the only singleton referred to.
        #expect(immortal == 1)
        #expect(snapshot.nodeCount - immortal == heap.objectCount - singletonCount)
        // dict, its key and value, tuple and 2 items, bigTuple and 100 items, number, text,
        // bigText, tracked and its float.
        #expect(snapshot.nodeCount - immortal == 3 + 3 + 101 + 3 + 2)

        // The file says the same.
        let path = temporaryPath("live-objects.heapgraph")
        try heap.writeSnapshot(to: path)
        let file = try HeapSnapshot(contentsOf: path)
        #expect(file.ids == snapshot.ids)
        #expect(file.externalCounts == snapshot.externalCounts)
    }

    /// With no tracked object at all, the allocator's walk is the only source of nodes.
    @Test func aHeapHoldingOnlyAnIntHasItAsItsOneNode() {
        let heap = Heap()
        let number = heap.int(1_000_000)
        let snapshot = HeapSnapshot(heap: heap)
        #expect(snapshot.nodeCount == 1)
        #expect(snapshot.ids == [number.snapshotID])
        #expect(snapshot.valueLabel(of: 0) == "1000000")
        #expect(heap.objectCount - singletonCount == 1)
    }

    /// Freed blocks, never-used blocks carved ahead, and pools reused for another size
    /// class after holding objects are not objects; the count still matches after churn.
    @Test func churnLeavesNoPhantomNodes() throws {
        let heap = Heap()
        var keep: [ObjectRef] = []
        for round in 0..<3 {
            do {
                var scratch: [ObjectRef] = []
                for i in 0..<5_000 { scratch.append(heap.str(String(repeating: "s", count: i % 200 + round)).unmanaged()) }
                for i in 0..<2_000 { scratch.append(tupleTaking(heap, [heap.int(1_000 + i).unmanaged()])) }
                for (i, object) in scratch.enumerated() {
                    if i % 97 == 0 { keep.append(object) } else { heap.release(object) }
                }
            }
            heap.gc.collect()
            for i in 0..<1_000 { keep.append(heap.int((round + 1) * 1_000_000 + i).unmanaged()) }
        }
        let snapshot = HeapSnapshot(heap: heap)
        let immortal = (0..<snapshot.nodeCount).filter { snapshot.flags(of: $0).contains(.immortal) }.count
        #expect(snapshot.nodeCount - immortal == heap.objectCount - singletonCount)
        let ids = Set(snapshot.ids)
        #expect(ids.count == snapshot.nodeCount)
        let missing = keep.filter { !ids.contains($0.snapshotID) }
        #expect(missing.isEmpty, "\(missing.count) held objects missing, e.g. \(missing.prefix(3).map { heap.typeName(of: $0) })")
        for node in 0..<snapshot.nodeCount where !snapshot.flags(of: node).contains(.immortal) {
            #expect(snapshot.referenceCounts[node] > 0)
        }
    }

    /// The same program numbers its objects the same way, whatever addresses it got.
    @Test func ordinalsAreDeterministic() throws {
        func build() throws -> (Heap, [ObjectRef], [String]) {
            let heap = Heap()
            var held: [ObjectRef] = []
            for i in 0..<3_000 {
                let d = heap.dict().unmanaged()
                try heap.setItem(heap.str("k\(i)"), to: heap.int(i * 1_000), in: d)
                if i % 3 == 0 { held.append(d) } else { heap.release(d) }
                if i % 5 == 0 { held.append(heap.str(String(repeating: "z", count: i % 700)).unmanaged()) }
            }
            heap.gc.collect()
            let snapshot = HeapSnapshot(heap: heap)
            let order = (0..<snapshot.nodeCount).map { "\(snapshot.typeName(of: $0)) \(snapshot.valueLabel(of: $0) ?? "")" }
            return (heap, held, order)
        }
        let first = try build(), second = try build()
        #expect(first.2.count > 3_000)
        #expect(first.2 == second.2)
    }
}
