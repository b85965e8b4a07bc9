import HeapGraphFormat

#if canImport(Glibc)
import Glibc
#endif

extension HeapSnapshot {
    /// Writes the graph as a V8 heap snapshot (`.heapsnapshot`) at `path` (created, or
    /// truncated), which Chrome DevTools' Memory panel opens and ``init(v8ContentsOf:)``
    /// reads back (docs/v8.md, "Writing V8 snapshots").
    ///
    /// - Complexity: O(nodes + edges + strings) time; streamed through a 1 MiB buffer (no
    ///   JSON text is held), with 4 bytes per node (the written ids) and per string (their
    ///   new indexes) beside the graph.
    public func writeV8Snapshot(to path: String) throws(SnapshotWriteError) {
        let descriptor = SystemCall.retrying { open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) }
        guard descriptor >= 0 else { throw SnapshotWriteError(path: path, reason: SystemCall.message(errno)) }
        var closed = false
        defer { if !closed { _ = close(descriptor) } }
        try writeV8Snapshot(toDescriptor: descriptor, name: path)
        closed = true
        guard close(descriptor) == 0 else { throw SnapshotWriteError(path: path, reason: SystemCall.message(errno)) }
    }

    /// Writes the graph as a V8 heap snapshot to an open descriptor, from where it stands
    /// (a file, a pipe, a device); `name` names it in errors.
    ///
    /// The file is what Node 20 writes: `snapshot.meta` with the seven `node_fields`, the
    /// flat `nodes` and `edges` arrays (`to_node` an offset into `nodes`), empty trace and
    /// location arrays, and `strings` last. A graph read from V8 (runtime "V8", node 0
    /// synthetic) is written node for node with its ids. Any other graph gets V8's root
    /// structure in front of its nodes: node 0, the synthetic root, has a `shortcut` edge to
    /// every root (named by the root), which makes them DevTools' user roots, and an
    /// `element` edge to `(GC roots)`, under which one synthetic node per root category
    /// (`(module globals)`…) has an `internal` edge, named by the root, to each of its roots.
    /// Ids are then odd and stable: the graph's ids (addresses) divided by their common
    /// alignment, kept within 32 bits; the ordinals where that would not keep them distinct.
    public func writeV8Snapshot(toDescriptor descriptor: Int32, name: String = "the V8 snapshot") throws(SnapshotWriteError) {
        let plan = V8ExportPlan(graph: self)
        let totalNodes = plan.scaffold.count + nodeCount
        // DevTools keeps `to_node` (an ordinal times 7) and every other number in 32 bits.
        guard totalNodes * V8Vocabulary.nodeFields.count <= Int(UInt32.max) else {
            throw SnapshotWriteError(path: name, reason: "\(nodeCount) nodes is more than a V8 snapshot holds (to_node offsets are 32-bit)")
        }
        var output = V8TextOutput(descriptor: descriptor)
        var strings = V8ExportStrings(graphStrings: strings.count)
        _ = strings.extra("<dummy>")   // strings[0], as V8 writes it
        let ids = plan.ids(for: self)
        let fields = UInt64(V8Vocabulary.nodeFields.count)

        output.raw("{\"snapshot\":{\"meta\":{\"node_fields\":")
        output.raw(Self.jsonList(V8Vocabulary.nodeFields))
        output.raw(",\"node_types\":[" + Self.jsonList(V8Vocabulary.nodeTypes) + ",\"string\",\"number\",\"number\",\"number\",\"number\",\"number\"]")
        output.raw(",\"edge_fields\":" + Self.jsonList(V8Vocabulary.edgeFields))
        output.raw(",\"edge_types\":[" + Self.jsonList(V8Vocabulary.edgeTypes) + ",\"string_or_number\",\"node\"]")
        output.raw(",\"trace_function_info_fields\":[\"function_id\",\"name\",\"script_name\",\"script_id\",\"line\",\"column\"]")
        output.raw(",\"trace_node_fields\":[\"id\",\"function_info_index\",\"count\",\"size\",\"children\"]")
        output.raw(",\"sample_fields\":[\"timestamp_us\",\"last_assigned_id\"]")
        output.raw(",\"location_fields\":[\"object_index\",\"script_id\",\"line\",\"column\"]}")
        output.raw(",\"node_count\":\(totalNodes),\"edge_count\":\(plan.scaffoldEdgeCount + edgeCount),\"trace_function_count\":0},\n")

        // Nodes: type, name, id, self_size, edge_count, trace_node_id (0), detachedness (0).
        output.raw("\"nodes\":[")
        var first = true
        func row(_ output: inout V8TextOutput, _ values: (UInt64, UInt64, UInt64, UInt64, UInt64)) {
            output.reserve(5 * 21 + 8)
            if !first { output.byte(UInt8(ascii: ",")) }
            first = false
            output.reservedNumber(values.0); output.byte(UInt8(ascii: ","))
            output.reservedNumber(values.1); output.byte(UInt8(ascii: ","))
            output.reservedNumber(values.2); output.byte(UInt8(ascii: ","))
            output.reservedNumber(values.3); output.byte(UInt8(ascii: ","))
            output.reservedNumber(values.4); output.raw(",0,0\n")
        }
        for node in plan.scaffold {
            row(&output, (UInt64(V8Vocabulary.syntheticNode), UInt64(strings.extra(node.name)), node.id, 0, UInt64(node.edges.count)))
        }
        var typeOfClassName = [UInt8](repeating: .max, count: self.strings.count)   // .max: not known yet
        var classNameChecked = [Bool](repeating: false, count: self.strings.count)
        for node in 0..<nodeCount {
            let typeIndex = Int(typeIndices[node])
            if !classNameChecked[typeIndex] {
                classNameChecked[typeIndex] = true
                typeOfClassName[typeIndex] = V8Vocabulary.nodeType(ofClassName: self.strings[typeIndex]) ?? .max
            }
            let type: UInt8
            let nameIndex: UInt32
            if typeOfClassName[typeIndex] != .max {
                // A graph read from V8: its type back, and its V8 name (kept as the value label).
                type = typeOfClassName[typeIndex]
                nameIndex = valueLabels[node] == SnapshotFormat.noString ? strings.extra("") : strings.graph(valueLabels[node])
            } else {
                let kind = NodeKind(rawValue: nodeKinds[node]) ?? .object
                type = V8Vocabulary.nodeType(of: kind)
                if type == V8Vocabulary.objectNode || type == V8Vocabulary.nativeNode || valueLabels[node] == SnapshotFormat.noString {
                    nameIndex = strings.graph(typeIndices[node])
                } else {
                    nameIndex = strings.graph(valueLabels[node])
                }
            }
            row(&output, (UInt64(type), UInt64(nameIndex), UInt64(ids[node]), UInt64(shallowSizes[node]),
                          UInt64(edgeStart[node + 1] - edgeStart[node])))
        }
        output.raw("],\n\"edges\":[")

        // Edges: type, name_or_index, to_node.
        first = true
        func edge(_ output: inout V8TextOutput, _ type: UInt8, _ nameOrIndex: UInt32, _ target: Int) {
            output.reserve(3 * 21 + 4)
            if !first { output.byte(UInt8(ascii: ",")) }
            first = false
            output.reservedNumber(UInt64(type)); output.byte(UInt8(ascii: ","))
            output.reservedNumber(UInt64(nameOrIndex)); output.byte(UInt8(ascii: ","))
            output.reservedNumber(UInt64(target) * fields); output.byte(UInt8(ascii: "\n"))
        }
        for node in plan.scaffold {
            for scaffoldEdge in node.edges {
                let nameOrIndex = scaffoldEdge.name.map { strings.extra($0) } ?? scaffoldEdge.index
                edge(&output, scaffoldEdge.type, nameOrIndex, scaffoldEdge.target)
            }
        }
        let offset = plan.scaffold.count
        for node in 0..<nodeCount {
            let start = Int(edgeStart[node])
            for index in start..<Int(edgeStart[node + 1]) {
                let label = PackedEdgeLabel(code: edgeCodes[index], payload: edgeValues[index])
                let (type, nameOrIndex) = v8Edge(label, position: index - start, strings: &strings)
                edge(&output, type, nameOrIndex, Int(edgeTargets[index]) + offset)
            }
        }
        output.raw("],\n\"trace_function_infos\":[],\n\"trace_tree\":[],\n\"samples\":[],\n\"locations\":[],\n\"strings\":[")
        var separator = false
        strings.forEachInOrder { graphIndex, extra in
            if separator { output.raw(",\n") }
            separator = true
            output.jsonString(graphIndex.map { self.strings[$0] } ?? extra ?? "")
        }
        output.raw("]}\n")
        if let failure = output.finish() { throw SnapshotWriteError(path: name, reason: SystemCall.message(failure)) }
    }

    /// An edge's V8 type and `name_or_index` (docs/v8.md): weak references are `weak`,
    /// indexes `element`, keys and attributes `property`, closure variables `context`,
    /// internal names `internal`; hidden and shortcut edges stay what they are. A set
    /// member (no label) is an `element` numbered by its place among the node's edges; a
    /// dict's edge to a key is `internal`, named `(key)`.
    private func v8Edge(_ label: PackedEdgeLabel, position: Int, strings: inout V8ExportStrings) -> (UInt8, UInt32) {
        let name: UInt32
        switch label.kind {
        case .index, .hidden, .none:
            let index = label.kind == .none ? UInt32(clamping: position) : label.payload
            if !label.isWeak { return (label.kind == .hidden ? V8Vocabulary.hiddenEdge : V8Vocabulary.elementEdge, index) }
            name = strings.extra(String(index))
        case .dictKey:
            name = strings.extra("(key)")
        case .key:
            if label.nameIsText {
                name = strings.graph(label.payload)
            } else {
                let key = Int(label.payload)
                name = strings.graph(valueLabels[key] == SnapshotFormat.noString ? typeIndices[key] : valueLabels[key])
            }
        case .attribute:
            if label.nameIsText {
                name = strings.graph(label.payload)
            } else {
                let edge = Edge(source: 0, target: 0, code: label.code, payload: label.payload)
                name = strings.extra(labelText(edge))
            }
        case .named, .closureVariable, .shortcut:
            name = strings.graph(label.payload)
        }
        if label.isWeak { return (V8Vocabulary.weakEdge, name) }
        switch label.kind {
        case .key, .attribute: return (V8Vocabulary.propertyEdge, name)
        case .closureVariable: return (V8Vocabulary.contextEdge, name)
        case .shortcut: return (V8Vocabulary.shortcutEdge, name)
        default: return (V8Vocabulary.internalEdge, name)
        }
    }

    static func jsonList(_ names: [String]) -> String {
        "[" + names.map { "\"\($0)\"" }.joined(separator: ",") + "]"
    }
}

/// The strings an exported snapshot refers to, numbered in order of first use: the graph's
/// own (by their index in its table, 4 bytes each) and texts the exporter makes (root and
/// category names, attribute names without quotes), each once.
struct V8ExportStrings {
    private var graphIndex: [UInt32]
    private var extraIndex: [String: UInt32] = [:]
    private var extras: [String] = []
    /// In output order: a graph string's index, or -1 - the extra's position.
    private var order: [Int] = []

    init(graphStrings: Int) {
        graphIndex = [UInt32](repeating: .max, count: graphStrings)
    }

    mutating func graph(_ index: UInt32) -> UInt32 {
        let known = graphIndex[Int(index)]
        if known != .max { return known }
        let new = UInt32(order.count)
        graphIndex[Int(index)] = new
        order.append(Int(index))
        return new
    }

    mutating func extra(_ text: String) -> UInt32 {
        if let known = extraIndex[text] { return known }
        let new = UInt32(order.count)
        extraIndex[text] = new
        order.append(-1 - extras.count)
        extras.append(text)
        return new
    }

    /// Calls `body` with each string in output order: a graph index, or an extra text.
    func forEachInOrder(_ body: (Int?, String?) -> Void) {
        for entry in order {
            if entry >= 0 { body(entry, nil) } else { body(nil, extras[-1 - entry]) }
        }
    }
}

/// What the exporter adds in front of a graph's nodes, and the ids it writes.
struct V8ExportPlan {
    struct ScaffoldEdge {
        var type: UInt8
        /// A string-named edge's name; nil for an element edge, numbered by `index`.
        var name: String?
        var index: UInt32
        var target: Int
    }
    struct ScaffoldNode {
        var name: String
        var id: UInt64
        var edges: [ScaffoldEdge] = []
    }

    /// Synthetic nodes written before the graph's (which then start at `scaffold.count`).
    var scaffold: [ScaffoldNode] = []
    var keepsLayout: Bool

    var scaffoldEdgeCount: Int { scaffold.reduce(0) { $0 + $1.edges.count } }

    /// The first odd id the graph's nodes may take: 1, 3, … 15 are the root's, `(GC roots)`'s
    /// and the categories'.
    static let reservedIDs: UInt64 = 8

    init(graph: HeapSnapshot) {
        keepsLayout = graph.metadata.runtime == "V8" && graph.nodeCount > 0 && graph.kind(of: 0) == .synthetic
        guard !keepsLayout else { return }
        // The roots: the named ones, and nodes held from outside the heap without a name.
        var roots = graph.roots
        for node in 0..<graph.nodeCount where graph.namedRoot(of: node) == nil && graph.isRoot(node) {
            roots.append(HeapSnapshot.Root(node: node, name: "(held by the host program)", category: .handle))
        }
        let categories = RootCategory.allCases.filter { category in roots.contains { $0.category == category } }
        let offset = 2 + categories.count
        var root = ScaffoldNode(name: "", id: 1)
        var gcRoots = ScaffoldNode(name: "(GC roots)", id: 3)
        root.edges.append(ScaffoldEdge(type: V8Vocabulary.elementEdge, name: nil, index: 1, target: 1))
        for held in roots {
            root.edges.append(ScaffoldEdge(type: V8Vocabulary.shortcutEdge, name: held.name, index: 0, target: held.node + offset))
        }
        var subroots: [ScaffoldNode] = []
        for (position, category) in categories.enumerated() {
            gcRoots.edges.append(ScaffoldEdge(type: V8Vocabulary.elementEdge, name: nil, index: UInt32(position + 1), target: 2 + position))
            var subroot = ScaffoldNode(name: category.v8SubrootName, id: 5 + 2 * UInt64(position))
            for held in roots where held.category == category {
                subroot.edges.append(ScaffoldEdge(type: V8Vocabulary.internalEdge, name: held.name, index: 0, target: held.node + offset))
            }
            subroots.append(subroot)
        }
        scaffold = [root, gcRoots] + subroots
    }

    /// The id written for each of the graph's nodes (below 2³², as DevTools keeps them).
    ///
    /// A graph read from V8 keeps V8's ids when they are distinct. Otherwise ids are odd, as
    /// V8 gives JavaScript objects, and stable across snapshots of one heap, so DevTools'
    /// Comparison view can match objects: the graph's id shifted right by the alignment all
    /// ids share, reduced modulo 2³¹ − 8, plus 8, times 2, plus 1. Addresses within a span
    /// of 32 GiB (at 16-byte alignment) stay distinct; if some do not, ids are numbered from
    /// the ordinals instead.
    /// - Complexity: O(n log n) for the check that they are distinct, 4 bytes per node.
    func ids(for graph: HeapSnapshot) -> [UInt32] {
        let count = graph.nodeCount
        if keepsLayout, (0..<count).allSatisfy({ graph.id(of: $0) <= UInt64(UInt32.max) }) {
            let kept = (0..<count).map { UInt32(graph.id(of: $0)) }
            if Self.allDistinct(kept) { return kept }
        }
        var shift = 64
        for node in 0..<count { shift = min(shift, graph.id(of: node).trailingZeroBitCount) }
        shift = min(shift, 63)
        let modulus: UInt64 = (1 << 31) - Self.reservedIDs
        let derived = (0..<count).map { UInt32(((graph.id(of: $0) >> UInt64(shift)) % modulus + Self.reservedIDs) * 2 + 1) }
        if Self.allDistinct(derived) { return derived }
        return (0..<count).map { UInt32(truncatingIfNeeded: (UInt64($0) + Self.reservedIDs) * 2 + 1) }
    }

    static func allDistinct(_ ids: [UInt32]) -> Bool {
        let sorted = ids.sorted()
        for index in sorted.indices.dropFirst() where sorted[index] == sorted[index - 1] { return false }
        return true
    }
}
