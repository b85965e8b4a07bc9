import HeapGraphModel

/// How type names are written: objgraph's `shortnames=True` (`Node`, `dict`) or
/// `shortnames=False` (`shapes.Node`, `builtins.dict`).
public enum TypeNameStyle: Sendable, Hashable {
    /// The last dotted component: `Node` for a class named `shapes.Node`.
    case short
    /// With its module: a class's name as given (`shapes.Node`), built-in types under
    /// `builtins.` as CPython writes them (`builtins.dict`).
    case qualified
    /// The name the snapshot records: a class's name as given (`shapes.Node`), built-in
    /// types bare (`dict`). What every `heapgraph` command prints (``ReportStyle``).
    case recorded
}

extension HeapSnapshot {
    /// The built-in types whose short label is their item count ("3 items").
    static let itemCountedTypes: Set<String> = ["list", "tuple", "dict", "set", "frozenset"]

    /// The names HeapRuntime (and CPython) give their built-in types: these get `builtins.`
    /// when qualified.
    static let builtinTypeNames: Set<String> = [
        "NoneType", "bool", "int", "float", "str", "bytes", "tuple", "list", "dict", "set",
        "frozenset", "type", "weakref", "object",
    ]

    /// The node's type name in the given style.
    public func typeName(of node: Int, style: TypeNameStyle) -> String {
        Self.styledTypeName(typeName(of: node), style: style)
    }

    /// `name` in the given style (see ``TypeNameStyle``).
    public static func styledTypeName(_ name: String, style: TypeNameStyle) -> String {
        switch style {
        case .short:
            guard let dot = name.lastIndex(of: ".") else { return name }
            let tail = name[name.index(after: dot)...]
            return tail.isEmpty ? name : String(tail)
        case .qualified:
            return builtinTypeNames.contains(name) ? "builtins." + name : name
        case .recorded:
            return name
        }
    }

    /// Number of items of a list, tuple, set or dict node (a dict's keys), or nil for other
    /// types.
    /// - Complexity: O(outgoing edges).
    public func itemCount(of node: Int) -> Int? {
        let type = typeName(of: node)
        guard Self.itemCountedTypes.contains(type) else { return nil }
        if type == "dict" {
            return edges(of: node).reduce(0) { $0 + ($1.kind == .dictKey ? 1 : 0) }
        }
        return outDegree(of: node)
    }

    /// objgraph's short label for a node: "N items" for containers (even "1 items"), the
    /// repr cut at 40 characters for atoms and host objects, a class's name, and
    /// `<Type object at 0x…>` for instances, as CPython's default repr reads.
    /// - Complexity: O(outgoing edges) for dicts, O(1) otherwise.
    public func shortLabel(of node: Int) -> String {
        if let count = itemCount(of: node) { return "\(count) items" }
        if let label = valueLabel(of: node) { return label }
        return "<\(typeName(of: node)) object at 0x\(String(id(of: node), radix: 16))>"
    }
}
