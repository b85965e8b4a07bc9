import HeapRuntime
import HeapGraphModel

/// A host object like objgraph's tests' `TestObject`: a name for its repr and an optional
/// unlabelled reference to another object.
struct TestObject: HostPayload {
    static let typeName = "TestObject"
    var name: String
    var next: ObjectRef?

    func traverse(_ visit: (ObjectRef, EdgeLabel) -> Void) {
        if let next { visit(next, .none) }
    }
    mutating func clear() { next = nil }
    func repr() throws -> String { "TestObject(\(name))" }
}

/// A host object whose repr fails.
struct Unrepresentable: HostPayload {
    struct Failure: Error {}
    static let typeName = "Unrepresentable"
    func traverse(_ visit: (ObjectRef, EdgeLabel) -> Void) {}
    mutating func clear() {}
    func repr() throws -> String { throw Failure() }
}

extension HeapSnapshot {
    /// The ordinal of the object with the id HeapRuntime gave it.
    func ordinal(_ objectID: UInt64) -> Int? {
        node(withID: objectID)
    }

    /// "o<id>", the DOT node name of an object.
    func dotName(_ objectID: UInt64) -> String {
        "o\(objectID)"
    }
}
