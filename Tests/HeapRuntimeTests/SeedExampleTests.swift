import Testing
@testable import HeapRuntime

/// The code examples of the source documents (shared/seeds), built through the Swift API.
/// CPython's `sys.getrefcount` prints one more than `refcount(of:)`: it counts its own
/// argument.
@Suite("Seed examples: references and identity")
struct SeedExampleTests {
    @Test("b = a raises a's count by one; del and rebinding lower it")
    func assignmentCounts() throws {
        let heap = Heap()
        let one = heap.int(1), two = heap.int(2), three = heap.int(3)
        let a = heap.list([one.ref, two.ref, three.ref])  // a = [1, 2, 3]
        #expect(heap.refcount(of: a.ref) == 1)              // getrefcount(a) == 2
        let b = a.copy()                                    // b = a
        #expect(heap.refcount(of: b.ref) == 2)              // getrefcount(b) == 3
        #expect(b.ref == a.ref)
        a.release()                                         // del a
        #expect(heap.refcount(of: b.ref) == 1)
    }

    @Test("rebinding a name to another object lowers the old object's count")
    func rebinding() throws {
        let heap = Heap()
        var a = heap.list()                                 // a = [1, 2, 3] (contents irrelevant)
        let b = a.copy()                                    // b = a
        #expect(heap.refcount(of: b.ref) == 2)
        a = heap.int(1)                                     // a = 1
        #expect(heap.refcount(of: b.ref) == 1)
        #expect(heap.intValue(of: a.ref) == 1)
    }

    @Test("a list holding a twice raises a's count by two")
    func containerCounts() throws {
        let heap = Heap()
        let a = heap.list()
        #expect(heap.refcount(of: a.ref) == 1)
        let b = heap.list([a.ref, a.ref])                   // b = [a, a]
        #expect(heap.refcount(of: a.ref) == 3)
        try heap.remove(at: 0, from: b.ref)                 // del b[0]
        #expect(heap.refcount(of: a.ref) == 2)
        b.release()
        #expect(heap.refcount(of: a.ref) == 1)
    }

    @Test("small ints are singletons; larger ints are distinct objects")
    func smallInts() throws {
        let heap = Heap()
        let a = heap.int(1), b = heap.int(1)
        #expect(heap.isIdentical(a.ref, b.ref))             // a is b
        #expect(heap.id(of: a.ref) == heap.id(of: b.ref))
        let lo1 = heap.int(-5), lo2 = heap.int(-5)
        #expect(lo1.ref == lo2.ref)
        let hi1 = heap.int(256), hi2 = heap.int(256)
        #expect(hi1.ref == hi2.ref)
        let big1 = heap.int(257), big2 = heap.int(257)
        #expect(big1.ref != big2.ref)
        #expect(try heap.equals(big1.ref, big2.ref))
        let neg1 = heap.int(-6), neg2 = heap.int(-6)
        #expect(neg1.ref != neg2.ref)
        #expect(heap.isImmortal(a.ref))
        #expect(!heap.isImmortal(big1.ref))
    }

    @Test("identifier-like strings are interned; long strings are distinct unless interned")
    func strings() throws {
        let heap = Heap()
        let a = heap.str("good"), b = heap.str("good")
        #expect(a.ref == b.ref)                             // a is b → True
        let c = heap.str("very good morning"), d = heap.str("very good morning")
        #expect(c.ref != d.ref)                             // a is b → False
        #expect(try heap.equals(c.ref, d.ref))
        let ic = try heap.intern(c.ref), id = try heap.intern(d.ref)
        #expect(ic.ref == id.ref)
        #expect(ic.ref == c.ref)
        #expect(heap.isInterned(c.ref))
        #expect(!heap.isInterned(d.ref))
    }

    @Test("two empty lists are distinct objects")
    func emptyLists() throws {
        let heap = Heap()
        let a = heap.list(), b = heap.list()
        #expect(a.ref != b.ref)
        #expect(try heap.equals(a.ref, b.ref))
    }

    @Test("an object referring to another: a.to_obj is b")
    func objectReferencesObject() throws {
        let heap = Heap()
        let fromObj = try heap.makeClass("from_obj")
        let one = heap.int(1), two = heap.int(2), three = heap.int(3)
        let b = heap.list([one.ref, two.ref, three.ref])
        let a = try heap.instance(of: fromObj.ref)
        try heap.setAttribute("to_obj", to: b.ref, on: a.ref)
        let toObj = try #require(heap.attribute("to_obj", of: a.ref))
        #expect(heap.id(of: toObj) == heap.id(of: b.ref))
        #expect(heap.refcount(of: b.ref) == 2)
        #expect(heap.typeName(of: a.ref) == "from_obj")
    }

    @Test("a self-referencing list counts its own reference")
    func selfCycle() throws {
        let heap = Heap()
        let a = heap.list()
        try heap.append(a.ref, to: a.ref)                   // a.append(a)
        #expect(heap.refcount(of: a.ref) == 2)              // getrefcount(a) == 3
        #expect(heap.repr(a.ref) == "[[...]]")
    }

    @Test("objgraph's example topology: x, y = [x, dict(key1=x)], z = [y, (x, y)]")
    func objgraphExample() throws {
        let heap = Heap()
        let one = heap.int(1), two = heap.int(2), three = heap.int(3)
        let x = heap.list([one.ref, two.ref, three.ref])
        let d = heap.dict()
        try heap.setItem(heap.str("key1"), to: x.ref, in: d.ref)
        let y = heap.list([x.ref, d.ref])
        let t = heap.tuple([x.ref, y.ref])
        let z = heap.list([y.ref, t.ref])
        #expect(heap.refcount(of: x.ref) == 4)              // x, y[0], dict, tuple
        #expect(heap.refcount(of: y.ref) == 3)              // y, z[0], tuple
        #expect(heap.repr(z.ref) == "[[[1, 2, 3], {'key1': [1, 2, 3]}], ([1, 2, 3], [[1, 2, 3], {'key1': [1, 2, 3]}])]")
        #expect(heap.gc.isTracked(d.ref))
    }
}
