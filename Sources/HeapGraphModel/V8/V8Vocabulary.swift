import HeapGraphFormat

/// The names V8's heap snapshot format uses, as Node 20 writes them, and how the graph's
/// notions map onto them (docs/v8.md, "Writing V8 snapshots").
public enum V8Vocabulary {
    /// `node_fields`, as Node 20 writes them.
    public static let nodeFields = ["type", "name", "id", "self_size", "edge_count", "trace_node_id", "detachedness"]
    /// The node type enum (`node_types[0]`), as Node 20 writes it.
    public static let nodeTypes = ["hidden", "array", "string", "object", "code", "closure", "regexp", "number", "native",
                                   "synthetic", "concatenated string", "sliced string", "symbol", "bigint", "object shape",
                                   "wasm object"]
    public static let edgeFields = ["type", "name_or_index", "to_node"]
    /// The edge type enum (`edge_types[0]`).
    public static let edgeTypes = ["context", "element", "property", "internal", "hidden", "shortcut", "weak"]

    // Positions in the enums above.
    static let hiddenNode: UInt8 = 0, arrayNode: UInt8 = 1, stringNode: UInt8 = 2, objectNode: UInt8 = 3, codeNode: UInt8 = 4
    static let closureNode: UInt8 = 5, numberNode: UInt8 = 7, nativeNode: UInt8 = 8, syntheticNode: UInt8 = 9
    static let contextEdge: UInt8 = 0, elementEdge: UInt8 = 1, propertyEdge: UInt8 = 2, internalEdge: UInt8 = 3
    static let hiddenEdge: UInt8 = 4, shortcutEdge: UInt8 = 5, weakEdge: UInt8 = 6

    /// The V8 node type a graph node of `kind` is written as, when its type name does not
    /// already say one (see ``nodeType(ofClassName:)``).
    static func nodeType(of kind: NodeKind) -> UInt8 {
        switch kind {
        case .object, .dictionary, .type: objectNode
        case .array: arrayNode
        case .string: stringNode
        case .number: numberNode
        case .closure: closureNode
        case .code: codeNode
        case .native: nativeNode
        case .synthetic: syntheticNode
        case .hidden: hiddenNode
        }
    }

    /// The V8 node type whose DevTools class name is `name` (`(closure)`, `(system)`,
    /// `(compiled code)`…), the inverse of the reader's mapping, so that a graph read from
    /// V8 is written back with its own types; nil for any other name.
    static func nodeType(ofClassName name: String) -> UInt8? {
        switch name {
        case "(system)": return hiddenNode
        case "(compiled code)": return codeNode
        default:
            guard name.hasPrefix("("), name.hasSuffix(")"), name.count > 2 else { return nil }
            let inner = String(name.dropFirst().dropLast())
            guard inner != "object", inner != "native", let index = nodeTypes.firstIndex(of: inner) else { return nil }
            return UInt8(index)
        }
    }
}

extension RootCategory {
    /// The synthetic node, under `(GC roots)`, that an exported V8 snapshot groups this
    /// category's roots under; the reader turns its children back into named roots.
    public var v8SubrootName: String {
        switch self {
        case .other: "(other roots)"
        case .global: "(module globals)"
        case .local: "(local variables)"
        case .handle: "(host handles)"
        case .runtime: "(runtime roots)"
        case .garbage: "(gc.garbage)"
        }
    }

    /// The category whose ``v8SubrootName`` is `name`.
    public init?(v8SubrootName name: String) {
        guard let category = RootCategory.allCases.first(where: { $0.v8SubrootName == name }) else { return nil }
        self = category
    }
}
