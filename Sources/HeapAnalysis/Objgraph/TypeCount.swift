import HeapGraphModel

/// One row of ``HeapGraphModel/HeapSnapshot/mostCommonTypes(limit:style:scope:filter:)``: a type name, how
/// many objects have it, and the sum of their shallow sizes.
public struct TypeCount: Sendable, Hashable {
    public var name: String
    public var count: Int
    /// Sum of the shallow sizes of the counted objects, in bytes.
    public var bytes: Int

    public init(name: String, count: Int, bytes: Int) {
        self.name = name
        self.count = count
        self.bytes = bytes
    }
}
