import HeapGraphModel

extension LeakTrace {
    /// At most this many nodes are visited looking for a way back from the target.
    static let cycleSearchLimit = 100_000

    /// Marks the suspect reference (``suspect``), in this order:
    /// 1. the last reference, when the target reaches the object it comes from over strong
    ///    references: it closes a cycle (`Listener.session` in Session ⇄ Listener);
    /// 2. the last reference whose target's type is in `growingTypes` (types that grew at
    ///    every snapshot): the collection or field that keeps gaining objects;
    /// 3. the last reference, into the leaking object.
    /// A trace of one step has no reference and gets no suspect.
    /// - Complexity: O(trace length), plus a breadth-first search from the target over at
    ///   most `cycleSearchLimit` nodes.
    public mutating func markSuspect(graph: HeapSnapshot, growingTypes: Set<String> = []) {
        markSuspect(graph: graph, strong: StrongEdges(graph: graph), growingTypes: growingTypes)
    }

    mutating func markSuspect(graph: HeapSnapshot, strong: StrongEdges, growingTypes: Set<String>) {
        guard steps.count >= 2 else { return }
        let last = steps.count - 2
        if Self.reaches(from: steps[last + 1].node, to: steps[last].node, strong: strong) {
            suspect = LeakTraceSuspect(step: last, reason: .closesCycle)
        } else if let grown = steps.indices.dropFirst().last(where: { growingTypes.contains(steps[$0].typeName) }) {
            suspect = LeakTraceSuspect(step: grown - 1, reason: .targetTypeGrows)
        } else {
            suspect = LeakTraceSuspect(step: last, reason: .holdsLeakingObject)
        }
    }

    /// Whether `start` reaches `goal` over strong edges, looking at a bounded number of nodes.
    static func reaches(from start: Int, to goal: Int, strong: StrongEdges) -> Bool {
        var seen: Set<Int> = [start]
        var queue = [start]
        var head = 0
        while head < queue.count, seen.count < cycleSearchLimit {
            let node = queue[head]
            head += 1
            for index in Int(strong.start[node])..<Int(strong.start[node + 1]) {
                let target = Int(strong.targets[index])
                if target == goal { return true }
                if seen.insert(target).inserted { queue.append(target) }
            }
        }
        return false
    }
}
