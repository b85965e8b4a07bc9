import HeapGraphModel

/// What DevTools' rules (``RetentionRules/devTools``) need to know about a V8 graph, beyond
/// its edges: which node is the root, which of its children are user roots, which nodes
/// are V8 `hidden` or `array` nodes, and the WeakMap edge names.
struct DevToolsHeap {
    let graph: HeapSnapshot
    /// The synthetic root: node 0, as V8 writes it.
    let root = 0
    /// Type-name string indices of V8's `hidden` nodes (DevTools' class `(system)`).
    private let hiddenTypeIndices: Set<Int>
    /// String indices of the names DevTools' distance filter looks for.
    private let nativeContextNames: Set<Int>, mapDescriptorsNames: Set<Int>
    /// Per string index: 0 not parsed yet, 1 not a WeakMap edge name, n ≥ 2 the name parsed
    /// as `weakMapNames[n - 2]`. No hashing per edge.
    private var weakMapNameSlots: [UInt32]
    private var weakMapNames: [(name: WeakMapEdgeName, pair: Int32)] = []
    /// Each distinct shared part, numbered (once per name, not per edge).
    private var pairNumbers: [Substring: Int32] = [:]

    init(graph: HeapSnapshot) {
        self.graph = graph
        var hidden = Set<Int>(), nativeContext = Set<Int>(), mapDescriptors = Set<Int>()
        for (index, string) in graph.strings.enumerated() {
            switch string {
            case "(system)": hidden.insert(index)
            case "system / NativeContext": nativeContext.insert(index)
            case "(map descriptors)": mapDescriptors.insert(index)
            default: break
            }
        }
        hiddenTypeIndices = hidden
        nativeContextNames = nativeContext
        mapDescriptorsNames = mapDescriptors
        weakMapNameSlots = [UInt32](repeating: 0, count: graph.strings.count)
    }

    /// A `hidden` node named `system / NativeContext` (its `sloppy_function_map` edge is
    /// left out of distances).
    func isNativeContext(_ node: Int) -> Bool {
        guard let name = graph.valueLabelIndex(of: node) else { return false }
        return nativeContextNames.contains(name) && isHidden(node)
    }

    /// An `array` node named `(map descriptors)` (V8's descriptor arrays, which maps share:
    /// DevTools leaves their descriptor edges out of distances, crbug.com/413608).
    func isMapDescriptors(_ node: Int) -> Bool {
        guard isArray(node), let name = graph.valueLabelIndex(of: node) else { return false }
        return mapDescriptorsNames.contains(name)
    }

    /// DevTools' `isUserRoot` (for the root's children): anything but a synthetic node, or
    /// the `(Document DOM trees)` synthetic node.
    func isUserRoot(_ node: Int) -> Bool {
        graph.kind(of: node) != .synthetic || graph.valueLabel(of: node) == "(Document DOM trees)"
    }

    /// Whether the root has a user root among its children (a snapshot taken without
    /// "expose internals" always has: the global object).
    var hasUserRoots: Bool {
        graph.nodeCount > 0 && graph.edges(of: root).contains { isUserRoot($0.target) }
    }

    /// A node of V8's `hidden` type (the reader gives it the kind `.hidden` and the type
    /// name `(system)`; `object shape` nodes share the kind, not the name).
    func isHidden(_ node: Int) -> Bool {
        graph.kind(of: node) == .hidden && hiddenTypeIndices.contains(graph.typeIndex(of: node))
    }

    func isArray(_ node: Int) -> Bool { graph.kind(of: node) == .array }

    /// The node's name as V8 wrote it (an object's is its type name).
    func rawName(of node: Int) -> String { graph.valueLabel(of: node) ?? graph.typeName(of: node) }

    /// Whether the edge is one of V8's `internal` edges (the reader keeps them as plain named
    /// edges; weak edges are named too, with the weak bit).
    static func isInternal(_ edge: HeapSnapshot.Edge) -> Bool {
        edge.kind == .named && !edge.isWeak
    }

    /// The string index of the edge's name, when a string names it (not an index).
    func nameIndex(of edge: HeapSnapshot.Edge) -> Int? {
        let named: Bool = switch edge.kind {
        case .named, .shortcut, .closureVariable: true
        case .attribute, .key: edge.nameIsText
        default: false
        }
        return named && edge.value < graph.strings.count ? edge.value : nil
    }

    /// The WeakMap pair the edge is one half of, if its name says so.
    mutating func weakMapName(of edge: HeapSnapshot.Edge) -> WeakMapEdgeName? {
        weakMapSlot(of: edge).map { weakMapNames[$0].name }
    }

    /// A number for the WeakMap pair the edge is one half of (equal for the two edges of a
    /// pair: their names' shared parts are equal), or nil. Numbered on first use (only the
    /// distances need it), one dictionary look-up per distinct name.
    mutating func weakMapPair(of edge: HeapSnapshot.Edge) -> Int? {
        guard let slot = weakMapSlot(of: edge) else { return nil }
        if weakMapNames[slot].pair < 0 {
            let shared = weakMapNames[slot].name.sharedPart(of: graph.strings[edge.value])
            let next = Int32(pairNumbers.count)
            let pair = pairNumbers[shared, default: next]
            if pair == next { pairNumbers[shared] = next }
            weakMapNames[slot].pair = pair
        }
        return Int(weakMapNames[slot].pair)
    }

    /// How many pair numbers ``weakMapPair(of:)`` has handed out.
    var weakMapPairCount: Int { pairNumbers.count }

    private mutating func weakMapSlot(of edge: HeapSnapshot.Edge) -> Int? {
        guard Self.isInternal(edge), let name = nameIndex(of: edge) else { return nil }
        switch weakMapNameSlots[name] {
        case 0:
            guard let parsed = WeakMapEdgeName(graph.strings[name]) else {
                weakMapNameSlots[name] = 1
                return nil
            }
            weakMapNames.append((parsed, -1))
            weakMapNameSlots[name] = UInt32(weakMapNames.count + 1)
            return weakMapNames.count - 1
        case 1: return nil
        case let slot: return Int(slot) - 2
        }
    }

    /// DevTools' page-owned nodes: what the root's shortcut edges (the global objects) and
    /// its `(Document DOM trees)` child reach over non-weak edges.
    /// - Complexity: O(nodes + edges).
    func pageOwnedNodes() -> [Bool] {
        var owned = [Bool](repeating: false, count: graph.nodeCount)
        guard graph.nodeCount > 0 else { return owned }
        var stack: [Int32] = []
        for edge in graph.edges(of: root) {
            let isEntry = edge.kind == .shortcut
                || (edge.kind == .index && graph.kind(of: edge.target) == .synthetic
                    && graph.valueLabel(of: edge.target) == "(Document DOM trees)")
            guard isEntry, !edge.isWeak, !owned[edge.target] else { continue }
            owned[edge.target] = true
            stack.append(Int32(edge.target))
        }
        while let node = stack.popLast() {
            graph.forEachStrongTarget(of: Int(node)) { target in
                if !owned[target] {
                    owned[target] = true
                    stack.append(Int32(target))
                }
            }
        }
        return owned
    }
}

extension HeapSnapshot {
    /// Calls `body` with the target of each non-weak edge of `node`, in order.
    func forEachStrongTarget(of node: Int, _ body: (Int) -> Void) {
        let edges = edges(of: node)
        for index in edges.indices {
            let edge = edges[index]
            if !edge.isWeak { body(edge.target) }
        }
    }
}
