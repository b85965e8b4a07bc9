import HeapGraphModel

/// What a leaking group of objects looks like, independent of where it sits in the heap:
/// its fingerprint, its types, and one example cycle as text.
///
/// The fingerprint is FNV-1a 64 (``FNV1a``) of the sorted distinct type names of the
/// members followed by the sorted distinct `(source type, edge label, target type)`
/// triples of the strong edges inside the component, list and tuple indexes written
/// `[x]`. It depends only on the set of members and edges, so a cycle gives the same
/// fingerprint whichever node it is entered from and whatever ordinals its objects have,
/// and a thousand rings of the same classes linked the same way are one group.
struct CycleShape {
    var fingerprint: String
    var types: [String]

    /// - Complexity: O(members + their out-edges) plus sorting the distinct triples.
    init(graph: HeapSnapshot, members: some Collection<Int32>, component: [Int32]) {
        var types = Set<String>()
        var triples = Set<String>()
        for member in members {
            let node = Int(member)
            let source = graph.typeName(of: node)
            types.insert(source)
            for edge in graph.edges(of: node) where !edge.isWeak && component[edge.target] == component[node] {
                triples.insert(source + "\u{1F}" + graph.normalizedLabelText(edge) + "\u{1F}" + graph.typeName(of: edge.target))
            }
        }
        var hash = FNV1a()
        let sortedTypes = types.sorted()
        for type in sortedTypes { hash.combine(type); hash.combine("\u{1E}") }
        hash.combine("\u{1D}")
        for triple in triples.sorted() { hash.combine(triple); hash.combine("\u{1E}") }
        self.fingerprint = hash.hex
        self.types = sortedTypes
    }

    /// A shortest cycle inside a component, as `Node.next → Node.prev → Node`, or nil for a
    /// component without one.
    ///
    /// It starts from the member with the smallest type name (the smallest ordinal among
    /// ties), runs a breadth-first search inside the component back to it, and is then
    /// rotated to the rotation whose text sorts first, so the same ring reads the same
    /// whichever of its objects comes first in the snapshot.
    /// - Complexity: O(members + their out-edges).
    static func exampleCycle(graph: HeapSnapshot, members: some Collection<Int32>, component: [Int32]) -> (text: String, nodes: [Int])? {
        guard let start = members.map({ Int($0) }).min(by: { (graph.typeName(of: $0), $0) < (graph.typeName(of: $1), $1) })
        else { return nil }
        let target = component[start]
        // Breadth-first from `start`; the first edge found back into `start` closes a
        // shortest cycle through it.
        var parent: [Int: (node: Int, edge: HeapSnapshot.Edge)] = [:]
        var queue = [start]
        var head = 0
        var closing: HeapSnapshot.Edge?
        search: while head < queue.count {
            let node = queue[head]
            head += 1
            for edge in graph.edges(of: node) where !edge.isWeak && component[edge.target] == target {
                if edge.target == start { closing = edge; break search }
                if parent[edge.target] == nil {
                    parent[edge.target] = (node, edge)
                    queue.append(edge.target)
                }
            }
        }
        guard var edge = closing else { return nil }
        var edges = [edge]
        while edge.source != start, let step = parent[edge.source] {
            edge = step.edge
            edges.append(edge)
        }
        edges.reverse()
        let steps = edges.map { HeapSnapshot.referenceText(type: graph.typeName(of: $0.source), label: graph.labelText($0)) }
        // Choosing the rotation costs O(length²): long rings keep the start's rotation.
        let rotationText = { (offset: Int) in (steps[offset...] + steps[..<offset]).joined(separator: " → ") }
        let best = steps.count > 64 ? 0 : steps.indices.min { rotationText($0) < rotationText($1) } ?? 0
        let rotated = Array(steps[best...] + steps[..<best])
        let first = edges[best].source
        let text = (rotated + [graph.typeName(of: first)]).joined(separator: " → ")
        let nodes = (edges[best...] + edges[..<best]).map(\.source)
        return (text, nodes)
    }

    /// The shape's content as integers: the sorted distinct type-name indices, then the
    /// sorted distinct (source type, label kind and text index, target type) of the strong
    /// edges inside the component, indexes normalised as in the fingerprint. Equal keys give
    /// equal fingerprints (the string table is interned), so it is a cache key for them.
    /// - Complexity: O(edges of the members · log).
    static func integerKey(graph: HeapSnapshot, members: [Int], component: [Int32]) -> [UInt64] {
        var types: [UInt64] = []
        var triples: [UInt64] = []
        for node in members {
            let source = UInt64(graph.typeIndex(of: node))
            types.append(source)
            let own = component[node]
            for edge in graph.edges(of: node) where !edge.isWeak && component[edge.target] == own {
                let label: UInt64
                switch edge.kind {
                case .index, .dictKey, .none, .hidden: label = 0
                case .named, .closureVariable, .shortcut: label = UInt64(edge.value) + 1
                case .key, .attribute:
                    // A string index, or the name node's label's: both index the same table.
                    label = edge.nameIsText ? UInt64(edge.value) + 1 : graph.valueLabelIndex(of: edge.value).map { UInt64($0) + 1 } ?? 0
                }
                triples.append(source << 32 | UInt64(graph.typeIndex(of: edge.target)))
                triples.append(UInt64(edge.kind.rawValue) << 40 | label)
            }
        }
        // Pairs sorted and deduplicated as units.
        var pairs = stride(from: 0, to: triples.count, by: 2).map { (triples[$0], triples[$0 + 1]) }
        pairs.sort { $0 < $1 }
        var key = Array(Set(types)).sorted()
        key.append(.max)
        var previous: (UInt64, UInt64)? = nil
        for pair in pairs where previous.map({ $0 != pair }) ?? true {
            key.append(pair.0)
            key.append(pair.1)
            previous = pair
        }
        return key
    }
}
