/// Strongly connected components of the strong edges among a subset of nodes, by Tarjan's
/// algorithm run on an explicit stack (a heap's graph can be millions of nodes deep).
///
/// Components come out in Tarjan's order: a component is complete only after every
/// component it reaches, so the numbering is a reverse topological order of the
/// condensation (an edge between components goes from a higher number to a lower one).
/// Walk the numbers downwards to go from sources to sinks.
struct StronglyConnectedComponents {
    /// Component of each node, `-1` for nodes outside the subset.
    let component: [Int32]
    /// Members of component `c`: `members[memberStart[c] ..< memberStart[c + 1]]`.
    let memberStart: [Int32]
    let members: [Int32]

    var count: Int { memberStart.count - 1 }

    func members(of component: Int) -> ArraySlice<Int32> {
        members[Int(memberStart[component])..<Int(memberStart[component + 1])]
    }

    /// - Parameter inSubset: which nodes take part; edges leaving the subset are ignored.
    /// - Complexity: O(nodes + strong edges among the subset), 12 bytes per node.
    init(strong: StrongEdges, inSubset: [Bool]) {
        let nodeCount = strong.nodeCount
        var component = [Int32](repeating: -1, count: nodeCount)
        var index = [Int32](repeating: -1, count: nodeCount)
        var lowLink = [Int32](repeating: 0, count: nodeCount)
        var memberStart: [Int32] = [0]
        var members: [Int32] = []
        var tarjanStack: [Int32] = []          // visited nodes not yet in a component
        var callStack: [(node: Int32, cursor: UInt32)] = []
        var counter: Int32 = 0
        var componentCount: Int32 = 0

        for start in 0..<nodeCount where inSubset[start] && index[start] < 0 {
            index[start] = counter; lowLink[start] = counter; counter += 1
            tarjanStack.append(Int32(start))
            callStack.append((Int32(start), strong.start[start]))
            while let top = callStack.last {
                let node = Int(top.node)
                if top.cursor < strong.start[node + 1] {
                    callStack[callStack.count - 1].cursor += 1
                    let target = Int(strong.targets[Int(top.cursor)])
                    guard inSubset[target] else { continue }
                    if index[target] < 0 {
                        // Descend: what a recursive Tarjan does with a call.
                        index[target] = counter; lowLink[target] = counter; counter += 1
                        tarjanStack.append(Int32(target))
                        callStack.append((Int32(target), strong.start[target]))
                    } else if component[target] < 0 {
                        // On the stack: a back or cross edge within the current search.
                        lowLink[node] = min(lowLink[node], index[target])
                    }
                    continue
                }
                // All edges done: return to the caller.
                callStack.removeLast()
                if lowLink[node] == index[node] {
                    while let member = tarjanStack.popLast() {
                        component[Int(member)] = componentCount
                        members.append(member)
                        if Int(member) == node { break }
                    }
                    memberStart.append(Int32(members.count))
                    componentCount += 1
                }
                if let caller = callStack.last {
                    lowLink[Int(caller.node)] = min(lowLink[Int(caller.node)], lowLink[node])
                }
            }
        }
        self.component = component
        self.memberStart = memberStart
        self.members = members
    }

    /// Whether the component holds a cycle: two or more members, or one with an edge to
    /// itself.
    func isCyclic(_ component: Int, strong: StrongEdges) -> Bool {
        let range = members(of: component)
        if range.count > 1 { return true }
        guard let only = range.first else { return false }
        return strong.hasSelfLoop(Int(only))
    }
}
