import HeapRuntime
import HeapGraphModel
import HeapRuntimeSnapshot
import Foundation
import Testing
@testable import HeapAnalysis

@Suite("Growth between snapshots")
struct ComparisonTests {
    /// Three snapshots of one heap, made by hand with the ids a heap would keep: Node
    /// instances 1 → 2 → 4 (grows every step; 64 B each), tuples 3 → 2 → 1 (shrinks, the
    /// oldest dropped first; 80 B each), Blip instances 1 → 2 → 2 (grows, not every step).
    /// Sizes are chosen here, not the allocator's.
    func snapshots(newNodeIDs: inout [Int]) -> [HeapSnapshot] {
        let nodeIDs: [UInt64] = [0x1000, 0x1040, 0x1080, 0x10c0]
        let blipIDs: [UInt64] = [0x2000, 0x2040]
        let tupleIDs: [UInt64] = [0x3000, 0x3050, 0x30a0]
        newNodeIDs = nodeIDs.dropFirst().map { Int(UInt(truncatingIfNeeded: $0)) }
        func graph(nodes: Int, blips: Int, droppedTuples: Int) -> HeapSnapshot {
            HeapSnapshot.build(runtime: "HeapRuntime") { heap in
                let tracked: NodeFlags = [.tracked]
                let root = heap.node("list", kind: .array, size: 56, id: 0x100, externalCount: 1, generation: 0, flags: tracked)
                let tuples = heap.node("list", kind: .array, size: 56, id: 0x140, generation: 0, flags: tracked)
                let none = heap.node("NoneType", value: "None", id: 0x80, flags: [.immortal])
                var items = [tuples]   // the tuples list, then its tuples
                for id in tupleIDs.dropFirst(droppedTuples) {
                    let tuple = heap.node("tuple", kind: .array, size: 80, id: id, generation: 0, flags: tracked)
                    for index in 0..<5 { heap.edge(from: tuple, to: none, .index(index)) }
                    heap.edge(from: tuples, to: tuple, .index(items.count - 1))
                    items.append(tuple)
                }
                let node = heap.node("type", kind: .type, value: "Node", size: 88, id: 0x180, generation: 0, flags: tracked)
                let blip = heap.node("type", kind: .type, value: "Blip", size: 88, id: 0x1c0, generation: 0, flags: tracked)
                // What the root list holds, each instance with its class.
                var held: [(item: Int, cls: Int?)] = [(tuples, nil), (node, nil), (blip, nil)]
                for step in 0..<4 {
                    if step < nodes { held.append((heap.node("Node", size: 64, id: nodeIDs[step], generation: 0, flags: tracked), node)) }
                    if step < blips { held.append((heap.node("Blip", size: 64, id: blipIDs[step], generation: 0, flags: tracked), blip)) }
                }
                for (index, (item, cls)) in held.enumerated() {
                    heap.edge(from: root, to: item, .index(index))
                    if let cls { heap.edge(from: item, to: cls, .named("__class__")) }
                }
            }
        }
        return [graph(nodes: 1, blips: 1, droppedTuples: 0), graph(nodes: 2, blips: 2, droppedTuples: 1),
                graph(nodes: 4, blips: 2, droppedTuples: 2)]
    }

    @Test func countsBytesAndStepsAcrossThreeSnapshots() throws {
        var newIDs: [Int] = []
        let graphs = snapshots(newNodeIDs: &newIDs)
        let comparison = SnapshotComparison(graphs)
        let node = try #require(comparison.rows.first { $0.name == "Node" })
        #expect(node.counts == [1, 2, 4])
        #expect(node.bytes == [64, 128, 256])
        #expect(node.change == 3)
        let tuple = try #require(comparison.rows.first { $0.name == "tuple" })
        #expect(tuple.counts == [3, 2, 1])
        #expect(tuple.change == -2)
        #expect(tuple.bytesChange == -160)
        #expect(comparison.rows.first { $0.name == "Blip" }?.counts == [1, 2, 2])
        #expect(comparison.grewEveryStep == ["Node"])
        // Largest change first, growth and shrinking alike, then by name.
        #expect(comparison.rows.prefix(3).map(\.name) == ["Node", "tuple", "Blip"])
        #expect(comparison.rows.dropFirst(3).allSatisfy { $0.change == 0 })
        let newNodes = comparison.newObjects(limit: 10).first { $0.type == "Node" }
        #expect(newNodes?.ids == newIDs.map { UInt64(UInt(bitPattern: $0)) }.sorted())
        #expect(comparison.newObjects(limit: 0).isEmpty)
        let hex = newIDs.map { UInt64(UInt(bitPattern: $0)) }.sorted().map { "@\($0)" }
        #expect(comparison.text(limit: 1) == """
            Type  #1  #2  #3  Change   Bytes
            Node   1   2   4      +3  +192 B
            Grew at every step: Node
            New objects (in the last snapshot, not the first), by id:
              Node +3: \(hex.joined(separator: " "))
            """)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(comparison.json(limit: 1).utf8)) as? [String: Any])
        #expect(json["grewEveryStep"] as? [String] == ["Node"])
        #expect(json["snapshots"] as? Int == 3)
        let rows = try #require(json["types"] as? [[String: Any]])
        #expect(rows.first?["counts"] as? [Int] == [1, 2, 4])
        #expect(rows.first?["change"] as? Int == 3)
        let new = try #require(json["newObjects"] as? [[String: Any]])
        #expect(new.first?["type"] as? String == "Node")
        #expect(new.first?["count"] as? Int == 3)
        #expect(new.first?["ids"] as? [Int] == newIDs.map { Int(UInt(bitPattern: $0)) }.sorted())
    }

    @Test func growthSuspectsInTheLeakReport() throws {
        var newIDs: [Int] = []
        let graphs = snapshots(newNodeIDs: &newIDs)
        let last = try #require(graphs.last)
        let report = LeakReport.analyze(last, baselines: Array(graphs.dropLast()))
        let growth = report.findings(in: [.growth])
        #expect(growth.count == 1)
        let group = try #require(growth.first)
        #expect(group.types == ["Node"])
        #expect(group.count == 3)
        #expect(group.bytes == 3 * 64)
        #expect(group.note == "count 1 → 2 → 4")
        #expect(try group.exampleNodes == newIDs.map { try ordinal(of: UInt64(UInt(bitPattern: $0)), in: last) }.sorted())
        #expect(group.trace?.steps.map(\.typeName) == ["list", "Node"])
        #expect(LeakReport.analyze(last).findings(in: [.growth]).isEmpty)
    }
}

@Suite("Growth suspects and garbage")
struct GrowthSuspectGarbageTests {
    /// Garbage that piles up is cyclic garbage, not a growth suspect: suspects count only
    /// what the program holds.
    @Test func growingGarbageIsNotAGrowthSuspect() throws {
        let heap = Heap()
        heap.gc.disable()
        let root = heap.list()
        let held = try heap.makeClass("Held"), dropped = try heap.makeClass("Dropped")
        var graphs: [HeapSnapshot] = []
        for step in 1...3 {
            for _ in 0..<step {
                try heap.append(heap.instance(of: held), to: root)
                let a = try heap.instance(of: dropped), b = try heap.instance(of: dropped)
                try heap.setAttribute("other", to: b, on: a)
                try heap.setAttribute("other", to: a, on: b)
            }
            graphs.append(HeapSnapshot(heap: heap))
        }
        let all = SnapshotComparison(graphs)
        #expect(all.grewEveryStep == ["Dropped", "Held"])
        let held3 = SnapshotComparison(graphs, heldOnly: true)
        #expect(held3.grewEveryStep == ["Held"])
        #expect(held3.rows.first { $0.name == "Held" }?.counts == [1, 3, 6])
        #expect(held3.rows.first { $0.name == "Dropped" }?.counts ?? [0, 0, 0] == [0, 0, 0])
        let report = LeakReport.analyze(graphs[2], baselines: Array(graphs.prefix(2)))
        #expect(report.findings(in: [.growth]).map(\.types) == [["Held"]])
        #expect(report.findings(in: [.cyclicGarbage]).map(\.count) == [6])
    }
}

@Suite("Uncollectable traces")
struct UncollectableTraceTests {
    @Test func theGarbageListIsNamedAsTheRoot() throws {
        let heap = Heap()
        let legacy = try heap.makeClass("Legacy", finalizer: .legacy { _, _ in })
        do {
            let a = try heap.instance(of: legacy)
            try heap.setAttribute("me", to: a, on: a)
        }
        #expect(heap.gc.garbageID == nil)           // not made until needed
        heap.gc.collect()
        let garbageID = try #require(heap.garbageListSnapshotID)
        let graph = HeapSnapshot(heap: heap)
        #expect(graph.metadata.garbageListID == garbageID)
        // The runtime names gc.garbage as a root of its own.
        #expect(graph.roots.map(\.name) == ["gc.garbage"])
        #expect(graph.roots.map(\.category) == [.garbage])
        #expect(graph.roots.map { graph.id(of: $0.node) } == [garbageID])
        let group = try #require(LeakReport.analyze(graph).findings(in: [.uncollectable]).first)
        let trace = try #require(group.trace)
        #expect(trace.rootName == "gc.garbage")
        #expect(trace.rootCategory == .garbage)
        #expect(trace.text().contains("│ Root: gc.garbage (objects the collector cannot free)"))
        #expect(trace.steps.map(\.typeName) == ["list", "Legacy"])
    }
}
