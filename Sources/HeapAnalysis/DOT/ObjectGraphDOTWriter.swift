import HeapGraphModel

/// Draws the neighbourhood of some nodes as DOT, the way objgraph's `show_refs` and
/// `show_backrefs` do (see docs/objgraph.md for the conventions kept and improved).
///
/// Breadth-first from the starting nodes: a node's depth is fixed when it is first found;
/// nodes at `maxDepth` are drawn but not expanded. Each node's statements are written when
/// it is taken from the queue, then its edges to its (filtered, capped) neighbours. State
/// is kept in dictionaries, not per-node arrays: at most `maxNodes` nodes are drawn, so a
/// drawing of a 10M-node graph costs what its few hundred nodes cost.
struct ObjectGraphDOTWriter {
    enum Direction { case references, referrers }

    let graph: HeapSnapshot
    let options: DOTOptions
    let direction: Direction

    func draw(_ starts: [Int]) -> ObjectGraphDOT {
        var text = "digraph ObjectGraph {\n  node[shape=box, style=filled, fillcolor=white];\n"
        var depth: [Int: Int] = [:]
        var queue: [Int] = []
        var cut = Set<Int>()
        for start in starts where start >= 0 && start < graph.nodeCount && depth[start] == nil {
            guard queue.count < options.maxNodes else { cut.insert(start); continue }
            text += "  \(nodeID(start))[fontcolor=red];\n"
            depth[start] = 0
            queue.append(start)
        }
        var head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            let nodeDepth = depth[node] ?? 0
            text += nodeStatements(node, depth: nodeDepth)
            guard nodeDepth < options.maxDepth else { continue }
            if let cull = options.cull, cull(node) { continue }

            var groups: [DOTEdgeGroup] = []
            var groupOf: [Int: Int] = [:]
            var skipped = 0
            forEachNeighbour(of: node) { neighbour, edge in
                if options.extraIgnore.contains(neighbour) { return }
                if let filter = options.filter, !filter(neighbour) { return }
                if let index = groupOf[neighbour] {
                    if let edge { groups[index].edges.append(edge) }
                    return
                }
                guard groups.count < options.tooMany else { skipped += 1; return }
                if depth[neighbour] == nil {
                    guard queue.count < options.maxNodes else { cut.insert(neighbour); return }
                    depth[neighbour] = nodeDepth + 1
                    queue.append(neighbour)
                }
                groupOf[neighbour] = groups.count
                var group = direction == .references ? DOTEdgeGroup(source: node, target: neighbour)
                                                     : DOTEdgeGroup(source: neighbour, target: node)
                if let edge { group.edges.append(edge) }
                groups.append(group)
            }
            for var group in groups {
                if direction == .referrers {
                    group.edges = graph.edges(of: group.source).filter { $0.target == node }
                }
                text += "  \(nodeID(group.source)) -> \(nodeID(group.target))"
                    + group.attributes(in: graph, style: options.style, padded: options.padsEdgeLabels,
                                   suspect: options.suspectEdge.map { $0 == (group.source, group.target) } ?? false) + ";\n"
            }
            if skipped > 0 { text += elisionStatements(node, skipped: skipped, depth: nodeDepth + 1) }
        }
        if !cut.isEmpty {
            text += "  cut_note[label=\"\(cut.count) more objects not drawn (max_nodes=\(options.maxNodes))\","
                + "shape=note,color=red,fontcolor=red];\n"
        }
        text += "}\n"
        return ObjectGraphDOT(text: text, nodeCount: queue.count, cutNodes: cut.count)
    }

    /// Calls `body` for each neighbour occurrence, in the graph's order: with the edge when
    /// walking references; without one for referrers (one call per incoming edge; the edges
    /// are read from the referrer when it is drawn).
    private func forEachNeighbour(of node: Int, _ body: (Int, HeapSnapshot.Edge?) -> Void) {
        switch direction {
        case .references:
            for edge in graph.edges(of: node) { body(edge.target, edge) }
        case .referrers:
            for referrer in graph.referrers(of: node) { body(referrer, nil) }
        }
    }

    func nodeID(_ node: Int) -> String { "o\(graph.id(of: node))" }

    /// The label, fill and marker statements of one node.
    private func nodeStatements(_ node: Int, depth: Int) -> String {
        let id = nodeID(node)
        var typeLine = graph.typeName(of: node, style: options.style)
        if options.refcounts { typeLine += " [\(graph.referenceCount(of: node))]" }
        var lines = [typeLine, graph.shortLabel(of: node)]
        if let info = options.extraInfo?(node) { lines.append(info) }
        var text = "  \(id)[label=\"\(DOTText.label(lines))\"\(extraAttributes(node))];\n"

        var color = DOTColor.gradient(from: .nodeStart, to: .nodeEnd, depth: depth, maxDepth: options.maxDepth)
        if let highlight = options.highlight, highlight(node) {
            color = DOTColor(hue: 0.6, saturation: 0.6, value: 0.5 + color.value * 0.5)
        }
        text += "  \(id)[fillcolor=\"\(color.text)\"];\n"
        if color.value < 0.5 { text += "  \(id)[fontcolor=white];\n" }
        if graph.isRoot(node) { text += "  \(id)[color=red, penwidth=3];\n" }
        if graph.flags(of: node).contains(.hasFinalizer) {
            text += "  \(id)->\(id)_has_a_del[color=red,style=dotted,len=0.25,weight=10];\n"
            text += "  \(id)_has_a_del[label=\"__del__\",shape=doublecircle,height=0.25,color=red,"
                + "fillcolor=\"0,.5,1\",fontsize=6];\n"
        }
        return text
    }

    /// `, name="value"` for each extra attribute, sorted by name, nil values dropped.
    private func extraAttributes(_ node: Int) -> String {
        guard let attributes = options.extraNodeAttributes?(node) else { return "" }
        var text = ""
        for (name, value) in attributes.sorted(by: { $0.key < $1.key }) {
            guard let value else { continue }
            text += ", \(DOTText.escaped(name))=\"\(DOTText.escaped(value))\""
        }
        return text
    }

    /// objgraph's red "N more references" box past `tooMany`, on a dotted edge.
    private func elisionStatements(_ node: Int, skipped: Int, depth: Int) -> String {
        let id = nodeID(node)
        let color = DOTColor.gradient(from: .elisionStart, to: .elisionEnd, depth: depth, maxDepth: options.maxDepth)
        let (label, edge) = direction == .references
            ? ("\(skipped) more references", "\(id)->too_many_\(id)")
            : ("\(skipped) more backreferences", "too_many_\(id)->\(id)")
        return "  \(edge)[color=red,style=dotted,len=0.25,weight=10];\n"
            + "  too_many_\(id)[label=\"\(label)\",shape=box,height=0.25,color=red,fillcolor=\"\(color.text)\",fontsize=6];\n"
            + "  too_many_\(id)[fontcolor=white];\n"
    }
}
