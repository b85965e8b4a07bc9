import Testing
@testable import HeapRuntime

@Suite("Deallocation")
struct DeallocationTests {
    @Test("freeing a chain of 10 million nested lists neither recurses nor leaks")
    func deepChain() throws {
        let heap = Heap()
        heap.gc.disable()
        let baseline = heap.objectCount
        let arenasBefore = heap.allocatorStats().arenasCurrent
        var head = heap.list()
        for _ in 0..<10_000_000 {
            let outer = heap.list()
            try heap.append(head, to: outer.ref)   // the old head moves into the new one
            head = outer
        }
        #expect(heap.objectCount == baseline + 10_000_001)
        head.release()
        #expect(heap.objectCount == baseline)
        heap.gc.collect()  // a full collection trims the pools kept empty
        // Everything went back but the arenas in use before and the one kept empty.
        #expect(heap.allocatorStats().arenasCurrent <= arenasBefore + 1)
        #expect(heap.allocatorStats().arenasReclaimed > 100)
    }

    @Test("a finalizer that resurrects keeps the object; it runs once")
    func resurrectionOnRefcountDeath() throws {
        let heap = Heap()
        let keeper = heap.list()
        var calls = 0
        let cls = try heap.makeClass("Phoenix", finalizer: .modern { heap, me in
            calls += 1
            try? heap.append(me, to: keeper.ref)
        })
        let obj = try heap.instance(of: cls.ref)
        let id = obj.id
        obj.release()
        #expect(calls == 1)
        #expect(try heap.count(of: keeper.ref) == 1)
        let back = try heap.item(0, of: keeper.ref)
        #expect(back.id == id)
        #expect(heap.gc.isFinalized(back))
        try heap.removeAll(from: keeper.ref)   // dies for good; the finalizer does not run again
        #expect(calls == 1)
    }

    @Test("legacy finalizers run on every death by reference count")
    func legacyFinalizerOnRefcountDeath() throws {
        let heap = Heap()
        var calls = 0
        let cls = try heap.makeClass("Old", finalizer: .legacy { _, _ in calls += 1 })
        for _ in 0..<3 { _ = try heap.instance(of: cls.ref) }
        #expect(calls == 3)
    }

    @Test("a base class's finalizer applies to instances of subclasses")
    func inheritedFinalizer() throws {
        let heap = Heap()
        var names: [String] = []
        let base = try heap.makeClass("Base", finalizer: .modern { heap, me in names.append(heap.typeName(of: me)) })
        let derived = try heap.makeClass("Derived", base: base.ref)
        _ = try heap.instance(of: derived.ref)
        #expect(names == ["Derived"])
    }

    @Test("owned references may outlive their heap")
    func handleOutlivesHeap() throws {
        var heap: Heap? = Heap()
        let list = try #require(heap).list()
        try #require(heap).append(try #require(heap).int(5000), to: list.ref)
        heap = nil                                  // teardown waits for `list`
        #expect(ObjectRef(list.pointer).kind == .list)
        list.release()                              // last handle: the heap's memory goes now
    }
}

@Suite("Misuse is caught with a message naming type and id")
struct MisuseTests {
    @Test func useAfterFree() async {
        await #expect(processExitsWith: .failure) {
            let heap = Heap()
            let a = heap.list()
            let stale = a.ref
            a.release()
            _ = heap.refcount(of: stale)
        }
    }

    @Test func overRelease() async {
        await #expect(processExitsWith: .failure) {
            let heap = Heap()
            let a = heap.list().unmanaged()
            heap.release(a)
            heap.release(a)
        }
    }

    @Test func objectOfAnotherHeap() async {
        await #expect(processExitsWith: .failure) {
            let one = Heap(), two = Heap()
            let list = one.list()
            let stranger = two.list()
            try? one.append(stranger.ref, to: list.ref)
        }
    }
}
