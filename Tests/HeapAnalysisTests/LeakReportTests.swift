import HeapGraphModel
import Testing
@testable import HeapAnalysis

/// Graphs made by hand, sizes chosen here (not HeapRuntime's blocks): a ring's first node is
/// 40 bytes, its second 72, so every expected byte count follows from these numbers.
private let ringHead = 40
private let ringTail = 72
private let tracked: NodeFlags = [.tracked]

extension HeapGraphBuilder {
    /// A class named `name`, item `index` of the list `root`.
    fileprivate mutating func heldClass(_ name: String, in root: Int, at index: Int = 0) -> Int {
        let cls = node("type", kind: .type, value: name, size: 88, generation: 0, flags: tracked)
        edge(from: root, to: cls, .index(index))
        return cls
    }

    /// The program's one root: a list the host holds.
    fileprivate mutating func rootList() -> Int {
        node("list", kind: .array, size: 56, externalCount: 1, generation: 0, flags: tracked)
    }

    /// An instance of `cls` (typed `type`), `size` bytes, with its class edge.
    fileprivate mutating func instance(_ type: String, of cls: Int, size: Int, flags: NodeFlags = [.tracked], watched: String? = nil) -> Int {
        let made = node(type, size: size, generation: 0, flags: flags, watched: watched)
        edge(from: made, to: cls, .named("__class__"))
        return made
    }

    /// `a.next → b`, `b.prev → a`, two instances of `cls` left as cyclic garbage.
    fileprivate mutating func ring(_ type: String = "Node", of cls: Int) -> (a: Int, b: Int) {
        let a = instance(type, of: cls, size: ringHead), b = instance(type, of: cls, size: ringTail)
        edge(from: a, to: b, .attribute(.text("next")))
        edge(from: b, to: a, .attribute(.text("prev")))
        return (a, b)
    }

    /// An attribute name as the runtime keeps it: a str held by the instances' name tables.
    fileprivate mutating func name(_ text: String, size: Int, heldBy holders: [Int]) -> Int {
        let made = node("str", kind: .string, value: "'\(text)'", size: size)
        for holder in holders { edge(from: holder, to: made) }
        return made
    }
}

@Suite("Leak report: categories and grouping")
struct LeakReportTests {
    @Test func thousandIdenticalRingsAreOneGroupOfAThousand() throws {
        let graph = HeapSnapshot.build(runtime: "HeapRuntime") { heap in
            let cls = heap.heldClass("Node", in: heap.rootList())
            let rings = (0..<1000).map { _ in heap.ring(of: cls) }
            // Made after the first ring, so a search entering that ring meets it first; every
            // ring refers to it, so no ring retains it.
            _ = heap.name("prev", size: 37, heldBy: rings.map(\.b))
        }
        let report = LeakReport.analyze(graph)
        #expect(report.groups.count == 1)
        let group = try #require(report.groups.first)
        #expect(group.category == .cyclicGarbage)
        #expect(group.count == 1000)
        #expect(group.types == ["Node"])
        #expect(group.bytes == 1000 * (ringHead + ringTail))
        #expect(group.retainedBytes == 1000 * (ringHead + ringTail))   // not the shared name
        #expect(group.exampleCycle == "Node.next → Node.prev → Node")
        #expect(group.exampleNodes.map(graph.shallowSize) == [ringHead, ringTail])   // one ring
        #expect(group.trace == nil)
        #expect(group.fingerprint.count == 16)
        #expect(report.leakCount(in: .cyclicGarbage) == 1000)
    }

    @Test func aGroupLimitShowsTheLargestGroupsAndCountsTheRest() throws {
        let graph = HeapSnapshot.build(runtime: "HeapRuntime") { heap in
            let root = heap.rootList()
            let node = heap.heldClass("Node", in: root), tree = heap.heldClass("Tree", in: root, at: 1)
            for _ in 0..<4 { _ = heap.ring(of: node) }
            for _ in 0..<3 { _ = heap.ring("Tree", of: tree) }
        }
        let report = LeakReport.analyze(graph)
        let all = report.text()
        let limited = report.text(groupLimit: 1)
        let groupLines = { (text: String) in text.split(separator: "\n").filter { $0.contains("with the same fingerprint") } }
        #expect(groupLines(all).count == 2)
        // Four Node rings retain more than three Tree rings: Node's group comes first.
        #expect(groupLines(limited).count == 1)
        #expect(groupLines(limited).first?.hasSuffix(": Node") == true)
        #expect(limited.contains("  … and 1 more group (3 leaks); --limit 0 lists all"))
        #expect(!all.contains("more group"))
    }

    @Test func twoKindsOfRingsAreTwoGroups() throws {
        // Tree rings: parent (200 B) .children → list (120 B) [0] → child (180 B) .parent.
        let treeRing = 200 + 120 + 180
        let graph = HeapSnapshot.build(runtime: "HeapRuntime") { heap in
            let root = heap.rootList()
            let node = heap.heldClass("Node", in: root), tree = heap.heldClass("Tree", in: root, at: 1)
            for _ in 0..<4 { _ = heap.ring(of: node) }
            for _ in 0..<2 {
                let parent = heap.instance("Tree", of: tree, size: 200)
                let children = heap.node("list", kind: .array, size: 120, generation: 0, flags: tracked)
                let child = heap.instance("Tree", of: tree, size: 180)
                heap.edge(from: parent, to: children, .attribute(.text("children")))
                heap.edge(from: children, to: child, .index(0))
                heap.edge(from: child, to: parent, .attribute(.text("parent")))
            }
        }
        let report = LeakReport.analyze(graph)
        let groups = report.findings(in: [.cyclicGarbage])
        #expect(groups.count == 2)
        #expect(Set(groups.map(\.fingerprint)).count == 2)
        let treeGroup = try #require(groups.first { $0.types == ["Tree", "list"] })
        #expect(treeGroup.count == 2)
        #expect(treeGroup.exampleCycle == "Tree.children → list[0] → Tree.parent → Tree")
        #expect(treeGroup.retainedBytes == 2 * treeRing)
        let nodeGroup = try #require(groups.first { $0.types == ["Node"] })
        #expect(nodeGroup.count == 4)
        #expect(nodeGroup.retainedBytes == 4 * (ringHead + ringTail))
        // Largest retained size first: two Tree rings (1000 B) before four Node rings
        // (448 B), though there are more Node rings.
        #expect(groups.map(\.types) == [["Tree", "list"], ["Node"]])
    }

    @Test func fingerprintAndExampleDoNotDependOnWhereTheRingIsEntered() throws {
        // A.b → B.c → C.a → A, its instances made in two orders so they are numbered differently.
        func ring(order: [String]) throws -> (group: LeakGroup, firstA: Int) {
            var firstA = -1
            let graph = HeapSnapshot.build(runtime: "HeapRuntime") { heap in
                let root = heap.rootList()
                let classes = Dictionary(uniqueKeysWithValues: ["A", "B", "C"].enumerated().map { ($1, heap.heldClass($1, in: root, at: $0)) })
                var made: [String: Int] = [:]
                for name in order { made[name] = heap.instance(name, of: classes[name] ?? 0, size: 48) }
                let (a, b, c) = (made["A"] ?? 0, made["B"] ?? 0, made["C"] ?? 0)
                heap.edge(from: a, to: b, .attribute(.text("b")))
                heap.edge(from: b, to: c, .attribute(.text("c")))
                heap.edge(from: c, to: a, .attribute(.text("a")))
                firstA = a
            }
            let report = LeakReport.analyze(graph)
            return (try #require(report.findings(in: [.cyclicGarbage]).first), firstA)
        }
        let (first, firstA) = try ring(order: ["A", "B", "C"]), (second, secondA) = try ring(order: ["C", "B", "A"])
        #expect(firstA != secondA)                     // the ring really is entered elsewhere
        #expect(first.fingerprint == second.fingerprint)
        #expect(first.exampleCycle == "A.b → B.c → C.a → A")
        #expect(second.exampleCycle == "A.b → B.c → C.a → A")
        #expect(first.count == 1 && second.count == 1)
        #expect(first.bytes == 3 * 48 && second.bytes == 3 * 48)
    }

    @Test func legacyFinalizerCycleIsUncollectable() throws {
        // What the collector leaves: the cycle in gc.garbage, flagged so, and gc.garbage a root.
        let graph = HeapSnapshot.build(runtime: "HeapRuntime") { heap in
            let legacy = heap.heldClass("Legacy", in: heap.rootList())
            let garbage = heap.node("list", kind: .array, size: 56, id: 0x9000, generation: 0, flags: tracked)
            let trash = heap.instance("Legacy", of: legacy, size: 48,
                                      flags: [.tracked, .hasFinalizer, .legacyFinalizer, .finalized, .inGarbage])
            heap.edge(from: trash, to: trash, .attribute(.text("me")))
            heap.edge(from: garbage, to: trash, .index(0))
            heap.root(garbage, name: "gc.garbage", category: .garbage)
            heap.metadata.garbageListID = 0x9000
        }
        let report = LeakReport.analyze(graph)
        #expect(report.findings(in: [.cyclicGarbage]).isEmpty)
        let group = try #require(report.findings(in: [.uncollectable]).first)
        #expect(report.groups.count == 1)
        #expect(group.count == 1)
        #expect(group.types == ["Legacy"])
        #expect(group.bytes == 48)
        #expect(group.exampleCycle == "Legacy.me → Legacy")
        // gc.garbage is a list the collector holds: the trace goes through it.
        #expect(group.trace?.steps.map(\.typeName) == ["list", "Legacy"])
        #expect(group.trace?.rootName == "gc.garbage")
    }

    @Test func watchedObjectHeldThroughAListHasItsTrace() throws {
        var root = 0, session = 0
        let graph = HeapSnapshot.build(runtime: "HeapRuntime") { heap in
            root = heap.rootList()
            // The class is held by the host program itself, not through the list.
            let cls = heap.node("type", kind: .type, value: "Session", size: 88, externalCount: 1, generation: 0, flags: tracked)
            session = heap.instance("Session", of: cls, size: 48, watched: "closed Session")
            heap.edge(from: root, to: session, .index(0))
            // Only the session holds its attributes' dict: it retains it.
            let attributes = heap.node("dict", kind: .dictionary, size: 24, generation: 0, flags: tracked)
            heap.edge(from: session, to: attributes, .named("__dict__"))
        }
        let report = LeakReport.analyze(graph)
        #expect(report.groups.count == 1)
        let group = try #require(report.findings(in: [.watched]).first)
        #expect(group.count == 1)
        #expect(group.types == ["Session"])
        #expect(group.description == "closed Session")
        #expect(group.bytes == 48)
        #expect(group.retainedBytes == 48 + 24)
        #expect(group.trace?.text() == """
            ┬───
            │ Root: held by the host program (1 reference)
            │
            ├─ list instance @\(graph.id(of: root))
            │    ↓ list[0]
            │          ~~~ holds the leaking object
            ╰→ Session instance @\(graph.id(of: session))
            """)
        #expect(group.trace?.suspect == LeakTraceSuspect(step: 0, reason: .holdsLeakingObject))
        #expect(group.exampleNodes == [root, session])
        #expect(group.exampleIDs == [graph.id(of: session)])
    }

    @Test func watchedObjectInCyclicGarbageCountsOnceInItsCycle() throws {
        let graph = HeapSnapshot.build(runtime: "HeapRuntime") { heap in
            let cls = heap.heldClass("Session", in: heap.rootList())
            let closed = heap.instance("Session", of: cls, size: 48, watched: "closed Session")
            heap.edge(from: closed, to: closed, .attribute(.text("me")))
        }
        let report = LeakReport.analyze(graph)
        // Cyclic garbage comes before watched: one group, which says it also fits watched.
        #expect(report.findings(in: [.watched]).isEmpty)
        let cycle = try #require(report.findings(in: [.cyclicGarbage]).first)
        #expect(cycle.exampleCycle == "Session.me → Session")
        #expect(cycle.alsoFits == [.watched])
        #expect(cycle.note == "watched: closed Session")
        #expect(cycle.suspectReference == "Session.me")
        #expect(report.groups.count == 1)
    }

    @Test func aRingHangingOffAnotherRingIsPartOfItsLeak() throws {
        let graph = HeapSnapshot.build(runtime: "HeapRuntime") { heap in
            let cls = heap.heldClass("Node", in: heap.rootList())
            let (_, b) = heap.ring(of: cls)
            let (c, d) = heap.ring(of: cls)
            heap.edge(from: b, to: c, .attribute(.text("child")))
            // Attribute names: 'prev' only the leak reaches (b and d), 'child' only b; the
            // class holds 'next' too, so the leak does not retain it.
            _ = heap.name("prev", size: 37, heldBy: [b, d])
            _ = heap.name("child", size: 38, heldBy: [b])
            _ = heap.name("next", size: 36, heldBy: [cls, b, d])
        }
        let report = LeakReport.analyze(graph)
        let group = try #require(report.findings(in: [.cyclicGarbage]).first)
        #expect(report.groups.count == 1)
        #expect(group.count == 1)
        // a and b are the leak; it retains c, d and the names only it reaches.
        #expect(group.bytes == ringHead + ringTail)
        #expect(group.retainedBytes == 2 * (ringHead + ringTail) + 37 + 38)
    }

    @Test func aCleanHeapHasNoFindings() throws {
        let graph = HeapSnapshot.build(runtime: "HeapRuntime") { heap in
            let root = heap.rootList()
            let inner = heap.node("list", kind: .array, size: 56, generation: 0, flags: tracked)
            heap.edge(from: root, to: inner, .index(0))
        }
        let report = LeakReport.analyze(graph)
        #expect(report.groups.isEmpty)
        #expect(report.text() == "Leak report: 0 groups, 0 leaks\nNo leaks found.")
    }
}
