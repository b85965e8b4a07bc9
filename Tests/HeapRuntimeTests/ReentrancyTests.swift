import Testing
@testable import HeapRuntime

/// CPython's regression cases for deaths, queued deaths, finalizers, weak-reference
/// callbacks and collections that meet (issue 13), rewritten against the Swift API. Before
/// the fixes the first three crashed the test process and the fourth failed.
@Suite("Collector reentrancy: CPython's regression cases")
struct ReentrancyTests {
    /// test_weakref's test_sf_bug_840829: a weak-reference callback that collects while its
    /// referent dies by reference count must not let the collection free the dying object.
    @Test func test_sf_bug_840829() throws {
        let heap = Heap()
        let cls = try heap.makeClass("C")
        let baseline = heap.objectCount
        var collections = 0
        let collecting = WeakReferenceCallback { heap, _, _ in
            heap.gc.collect()
            collections += 1
        }
        do {
            let c = try heap.instance(of: cls)
            let wr = try heap.weakReference(to: c, callback: collecting)
            c.release()                                   // del c: the callback collects
            #expect(collections == 1)
            #expect(try heap.isCleared(wr))
        }
        // The second half: the referent dies inside the teardown of what holds it.
        do {
            let c1 = try heap.instance(of: cls)
            try heap.setAttribute("i", to: heap.instance(of: cls), on: c1)
            let i = try #require(heap.attribute("i", of: c1) as ObjectRef?)
            let wr = try heap.weakReference(to: i, callback: collecting)
            let c2 = try heap.instance(of: cls)
            try heap.setAttribute("c1", to: c1, on: c2)
            c1.release()                                  // still alive: c2 holds it
            c2.release()
            #expect(collections == 2)
            #expect(try heap.isCleared(wr))
        }
        #expect(heap.objectCount == baseline + heap.sharedAttributeNames(of: cls).count)
    }

    /// test_gc's test_trashcan: a finalizer that collects every 17th call, on objects in
    /// structures nested deeper than the depth where deaths queue. A collection while
    /// deaths are queued must not take the queued containers for garbage.
    @Test func test_trashcan() throws {
        let heap = Heap()
        var calls = 0
        let ouch = try heap.makeClass("Ouch", finalizer: .modern { heap, _ in
            calls += 1
            if calls % 17 == 0 { heap.gc.collect() }
        })
        let baseline = heap.objectCount
        let n = 150
        for _ in 0..<2 {
            var t = heap.list()
            for _ in 0..<n {
                let o = try heap.instance(of: ouch)
                t = heap.list([t.ref, o.ref])             // t = [t, Ouch()]
            }
            var u = heap.list()
            for _ in 0..<n {
                let o = try heap.instance(of: ouch)
                u = heap.list([u.ref, o.ref])
            }
            var v = heap.dict()
            for _ in 0..<n {
                let next = heap.dict()
                try heap.setItem(heap.int(1), to: v, in: next)
                try heap.setItem(heap.int(2), to: heap.instance(of: ouch), in: next)
                v = next
            }
        }
        #expect(calls == 2 * 3 * n)
        heap.gc.collect()
        #expect(heap.objectCount == baseline)
    }

    /// The same with the collections started by allocations inside finalizers, under
    /// thresholds (1, 1, 1), and deaths nested a thousand deep.
    @Test func test_trashcan_allocationsCollect() throws {
        let heap = Heap()
        var calls = 0
        let ouch = try heap.makeClass("Ouch", finalizer: .modern { heap, _ in
            calls += 1
            let inner = heap.list()                       // allocations past threshold 0
            _ = heap.list([inner.ref])
        })
        let baseline = heap.objectCount
        heap.gc.thresholds = (1, 1, 1)
        do {
            var t = heap.list()
            for _ in 0..<1_000 {
                let o = try heap.instance(of: ouch)
                t = heap.list([t.ref, o.ref])
            }
        }
        #expect(calls == 1_000)
        #expect(heap.gc.stats.map(\.collections).reduce(0, +) > 0)
        heap.gc.collect()
        #expect(heap.objectCount == baseline)
    }

    /// test_weakref's test_trashcan_16602 (bpo-16602): when a weak reference's referent is
    /// queued for teardown, reading it must answer None, not hand out an object whose count
    /// is 0. Each C holds a weak reference to its parent whose callback reads a weak
    /// reference to the C itself; a weak-keyed table keeps each C alive while its parent
    /// lives, and lets it go in the callback run when the parent dies, so the Cs die one
    /// inside another, a hundred deep.
    @Test func test_trashcan_16602() throws {
        let heap = Heap()
        let cls = try heap.makeClass("C")
        let baseline = heap.objectCount
        var reads: [Bool] = []                            // whether wself() answered an object
        let readSelf = WeakReferenceCallback { heap, _, wself in
            guard let wself else { return }
            reads.append((try? heap.referent(of: wself)) ?? nil != nil)
        }
        let table = heap.dict().unmanaged()               // d: parent's index -> child, owned
        let dropEntry = WeakReferenceCallback { heap, _, key in
            guard let key else { return }
            try? heap.removeItem(forKey: key, from: table)
        }
        var keyReferences: [ObjectRef] = []               // d's weak keys, owned
        do {
            var parent = try heap.instance(of: cls)       // root = c = C(None)
            let root = parent.copy()
            for n in 0..<100 {                            // d[c] = c = C(c)
                let child = try heap.instance(of: cls)
                let wself = try heap.weakReference(to: child)
                try heap.setAttribute("wparent", to: heap.weakReference(to: parent, callback: readSelf, context: wself.ref), on: child)
                let key = heap.int(1_000 + n)
                try heap.setItem(key, to: child, in: table)
                keyReferences.append(try heap.weakReference(to: parent, callback: dropEntry, context: key.ref).unmanaged())
                parent = child
            }
            root.release()                                // del root
        }
        #expect(reads.count == 100)                       // every child saw its parent die
        #expect(reads.contains(false))                    // some were queued by then
        #expect(try heap.count(of: table) == 0)
        for wr in keyReferences { heap.release(wr) }
        heap.release(table)
        heap.gc.collect()
        #expect(heap.objectCount == baseline + heap.sharedAttributeNames(of: cls).count)
    }

    /// test_finalization's test_legacy_resurrect: on a death by reference count, weak
    /// references are cleared (and their callbacks run) before the legacy finalizer, which
    /// runs on every death and may resurrect.
    @Test func test_legacy_resurrect() throws {
        let heap = Heap()
        let survivors = heap.list()
        var delCalls: [Int] = []
        var seenByFinalizer: [Bool] = []                  // whether wr() answered inside tp_del
        var weak: ObjectRef?                              // owned
        let cls = try heap.makeClass("LegacyResurrector", finalizer: .legacy { heap, me in
            delCalls.append(me.id)
            if let weak { seenByFinalizer.append((try? heap.referent(of: weak)) ?? nil != nil) }
            try? heap.append(me, to: survivors)
        })
        var callbacks = 0
        let id: Int
        do {
            let s = try heap.instance(of: cls)
            id = s.id
            weak = try heap.weakReference(to: s, callback: WeakReferenceCallback { _, _, _ in
                callbacks += 1
                #expect(delCalls.isEmpty)                 // before tp_del
            }).unmanaged()
        }
        heap.gc.collect()
        let wr = try #require(weak)
        #expect(delCalls == [id])
        #expect(callbacks == 1)
        #expect(seenByFinalizer == [false])
        #expect(try heap.items(of: survivors).map(\.id) == [id])
        #expect(try heap.referent(of: wr) == nil)         // cleared before tp_del
        try heap.removeAll(from: survivors)               // dies again, resurrects again
        heap.gc.collect()
        #expect(delCalls == [id, id])
        #expect(callbacks == 1)
        #expect(try heap.items(of: survivors).map(\.id) == [id])
        #expect(try heap.referent(of: wr) == nil)
        weak = nil
        heap.release(wr)
    }

    /// test_weakref's test_ref_reuse: `weakref.ref(o)` without callback is one object;
    /// one with a callback made in between makes no difference.
    @Test func test_ref_reuse() throws {
        let heap = Heap()
        let cls = try heap.makeClass("C")
        let o = try heap.instance(of: cls)
        let ref1 = try heap.weakReference(to: o)
        let withCallback = try heap.weakReference(to: o, callback: WeakReferenceCallback { _, _, _ in })
        let ref2 = try heap.weakReference(to: o)
        #expect(ref1.id == ref2.id)
        #expect(ref1.id != withCallback.id)
        #expect(heap.weakReferenceCount(of: o) == 2)
        withCallback.release()
        #expect(heap.weakReferenceCount(of: o) == 1)
        ref1.release()
        ref2.release()
        #expect(heap.weakReferenceCount(of: o) == 0)
        let ref3 = try heap.weakReference(to: o)          // a new basic reference now
        #expect(heap.weakReferenceCount(of: o) == 1)
        _ = ref3
    }

    /// A basic weak reference queued for teardown is not handed out again: a finalizer that
    /// runs while it waits in the queue asks for `weakref.ref(target)` and gets a new one.
    @Test func basicWeakReferenceQueuedForTeardownIsNotReused() throws {
        let heap = Heap()
        let target = try heap.makeClass("Target")
        let t = try heap.instance(of: target)
        var answers: [Int] = []
        var queued: Int?
        var pendingWhenAsked: [Int?] = []
        let asker = try heap.makeClass("Asker", finalizer: .modern { heap, _ in
            pendingWhenAsked.append(heap.core.pointee.pendingDeallocation.map { Int(bitPattern: $0) })
            if let wr = try? heap.weakReference(to: t) {
                answers.append(wr.id)
                #expect((try? heap.referent(of: wr))?.id == t.id)
            }
        })
        let baseline = heap.objectCount
        do {
            // Lists nested so that the innermost one's items die just past the nesting
            // limit; it holds [asker, weak]. The weak reference dies first (last item
            // first) and is queued, then the asker, whose finalizer runs first when the
            // queue drains, the weak reference still in it.
            let weak = try heap.weakReference(to: t)
            queued = weak.id
            let a = try heap.instance(of: asker)
            var chain = heap.list([a.ref, weak.ref])
            a.release()
            weak.release()
            for _ in 0..<(HeapCore.deallocationNestingLimit - 1) { chain = heap.list([chain.ref]) }
            chain.release()
        }
        #expect(pendingWhenAsked == [queued])
        #expect(answers.count == 1)
        #expect(answers.first != queued)
        #expect(heap.weakReferenceCount(of: t) == 0)
        #expect(heap.objectCount == baseline)
    }

    /// test_weakref's test_getweakrefcount, with weak references that have callbacks and
    /// contexts (each its own object) and basic ones (shared).
    @Test func test_getweakrefcount() throws {
        let heap = Heap()
        let cls = try heap.makeClass("C")
        let o = try heap.instance(of: cls)
        var refs: [ObjectRef] = []                        // owned
        refs.append(try heap.weakReference(to: o).unmanaged())
        refs.append(try heap.weakReference(to: o, callback: WeakReferenceCallback { _, _, _ in }).unmanaged())
        refs.append(try heap.weakReference(to: o, context: heap.none).unmanaged())
        refs.append(try heap.weakReference(to: o).unmanaged())
        #expect(refs[0] == refs[3])
        #expect(heap.weakReferenceCount(of: o) == 3)
        for wr in refs { heap.release(wr) }
        #expect(heap.weakReferenceCount(of: o) == 0)
    }

    /// Callbacks on a death by reference count run newest first, the basic weak reference
    /// aside, as CPython keeps its list.
    @Test func callbacksRunNewestFirst() throws {
        let heap = Heap()
        let cls = try heap.makeClass("C")
        var order: [Int] = []
        var refs: [ObjectRef] = []                        // owned
        do {
            let o = try heap.instance(of: cls)
            for n in 0..<3 {
                refs.append(try heap.weakReference(to: o, callback: WeakReferenceCallback { _, _, _ in order.append(n) }).unmanaged())
                refs.append(try heap.weakReference(to: o).unmanaged())
            }
        }
        #expect(order == [2, 1, 0])
        for wr in refs { #expect(try heap.isCleared(wr)) }
        for wr in refs { heap.release(wr) }
    }

    /// CPython 3.11's gc_freeze_impl sets every generation's count to 0.
    @Test func freezeResetsCounts() throws {
        let heap = Heap()
        heap.gc.collect(generation: 0)
        heap.gc.collect(generation: 1)
        var keep: [ObjectRef] = []                        // owned
        for _ in 0..<4 { keep.append(heap.list().unmanaged()) }
        #expect(heap.gc.counts.0 >= 4)
        #expect(heap.gc.counts.2 == 1)
        heap.gc.freeze()
        #expect(heap.gc.counts == (0, 0, 0))
        heap.gc.unfreeze()
        for list in keep { heap.release(list) }
    }

    /// A modern finalizer runs on a dying object that is tracked again for the call: a
    /// collection inside it sees a live object, and one it resurrects stays tracked, so a
    /// cycle it closes is collected later.
    @Test func finalizerThatCollectsAndResurrectsIntoACycle() throws {
        let heap = Heap()
        var tracked: [Bool] = []
        let cls = try heap.makeClass("Phoenix", finalizer: .modern { heap, me in
            tracked.append(heap.gc.isTracked(me))
            heap.gc.collect()
            try? heap.setAttribute("me", to: me, on: me)  // resurrected into a cycle
        })
        let baseline = heap.objectCount
        var id = 0
        do {
            let p = try heap.instance(of: cls)
            id = p.id
        }
        #expect(tracked == [true])
        #expect(heap.gc.objects().contains { $0.id == id })
        #expect(heap.gc.collect() == 1)
        #expect(heap.objectCount == baseline + heap.sharedAttributeNames(of: cls).count)
    }
}
