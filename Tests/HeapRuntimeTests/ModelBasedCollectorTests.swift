import Testing
@testable import HeapRuntime

/// Random programs of create / link / unlink / drop / collect steps, checked after every
/// full collection against a plain Swift model of the object graph: exactly the objects
/// reachable from externally held ones survive, their counts are what the model says, and
/// the allocator holds nothing more once everything is dropped.
@Suite("Collector: model-based random programs")
struct ModelBasedCollectorTests {
    struct Node {
        var object: ObjectRef
        var isList: Bool
        var edges: [Int]            // list items in order, or attribute slots (-1 = unset)
        var external = 1
    }

    struct Program {
        var rng: SplitMix64
        let heap = Heap()
        var nodes: [Int: Node] = [:]
        var nextID = 0
        let cls: ObjectRef
        var collections = 0

        init(seed: UInt64) throws {
            rng = SplitMix64(state: seed)
            cls = try heap.makeClass("N").unmanaged()
            heap.gc.thresholds = (Int(rng.next() % 40) + 5, 3, 3)   // automatic collections too
        }

        func reachable() -> Set<Int> {
            var seen = Set(nodes.filter { $0.value.external > 0 }.map(\.key))
            var work = Array(seen)
            while let id = work.popLast() {
                for target in nodes[id]?.edges ?? [] where target >= 0 && !seen.contains(target) {
                    seen.insert(target)
                    work.append(target)
                }
            }
            return seen
        }

        mutating func pick(_ from: Set<Int>) -> Int? {
            guard !from.isEmpty else { return nil }
            let sorted = from.sorted()
            return sorted[Int(rng.next() % UInt64(sorted.count))]
        }

        mutating func step() throws {
            let live = reachable()
            switch rng.next() % 100 {
            case 0..<25:  // create
                let isList = rng.next() % 2 == 0
                let owned = isList ? heap.list() : try heap.instance(of: cls)
                nodes[nextID] = Node(object: owned.unmanaged(), isList: isList, edges: isList ? [] : [-1, -1, -1])
                nextID += 1
            case 25..<55:  // link
                guard let source = pick(live), let target = pick(live), var node = nodes[source] else { return }
                let targetObject = try #require(nodes[target]).object
                if node.isList {
                    try heap.append(targetObject, to: node.object)
                    node.edges.append(target)
                } else {
                    let slot = Int(rng.next() % 3)
                    try heap.setAttribute("a\(slot)", to: targetObject, on: node.object)
                    node.edges[slot] = target
                }
                nodes[source] = node
            case 55..<75:  // unlink
                guard let source = pick(live), var node = nodes[source] else { return }
                if node.isList {
                    guard !node.edges.isEmpty else { return }
                    let index = Int(rng.next() % UInt64(node.edges.count))
                    node.edges.remove(at: index)
                    nodes[source] = node                     // the model first: the pop may free
                    try heap.remove(at: index, from: node.object)
                } else {
                    let slot = Int(rng.next() % 3)
                    guard node.edges[slot] >= 0 else { return }
                    node.edges[slot] = -1
                    nodes[source] = node
                    try heap.deleteAttribute("a\(slot)", of: node.object)
                }
            case 75..<82:  // take another external reference
                guard let id = pick(live), var node = nodes[id] else { return }
                _ = heap.retain(node.object).unmanaged()
                node.external += 1
                nodes[id] = node
            case 82..<95:  // drop an external reference
                guard let id = pick(Set(nodes.filter { $0.value.external > 0 }.map(\.key))), var node = nodes[id] else { return }
                node.external -= 1
                nodes[id] = node
                heap.release(node.object)
            default:
                try collectAndCheck()
            }
        }

        mutating func collectAndCheck() throws {
            heap.gc.collect()
            collections += 1
            let live = reachable()
            // Live instances also keep their interned attribute names ("a0"…"a2") alive, and
            // so does the class, for the names it shares with its instances.
            var names = Set(sharedSlots())
            for id in live { for (slot, target) in (nodes[id]?.edges ?? []).enumerated() where nodes[id]?.isList == false && target >= 0 { names.insert(slot) } }
            #expect(heap.objectCount == baselineCount + live.count + names.count, "after \(collections) collections")
            // Counts: external references plus references from the live graph.
            var expected: [Int: Int] = [:]
            for id in live {
                expected[id, default: 0] += nodes[id]?.external ?? 0
                for target in nodes[id]?.edges ?? [] where target >= 0 { expected[target, default: 0] += 1 }
            }
            for id in live {
                let node = try #require(nodes[id])
                #expect(heap.refcount(of: node.object) == expected[id], "node \(id)")
            }
            // The rest is gone; forget it.
            nodes = nodes.filter { live.contains($0.key) }
        }

        /// The slots ("a0" is 0) whose names the class shares with its instances.
        func sharedSlots() -> [Int] {
            heap.sharedAttributeNames(of: cls).compactMap { heap.stringValue(of: $0).flatMap { Int($0.dropFirst()) } }
        }

        var baselineCount = 0
    }

    @Test(arguments: 0..<8)
    func randomPrograms(batch: Int) throws {
        for seed in 0..<500 {
            var program = try Program(seed: UInt64(batch * 1_000 + seed))
            program.baselineCount = program.heap.objectCount
            let baselineBlocks = program.heap.allocatorStats().blocksInUse
            for _ in 0..<60 { try program.step() }
            try program.collectAndCheck()
            // Drop every external reference: after a collection nothing of the program is left.
            for (_, node) in program.nodes { for _ in 0..<node.external { program.heap.release(node.object) } }
            program.nodes.removeAll()
            program.heap.gc.collect()
            // What stays is the class's shared names: their strs and the buffer holding them.
            let shared = program.sharedSlots().count
            #expect(program.heap.objectCount == program.baselineCount + shared, "seed \(seed)")
            #expect(program.heap.allocatorStats().blocksInUse == baselineBlocks + shared + (shared > 0 ? 1 : 0), "seed \(seed)")
            #expect(program.heap.core.pointee.allocator.invariantViolation() == nil)
        }
    }
}
