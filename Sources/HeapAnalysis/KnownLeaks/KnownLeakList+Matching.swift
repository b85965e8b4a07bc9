import HeapGraphModel

extension KnownLeakList {
    /// The first entry that matches `group`, or nil.
    ///
    /// - `fingerprint:` the group's fingerprint;
    /// - `type:` one of the group's types (objgraph's naming rule);
    /// - `reference:Type.name`: a reference on the group's leak trace, or a strong edge
    ///   between two objects of its example cycle, from an object of `Type` labelled `name`
    ///   (an attribute, a V8 property, a dict key `['name']`); or the trace's root, when its
    ///   name is the whole pattern (a module global such as `app.CACHE`).
    /// - Complexity: O(entries × (trace length + edges of the example cycle)).
    public func match(_ group: LeakGroup, in graph: HeapSnapshot) -> KnownLeakEntry? {
        entries.first { $0.matches(group, in: graph) }
    }
}

extension KnownLeakEntry {
    /// Whether this entry matches `group` (see ``KnownLeakList/match(_:in:)``).
    public func matches(_ group: LeakGroup, in graph: HeapSnapshot) -> Bool {
        switch kind {
        case .fingerprint:
            return group.fingerprint == pattern
        case .type:
            return group.types.contains { Self.typeMatches($0, pattern) }
        case .reference:
            guard let dot = pattern.lastIndex(of: ".") else { return false }
            let typePart = String(pattern[..<dot]), name = String(pattern[pattern.index(after: dot)...])
            func labelMatches(_ label: String) -> Bool { label == name || label == "['\(name)']" }
            if let trace = group.trace {
                if trace.rootName == pattern { return true }
                for step in trace.steps where Self.typeMatches(step.typeName, typePart) {
                    if let reference = step.reference, labelMatches(reference) { return true }
                }
            }
            if group.exampleCycle != nil {
                let members = Set(group.exampleNodes)
                for member in group.exampleNodes where Self.typeMatches(graph.typeName(of: member), typePart) {
                    for edge in graph.edges(of: member) where !edge.isWeak && members.contains(edge.target) {
                        if labelMatches(graph.labelText(edge)) { return true }
                    }
                }
            }
            return false
        }
    }

    /// objgraph's rule: a dotted pattern matches the full type name, any other the last
    /// component (`Session` matches `service.Session`).
    static func typeMatches(_ typeName: String, _ pattern: String) -> Bool {
        if pattern.contains(".") { return typeName == pattern }
        return HeapSnapshot.styledTypeName(typeName, style: .short) == pattern
    }
}
