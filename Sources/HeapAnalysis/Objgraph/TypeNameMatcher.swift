import HeapGraphModel

/// objgraph's rule for naming a type in a query: a name with a dot matches module-qualified
/// names (`shapes.Node`, `builtins.dict`), any other name matches short names (`Node`).
///
/// Answers are cached per type-string index, so a whole-heap pass compares each distinct
/// type name once and does an array load per node otherwise.
struct TypeNameMatcher {
    private let name: String
    private let style: TypeNameStyle
    /// Per string index: 0 not yet decided, 1 matches, 2 does not.
    private var verdicts: [UInt8]

    init(_ name: String, in graph: HeapSnapshot) {
        self.name = name
        self.style = name.contains(".") ? .qualified : .short
        self.verdicts = [UInt8](repeating: 0, count: graph.strings.count)
    }

    mutating func matches(_ node: Int, in graph: HeapSnapshot) -> Bool {
        let index = graph.typeIndex(of: node)
        switch verdicts[index] {
        case 1: return true
        case 2: return false
        default:
            let matched = HeapSnapshot.styledTypeName(graph.strings[index], style: style) == name
            verdicts[index] = matched ? 1 : 2
            return matched
        }
    }
}
