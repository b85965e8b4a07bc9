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
