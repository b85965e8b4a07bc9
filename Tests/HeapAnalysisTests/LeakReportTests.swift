import HeapRuntime
import HeapGraphModel
import HeapRuntimeSnapshot
import Testing
@testable import HeapAnalysis

/// An instance whose attributes follow its class's shared names is one 64-byte block in
/// HeapRuntime: collector head 16, header 16, class, count and flags 16, two inline value
/// slots 16.
private let inlineInstance = 64
/// An instance whose first attribute is not its class's first shared name (in these rings
/// `b` sets `prev` where the class learnt `next` from `a`) keeps a table of (name, value)
/// pairs of its own: 32 more bytes for two pairs.
private let instanceWithPairs = 96

@Suite("Leak report: categories and grouping")
struct LeakReportTests {
    /// `count` rings `Node.next → Node.prev → Node` left as cyclic garbage.
    func makeRings(_ heap: Heap, count: Int, className: String = "Node") throws {
        let node = try heap.makeClass(className)
        for _ in 0..<count {
            let a = try heap.instance(of: node), b = try heap.instance(of: node)
            try heap.setAttribute("next", to: b, on: a)
            try heap.setAttribute("prev", to: a, on: b)
        }
        try heap.append(node, to: heap.list().unmanaged())   // the class stays alive
    }

    @Test func thousandIdenticalRingsAreOneGroupOfAThousand() throws {
        let heap = Heap()
        heap.gc.disable()
        try makeRings(heap, count: 1000)
        let graph = HeapSnapshot(heap: heap)
        let report = LeakReport.analyze(graph)
        #expect(report.groups.count == 1)
        let group = try #require(report.groups.first)
        #expect(group.category == .cyclicGarbage)
        #expect(group.count == 1000)
        #expect(group.types == ["Node"])
        #expect(group.bytes == 1000 * (inlineInstance + instanceWithPairs))
        // The attribute names are retained by no ring: 'next' is held by the class, 'prev'
        // by every ring's pairs table.
        #expect(group.retainedBytes == 160_000)
        #expect(group.exampleCycle == "Node.next → Node.prev → Node")
        #expect(group.exampleNodes.count == 2)
        #expect(group.trace == nil)
        #expect(group.fingerprint.count == 16)
        #expect(report.leakCount(in: .cyclicGarbage) == 1000)
    }

    @Test func twoKindsOfRingsAreTwoGroups() throws {
        let heap = Heap()
        heap.gc.disable()
        try makeRings(heap, count: 4)
        let tree = try heap.makeClass("Tree")
        for _ in 0..<2 {
            let parent = try heap.instance(of: tree), child = try heap.instance(of: tree)
            let children = heap.list()
            try heap.append(child, to: children)
            try heap.setAttribute("children", to: children, on: parent)
            try heap.setAttribute("parent", to: parent, on: child)
        }
        let report = LeakReport.analyze(HeapSnapshot(heap: heap))
        let groups = report.findings(in: [.cyclicGarbage])
        #expect(groups.count == 2)
        #expect(Set(groups.map(\.fingerprint)).count == 2)
        let treeGroup = try #require(groups.first { $0.types == ["Tree", "list"] })
        #expect(treeGroup.count == 2)
        #expect(treeGroup.exampleCycle == "Tree.children → list[0] → Tree.parent → Tree")
        #expect(groups.first { $0.types == ["Node"] }?.count == 4)
        // Largest retained size first: four Node rings (4 × (64 + 96) and the name 'prev')
        // outweigh two Tree rings (2 × (64 + 96 + 88) and the name 'parent').
        #expect(groups.map(\.types) == [["Node"], ["Tree", "list"]])
    }

    @Test func fingerprintAndExampleDoNotDependOnWhereTheRingIsEntered() throws {
        // A.b → B.c → C.a → A, made in two orders so the snapshots number it differently.
        func ring(order: [String]) throws -> LeakGroup {
            let heap = Heap()
            heap.gc.disable()
            let holder = heap.list()
            let classes = heap.dict()
            for name in ["A", "B", "C"] { try heap.setItem(heap.str(name), to: try heap.makeClass(name), in: classes) }
            try heap.append(classes, to: holder)
            let made = heap.dict()
            for name in order {
                let cls = try #require(try heap.item(forKey: heap.str(name), in: classes))
                try heap.setItem(heap.str(name), to: try heap.instance(of: cls), in: made)
            }
            func object(_ name: String) throws -> ObjectRef { try #require(try heap.item(forKey: heap.str(name), in: made)) }
            try heap.setAttribute("b", to: try object("B"), on: try object("A"))
            try heap.setAttribute("c", to: try object("C"), on: try object("B"))
            try heap.setAttribute("a", to: try object("A"), on: try object("C"))
            try heap.removeAll(fromTable: made)
            let report = LeakReport.analyze(HeapSnapshot(heap: heap))
            return try #require(report.findings(in: [.cyclicGarbage]).first)
        }
        let first = try ring(order: ["A", "B", "C"]), second = try ring(order: ["C", "B", "A"])
        #expect(first.fingerprint == second.fingerprint)
        #expect(first.exampleCycle == "A.b → B.c → C.a → A")
        #expect(second.exampleCycle == "A.b → B.c → C.a → A")
        #expect(first.count == 1 && second.count == 1)
    }

    @Test func legacyFinalizerCycleIsUncollectable() throws {
        let heap = Heap()
        heap.gc.disable()
        let legacy = try heap.makeClass("Legacy", finalizer: .legacy { _, _ in })
        do {
            let trash = try heap.instance(of: legacy)
            try heap.setAttribute("me", to: trash, on: trash)
        }
        heap.gc.collect()
        let report = LeakReport.analyze(HeapSnapshot(heap: heap))
        #expect(report.findings(in: [.cyclicGarbage]).isEmpty)
        let group = try #require(report.findings(in: [.uncollectable]).first)
        #expect(report.groups.count == 1)
        #expect(group.count == 1)
        #expect(group.types == ["Legacy"])
        #expect(group.bytes == inlineInstance)
        #expect(group.exampleCycle == "Legacy.me → Legacy")
        // gc.garbage is a list the collector holds: the trace goes through it.
        #expect(group.trace?.steps.map(\.typeName) == ["list", "Legacy"])
        _ = legacy
    }

    @Test func watchedObjectHeldThroughAListHasItsTrace() throws {
        let heap = Heap()
        heap.gc.disable()
        let root = heap.list()
        let session = try heap.makeClass("Session")
        do {
            let closed = try heap.instance(of: session)
            try heap.watch(closed, description: "closed Session")
            try heap.append(closed, to: root)
        }
        let graph = HeapSnapshot(heap: heap)
        let report = LeakReport.analyze(graph)
        #expect(report.groups.count == 1)
        let group = try #require(report.findings(in: [.watched]).first)
        #expect(group.count == 1)
        #expect(group.types == ["Session"])
        #expect(group.description == "closed Session")
        #expect(group.bytes == inlineInstance)
        #expect(group.retainedBytes == inlineInstance)
        #expect(group.trace?.text() == """
            ┬───
            │ Root: held by the host program (1 reference)
            │
            ├─ list instance
            │    ↓ list[0]
            ╰→ Session instance
            """)
        #expect(try group.exampleNodes == [ordinal(of: root.id, in: graph), graph.edges(of: ordinal(of: root.id, in: graph)).first?.target ?? -1])
    }

    @Test func watchedObjectInCyclicGarbageIsReportedAsSuch() throws {
        let heap = Heap()
        heap.gc.disable()
        let session = try heap.makeClass("Session")
        do {
            let closed = try heap.instance(of: session)
            try heap.setAttribute("me", to: closed, on: closed)
            try heap.watch(closed, description: "closed Session")
        }
        let report = LeakReport.analyze(HeapSnapshot(heap: heap))
        let watched = try #require(report.findings(in: [.watched]).first)
        #expect(watched.trace == nil)
        #expect(watched.note == "unreachable: in cyclic garbage")
        #expect(report.findings(in: [.cyclicGarbage]).first?.exampleCycle == "Session.me → Session")
        _ = session
    }

    @Test func aRingHangingOffAnotherRingIsPartOfItsLeak() throws {
        let heap = Heap()
        heap.gc.disable()
        let node = try heap.makeClass("Node")
        do {
            let a = try heap.instance(of: node), b = try heap.instance(of: node)
            let c = try heap.instance(of: node), d = try heap.instance(of: node)
            try heap.setAttribute("next", to: b, on: a); try heap.setAttribute("prev", to: a, on: b)
            try heap.setAttribute("next", to: d, on: c); try heap.setAttribute("prev", to: c, on: d)
            try heap.setAttribute("child", to: c, on: b)
        }
        let report = LeakReport.analyze(HeapSnapshot(heap: heap))
        let group = try #require(report.findings(in: [.cyclicGarbage]).first)
        #expect(report.groups.count == 1)
        #expect(group.count == 1)
        // a and b are the leak (b's pairs table has room for its two attributes); it
        // retains c, d and the attribute names only it reaches: 'prev' (37 B, held by b's
        // and d's tables) and 'child' (38 B: 33 + 5 bytes of UTF-8). The class holds 'next'.
        #expect(group.bytes == inlineInstance + instanceWithPairs)
        #expect(group.retainedBytes == 2 * (inlineInstance + instanceWithPairs) + 37 + 38)
        _ = node
    }

    @Test func aCleanHeapHasNoFindings() throws {
        let heap = Heap()
        let root = heap.list()
        try heap.append(heap.list(), to: root)
        let report = LeakReport.analyze(HeapSnapshot(heap: heap))
        #expect(report.groups.isEmpty)
        #expect(report.text() == "Leak report: 0 groups, 0 leaks\nNo leaks found.")
    }
}
