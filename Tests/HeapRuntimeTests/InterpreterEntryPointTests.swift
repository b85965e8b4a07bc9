import Testing
@testable import HeapRuntime

/// The non-generic entry points an interpreter's hot paths use (`ObjectRef` overloads,
/// `tuple(taking:)`, `typeTag(of:)`): same answers as the generic ones, same counts.
@Suite("Interpreter entry points: non-generic reads and tuples taking counts")
struct InterpreterEntryPointTests {
    @Test func typeTagMatchesEveryKind() {
        // typeTag(of:) reinterprets ObjectKind's byte as ObjectTypeTag's: every case must
        // have the same raw value (and so the same place) in both enums.
        let kinds: [ObjectKind] = [.none, .bool, .int, .float, .str, .bytes, .tuple, .list, .dict, .set, .class, .instance, .weakref, .host]
        for kind in kinds {
            #expect(unsafeBitCast(kind, to: ObjectTypeTag.self) == ObjectTypeTag(rawValue: kind.rawValue))
        }
        #expect(ObjectTypeTag(rawValue: UInt8(kinds.count)) == nil)
        #expect(ObjectKind(rawValue: UInt8(kinds.count)) == nil)
        let heap = Heap()
        let list = heap.list()
        let tuple = heap.tuple([])
        let text = heap.str("x")
        let dict = heap.dict()
        #expect(heap.typeTag(of: heap.none) == .none)
        #expect(heap.typeTag(of: heap.bool(true)) == .bool)
        #expect(heap.typeTag(of: heap.int(7).ref) == .int)
        #expect(heap.typeTag(of: list.ref) == .list)
        #expect(heap.typeTag(of: tuple.ref) == .tuple)
        #expect(heap.typeTag(of: text.ref) == .str)
        #expect(heap.typeTag(of: dict.ref) == .dict)
    }

    @Test func tupleTakingKeepsTheCallersCounts() throws {
        let heap = Heap()
        let first = heap.str("a string that is not interned, first")
        let second = heap.list()
        // Two owned references handed over: the tuple's, with no count added.
        let handed = [heap.retain(first.ref).unmanaged(), heap.retain(second.ref).unmanaged()]
        #expect(heap.refcount(of: first.ref) == 2)
        // The tuple's own reference, held as an interpreter holds one.
        let tuple: ObjectRef = handed.withUnsafeBufferPointer { heap.tuple(taking: $0).unmanaged() }
        #expect(heap.refcount(of: tuple) == 1)
        #expect(heap.refcount(of: first.ref) == 2)
        #expect(heap.refcount(of: second.ref) == 2)
        #expect(try heap.count(of: tuple) == 2)
        #expect(try heap.item(0, of: tuple) == first.ref)
        #expect(try heap.item(1, of: tuple) == second.ref)
        #expect(heap.typeTag(of: tuple) == .tuple)
        #expect(heap.gc.isTracked(tuple))
        // The tuple's death gives the counts back.
        heap.releaseCount(tuple)
        #expect(heap.refcount(of: first.ref) == 1)
        #expect(heap.refcount(of: second.ref) == 1)
        let empty: ObjectRef = [ObjectRef]().withUnsafeBufferPointer { heap.tuple(taking: $0).unmanaged() }
        #expect(try heap.count(of: empty) == 0)
        heap.releaseCount(empty)
    }

    @Test func nonGenericReadsAgreeWithTheGenericOnes() throws {
        let heap = Heap()
        let tuple = heap.tuple([heap.int(1).ref, heap.int(2).ref, heap.int(3).ref])
        let borrowed: ObjectRef = tuple.ref
        #expect(try heap.count(of: borrowed) == 3)
        #expect(try heap.count(of: borrowed) == heap.count(of: tuple))
        #expect(heap.intValue(of: try heap.item(-1, of: borrowed)) == 3)
        #expect(try heap.items(of: borrowed).map { heap.intValue(of: $0) } == [1, 2, 3])
        #expect(throws: HeapError.indexOutOfRange(index: 3, count: 3)) { try heap.item(3, of: borrowed) }
        let number = heap.int(5)
        #expect(throws: HeapError.wrongType(expected: "tuple or list", got: "int")) { try heap.items(of: number.ref) }

        let dict = heap.dict()
        let key = heap.str("key")
        try heap.setItem(key.ref, to: heap.int(42).ref, in: dict.ref)
        #expect(heap.intValue(of: try #require(try heap.item(forKey: key.ref, in: dict.ref))) == 42)
        let absent = heap.str("absent")
        #expect(try heap.item(forKey: absent.ref, in: dict.ref) == nil)
        #expect(throws: HeapError.wrongType(expected: "dict", got: "tuple")) { try heap.item(forKey: key.ref, in: borrowed) }
    }

    @Test func entryHintIsCheckedNeverTrusted() throws {
        let heap = Heap()
        let dict = heap.dict()
        // Not identifier-like, so not interned: an equal str can be another object. Our
        // references to the keys, given back at the end.
        let keys: [ObjectRef] = (0..<40).map { heap.str("name \($0)").unmanaged() }
        defer { for key in keys { heap.releaseCount(key) } }
        for (i, key) in keys.prefix(3).enumerated() { try heap.setItem(key, to: heap.int(i).ref, in: dict.ref) }
        let key = keys[2]
        var hint = -1
        #expect(heap.intValue(of: try #require(try heap.item(forKey: key, in: dict.ref, entryHint: &hint))) == 2)
        #expect(hint == 2)
        // The value changes in place: the hint still names the entry.
        try heap.setItem(key, to: heap.int(20).ref, in: dict.ref)
        #expect(heap.intValue(of: try #require(try heap.item(forKey: key, in: dict.ref, entryHint: &hint))) == 20)
        // A hint naming another key's entry, or beyond the entries, or nonsense: a full lookup.
        var wrong = 0
        #expect(heap.intValue(of: try #require(try heap.item(forKey: key, in: dict.ref, entryHint: &wrong))) == 20)
        #expect(wrong == 2)
        var beyond = 1000
        #expect(heap.intValue(of: try #require(try heap.item(forKey: key, in: dict.ref, entryHint: &beyond))) == 20)
        // Deleted: the entry keeps its place with no key, so the hint does not match.
        try heap.removeItem(forKey: key, from: dict.ref)
        #expect(try heap.item(forKey: key, in: dict.ref, entryHint: &hint) == nil)
        // Back, after a rebuild that moves every entry: the stale hint is corrected.
        try heap.setItem(key, to: heap.int(7).ref, in: dict.ref)
        for other in keys.dropFirst(3) { try heap.setItem(other, to: heap.none, in: dict.ref) }
        try heap.removeItem(forKey: keys[0], from: dict.ref)
        let found = try #require(try heap.item(forKey: key, in: dict.ref, entryHint: &hint))
        #expect(heap.intValue(of: found) == 7)
        #expect(try heap.item(forKey: key, in: dict.ref) == found)
        // An equal key that is another object is found by the full lookup.
        let equal = heap.str("name \(2)")
        #expect(equal.ref != key)
        var fresh = -1
        #expect(try heap.item(forKey: equal.ref, in: dict.ref, entryHint: &fresh) == found)
        // Emptied: no storage at all.
        try heap.removeAll(fromTable: dict.ref)
        #expect(try heap.item(forKey: key, in: dict.ref, entryHint: &hint) == nil)
        let list = heap.list()
        #expect(throws: HeapError.wrongType(expected: "dict", got: "list")) { try heap.item(forKey: key, in: list.ref, entryHint: &hint) }
    }

    @Test func payloadOfABorrowedReference() {
        let heap = Heap()
        let boxType = heap.registerHostType(Box.self)
        let otherType = heap.registerHostType(OtherBox.self)
        let box = heap.makeHost(boxType, Box(value: 17))
        #expect(heap.payload(of: box.ref, as: boxType)?.value == 17)
        #expect(heap.payload(of: box.ref, as: otherType) == nil)
        #expect(heap.payload(of: heap.none, as: boxType) == nil)
    }
}

private struct Box: HostPayload {
    static let typeName = "box"
    var value: Int
    func traverse(_ visit: (ObjectRef, EdgeLabel) -> Void) {}
    mutating func clear() {}
}

private struct OtherBox: HostPayload {
    static let typeName = "other_box"
    func traverse(_ visit: (ObjectRef, EdgeLabel) -> Void) {}
    mutating func clear() {}
}
