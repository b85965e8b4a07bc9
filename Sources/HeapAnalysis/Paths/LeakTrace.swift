import HeapGraphModel

/// A path from a root to an object, in the words LeakCanary prints it: each object on the
/// way and the reference followed from it to the next.
///
/// ```
/// ┬───
/// │ Root: held by the host program (1 reference)
/// │
/// ├─ list instance @12
/// │    ↓ list[0]
/// ╰→ Session instance @15
/// ```
public struct LeakTrace: Sendable, Hashable {
    /// One object on the path.
    public struct Step: Sendable, Hashable {
        /// The node's ordinal in the graph.
        public var node: Int
        /// The node's id in the snapshot (printed `@12345`).
        public var id: UInt64
        /// Its type name (a class name for instances).
        public var typeName: String
        /// objgraph's short label of the node (`3 items`, `'text'`, `<Node object at 0x…>`).
        public var label: String
        /// The label of the edge followed to the next step (`next`, `[0]`, `['key']`), or
        /// nil on the last step.
        public var reference: String?
    }

    public var steps: [Step]
    /// References the host program holds on the first step (its external count).
    public var rootReferences: Int
    /// What the root is, when the snapshot says: its root record's name ("app.REGISTRY",
    /// "gc.garbage" for the collector's list of uncollectable objects).
    public var rootName: String?
    /// The category of the first step's root record, when it has one.
    public var rootCategory: RootCategory?
    /// The suspect reference, when a report has marked one (``LeakTrace/markSuspect(graph:growingTypes:)``).
    public var suspect: LeakTraceSuspect?

    /// The trace of `path` (root first, as ``RootPaths/path(to:)`` gives it). Consecutive
    /// nodes must be joined by a strong edge; the first such edge names the reference.
    /// - Complexity: O(sum of the out-degrees of the path's nodes).
    public init(graph: HeapSnapshot, path: [Int]) {
        let edges = zip(path, path.dropFirst()).map { node, next in
            graph.strongEdge(from: node, to: next) ?? graph.edge(from: node, to: next)
        }
        self.init(graph: graph, path: path, edges: edges)
    }

    /// The trace of `path` when the edge between each two consecutive nodes is known
    /// (``RootPaths/trace(to:in:)``): nothing is searched.
    init(graph: HeapSnapshot, path: [Int], edges: [HeapSnapshot.Edge?]) {
        var steps: [Step] = []
        steps.reserveCapacity(path.count)
        for (position, node) in path.enumerated() {
            var reference: String?
            if position + 1 < path.count {
                reference = (position < edges.count ? edges[position] : nil).map(graph.labelText) ?? "?"
            }
            steps.append(Step(node: node, id: graph.id(of: node), typeName: graph.typeName(of: node),
                              label: graph.shortLabel(of: node), reference: reference))
        }
        self.steps = steps
        self.rootReferences = path.first.map(graph.externalCount(of:)) ?? 0
        if let first = path.first, let root = graph.namedRoot(of: first) {
            rootName = root.name
            rootCategory = root.category
        } else if let first = path.first, let garbage = graph.metadata.garbageListID, graph.id(of: first) == garbage {
            // A version 1 file names gc.garbage only in its metadata.
            rootName = "gc.garbage"
            rootCategory = .garbage
        }
    }

    /// How many steps a report shows at each end of a long trace.
    public static let stepsKeptAtEachEnd = 20

    /// What a report shows of a trace: all of its steps, or for a trace longer than
    /// 2 × `keepingAtEachEnd` + 1 steps the first and the last `keepingAtEachEnd` and how
    /// many were left out between them, as LeakCanary shortens long traces. The trace
    /// itself (and its fingerprint) keeps every step; only what is printed is bounded, so
    /// a chain two million objects long prints 40 steps, not 140 MB.
    public struct Shortened: Sendable, Hashable {
        /// The first steps, from the root.
        public var head: ArraySlice<Step>
        /// How many steps were left out after ``head``.
        public var omitted: Int
        /// The last steps, ending with the retained object; empty when nothing was left out.
        public var tail: ArraySlice<Step>
    }

    /// The trace shortened for a report (see ``Shortened``).
    /// - Complexity: O(1).
    public func shortened(keepingAtEachEnd ends: Int = LeakTrace.stepsKeptAtEachEnd) -> Shortened {
        let ends = max(ends, 1)
        guard steps.count > 2 * ends + 1 else { return Shortened(head: steps[...], omitted: 0, tail: []) }
        return Shortened(head: steps.prefix(ends), omitted: steps.count - 2 * ends, tail: steps.suffix(ends))
    }

    /// Types and references along the trace, indexes written `[x]`: what makes two traces
    /// the same leak.
    var signature: String {
        steps.map { step in
            let reference = step.reference.map { $0.hasPrefix("[") && $0.dropFirst().first?.isNumber == true ? "[x]" : $0 } ?? ""
            return step.typeName + "\u{1F}" + reference
        }.joined(separator: "\u{1E}")
    }
}
