import Testing
@testable import HeapRuntime

struct Unprintable: HostPayload {
    static let typeName = "Unprintable"
    var child: ObjectRef?
    func traverse(_ visit: (ObjectRef, EdgeLabel) -> Void) { if let child { visit(child, .named("child")) } }
    mutating func clear() { child = nil }
    func repr() throws -> String { throw HeapError.invalidValue("no repr") }
}

@Suite("Introspection")
struct IntrospectionTests {
    @Test func referentsCarryLabels() throws {
        let heap = Heap()
        let x = heap.list()
        let key = heap.str("key1")
        let d = heap.dict()
        try heap.setItem(key, to: x, in: d)
        let y = heap.list([x.ref, d.ref])
        #expect(heap.referents(of: y).map(\.label) == [.index(0), .index(1)])
        #expect(heap.referents(of: y).map(\.target) == [x.ref, d.ref])
        let dictEdges = heap.referents(of: d)
        #expect(dictEdges.map(\.label) == [.dictKey, .key("key1")])
        #expect(dictEdges[1].target == x.ref)

        let cls = try heap.makeClass("Node")
        let node = try heap.instance(of: cls)
        try heap.setAttribute("next", to: y, on: node)
        let nodeEdges = heap.referents(of: node)
        #expect(nodeEdges.first?.label == .named("__class__"))
        #expect(nodeEdges.last?.label == .attribute("next"))
        #expect(nodeEdges.last?.target == y.ref)

        let weak = try heap.weakReference(to: node)
        #expect(heap.referents(of: weak).map(\.isWeak) == [true])
        #expect(heap.referents(of: heap.int(5000)).isEmpty)
    }

    @Test func referrersScanTheHeap() throws {
        let heap = Heap()
        let a = heap.list()
        let b = heap.list([a.ref]), c = heap.tuple([a.ref]), unrelated = heap.list()
        let found = Set(heap.referrers(of: a))
        #expect(found == [b.ref, c.ref])
        #expect(!found.contains(unrelated.ref))
    }

    @Test("introspection takes no references (objgraph's no-new-referrers tests)")
    func introspectionDoesNotChangeCounts() throws {
        let heap = Heap()
        let cls = try heap.makeClass("Thing")
        let thing = try heap.instance(of: cls)
        let holder = heap.list([thing.ref])
        let before = (heap.refcount(of: thing), heap.refcount(of: holder), heap.refcount(of: cls))
        _ = heap.countsByType()
        _ = heap.objects(ofType: "Thing")
        _ = heap.referrers(of: thing)
        _ = heap.referents(of: holder)
        _ = heap.roots()
        _ = heap.allObjects()
        _ = heap.unreachableObjects()
        #expect((heap.refcount(of: thing), heap.refcount(of: holder), heap.refcount(of: cls)) == before)
        #expect(heap.referrers(of: thing) == [holder.ref])
    }

    @Test func countsByTypeAndByType() throws {
        let heap = Heap()
        let cls = try heap.makeClass("MyBigFatObject")
        let keep = heap.list()
        for _ in 0..<3 { try heap.append(heap.instance(of: cls), to: keep) }
        try heap.append(heap.str("some text"), to: keep)
        let counts = heap.countsByType()
        #expect(counts["MyBigFatObject"] == 3)
        #expect(counts["list"] == 1)
        #expect(counts["type"] == 1)
        #expect(heap.objects(ofType: "MyBigFatObject").count == 3)
        #expect(heap.objects(ofType: "Missing").isEmpty)
    }

    @Test func objectWithID() throws {
        let heap = Heap()
        let list = heap.list()
        let big = heap.int(123_456)
        try heap.append(big, to: list)
        #expect(heap.object(withID: list.id) == list.ref)
        #expect(heap.object(withID: big.id) == big.ref)      // atoms reached from containers
        #expect(heap.object(withID: 12345) == nil)           // never dereferenced
        #expect(heap.object(withID: -1) == nil)
    }

    @Test func shallowSizes() throws {
        let heap = Heap()
        let list = heap.list()
        #expect(heap.shallowSize(of: list) == 56)
        try heap.append(heap.none, to: list)
        #expect(heap.shallowSize(of: list) == 56 + 8 * 4)   // capacity 4 after the first append
        #expect(heap.shallowSize(of: heap.int(100_000)) == 24)
        #expect(heap.shallowSize(of: heap.str("abc")) == 36)
    }

    @Test func shortLabelsFollowObjgraph() throws {
        let heap = Heap()
        let list = heap.list([heap.none, heap.none, heap.none])
        #expect(heap.shortLabel(of: list) == "3 items")
        #expect(heap.shortLabel(of: heap.list([heap.none])) == "1 items")
        let cls = try heap.makeClass("Widget")
        #expect(heap.shortLabel(of: cls) == "Widget")
        let long = heap.str(String(repeating: "x", count: 100))
        #expect(heap.shortLabel(of: long) == "'" + String(repeating: "x", count: 39))
        #expect(heap.shortLabel(of: heap.int(42)) == "42")
        let unprintable = heap.registerHostType(Unprintable.self)
        #expect(heap.shortLabel(of: heap.makeHost(unprintable, Unprintable(child: nil))) == "(unrepresentable)")
    }

    @Test func rootsAreWhatTheHostHolds() throws {
        let heap = Heap()
        let held = heap.list()
        let inner = heap.list()
        try heap.append(inner, to: held)
        let innerID = inner.id
        inner.release()                                       // now held only by `held`
        let extra = held.copy()                               // two external references
        let roots = Dictionary(uniqueKeysWithValues: heap.roots().map { ($0.object.id, $0.externalReferences) })
        #expect(roots[held.id] == 2)
        #expect(roots[innerID] == nil)
        #expect(heap.externalReferences(of: held) == 2)
        extra.release()
        #expect(heap.externalReferences(of: held) == 1)
    }

    @Test func watchedObjectsStillAliveAreRetained() throws {
        let heap = Heap()
        let cls = try heap.makeClass("Activity")
        let global = heap.list()
        do {
            let gone = try heap.instance(of: cls)
            try heap.watch(gone, description: "freed at once")
            let cyclic = try heap.instance(of: cls)
            try heap.setAttribute("me", to: cyclic, on: cyclic)
            try heap.watch(cyclic, description: "freed by the collector")
            let leaked = try heap.instance(of: cls)
            try heap.watch(leaked, description: "kept by a global")
            try heap.append(leaked, to: global)
        }
        let retained = heap.retainedObjects()
        #expect(retained.map(\.description) == ["kept by a global"])
        #expect(heap.typeName(of: retained[0].object) == "Activity")
        #expect(throws: HeapError.self) { try heap.watch(heap.int(7), description: "an atom") }
        try heap.removeAll(from: global)
        #expect(heap.retainedObjects().isEmpty)
    }

    @Test func watchingSurvivesWeakReferencesComingAndGoing() throws {
        let heap = Heap()
        let cls = try heap.makeClass("C")
        let keep = heap.list()
        let object = try heap.instance(of: cls)
        try heap.watch(object, description: "watched")
        do { _ = try heap.weakReference(to: object) }        // made and dropped
        try heap.append(object, to: keep)
        #expect(heap.isWatched(object.ref))
        object.release()
        try heap.removeAll(from: keep)                         // dies: the watch goes with it
        #expect(heap.retainedObjects(collectingFirst: false).isEmpty)
    }

    @Test func unreachableObjectsWithoutCollecting() throws {
        let heap = Heap()
        heap.gc.disable()
        let legacy = try heap.makeClass("Legacy", finalizer: .legacy { _, _ in })
        var cycleIDs: Set<Int> = []
        var legacyIDs: Set<Int> = []
        do {
            let a = heap.list(), b = heap.list([a.ref])
            try heap.append(b, to: a)
            cycleIDs = [a.id, b.id]
            let l = try heap.instance(of: legacy)
            let data = heap.list()
            try heap.setAttribute("me", to: l, on: l)
            try heap.setAttribute("data", to: data, on: l)
            legacyIDs = [l.id, data.id]
        }
        let kept = heap.list()
        let before = heap.objectCount
        let found = heap.unreachableObjects()
        #expect(Set(found.objects.map(\.id)) == cycleIDs.union(legacyIDs))
        #expect(Set(found.uncollectable.map(\.id)) == legacyIDs)
        #expect(!found.objects.contains(kept.ref))
        #expect(heap.objectCount == before)                    // nothing freed
        #expect(heap.gc.collect() == 4)                        // and a real collection agrees
        try heap.removeAll(from: heap.gc.garbage)
    }
}
