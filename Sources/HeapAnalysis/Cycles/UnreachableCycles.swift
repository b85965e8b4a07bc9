import HeapGraphModel

/// The leaks among the objects the host no longer holds: uncollectable cycles (kept in
/// `gc.garbage`) and cyclic garbage (unreachable cycles the collector has not freed).
///
/// Definitions (docs/leak-report.md):
/// - *Held* nodes: those a root reaches over strong edges without passing through a node in
///   `gc.garbage`. Everything else is the *unreachable* set: what `gc.garbage` keeps and
///   what only cycles keep.
/// - A *candidate* is a strongly connected component of the unreachable set that holds a
///   cycle, or a lone node in `gc.garbage`.
/// - One *leak* is a candidate that no other candidate reaches (a source of the
///   condensation): a ring hanging off another ring is part of that ring's leak, not a leak
///   of its own.
/// - A leak *retains* the unreachable components it reaches that no other leak reaches.
/// - A leak is *uncollectable* when it contains or is reached from a node in `gc.garbage`,
///   and *cyclic garbage* otherwise.
struct UnreachableCycles {
    struct Leak {
        /// Members of the leak's own component, ascending ordinals.
        var members: [Int]
        var uncollectable: Bool
        /// Shallow size of the members.
        var bytes: Int
        /// Shallow size of everything the leak retains, the members included.
        var retainedBytes: Int
        /// The component's number in ``StronglyConnectedComponents``.
        var component: Int
    }

    var leaks: [Leak] = []
    /// Leak owning each unreachable node's component: `-1` none (held, or reached by no
    /// leak), `-2` shared by several leaks, else an index into ``leaks``.
    private(set) var owner: [Int32]
    let components: StronglyConnectedComponents

    /// - Complexity: O(nodes + strong edges).
    init(graph: HeapSnapshot, strong: StrongEdges) {
        let count = graph.nodeCount
        let inGarbage = (0..<count).map { graph.flags(of: $0).contains(.inGarbage) }

        // Held nodes: breadth-first from the roots, never entering gc.garbage.
        var held = [Bool](repeating: false, count: count)
        var queue: [Int32] = []
        for node in 0..<count where graph.isRoot(node) && !inGarbage[node] {
            held[node] = true
            queue.append(Int32(node))
        }
        var head = 0
        while head < queue.count {
            let node = Int(queue[head])
            head += 1
            for index in Int(strong.start[node])..<Int(strong.start[node + 1]) {
                let target = Int(strong.targets[index])
                if !held[target] && !inGarbage[target] {
                    held[target] = true
                    queue.append(Int32(target))
                }
            }
        }
        queue = []
        let unreachable = held.map { !$0 }
        let components = StronglyConnectedComponents(strong: strong, inSubset: unreachable)
        self.components = components

        // Sources first: Tarjan numbers components so that edges go from higher numbers to
        // lower ones. Each component passes on to those it reaches whether a candidate
        // reached it (covered), whether gc.garbage did, and which leak did.
        let componentCount = components.count
        var covered = [Bool](repeating: false, count: componentCount)
        var reachedFromGarbage = [Bool](repeating: false, count: componentCount)
        var componentOwner = [Int32](repeating: -1, count: componentCount)
        var leaks: [Leak] = []
        for component in stride(from: componentCount - 1, through: 0, by: -1) {
            let members = components.members(of: component)
            if members.contains(where: { inGarbage[Int($0)] }) { reachedFromGarbage[component] = true }
            let isCandidate = components.isCyclic(component, strong: strong)
                || (members.count == 1 && members.contains { inGarbage[Int($0)] })
            if isCandidate && !covered[component] {
                componentOwner[component] = Int32(leaks.count)
                let nodes = members.map { Int($0) }.sorted()
                let bytes = nodes.reduce(0) { $0 + graph.shallowSize(of: $1) }
                leaks.append(Leak(members: nodes, uncollectable: reachedFromGarbage[component],
                                  bytes: bytes, retainedBytes: 0, component: component))
            }
            let passesCover = isCandidate || covered[component]
            let passedOwner = componentOwner[component]
            for member in members {
                let node = Int(member)
                for index in Int(strong.start[node])..<Int(strong.start[node + 1]) {
                    let next = Int(components.component[Int(strong.targets[index])])
                    guard next >= 0, next != component else { continue }
                    if passesCover { covered[next] = true }
                    if reachedFromGarbage[component] { reachedFromGarbage[next] = true }
                    let current = componentOwner[next]
                    if current == -1 { componentOwner[next] = passedOwner }
                    else if current != passedOwner && passedOwner != -1 { componentOwner[next] = -2 }
                }
            }
        }
        var owner = [Int32](repeating: -1, count: count)
        for node in 0..<count {
            let component = Int(components.component[node])
            guard component >= 0 else { continue }
            let leak = componentOwner[component]
            owner[node] = leak
            if leak >= 0 { leaks[Int(leak)].retainedBytes += graph.shallowSize(of: node) }
        }
        self.leaks = leaks
        self.owner = owner
    }

    /// The leak that retains `node`, if exactly one does.
    func leak(retaining node: Int) -> Int? {
        owner[node] >= 0 ? Int(owner[node]) : nil
    }

    /// Whether `node` is outside what the host holds (see the type's definitions).
    func isUnreachable(_ node: Int) -> Bool { components.component[node] >= 0 }
}
