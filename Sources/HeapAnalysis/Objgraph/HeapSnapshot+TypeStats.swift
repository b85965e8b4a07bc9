import HeapGraphModel

extension HeapSnapshot {
    /// objgraph's `count(typename)`: how many objects have the type. A dotted name
    /// (`shapes.Node`, `builtins.dict`) matches module-qualified names, any other name
    /// matches short names, so `count(typeName: "Node")` counts every module's `Node`.
    /// - Complexity: O(nodes), with one string comparison per distinct type.
    public func count(typeName: String, scope: ObjectScope = .tracked) -> Int {
        var matcher = TypeNameMatcher(typeName, in: self)
        var total = 0
        for node in 0..<nodeCount where isIn(scope, node) && matcher.matches(node, in: self) { total += 1 }
        return total
    }

    /// objgraph's `by_type(typename)`: the nodes of the type, in node order (same name rule
    /// as ``count(typeName:scope:)``).
    /// - Complexity: O(nodes).
    public func nodes(ofType typeName: String, scope: ObjectScope = .tracked) -> [Int] {
        var matcher = TypeNameMatcher(typeName, in: self)
        var found: [Int] = []
        for node in 0..<nodeCount where isIn(scope, node) && matcher.matches(node, in: self) { found.append(node) }
        return found
    }

    /// objgraph's `typestats()`: the number of objects of each type, by short
    /// (`shortnames=True`) or module-qualified name. `filter`, when given, keeps only the
    /// nodes it returns true for.
    /// - Complexity: O(nodes) array increments plus O(distinct types) string work; no
    ///   string is hashed per node.
    public func typeStats(style: TypeNameStyle = .short, scope: ObjectScope = .tracked,
                          filter: ((Int) -> Bool)? = nil) -> [String: Int] {
        var stats: [String: Int] = [:]
        for row in typeCounts(style: style, scope: scope, filter: filter) { stats[row.name] = row.count }
        return stats
    }

    /// objgraph's `most_common_types()`: the `limit` most numerous types, largest count
    /// first, ties by name; `limit` nil or 0 gives all of them (as objgraph's `limit=None`).
    /// - Complexity: O(nodes + types × log types).
    public func mostCommonTypes(limit: Int? = 10, style: TypeNameStyle = .short, scope: ObjectScope = .tracked,
                                filter: ((Int) -> Bool)? = nil) -> [TypeCount] {
        let rows = typeCounts(style: style, scope: scope, filter: filter).sorted {
            $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name
        }
        guard let limit, limit > 0 else { return rows }
        return Array(rows.prefix(limit))
    }

    /// Counts and bytes per styled type name. Counting goes into arrays indexed by the type
    /// name's string index; names are styled (and merged, e.g. two modules' `Node`) only
    /// once per distinct index at the end.
    func typeCounts(style: TypeNameStyle, scope: ObjectScope, filter: ((Int) -> Bool)?) -> [TypeCount] {
        var counts = [Int](repeating: 0, count: strings.count)
        var bytes = [Int](repeating: 0, count: strings.count)
        var used: [Int] = []
        let tracked = scope == .tracked ? nodesWithFlags(.tracked) : nil
        for node in 0..<nodeCount where tracked?[node] ?? true {
            if let filter, !filter(node) { continue }
            let index = typeIndex(of: node)
            if counts[index] == 0 { used.append(index) }
            counts[index] += 1
            bytes[index] += shallowSize(of: node)
        }
        var merged: [String: TypeCount] = [:]
        for index in used {
            let name = Self.styledTypeName(strings[index], style: style)
            merged[name, default: TypeCount(name: name, count: 0, bytes: 0)].count += counts[index]
            merged[name, default: TypeCount(name: name, count: 0, bytes: 0)].bytes += bytes[index]
        }
        return Array(merged.values)
    }
}
