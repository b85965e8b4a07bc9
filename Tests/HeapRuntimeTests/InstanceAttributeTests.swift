import Testing
@testable import HeapRuntime

/// Instances keep their values inline under names their class shares (CPython 3.11's
/// layout), and move to a pairs table of their own when they stop following those names.
@Suite("Instances: shared attribute names and inline values")
struct InstanceAttributeTests {
    func names(_ heap: Heap, _ cls: borrowing OwnedRef) -> [String?] {
        heap.sharedAttributeNames(of: cls).map { heap.stringValue(of: $0) }
    }

    func attributeNames(_ heap: Heap, _ object: borrowing OwnedRef) -> [String?] {
        heap.attributes(of: object).map { heap.stringValue(of: $0.name) }
    }

    func intValue(_ heap: Heap, _ object: ObjectRef?) -> Int? {
        object.flatMap { heap.intValue(of: $0) }
    }

    @Test func aClassLearnsNamesAndLaterInstancesKeepValuesInline() throws {
        let heap = Heap()
        let point = try heap.makeClass("Point")
        let first = try heap.instance(of: point)
        #expect(heap.shallowSize(of: first) == 64)    // two slots before the class knows any name
        try heap.setAttribute("x", to: heap.int(1), on: first)
        try heap.setAttribute("y", to: heap.int(2), on: first)
        try heap.setAttribute("z", to: heap.int(3), on: first)   // a third: no slot left
        #expect(names(heap, point) == ["x", "y", "z"])
        #expect(heap.shallowSize(of: first) == 64 + 16 * 4)       // its own table of 4 pairs
        #expect(attributeNames(heap, first) == ["x", "y", "z"])
        #expect(intValue(heap, heap.attribute("z", of: first)) == 3)

        // Made now, an instance has a slot per known name, rounded up to an even count.
        let second = try heap.instance(of: point)
        #expect(heap.shallowSize(of: second) == 16 + 32 + 8 * 4)
        for (name, value) in [("x", 10), ("y", 20), ("z", 30)] {
            try heap.setAttribute(name, to: heap.int(value), on: second)
        }
        #expect(heap.shallowSize(of: second) == 16 + 32 + 8 * 4)   // still inline
        #expect(attributeNames(heap, second) == ["x", "y", "z"])
        #expect(["x", "y", "z"].map { intValue(heap, heap.attribute($0, of: second)) } == [10, 20, 30])
        // The instance holds its values, not the names: the class does.
        #expect(heap.referents(of: second).map(\.label) == [.named("__class__"), .attribute("x"), .attribute("y"), .attribute("z")])
        #expect(heap.referents(of: point).filter { $0.label == .dictKey }.map { heap.stringValue(of: $0.target) } == ["x", "y", "z"])
    }

    @Test func anotherOrderKeepsItsOwnOrderInAPairsTable() throws {
        let heap = Heap()
        let cls = try heap.makeClass("C")
        let a = try heap.instance(of: cls), b = try heap.instance(of: cls)
        try heap.setAttribute("p", to: heap.int(1), on: a)
        try heap.setAttribute("q", to: heap.int(2), on: a)
        try heap.setAttribute("q", to: heap.int(20), on: b)
        try heap.setAttribute("p", to: heap.int(10), on: b)
        #expect(names(heap, cls) == ["p", "q"])
        #expect(attributeNames(heap, a) == ["p", "q"])
        #expect(attributeNames(heap, b) == ["q", "p"])              // insertion order, as dicts keep it
        #expect(intValue(heap, heap.attribute("p", of: b)) == 10)
        #expect(heap.shallowSize(of: a) == 64)
        #expect(heap.shallowSize(of: b) == 64 + 32)
        // A pairs table holds its names, so the instance visits them.
        #expect(heap.referents(of: b).map(\.label) == [.named("__class__"), .dictKey, .attribute("q"), .dictKey, .attribute("p")])
    }

    @Test func replacingAValueReleasesTheOldOne() throws {
        let heap = Heap()
        let cls = try heap.makeClass("C")
        let object = try heap.instance(of: cls)
        let old = heap.list(), new = heap.list()
        try heap.setAttribute("v", to: old, on: object)
        #expect(heap.refcount(of: old) == 2)
        try heap.setAttribute("v", to: new, on: object)
        #expect(heap.refcount(of: old) == 1)
        #expect(heap.refcount(of: new) == 2)
        #expect(heap.attribute("v", of: object) == new.ref)
        #expect(heap.attributes(of: object).count == 1)
    }

    @Test func deletingMovesTheRestToAPairsTable() throws {
        let heap = Heap()
        let cls = try heap.makeClass("C")
        let object = try heap.instance(of: cls)
        let values = (0..<2).map { _ in heap.list().unmanaged() }
        try heap.setAttribute("a", to: values[0], on: object)
        try heap.setAttribute("b", to: values[1], on: object)
        try heap.deleteAttribute("a", of: object)
        #expect(attributeNames(heap, object) == ["b"])
        #expect(heap.refcount(of: values[0]) == 1)
        #expect(heap.attribute("a", of: object) == nil)
        #expect(throws: HeapError.self) { try heap.deleteAttribute("a", of: object) }
        try heap.setAttribute("a", to: values[0], on: object)
        #expect(attributeNames(heap, object) == ["b", "a"])
        #expect(names(heap, cls) == ["a", "b"])                    // the class's names stay
        for value in values { heap.release(value) }
    }

    @Test func atMostThirtyNamesAreShared() throws {
        let heap = Heap()
        let cls = try heap.makeClass("Wide")
        let first = try heap.instance(of: cls)
        for i in 0..<40 { try heap.setAttribute("f\(i)", to: heap.int(i), on: first) }
        #expect(names(heap, cls).count == 30)
        #expect(names(heap, cls).last == "f29")
        let second = try heap.instance(of: cls)
        #expect(heap.shallowSize(of: second) == 16 + 32 + 8 * 30)  // 288: still a pooled block
        for i in 0..<40 { try heap.setAttribute("f\(i)", to: heap.int(i * 2), on: second) }
        #expect(attributeNames(heap, second) == (0..<40).map { "f\($0)" })
        #expect((0..<40).map { intValue(heap, heap.attribute("f\($0)", of: second)) } == (0..<40).map { $0 * 2 })
    }

    @Test func everythingIsFreedWithTheClass() throws {
        let heap = Heap()
        heap.gc.collect()
        let objects = heap.objectCount
        let blocks = heap.allocatorStats().blocksInUse
        do {
            let cls = try heap.makeClass("Gone")
            for order in [["one", "two"], ["two", "one"], ["one", "two", "three"]] {
                let object = try heap.instance(of: cls)
                for name in order { try heap.setAttribute(heap.str(name + "-name"), to: heap.list(), on: object) }
                try heap.setAttribute("cycle", to: object, on: object)    // a cycle through each
            }
            // The first instance taught the class; the others did not follow its order.
            #expect(names(heap, cls) == ["one-name", "two-name", "cycle"])
        }
        heap.gc.collect()
        #expect(heap.objectCount == objects)
        #expect(heap.allocatorStats().blocksInUse == blocks)
    }

    @Test func theCollectorFreesInlineInstancesWhoseFinalizersAddAnAttribute() throws {
        let heap = Heap()
        var stored = false
        let resurrect = try heap.makeClass("Resurrect", finalizer: .modern { heap, me in
            // Runs before the collector clears the cycle: the attribute set here is one
            // more inline value for the clear to release.
            stored = (try? heap.setAttribute("late", to: heap.int(99), on: me)) != nil
        })
        let keep = heap.list()
        do {
            let a = try heap.instance(of: resurrect), b = try heap.instance(of: resurrect)
            try heap.setAttribute("peer", to: b, on: a)
            try heap.setAttribute("peer", to: a, on: b)
            try heap.append(a, to: keep)
        }
        let objects = heap.objectCount
        try heap.removeAll(from: keep)
        heap.gc.collect()
        #expect(stored)
        heap.gc.collect()
        #expect(heap.objects(ofType: "Resurrect").isEmpty)
        // Two instances and the int 99 gone; the class keeps the name 'late' it learnt.
        #expect(heap.objectCount == objects - 2 + 1)
        #expect(names(heap, resurrect) == ["peer", "late"])
    }

    @Test func itemsDieLastFirstAndAnInstancesValuesFirstToLast() throws {
        let heap = Heap()
        var order: [Int] = []
        let tagged = try heap.makeClass("Tagged", finalizer: .modern { heap, me in
            if let tag = heap.attribute("tag", of: me).flatMap({ heap.intValue(of: $0) }) { order.append(tag) }
        })
        func make(_ tag: Int) throws -> OwnedRef {
            let object = try heap.instance(of: tagged)
            try heap.setAttribute("tag", to: heap.int(tag), on: object)
            return object
        }
        do {   // a list's items, as CPython's list_dealloc: last first
            let list = heap.list()
            for tag in 0..<3 { try heap.append(make(tag), to: list) }
        }
        #expect(order == [2, 1, 0])
        do {   // teach the class all three names, so the next instance keeps them inline
            let teacher = try make(99)
            try heap.setAttribute("first", to: heap.none, on: teacher)
            try heap.setAttribute("second", to: heap.none, on: teacher)
        }
        order = []
        do {   // an instance's values, as _PyObject_FreeInstanceAttributes: first to last
            let holder = try make(10)
            #expect(heap.shallowSize(of: holder) == 16 + 32 + 8 * 4)
            try heap.setAttribute("first", to: make(11), on: holder)
            try heap.setAttribute("second", to: make(12), on: holder)
        }
        #expect(order == [10, 11, 12])
    }
}
