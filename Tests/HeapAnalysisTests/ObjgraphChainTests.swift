import HeapAnalysis
import HeapRuntime
import HeapGraphModel
import HeapRuntimeSnapshot
import Testing

@Suite struct ObjgraphChainTests {
    @Test func noChainGivesTheStartAlone() throws {
        let heap = Heap()
        let holder = heap.list()
        try heap.append(heap.list(), to: holder)
        let graph = HeapSnapshot(heap: heap)
        let start = try #require(graph.ordinal(holder.snapshotID))
        #expect(graph.findRefChain(from: start) { _ in false } == [start])
        #expect(graph.findBackrefChain(to: start) { _ in false } == [start])
    }

    @Test func refChainIsShortest() throws {
        let heap = Heap()
        let root = heap.list()
        let cls = try heap.makeClass("Node")
        let x = try heap.instance(of: cls), y = try heap.instance(of: cls), z = heap.list()
        try heap.append(x, to: root)
        try heap.setAttribute("next", to: y, on: x)
        try heap.setAttribute("payload", to: z, on: y)
        try heap.append(z, to: root)                        // the short way to z
        let graph = HeapSnapshot(heap: heap)
        let r = try #require(graph.ordinal(root.snapshotID)), xn = try #require(graph.ordinal(x.snapshotID))
        let yn = try #require(graph.ordinal(y.snapshotID)), zn = try #require(graph.ordinal(z.snapshotID))
        #expect(graph.findRefChain(from: r) { $0 == zn } == [r, zn])
        #expect(graph.findRefChain(from: r) { $0 == yn } == [r, xn, yn])
        #expect(graph.findRefChain(from: r, maxDepth: 1) { $0 == yn } == [r])
    }

    /// root → x → y → z, with x, y, z held by nothing else.
    @Test func backrefChainStopsAtARootAndHonoursDepthAndIgnores() throws {
        let heap = Heap()
        let root = heap.list(), otherRoot = heap.list()
        let cls = try heap.makeClass("Node")
        var ids = [root.snapshotID]
        do {
            let x = try heap.instance(of: cls), y = try heap.instance(of: cls), z = heap.list()
            let w1 = try heap.instance(of: cls), w2 = try heap.instance(of: cls)
            try heap.append(x, to: root)
            try heap.setAttribute("next", to: y, on: x)
            try heap.setAttribute("payload", to: z, on: y)
            try heap.append(w1, to: otherRoot)              // a longer way: otherRoot → w1 → w2 → y
            try heap.setAttribute("next", to: w2, on: w1)
            try heap.setAttribute("again", to: y, on: w2)
            ids += [x.snapshotID, y.snapshotID, z.snapshotID, otherRoot.snapshotID, w1.snapshotID, w2.snapshotID]
        }                                                   // only the two roots are held now
        let graph = HeapSnapshot(heap: heap)
        let n = try ids.map { try #require(graph.ordinal($0)) }
        let (r, x, y, z, r2, w1, w2) = (n[0], n[1], n[2], n[3], n[4], n[5], n[6])
        #expect(!graph.isRoot(z) && graph.isRoot(r) && graph.isRoot(r2))
        #expect(graph.findBackrefChain(to: z) == [r, x, y, z])
        #expect(graph.findBackrefChain(to: z, maxDepth: 2) == [z])
        #expect(graph.findBackrefChain(to: z, maxDepth: 3) == [r, x, y, z])
        #expect(graph.findBackrefChain(to: z, ignoring: [x]) == [r2, w1, w2, y, z])
        #expect(graph.findBackrefChain(to: z) { $0 == w1 } == [w1, w2, y, z])
        #expect(graph.findBackrefChain(to: r) == [r])       // a root explains itself
    }

    @Test func backrefChainDoesNotFollowWeakEdges() throws {
        let heap = Heap()
        heap.gc.disable()
        let root = heap.list()
        let cls = try heap.makeClass("Node")
        let targetID: UInt64
        do {
            let target = try heap.instance(of: cls), partner = try heap.instance(of: cls)
            try heap.setAttribute("peer", to: partner, on: target)   // kept alive by its cycle only
            try heap.setAttribute("peer", to: target, on: partner)
            try heap.append(heap.weakReference(to: target), to: root)
            targetID = target.snapshotID
        }
        let graph = HeapSnapshot(heap: heap)
        let target = try #require(graph.ordinal(targetID))
        let weakref = try #require(graph.nodes(ofType: "weakref").first)
        #expect(graph.referrers(of: target).contains(weakref))
        #expect(graph.findBackrefChain(to: target) == [target])
        // Forward too: the root reaches the target only through the weak reference.
        #expect(graph.findRefChain(from: try #require(graph.ordinal(root.snapshotID))) { $0 == target } == [try #require(graph.ordinal(root.snapshotID))])
    }
}
