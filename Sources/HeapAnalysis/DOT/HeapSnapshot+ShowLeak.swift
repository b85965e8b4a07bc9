import HeapGraphModel

extension HeapSnapshot {
    /// The picture of one leak group, captioned with its category, count and fingerprint:
    /// - a cycle (uncollectable, cyclic garbage): the whole ring, and the path that holds
    ///   it when there is one (gc.garbage → Connection → Socket → Connection);
    /// - a leak trace (watched objects, survivors, growth): the trace drawn as a
    ///   back-reference chain;
    /// - otherwise the example's objects and the references between them.
    /// The trace's suspect reference is drawn red and bold. At most `maxNodes` objects are
    /// drawn (``ObjectGraphDOT/cutNodes`` counts the rest).
    /// - Complexity: O(the example's nodes and their edges).
    public func showLeak(_ group: LeakGroup, maxNodes: Int = DOTOptions().maxNodes) -> ObjectGraphDOT {
        var options = DOTOptions()
        options.maxNodes = maxNodes
        options.padsEdgeLabels = true
        if let trace = group.trace, let suspect = trace.suspect, suspect.step + 1 < trace.steps.count {
            options.suspectEdge = (trace.steps[suspect.step].node, trace.steps[suspect.step + 1].node)
        }
        var picture: ObjectGraphDOT
        let path = group.trace?.steps.map(\.node) ?? []
        if group.exampleCycle != nil, let first = path.first ?? group.exampleNodes.first {
            let members = Set(group.exampleNodes).union(path)
            options.maxDepth = max(1, members.count)
            options.filter = { members.contains($0) }
            picture = showRefs([first], options: options)
        } else if path.count > 1 {
            picture = showChain([path], backrefs: true, options: options)
        } else {
            let members = Set(group.exampleNodes)
            options.maxDepth = max(1, members.count)
            options.filter = { members.contains($0) }
            picture = showRefs(Array(group.exampleNodes.prefix(1)), options: options)
        }
        picture.text = Self.captioned(picture.text, group.caption)
        return picture
    }

    /// The DOT text with a caption at the top of the picture.
    static func captioned(_ text: String, _ caption: String) -> String {
        let opening = "digraph ObjectGraph {\n"
        guard text.hasPrefix(opening) else { return text }
        return opening + "  label=\"\(DOTText.escaped(caption))\";\n  labelloc=t;\n  fontsize=12;\n  nodesep=0.5;\n"
            + text.dropFirst(opening.count)
    }
}

extension LeakGroup {
    /// `uncollectable: 1 leak, fingerprint d357a39a0ec80a36 (app.Connection, app.Socket)`.
    public var caption: String {
        "\(category.rawValue): \(count) leak\(count == 1 ? "" : "s"), fingerprint \(fingerprint) (\(types.joined(separator: ", ")))"
    }
}
