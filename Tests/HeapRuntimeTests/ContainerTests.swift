import Testing
@testable import HeapRuntime

@Suite("Containers: list, tuple, dict, set semantics")
struct ContainerTests {
    @Test func listOperations() throws {
        let heap = Heap()
        let list = heap.list()
        for i in 0..<100 { try heap.append(heap.int(i), to: list.ref) }
        #expect(try heap.count(of: list.ref) == 100)
        #expect(heap.intValue(of: try heap.item(-1, of: list.ref)) == 99)
        #expect(heap.intValue(of: try heap.item(10, of: list.ref)) == 10)
        try heap.insert(heap.str("head"), at: 0, in: list.ref)
        try heap.insert(heap.str("tail"), at: 1000, in: list.ref)  // clamped like Python
        #expect(heap.stringValue(of: try heap.item(0, of: list.ref)) == "head")
        #expect(heap.stringValue(of: try heap.item(-1, of: list.ref)) == "tail")
        let popped = try heap.pop(from: list.ref)
        #expect(heap.stringValue(of: popped.ref) == "tail")
        #expect(heap.refcount(of: popped.ref) == 1)
        try heap.setItem(1, of: list.ref, to: heap.none)
        #expect(try heap.item(1, of: list.ref) == heap.none)
        try heap.remove(heap.none, from: list.ref)
        #expect(try heap.count(of: list.ref) == 100)
        #expect(throws: HeapError.indexOutOfRange(index: 200, count: 100)) { try heap.item(200, of: list.ref) }
        #expect(throws: HeapError.self) { try heap.remove(heap.none, from: list.ref) }
        let empty = heap.list()
        #expect(throws: HeapError.empty(type: "list")) { try heap.pop(from: empty.ref) }
        let notList = heap.int(5)
        #expect(throws: HeapError.wrongType(expected: "list", got: "int")) { try heap.append(heap.none, to: notList.ref) }
        try heap.removeAll(from: list.ref)
        #expect(try heap.count(of: list.ref) == 0)
    }

    @Test func listReleasesItemsWhenFreed() throws {
        let heap = Heap()
        let item = heap.str("some text that is not interned")
        do {
            let list = heap.list([item.ref, item.ref, item.ref])
            #expect(heap.refcount(of: item.ref) == 4)
            _ = list
        }
        #expect(heap.refcount(of: item.ref) == 1)
    }

    @Test func tuples() throws {
        let heap = Heap()
        let one = heap.int(1), x = heap.str("x")
        let a = heap.tuple([one.ref, x.ref])
        let x2 = heap.str("x")
        let b = heap.tuple([one.ref, x2.ref])
        #expect(a.ref != b.ref)
        #expect(try heap.equals(a.ref, b.ref))
        #expect(try heap.hashValue(of: a.ref) == heap.hashValue(of: b.ref))
        #expect(heap.repr(heap.tuple([one.ref])) == "(1,)")
        #expect(heap.repr(heap.tuple([])) == "()")
        let innerList = heap.list()
        let withList = heap.tuple([innerList.ref])
        #expect(throws: HeapError.unhashable(type: "list")) { try heap.hashValue(of: withList.ref) }
        // Nested tuples hash without recursion and equal tuples hash equally.
        var nested = heap.tuple([])
        var nested2 = heap.tuple([])
        for _ in 0..<10_000 {
            nested = heap.tuple([nested.ref])
            nested2 = heap.tuple([nested2.ref])
        }
        #expect(try heap.hashValue(of: nested.ref) == heap.hashValue(of: nested2.ref))
        // Comparing them goes deeper than CPython's recursion limit: RecursionError there.
        #expect(throws: HeapError.recursionLimitExceeded) { try heap.equals(nested.ref, nested2.ref) }
        // As dict keys they are still found: keys compare without a depth limit.
        let table = heap.dict()
        try heap.setItem(nested, to: heap.int(1), in: table)
        #expect(try heap.contains(nested2, in: table))
    }

    /// `a = [a]; b = [b]; a == b` raises RecursionError in CPython; it used to loop for ever.
    @Test func comparingTwoCyclesThrowsInsteadOfLoopingForEver() throws {
        let heap = Heap()
        heap.gc.disable()
        let a = heap.list(), b = heap.list()
        try heap.append(a, to: a)
        try heap.append(b, to: b)
        #expect(throws: HeapError.recursionLimitExceeded) { try heap.equals(a.ref, b.ref) }
        #expect(try heap.equals(a.ref, a.ref))                    // identity first, as CPython
        // Through dicts, and as an item of a list searched with `in` and `remove`.
        let d = heap.dict(), e = heap.dict()
        try heap.setItem(heap.str("self"), to: d, in: d)
        try heap.setItem(heap.str("self"), to: e, in: e)
        #expect(throws: HeapError.recursionLimitExceeded) { try heap.equals(d.ref, e.ref) }
        let holder = heap.list([b.ref])
        #expect(throws: HeapError.recursionLimitExceeded) { try heap.contains(a, in: holder) }
        #expect(throws: HeapError.recursionLimitExceeded) { try heap.remove(a, from: holder) }
        #expect(try heap.count(of: holder) == 1)
        // A difference found before the limit is still an answer: [a, 1] != [b, 2] needs
        // the first items compared first, which recurse, so CPython raises here too; but
        // lists of different lengths differ at once.
        let one = heap.int(1), two = heap.int(2)
        let x = heap.list([a.ref, one.ref]), y = heap.list([b.ref, two.ref])
        #expect(throws: HeapError.recursionLimitExceeded) { try heap.equals(x.ref, y.ref) }
        let z = heap.list([a.ref])
        #expect(try !heap.equals(x.ref, z.ref))
        #expect(HeapError.recursionLimitExceeded.description == "RecursionError: maximum recursion depth exceeded in comparison")
        // Break the cycles so the heap frees them without a collection.
        try heap.removeAll(from: a)
        try heap.removeAll(from: b)
        try heap.removeItem(forKey: heap.str("self"), from: d)
        try heap.removeItem(forKey: heap.str("self"), from: e)
    }

    /// Nesting up to the limit compares; one level more throws.
    @Test func comparisonDepthLimitIsCPythonsRecursionLimit() throws {
        let heap = Heap()
        func nest(_ depth: Int) -> OwnedRef {
            var list = heap.list()
            for _ in 1..<depth { list = heap.list([list.ref]) }
            return list
        }
        let a = nest(999), b = nest(999)
        let c = nest(1000), d = nest(1000)
        let e = nest(1001), f = nest(1001)
        #expect(try heap.equals(a.ref, b.ref))
        #expect(try heap.equals(c.ref, d.ref))
        #expect(throws: HeapError.recursionLimitExceeded) { try heap.equals(e.ref, f.ref) }
    }

    @Test func dictKeysComparedByValue() throws {
        let heap = Heap()
        let d = heap.dict()
        try heap.setItem(heap.int(1), to: heap.str("int"), in: d.ref)
        try heap.setItem(heap.float(1.0), to: heap.str("float"), in: d.ref)  // same key as 1
        try heap.setItem(heap.bool(true), to: heap.str("bool"), in: d.ref)         // same key again
        #expect(try heap.count(of: d.ref) == 1)
        #expect(heap.stringValue(of: try #require(try heap.item(forKey: heap.int(1), in: d.ref))) == "bool")
        // Equal long strings are one key even though they are distinct objects.
        let k1 = heap.str("a key with spaces"), k2 = heap.str("a key with spaces")
        #expect(k1.ref != k2.ref)
        try heap.setItem(k1.ref, to: heap.int(10), in: d.ref)
        #expect(heap.intValue(of: try #require(try heap.item(forKey: k2.ref, in: d.ref))) == 10)
        // Tuple keys.
        let n1 = heap.int(1), n2 = heap.int(2)
        let t1 = heap.tuple([n1.ref, n2.ref]), t2 = heap.tuple([n1.ref, n2.ref])
        try heap.setItem(t1.ref, to: heap.none, in: d.ref)
        #expect(try heap.contains(t2.ref, in: d.ref))
        #expect(try heap.count(of: d.ref) == 3)
    }

    @Test func dictIsInsertionOrderedAndGrows() throws {
        let heap = Heap()
        let d = heap.dict()
        for i in 0..<10_000 { try heap.setItem(heap.int(i), to: heap.int(i * 2), in: d.ref) }
        for i in stride(from: 0, to: 10_000, by: 2) { try heap.removeItem(forKey: heap.int(i), from: d.ref) }
        #expect(try heap.count(of: d.ref) == 5_000)
        try heap.setItem(heap.int(0), to: heap.none, in: d.ref)  // re-inserted: goes last
        let keys = try heap.keys(of: d.ref).compactMap { heap.intValue(of: $0) }
        #expect(keys.count == 5_001)
        #expect(Array(keys.prefix(3)) == [1, 3, 5])
        #expect(keys.last == 0)
        for i in stride(from: 1, to: 10_000, by: 2) {
            #expect(heap.intValue(of: try #require(try heap.item(forKey: heap.int(i), in: d.ref))) == i * 2)
        }
        #expect(throws: HeapError.keyNotFound(key: "2")) { try heap.removeItem(forKey: heap.int(2), from: d.ref) }
    }

    @Test func unhashableKeysAreClearErrors() throws {
        let heap = Heap()
        let d = heap.dict()
        #expect(throws: HeapError.unhashable(type: "list")) { try heap.setItem(heap.list(), to: heap.none, in: d.ref) }
        #expect(throws: HeapError.unhashable(type: "dict")) { try heap.setItem(heap.dict(), to: heap.none, in: d.ref) }
        #expect(throws: HeapError.unhashable(type: "set")) { try heap.add(heap.set(), to: heap.set()) }
        #expect(try heap.count(of: d.ref) == 0)
        #expect(HeapError.unhashable(type: "list").description == "TypeError: unhashable type: 'list'")
    }

    @Test func dictTrackingFollowsCPython() throws {
        let heap = Heap()
        let d = heap.dict()
        #expect(!heap.gc.isTracked(d.ref))
        try heap.setItem(heap.str("a"), to: heap.int(1), in: d.ref)
        #expect(!heap.gc.isTracked(d.ref))                  // atoms only
        try heap.setItem(heap.str("b"), to: heap.list(), in: d.ref)
        #expect(heap.gc.isTracked(d.ref))                   // may now be part of a cycle
        let list = heap.list(), big = heap.int(1000)
        #expect(heap.gc.isTracked(list.ref))
        #expect(!heap.gc.isTracked(big.ref))
    }

    @Test func sets() throws {
        let heap = Heap()
        let one = heap.int(1), oneFloat = heap.float(1.0), a1 = heap.str("a"), a2 = heap.str("a")
        let s = try heap.set([one.ref, oneFloat.ref, a1.ref, a2.ref])
        #expect(try heap.count(of: s.ref) == 2)
        #expect(try heap.contains(heap.bool(true), in: s.ref))
        try heap.remove(heap.int(1), fromSet: s.ref)
        #expect(try heap.count(of: s.ref) == 1)
        #expect(throws: HeapError.keyNotFound(key: "1")) { try heap.remove(heap.int(1), fromSet: s.ref) }
        let other = try heap.set([a1.ref])
        #expect(try heap.equals(s.ref, other.ref))
        #expect(heap.repr(heap.set()) == "set()")
    }

    @Test func equalityAndRepr() throws {
        let heap = Heap()
        let one = heap.int(1), oneFloat = heap.float(1.0), half = heap.float(2.5), half2 = heap.float(2.5)
        let text = heap.str("it's"), text2 = heap.str("it's"), bytes = heap.bytes([0, 65, 255]), bytes2 = heap.bytes([0, 65, 255])
        let a = heap.list([one.ref, half.ref, text.ref, bytes.ref, heap.none])
        let b = heap.list([oneFloat.ref, half2.ref, text2.ref, bytes2.ref, heap.none])
        #expect(try heap.equals(a.ref, b.ref))
        #expect(heap.repr(a.ref) == "[1, 2.5, \"it's\", b'\\x00A\\xff', None]")
        let two = heap.int(2)
        let c = heap.list([two.ref])
        #expect(try !heap.equals(a.ref, c.ref))
        let nan = heap.float(.nan)
        let otherNaN = heap.float(.nan)
        #expect(try !heap.equals(nan.ref, otherNaN.ref))
        #expect(try heap.equals(nan.ref, nan.ref))              // identity first, as Python's containers do
        #expect(try heap.hashValue(of: heap.int(-1)) == -2)
        #expect(try heap.hashValue(of: heap.float(3.0)) == heap.hashValue(of: heap.int(3)))
        let d = heap.dict()
        try heap.setItem(heap.str("k"), to: d.ref, in: d.ref)
        #expect(heap.repr(d.ref) == "{'k': {...}}")
        #expect(throws: HeapError.invalidValue("invalid UTF-8 in str")) { _ = try heap.str(utf8: [0xff]) }
    }

    @Test func readingValuesAndClasses() throws {
        let heap = Heap()
        let half = heap.float(0.5), data = heap.bytes([1, 2, 255]), text = heap.str("héllo")
        #expect(heap.floatValue(of: half.ref) == 0.5)
        #expect(heap.floatValue(of: data.ref) == nil)
        #expect(heap.bytesValue(of: data.ref) == [1, 2, 255])
        #expect(heap.bytesValue(of: text.ref) == Array("héllo".utf8))
        #expect(heap.bytesValue(of: half.ref) == nil)
        let base = try heap.makeClass("Base")
        let derived = try heap.makeClass("Derived", base: base.ref)
        let object = try heap.instance(of: derived)
        #expect(heap.classOf(object.ref) == derived.ref)
        #expect(heap.classOf(derived.ref) == nil)
        #expect(heap.baseClass(of: derived.ref) == base.ref)
        #expect(heap.baseClass(of: base.ref) == nil)
    }
}
