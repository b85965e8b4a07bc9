import HeapGraphModel

/// All edges between one drawn pair of nodes, drawn as one DOT edge: the labels of the
/// edges (list indexes, dict keys, attribute names), their number when more than one, and
/// a dashed line when every one of them is weak.
struct DOTEdgeGroup {
    var source: Int
    var target: Int
    var edges: [HeapSnapshot.Edge] = []

    /// At most this many labels are listed; the multiplicity says how many there are.
    static let listedLabels = 3

    /// The attribute list (` [label="…",weight=2]`), or "" when there is nothing to say.
    /// `padded` puts a space on each side of the label (``DOTOptions/padsEdgeLabels``);
    /// `suspect` draws the edge red and bold (``DOTOptions/suspectEdge``).
    func attributes(in graph: HeapSnapshot, style: TypeNameStyle, padded: Bool = false, suspect: Bool = false) -> String {
        var labels: [String] = []
        var weight = 1
        for edge in edges {
            guard let (label, edgeWeight) = Self.label(of: edge, in: graph, style: style) else { continue }
            weight = max(weight, edgeWeight)
            if !labels.contains(label) { labels.append(label) }
        }
        var text = labels.prefix(Self.listedLabels).map(DOTText.escaped).joined(separator: ", ")
        if labels.count > Self.listedLabels { text += ", …" }
        if edges.count > 1 { text += (text.isEmpty ? "" : " ") + "×\(edges.count)" }
        var parts: [String] = []
        if !text.isEmpty { parts.append(padded ? "label=\" \(text) \"" : "label=\"\(text)\"") }
        if weight > 1 { parts.append("weight=\(weight)") }
        if !edges.isEmpty && edges.allSatisfy(\.isWeak) { parts.append("style=dashed") }
        if suspect { parts += ["color=red", "fontcolor=red", "penwidth=2"] }
        return parts.isEmpty ? "" : " [" + parts.joined(separator: ",") + "]"
    }

    /// One edge's label and Graphviz weight, objgraph's way where it has one: a dict value
    /// under an identifier key gets the bare key (weight 2), under another key the key's
    /// "type\nrepr"; `__dict__` weight 10. Added: list and tuple indexes, attribute names
    /// (weight 2), fixed names (`__class__`, `referent`, host labels). Set elements and the
    /// dict → key edges stay unlabelled, as in objgraph.
    static func label(of edge: HeapSnapshot.Edge, in graph: HeapSnapshot, style: TypeNameStyle) -> (String, Int)? {
        switch edge.kind {
        case .none, .dictKey:
            return nil
        case .index:
            return ("[\(edge.value)]", 1)
        case .attribute, .closureVariable:
            return (graph.labelText(edge), 2)
        case .named, .shortcut, .hidden:
            let name = graph.labelText(edge)
            return (name, name == "__dict__" ? 10 : 1)
        case .key:
            if edge.nameIsText { return (graph.labelText(edge), 2) }
            let key = edge.value
            if let identifier = identifierKey(key, in: graph) { return (identifier, 2) }
            return (graph.typeName(of: key, style: style) + "\n" + graph.shortLabel(of: key), 1)
        }
    }

    /// The key's text when it is a str whose text is a Python identifier
    /// (`[a-zA-Z_][a-zA-Z_0-9]*`), as objgraph labels such keys bare.
    static func identifierKey(_ key: Int, in graph: HeapSnapshot) -> String? {
        guard key >= 0, key < graph.nodeCount, graph.typeName(of: key) == "str",
              let repr = graph.valueLabel(of: key), repr.count >= 2,
              let quote = repr.first, quote == "'" || quote == "\"", repr.last == quote else { return nil }
        let text = repr.dropFirst().dropLast()
        guard let first = text.unicodeScalars.first, isIdentifierHead(first),
              text.unicodeScalars.allSatisfy({ isIdentifierHead($0) || ("0"..."9").contains($0) }) else { return nil }
        return String(text)
    }

    private static func isIdentifierHead(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
    }
}
