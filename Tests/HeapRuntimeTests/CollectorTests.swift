import Testing
@testable import HeapRuntime

/// Cases ported from CPython's Lib/test/test_gc.py, rewritten against the Swift API.
/// Python's instances carry a separate `__dict__`; ours keep attributes inline, so counts
/// that CPython doubles for the dict are single here.
@Suite("Collector: CPython's test_gc cases")
struct CollectorTests {
    @Test func test_list() throws {
        let heap = Heap()
        do {
            let l = heap.list()
            try heap.append(l.ref, to: l.ref)          // l.append(l)
            heap.gc.collect()
        }                                               // del l
        #expect(heap.gc.collect() == 1)
    }

    @Test func test_dict() throws {
        let heap = Heap()
        do {
            let d = heap.dict()
            try heap.setItem(heap.int(1), to: d.ref, in: d.ref)   // d[1] = d
            heap.gc.collect()
        }
        #expect(heap.gc.collect() == 1)
    }

    @Test func test_tuple() throws {
        let heap = Heap()
        do {
            let l = heap.list()
            let t = heap.tuple([l.ref])
            try heap.append(t, to: l.ref)
            heap.gc.collect()
        }
        #expect(heap.gc.collect() == 2)
    }

    @Test func test_class() throws {
        let heap = Heap()
        do {
            let a = try heap.makeClass("A")
            try heap.setAttribute("a", to: a.ref, on: a.ref)   // A.a = A
            heap.gc.collect()
        }
        #expect(heap.gc.collect() == 2)   // the class and its attribute dict
    }

    @Test func test_newinstance() throws {
        let heap = Heap()
        let cls = try heap.makeClass("A")
        do {
            let a = try heap.instance(of: cls)
            try heap.setAttribute("a", to: a.ref, on: a.ref)   // a.a = a
            heap.gc.collect()
        }
        #expect(heap.gc.collect() == 1)
    }

    @Test func test_legacy_finalizer() throws {
        let heap = Heap()
        let cls = try heap.makeClass("A", finalizer: .legacy { _, _ in })
        let id: Int
        do {
            let a = try heap.instance(of: cls)
            try heap.setAttribute("a", to: a.ref, on: a.ref)
            id = a.id
        }
        heap.gc.collect()
        let garbage = try heap.items(of: heap.gc.garbage)
        #expect(garbage.contains { $0.id == id })
        #expect(heap.gc.stats[2].uncollectable == 1)
        try heap.removeAll(from: heap.gc.garbage)
    }

    @Test func legacyFinalizerKeepsWhatItReachesButNotTheRest() throws {
        let heap = Heap()
        let legacy = try heap.makeClass("Legacy", finalizer: .legacy { _, _ in })
        let plain = try heap.makeClass("Plain")
        var reachedID = 0
        do {
            let a = try heap.instance(of: legacy)
            try heap.setAttribute("me", to: a.ref, on: a.ref)
            let reached = heap.list()                       // reachable from the legacy cycle
            try heap.setAttribute("data", to: reached.ref, on: a.ref)
            reachedID = reached.id
            let other = try heap.instance(of: plain)        // an unrelated cycle
            try heap.setAttribute("me", to: other.ref, on: other.ref)
        }
        #expect(heap.gc.collect() == 3)                    // 1 collected + 2 uncollectable
        #expect(heap.gc.stats[2].collected == 1)
        #expect(heap.gc.stats[2].uncollectable == 2)
        let garbage = try heap.items(of: heap.gc.garbage)
        #expect(garbage.count == 1)                         // only the object with the finalizer
        #expect(heap.typeName(of: garbage[0]) == "Legacy")
        #expect(heap.gc.objects().contains { $0.id == reachedID })  // kept alive, not freed
        try heap.removeAll(from: heap.gc.garbage)
    }

    /// The pass that sets aside legacy finalizers also clears the marks the unreachable list
    /// is linked with; moving an object out of the middle of that list must leave the rest
    /// of it intact for the objects after it.
    @Test func legacyFinalizersInTheMiddleOfTheGarbage() throws {
        let heap = Heap()
        heap.gc.disable()
        let legacy = try heap.makeClass("Legacy", finalizer: .legacy { _, _ in })
        func plainCycles(_ n: Int) {
            for _ in 0..<n {
                let a = heap.list()
                let b = heap.list([a.ref])
                try? heap.append(b.ref, to: a.ref)
            }
        }
        plainCycles(50)
        var legacyIDs: Set<Int> = []
        for _ in 0..<3 {
            let x = try heap.instance(of: legacy)
            try heap.setAttribute("me", to: x.ref, on: x.ref)
            legacyIDs.insert(x.id)
        }
        plainCycles(50)
        #expect(heap.gc.collect() == 203)                   // 200 collected + 3 uncollectable
        #expect(heap.gc.stats[2].collected == 200)
        #expect(heap.gc.stats[2].uncollectable == 3)
        let garbage = try heap.items(of: heap.gc.garbage)
        #expect(Set(garbage.map(\.id)) == legacyIDs)
        // What is left tracked is the class, the garbage list and the three instances.
        let left = heap.gc.objects().filter { heap.typeName(of: $0) == "list" }
        #expect(left.count == 1)
        try heap.removeAll(from: heap.gc.garbage)
        #expect(heap.gc.collect() == 3)
    }

    @Test func test_saveall() throws {
        let heap = Heap()
        heap.gc.debugFlags = .saveAll
        let id: Int
        do {
            let l = heap.list()
            try heap.append(l.ref, to: l.ref)
            id = l.id
        }
        heap.gc.collect()
        let garbage = try heap.items(of: heap.gc.garbage)
        #expect(garbage.map(\.id) == [id])
        heap.gc.debugFlags = []
        try heap.removeAll(from: heap.gc.garbage)
        #expect(heap.gc.collect() == 1)                     // now it goes
    }

    @Test func test_del() throws {
        // A finalizer that disables the collector while collections run must not crash.
        let heap = Heap()
        heap.gc.thresholds = (1, 1, 1)
        let cls = try heap.makeClass("A", finalizer: .modern { heap, _ in heap.gc.disable() })
        for _ in 0..<100 {
            let a = try heap.instance(of: cls)
            try heap.setAttribute("me", to: a.ref, on: a.ref)
            heap.gc.enable()
            _ = heap.list()
        }
        heap.gc.enable()
        heap.gc.collect()
        #expect(heap.gc.collect() == 0)
    }

    @Test func test_get_count() {
        let heap = Heap()
        heap.gc.collect()
        let (a, b, c) = heap.gc.counts
        let x = heap.list()
        let (d, e, f) = heap.gc.counts
        #expect(b == 0 && c == 0)
        #expect(e == 0 && f == 0)
        #expect(a < 5)
        #expect(d > a)
        _ = x
    }

    @Test func test_collect_generations() {
        let heap = Heap()
        heap.gc.collect()
        let x = heap.list()
        heap.gc.collect(generation: 0)
        #expect(heap.gc.counts == (0, 1, 0))
        heap.gc.collect(generation: 1)
        #expect(heap.gc.counts == (0, 0, 1))
        heap.gc.collect(generation: 2)
        #expect(heap.gc.counts == (0, 0, 0))
        _ = x
    }

    @Test func test_trashcan() throws {
        // Deeply nested containers in cycles, collected without recursion.
        let heap = Heap()
        heap.gc.disable()
        let depth = 1_000_000
        do {
            let first = heap.list()
            var current = first.copy()
            for _ in 0..<depth {
                let next = heap.tuple([current.ref])
                current = heap.list([next.ref])
            }
            try heap.append(current.ref, to: first.ref)    // close one giant cycle
        }
        #expect(heap.gc.collect() == 2 * depth + 1)
    }

    @Test func test_is_tracked() throws {
        let heap = Heap()
        let gc = heap.gc
        let i1 = heap.int(1), i2 = heap.int(100_000), f = heap.float(1.0), s = heap.str("a"), b = heap.bytes([97])
        for atom in [i1.ref, i2.ref, f.ref, s.ref, b.ref] { #expect(!gc.isTracked(atom)) }
        #expect(!gc.isTracked(heap.none))
        #expect(!gc.isTracked(heap.bool(true)))
        let emptyDict = heap.dict()
        #expect(!gc.isTracked(emptyDict.ref))
        let atomDict = heap.dict()
        try heap.setItem(heap.str("a"), to: heap.int(5), in: atomDict.ref)
        #expect(!gc.isTracked(atomDict.ref))
        let listDict = heap.dict()
        try heap.setItem(heap.str("a"), to: heap.list(), in: listDict.ref)
        #expect(gc.isTracked(listDict.ref))
        let list = heap.list(), set = heap.set()
        #expect(gc.isTracked(list.ref))
        #expect(gc.isTracked(set.ref))
        let cls = try heap.makeClass("C")
        let instance = try heap.instance(of: cls)
        #expect(gc.isTracked(cls.ref))
        #expect(gc.isTracked(instance.ref))
        // A tuple of atoms is tracked until a collection looks at it.
        let one = heap.int(1)
        let atomTuple = heap.tuple([one.ref, heap.none])
        let listTuple = heap.tuple([list.ref])
        #expect(gc.isTracked(atomTuple.ref))
        gc.collect()
        #expect(!gc.isTracked(atomTuple.ref))
        #expect(gc.isTracked(listTuple.ref))
    }

    @Test func untrackedDictBecomesTrackedAndFullCollectionUntracksAtomDicts() throws {
        let heap = Heap()
        let d = heap.dict()
        try heap.setItem(heap.str("x"), to: heap.list(), in: d.ref)
        #expect(heap.gc.isTracked(d.ref))
        try heap.removeItem(forKey: heap.str("x"), from: d.ref)
        heap.gc.collect(generation: 0)
        #expect(heap.gc.isTracked(d.ref))                   // only full collections untrack dicts
        heap.gc.collect()
        #expect(!heap.gc.isTracked(d.ref))
    }

    @Test func test_is_finalized() throws {
        let heap = Heap()
        let keeper = heap.list()
        let lazarus = try heap.makeClass("Lazarus", finalizer: .modern { heap, me in
            try? heap.append(me, to: keeper.ref)
        })
        do {
            let laz = try heap.instance(of: lazarus)
            try heap.setAttribute("me", to: laz.ref, on: laz.ref)
            #expect(!heap.gc.isFinalized(laz.ref))
        }
        heap.gc.collect()
        let back = try heap.item(0, of: keeper.ref)
        #expect(heap.gc.isFinalized(back))
    }

    @Test func test_bug1055820b() throws {
        // Weak references to trash are cleared before any callback runs, so a callback can
        // never resurrect a half-cleared object.
        let heap = Heap()
        let cls = try heap.makeClass("C1055820")
        var ouch: [Bool] = []
        let weakRefs = heap.list()
        let instances = heap.list()
        for i in 0..<2 {
            let c = try heap.instance(of: cls)
            try heap.setAttribute("i", to: heap.int(i), on: c.ref)
            try heap.setAttribute("loop", to: c.ref, on: c.ref)
            try heap.append(c, to: instances.ref)
        }
        let callback = WeakReferenceCallback { heap, _, _ in
            ouch = ((try? heap.items(of: weakRefs.ref)) ?? []).map { (try? heap.isCleared($0)) ?? false }
        }
        for c in try heap.items(of: instances.ref) {
            try heap.append(heap.weakReference(to: c, callback: callback), to: weakRefs.ref)
        }
        heap.gc.collect()
        #expect(ouch.isEmpty)
        try heap.removeAll(from: instances.ref)             // Cs = None
        heap.gc.collect()
        #expect(ouch.count == 2)                            // the callbacks ran
        #expect(ouch.allSatisfy { $0 })                     // and saw only cleared references
    }

    @Test func test_bug21435() throws {
        // A finalizer that stores into its object while the collector handles the cycle.
        let heap = Heap()
        heap.gc.collect()
        let a = try heap.makeClass("A")
        let b = try heap.makeClass("B", finalizer: .modern { heap, me in try? heap.setAttribute("attr", to: heap.none, on: me) })
        let before = heap.objectCount
        do {
            let x = try heap.instance(of: a)
            let y = try heap.instance(of: b)
            try heap.setAttribute("x", to: heap.instance(of: a), on: y.ref)
            try heap.setAttribute("attr", to: y.ref, on: x.ref)
            try heap.setAttribute("attr", to: x.ref, on: y.ref)
        }
        // The finalizer breaks the cycle, so all three die by reference count while it runs
        // and the collection itself has nothing left to free.
        #expect(heap.gc.collect() == 0)
        // What stays is the attribute names the classes share with their (dead) instances:
        // A's "attr", B's "x" and "attr", two strs.
        #expect(heap.sharedAttributeNames(of: a.ref).map { heap.stringValue(of: $0) } == ["attr"])
        #expect(heap.sharedAttributeNames(of: b.ref).map { heap.stringValue(of: $0) } == ["x", "attr"])
        #expect(heap.objectCount == before + 2)
    }

    @Test func test_freeze() {
        let heap = Heap()
        let l = heap.list()
        heap.gc.freeze()
        #expect(heap.gc.freezeCount > 0)
        #expect(!heap.gc.objects().contains(l.ref))
        #expect(heap.gc.generation(of: l.ref) == 3)
        heap.gc.collect()                                   // a full collection skips frozen objects
        heap.gc.unfreeze()
        #expect(heap.gc.freezeCount == 0)
        #expect(heap.gc.generation(of: l.ref) == 2)
    }

    @Test func frozenCyclesAreNotCollected() throws {
        let heap = Heap()
        do {
            let l = heap.list()
            try heap.append(l.ref, to: l.ref)
        }
        heap.gc.freeze()
        #expect(heap.gc.collect() == 0)
        heap.gc.unfreeze()
        #expect(heap.gc.collect() == 1)
    }

    @Test func test_get_objects() throws {
        let heap = Heap()
        heap.gc.collect()
        let l = heap.list()
        try heap.append(l.ref, to: l.ref)
        #expect(heap.gc.objects(generation: 0).contains(l.ref))
        #expect(!heap.gc.objects(generation: 1).contains(l.ref))
        #expect(!heap.gc.objects(generation: 2).contains(l.ref))
        heap.gc.collect(generation: 0)
        #expect(!heap.gc.objects(generation: 0).contains(l.ref))
        #expect(heap.gc.objects(generation: 1).contains(l.ref))
        heap.gc.collect(generation: 1)
        #expect(heap.gc.objects(generation: 2).contains(l.ref))
        heap.gc.collect(generation: 2)
        #expect(heap.gc.objects(generation: 2).contains(l.ref))
        #expect(heap.gc.objects().contains(l.ref))
        try heap.removeAll(from: l.ref)
    }

    @Test func test_resurrection_only_happens_once_per_object() throws {
        let heap = Heap()
        var resurrected = 0
        let instances = heap.list()
        let lazarus = try heap.makeClass("Lazarus", finalizer: .modern { heap, me in
            resurrected += 1
            try? heap.append(me, to: instances.ref)
        })
        heap.gc.collect()
        heap.gc.disable()
        do {
            let laz = try heap.instance(of: lazarus)
            try heap.setAttribute("me", to: laz.ref, on: laz.ref)
            #expect(resurrected == 0)
        }
        heap.gc.collect()
        #expect(resurrected == 1)
        #expect(try heap.count(of: instances.ref) == 1)
        try heap.removeAll(from: instances.ref)
        heap.gc.collect()
        #expect(resurrected == 1)
    }

    @Test func test_resurrection_does_not_block_cleanup_of_other_objects() throws {
        let heap = Heap()
        let n = 100
        let zs = heap.list()
        let a = try heap.makeClass("A")
        let z = try heap.makeClass("Z", base: a.ref, finalizer: .modern { heap, me in try? heap.append(me, to: zs.ref) })
        func selfLoop(_ cls: ObjectRef) throws {
            let object = try heap.instance(of: cls)
            try heap.setAttribute("me", to: object.ref, on: object.ref)
        }
        func stats() -> (Int, Int) { (heap.gc.stats[2].collected, heap.gc.stats[2].uncollectable) }
        heap.gc.collect()
        heap.gc.disable()
        var (oldC, oldU) = stats()
        for _ in 0..<n { try selfLoop(a.ref) }
        var t = heap.gc.collect()
        var (c, u) = stats()
        #expect(t == n && c - oldC == n && u - oldU == 0)
        (oldC, oldU) = (c, u)
        try selfLoop(z.ref)
        t = heap.gc.collect()                                // Z is merely resurrected
        (c, u) = stats()
        #expect(t == 0 && c - oldC == 0 && u - oldU == 0)
        (oldC, oldU) = (c, u)
        for _ in 0..<n { try selfLoop(a.ref) }
        try selfLoop(z.ref)
        t = heap.gc.collect()
        (c, u) = stats()
        #expect(t == n && c - oldC == n && u - oldU == 0)
        (oldC, oldU) = (c, u)
        try heap.removeAll(from: zs.ref)
        t = heap.gc.collect()
        (c, u) = stats()
        #expect(t == 2 && c - oldC == 2 && u - oldU == 0)
    }
}

@Suite("Collector: callbacks, debug output, scheduling")
struct CollectorControlTests {
    @Test func callbacksSeeStartAndStop() {
        let heap = Heap()
        var visits: [(Int, CollectorPhase, CollectionInfo)] = []
        heap.gc.addCallback { phase, info in visits.append((1, phase, info)) }
        heap.gc.addCallback { phase, info in visits.append((2, phase, info)) }
        heap.gc.collect()
        #expect(visits.map(\.0) == [1, 2, 1, 2])             // test_collect
        #expect(visits.map(\.1) == [.start, .start, .stop, .stop])
        visits.removeAll()
        heap.gc.collect(generation: 2)
        #expect(visits.allSatisfy { $0.2.generation == 2 })  // test_collect_generation
        visits.removeAll()
        do {
            let l = heap.list()
            try? heap.append(l.ref, to: l.ref)
        }
        heap.gc.collect(generation: 0)
        let stop = visits.last?.2
        #expect(stop?.collected == 1)
        #expect(stop?.uncollectable == 0)
        #expect((stop?.candidates ?? 0) >= 1)
        #expect((stop?.duration ?? -1) >= 0)
        heap.gc.removeAllCallbacks()
    }

    @Test func debugLinesHaveCPythonsShape() throws {
        let heap = Heap()
        var lines: [String] = []
        heap.gc.setDebugSink { lines.append($0) }
        heap.gc.debugFlags = [.stats, .collectable]
        do {
            let l = heap.list()
            try heap.append(l.ref, to: l.ref)
        }
        heap.gc.collect(generation: 1)
        #expect(lines.first == "gc: collecting generation 1...")
        #expect(lines[1].hasPrefix("gc: objects in each generation: "))
        #expect(lines[2] == "gc: objects in permanent generation: 0")
        #expect(lines[3].hasPrefix("gc: collectable <list 0x"))
        #expect(lines.last?.hasPrefix("gc: done, 1 unreachable, 0 uncollectable, ") == true)
        #expect(lines.last?.hasSuffix("s elapsed") == true)
    }

    @Test func allocationsTriggerCollectionsAtTheThreshold() throws {
        let heap = Heap()
        heap.gc.collect()
        let keep = heap.list()                               // allocation 1
        for _ in 0..<699 { try heap.append(heap.list(), to: keep.ref) }
        #expect(heap.gc.counts.0 == 700)
        #expect(heap.gc.stats[0].collections == 0)
        try heap.append(heap.list(), to: keep.ref)           // the 701st: over the threshold
        #expect(heap.gc.stats[0].collections == 1)
        #expect(heap.gc.counts.1 == 1)
        heap.gc.disable()
        for _ in 0..<2000 { try heap.append(heap.list(), to: keep.ref) }
        #expect(heap.gc.stats[0].collections == 1)
        #expect(!heap.gc.isEnabled)
    }

    @Test func buildingManyContainersUsesTheLongLivedRule() throws {
        // CPython 3.11 building 10M lists: 13,060 / 1,187 / 18 collections. The same
        // schedule at a tenth of the size.
        let heap = Heap()
        let root = heap.list()
        for _ in 0..<1_000_000 { try heap.append(heap.list(), to: root.ref) }
        let collections = heap.gc.stats.map(\.collections)
        #expect(collections[0] > 1_000 && collections[1] > 100)
        #expect(collections[2] >= 5 && collections[2] <= 15)
    }
}

@Suite("PEP 442 finalization (test_finalization) and weak references (test_weakref)")
struct FinalizationTests {
    @Test func simpleFinalizerRunsOnceAndObjectDies() throws {
        let heap = Heap()
        var calls = 0
        let cls = try heap.makeClass("Simple", finalizer: .modern { _, _ in calls += 1 })
        let weak: OwnedRef
        do {
            let s = try heap.instance(of: cls)
            weak = try heap.weakReference(to: s.ref)
        }
        #expect(calls == 1)
        #expect(try heap.isCleared(weak.ref))
    }

    @Test func selfCycleIsFinalizedThenCollected() throws {
        let heap = Heap()
        var calls = 0
        let cls = try heap.makeClass("SelfCycle", finalizer: .modern { _, _ in calls += 1 })
        let weak: OwnedRef
        do {
            let s = try heap.instance(of: cls)
            try heap.setAttribute("ref", to: s.ref, on: s.ref)
            weak = try heap.weakReference(to: s.ref)
        }
        #expect(calls == 0)
        #expect(heap.gc.collect() == 1)
        #expect(calls == 1)
        #expect(try heap.isCleared(weak.ref))
    }

    @Test func cycleChainIsFinalizedThenCollected() throws {
        let heap = Heap()
        var finalized: [Int] = []
        let cls = try heap.makeClass("Chained", finalizer: .modern { heap, me in
            finalized.append(heap.intValue(of: heap.attribute("n", of: me) ?? heap.none) ?? -1)
        })
        do {
            let holder = heap.list()
            for i in 0..<5 {
                let node = try heap.instance(of: cls)
                try heap.setAttribute("n", to: heap.int(i), on: node.ref)
                try heap.append(node, to: holder.ref)
            }
            let nodes = try heap.items(of: holder.ref)
            for i in 0..<5 { try heap.setAttribute("next", to: nodes[(i + 1) % 5], on: nodes[i]) }
        }
        #expect(heap.gc.collect() == 5)
        #expect(finalized.sorted() == [0, 1, 2, 3, 4])        // each exactly once
    }

    @Test func test_callback_in_cycle() throws {
        // The weak reference is trash together with everything else: its callback must not run.
        let heap = Heap()
        var called = false
        do {
            let j = try heap.makeClass("J")
            let ii = try heap.makeClass("II")
            let i = try heap.instance(of: ii)
            try heap.setAttribute("J", to: j.ref, on: i.ref)
            let wr = try heap.weakReference(to: j.ref, callback: WeakReferenceCallback { heap, _, context in
                called = true
                _ = context.flatMap { heap.attribute("J", of: $0) }
            }, context: i.ref)
            try heap.setAttribute("wr", to: wr.ref, on: i.ref)
        }
        #expect(heap.gc.collect() > 0)
        #expect(!called)
    }

    @Test func test_callback_reachable_one_way() throws {
        let heap = Heap()
        var called = false
        do {
            let cls = try heap.makeClass("C")
            let c1 = try heap.instance(of: cls), c2 = try heap.instance(of: cls)
            try heap.setAttribute("me", to: c2.ref, on: c2.ref)
            try heap.setAttribute("c1", to: c1.ref, on: c2.ref)
            let wr = try heap.weakReference(to: c1.ref, callback: WeakReferenceCallback { _, _, _ in called = true }, context: c2.ref)
            try heap.setAttribute("wr", to: wr.ref, on: c2.ref)
        }
        #expect(heap.gc.collect() > 0)
        #expect(!called)
    }

    @Test func test_callbacks_on_callback() throws {
        let heap = Heap()
        var calls: [String] = []
        let external: OwnedRef
        do {
            let cls = try heap.makeClass("C")
            let method = try heap.makeClass("BoundMethod")
            let c = try heap.instance(of: cls), d = try heap.instance(of: cls)
            try heap.setAttribute("other", to: d.ref, on: c.ref)
            try heap.setAttribute("other", to: c.ref, on: d.ref)
            let callback = try heap.instance(of: method)              // callback = c.cb
            try heap.setAttribute("self", to: c.ref, on: callback.ref)
            let cb = WeakReferenceCallback { _, _, _ in calls.append("cb called") }
            try heap.setAttribute("wr", to: heap.weakReference(to: d.ref, callback: cb, context: callback.ref), on: c.ref)
            try heap.setAttribute("wr", to: heap.weakReference(to: callback.ref, callback: cb, context: d.ref), on: d.ref)
            external = try heap.weakReference(to: callback.ref, callback: WeakReferenceCallback { _, _, _ in
                calls.append("safe_callback called")
            })
            #expect(try !heap.isCleared(external.ref))
        }
        #expect(calls.isEmpty)                               // del is not enough to clean up cycles
        heap.gc.collect()
        #expect(calls == ["safe_callback called"])
        #expect(try heap.isCleared(external.ref))
        calls.removeAll()
        heap.gc.collect()
        #expect(calls.isEmpty)
    }

    @Test func weakReferenceCallbackOnRefcountDeath() throws {
        let heap = Heap()
        let cls = try heap.makeClass("C")
        var seen: [Bool] = []
        let weak: OwnedRef
        do {
            let c = try heap.instance(of: cls)
            weak = try heap.weakReference(to: c.ref, callback: WeakReferenceCallback { heap, wr, _ in
                seen.append((try? heap.isCleared(wr)) ?? false)
            })
            #expect(heap.weakReferenceCount(of: c.ref) == 1)
        }
        #expect(seen == [true])
        #expect(try heap.isCleared(weak.ref))
        #expect(throws: HeapError.self) { _ = try heap.weakReference(to: heap.int(5)) }
    }
}
