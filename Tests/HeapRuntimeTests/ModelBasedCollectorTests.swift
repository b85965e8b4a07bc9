import Foundation
import Testing
@testable import HeapRuntime

/// Random programs of create / link / unlink / drop / collect steps, checked after every
/// full collection against a plain Swift model of the object graph: exactly the objects
/// reachable from externally held ones survive, their counts are what the model says, weak
/// references to what died read as dead, and the allocator holds nothing more once
/// everything is dropped.
///
/// The programs also make code run inside deaths: instances of class F have a finalizer,
/// and weak references may have callbacks, which collect, allocate (garbage cycles too),
/// drop references the program handed them, read weak references, and (finalizers)
/// resurrect the dying object into a graveyard list. Chains deeper than
/// `HeapCore.deallocationNestingLimit` make deaths queue while that code runs.
///
/// `HEAPGRAPH_MODEL_PROGRAMS=N` runs N programs instead of the default count (the long
/// run in docs/performance.md).
@Suite("Collector: model-based random programs")
struct ModelBasedCollectorTests {
    static let defaultPrograms = 2_000
    static let programs: Int = {
        guard let raw = ProcessInfo.processInfo.environment["HEAPGRAPH_MODEL_PROGRAMS"], let n = Int(raw), n > 0 else {
            return defaultPrograms
        }
        return n
    }()
    static let batches = 8

    enum Kind { case list, plain, finalized }

    struct Node {
        var object: ObjectRef
        var kind: Kind
        var edges: [Int]            // list items in order, or attribute slots (-1 = unset)
        var external = 1            // references the program holds
        var held = 0                // references handed to the hooks, which finalizers drop
        var isList: Bool { kind == .list }
    }

    /// What finalizers and weak-reference callbacks do, and what they did that the model
    /// must learn (drops, resurrections).
    final class Hooks {
        var rng: SplitMix64
        let plain: ObjectRef
        var graveyard: ObjectRef?
        /// No drops and no garbage cycles: while a check collects, so that what the
        /// collection leaves is exactly what the model says.
        var quiet = false
        /// Nothing that outlives the call: while the program tears down.
        var final = false
        var nodeOfObject: [Int: Int] = [:]
        var held: [(object: ObjectRef, node: Int)] = []
        var weakReferences: [(weak: ObjectRef, node: Int, target: Int)] = []
        var drops: [Int] = []
        var resurrections: [Int] = []
        var resurrectedAny = false
        var reads = 0
        var deadReads = 0
        /// Actions run while deaths were queued for teardown.
        var actionsWhileQueued = 0

        init(seed: UInt64, plain: ObjectRef) {
            rng = SplitMix64(state: seed ^ 0x5DEE_CE66_D1CE_5EED)
            self.plain = plain
        }

        /// One or two actions; `dying` is the finalized object (nil in a callback).
        func act(_ heap: Heap, dying: ObjectRef?) {
            if heap.core.pointee.pendingDeallocation != nil { actionsWhileQueued += 1 }
            for _ in 0...Int(rng.next() % 2) {
                switch rng.next() % 12 {
                case 0, 1: heap.gc.collect()
                case 2, 3: allocate(heap)
                case 4, 5: dropHeld(heap)
                case 6: if let dying { resurrect(heap, dying) } else { readWeakReferences(heap) }
                default: readWeakReferences(heap)
                }
            }
        }

        func allocate(_ heap: Heap) {
            let list = heap.list()
            for _ in 0..<Int(rng.next() % 4) {
                if rng.next() % 2 == 0 {
                    try? heap.append(heap.list(), to: list)
                } else if let instance = try? heap.instance(of: plain) {
                    try? heap.append(instance, to: list)
                }
            }
            if !quiet && !final && rng.next() % 2 == 0 { try? heap.append(list, to: list) }  // a garbage cycle
        }

        func dropHeld(_ heap: Heap) {
            guard !quiet, !final, !held.isEmpty else { return }
            let index = Int(rng.next() % UInt64(held.count))
            let entry = held.remove(at: index)
            drops.append(entry.node)
            heap.release(entry.object)
        }

        func resurrect(_ heap: Heap, _ dying: ObjectRef) {
            guard !final, let graveyard, let node = nodeOfObject[dying.id] else { return }
            #expect(throws: Never.self) { try heap.append(dying, to: graveyard) }
            resurrections.append(node)
            resurrectedAny = true
        }

        /// A weak reference reads as dead or as its own referent, alive.
        func readWeakReferences(_ heap: Heap) {
            guard !weakReferences.isEmpty else { return }
            for _ in 0..<2 {
                let entry = weakReferences[Int(rng.next() % UInt64(weakReferences.count))]
                reads += 1
                if let referent = try? heap.referent(of: entry.weak) {
                    #expect(referent.id == entry.target)
                    #expect(heap.refcount(of: referent) >= 2)   // ours and another
                    #expect((try? heap.isCleared(entry.weak)) == false)
                } else {
                    deadReads += 1
                    #expect((try? heap.isCleared(entry.weak)) == true)
                }
            }
        }
    }

    struct Program {
        var rng: SplitMix64
        let heap = Heap()
        var nodes: [Int: Node] = [:]
        var nextID = 0
        let cls: ObjectRef
        let finalizedClass: ObjectRef
        let hooks: Hooks
        var graveyardID = -1
        var collections = 0
        var baselineCount = 0
        var baselineBlocks = 0

        init(seed: UInt64) throws {
            rng = SplitMix64(state: seed)
            cls = try heap.makeClass("N").unmanaged()
            let hooks = Hooks(seed: seed, plain: cls)
            self.hooks = hooks
            finalizedClass = try heap.makeClass("F", finalizer: .modern { heap, me in hooks.act(heap, dying: me) }).unmanaged()
            heap.gc.thresholds = (Int(rng.next() % 40) + 5, 3, 3)   // automatic collections too
            baselineCount = heap.objectCount
            baselineBlocks = heap.allocatorStats().blocksInUse
            graveyardID = try create(.list)
            hooks.graveyard = nodes[graveyardID]?.object
        }

        func reachable() -> Set<Int> {
            var seen = Set(nodes.filter { $0.value.external + $0.value.held > 0 }.map(\.key))
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

        /// A new node held once by the program.
        mutating func create(_ kind: Kind) throws -> Int {
            let owned: OwnedRef
            switch kind {
            case .list: owned = heap.list()
            case .plain: owned = try heap.instance(of: cls)
            case .finalized: owned = try heap.instance(of: finalizedClass)
            }
            let object = owned.unmanaged()
            let id = nextID
            nextID += 1
            nodes[id] = Node(object: object, kind: kind, edges: kind == .list ? [] : [-1, -1, -1])
            if kind == .finalized { hooks.nodeOfObject[object.id] = id }
            applyHookEvents()   // the allocation may have collected
            return id
        }

        mutating func randomKind() -> Kind {
            switch rng.next() % 4 {
            case 0, 1: .list
            case 2: .plain
            default: .finalized
            }
        }

        /// source → target, in list order or in an attribute slot.
        mutating func link(_ source: Int, _ target: Int, slot: Int) throws {
            guard var node = nodes[source], let targetObject = nodes[target]?.object else { return }
            if node.isList {
                try heap.append(targetObject, to: node.object)
                node.edges.append(target)
            } else {
                node.edges[slot] = target
                nodes[source] = node                     // the model first: the old value may die
                try heap.setAttribute("a\(slot)", to: targetObject, on: node.object)
            }
            nodes[source] = node
        }

        /// What finalizers and callbacks did, told to the model.
        mutating func applyHookEvents() {
            for id in hooks.drops { nodes[id]?.held -= 1 }
            for id in hooks.resurrections { nodes[graveyardID]?.edges.append(id) }
            hooks.drops.removeAll()
            hooks.resurrections.removeAll()
        }

        mutating func step() throws {
            defer { applyHookEvents() }
            let live = reachable()
            switch rng.next() % 100 {
            case 0..<22:  // create
                _ = try create(randomKind())
            case 22..<48:  // link
                guard let source = pick(live), let target = pick(live) else { return }
                try link(source, target, slot: Int(rng.next() % 3))
            case 48..<62:  // unlink
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
            case 62..<69:  // take another reference: the program's, or one the hooks may drop
                guard let id = pick(live), var node = nodes[id] else { return }
                let object = heap.retain(node.object).unmanaged()
                if rng.next() % 2 == 0 {
                    node.external += 1
                } else {
                    node.held += 1
                    hooks.held.append((object, id))
                }
                nodes[id] = node
            case 69..<81:  // drop a reference the program holds
                let holders = Set(nodes.filter { $0.value.external > 0 && $0.key != graveyardID }.map(\.key))
                guard let id = pick(holders), var node = nodes[id] else { return }
                node.external -= 1
                nodes[id] = node
                heap.release(node.object)
            case 81..<85:  // a chain deeper than deaths nest before they queue; dropped at once or later
                let length = HeapCore.deallocationNestingLimit + 1 + Int(rng.next() % 40)
                var inner: Int? = nil
                for _ in 0..<length {
                    let outer = try create(randomKind())
                    if let inner, var innerNode = nodes[inner] {
                        try link(outer, inner, slot: 0)
                        innerNode = nodes[inner] ?? innerNode
                        innerNode.external -= 1
                        nodes[inner] = innerNode
                        heap.release(innerNode.object)
                    }
                    inner = outer
                }
                if rng.next() % 2 == 0, let head = inner, var node = nodes[head] {
                    node.external -= 1
                    nodes[head] = node
                    heap.release(node.object)
                }
            case 85..<90:  // a weak reference, with a callback half the time
                let instances = live.filter { nodes[$0]?.isList == false }
                guard hooks.weakReferences.count < 12, let id = pick(instances), let target = nodes[id]?.object else { return }
                let hooks = self.hooks
                let callback = rng.next() % 2 == 0 ? WeakReferenceCallback { heap, _, _ in hooks.act(heap, dying: nil) } : nil
                let weak = try heap.weakReference(to: target, callback: callback).unmanaged()
                hooks.weakReferences.append((weak, id, target.id))
            case 90..<94:  // read weak references between deaths
                hooks.readWeakReferences(heap)
            default:
                try collectAndCheck()
            }
        }

        /// The shared attribute names of both classes, as slots ("a0" is 0).
        func sharedSlots() -> (slots: Set<Int>, buffers: Int) {
            var slots = Set<Int>()
            var buffers = 0
            for c in [cls, finalizedClass] {
                let names = heap.sharedAttributeNames(of: c)
                if !names.isEmpty { buffers += 1 }
                for name in names { if let slot = heap.stringValue(of: name).flatMap({ Int($0.dropFirst()) }) { slots.insert(slot) } }
            }
            return (slots, buffers)
        }

        mutating func collectAndCheck() throws {
            hooks.quiet = true
            heap.gc.collect()
            hooks.quiet = false
            applyHookEvents()
            collections += 1
            let live = reachable()
            // Live instances also keep their interned attribute names ("a0"…"a2") alive, and
            // so do the classes, for the names they share with their instances.
            var names = sharedSlots().slots
            for id in live {
                guard let node = nodes[id], !node.isList else { continue }
                for (slot, target) in node.edges.enumerated() where target >= 0 { names.insert(slot) }
            }
            // Weak references without callback to one target are one object (CPython's basic one).
            let weakObjects = Set(hooks.weakReferences.map(\.weak.id)).count
            #expect(heap.objectCount == baselineCount + live.count + names.count + weakObjects,
                    "after \(collections) collections")
            // Counts: the program's and the hooks' references plus references from the live graph.
            var expected: [Int: Int] = [:]
            for id in live {
                expected[id, default: 0] += (nodes[id]?.external ?? 0) + (nodes[id]?.held ?? 0)
                for target in nodes[id]?.edges ?? [] where target >= 0 { expected[target, default: 0] += 1 }
            }
            for id in live {
                let node = try #require(nodes[id])
                #expect(heap.refcount(of: node.object) == expected[id], "node \(id)")
            }
            // Weak references to what died read as dead; to what lives, as it (unless a
            // finalizer resurrected something: the collector clears weak references to all
            // it found unreachable before finalizers run, as CPython does).
            for entry in hooks.weakReferences {
                let referent = try heap.referent(of: entry.weak)
                if live.contains(entry.node) {
                    if !hooks.resurrectedAny { #expect(referent?.id == entry.target, "weak reference to node \(entry.node)") }
                } else {
                    #expect(referent?.id == nil, "weak reference to dead node \(entry.node)")
                }
            }
            // The rest is gone; forget it.
            nodes = nodes.filter { live.contains($0.key) }
        }

        /// Drops everything; after a collection nothing of the program is left but the
        /// classes' shared names: their strs and the buffers holding them.
        mutating func finish(seed: UInt64) {
            hooks.final = true
            hooks.quiet = true
            let held = hooks.held
            hooks.held.removeAll()
            for entry in held { heap.release(entry.object) }
            let weak = hooks.weakReferences
            hooks.weakReferences.removeAll()
            for entry in weak { heap.release(entry.weak) }
            for (_, node) in nodes { for _ in 0..<node.external { heap.release(node.object) } }
            nodes.removeAll()
            heap.gc.collect()
            let shared = sharedSlots()
            #expect(heap.objectCount == baselineCount + shared.slots.count, "seed \(seed)")
            #expect(heap.allocatorStats().blocksInUse == baselineBlocks + shared.slots.count + shared.buffers, "seed \(seed)")
            #expect(heap.core.pointee.allocator.invariantViolation() == nil)
        }
    }

    @Test(arguments: 0..<ModelBasedCollectorTests.batches)
    func randomPrograms(batch: Int) throws {
        let perBatch = (Self.programs + Self.batches - 1) / Self.batches
        var reads = 0, deadReads = 0, resurrections = 0, actionsWhileQueued = 0
        for index in 0..<perBatch {
            let seed = UInt64(batch * 1_000_000 + index)
            var program = try Program(seed: seed)
            for _ in 0..<60 { try program.step() }
            try program.collectAndCheck()
            reads += program.hooks.reads
            deadReads += program.hooks.deadReads
            actionsWhileQueued += program.hooks.actionsWhileQueued
            if program.hooks.resurrectedAny { resurrections += 1 }
            program.finish(seed: seed)
        }
        // The programs do what they are for: weak references read during deaths, dead
        // ones among them, resurrections, and code run while deaths are queued.
        #expect(reads > 0 && deadReads > 0 && resurrections > 0 && actionsWhileQueued > 0)
        if Self.programs != Self.defaultPrograms {
            print("model-based collector test: batch \(batch): \(perBatch) programs, \(reads) weak reads (\(deadReads) dead), \(resurrections) with resurrections, \(actionsWhileQueued) finalizer/callback runs while deaths were queued")
        }
    }
}
