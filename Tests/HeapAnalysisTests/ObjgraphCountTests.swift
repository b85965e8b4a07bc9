import HeapAnalysis
import HeapRuntime
import HeapGraphModel
import HeapRuntimeSnapshot
import Testing

@Suite struct ObjgraphCountTests {
    @Test func countMatchesShortAndQualifiedNames() throws {
        let heap = Heap()
        let holder = heap.list()
        let mine = try heap.makeClass("mymodule.MyClass")
        let other = try heap.makeClass("other.MyClass")
        try heap.append(heap.instance(of: mine), to: holder)
        try heap.append(heap.instance(of: other), to: holder)
        let graph = HeapSnapshot(heap: heap)
        #expect(graph.count(typeName: "MyClass") == 2)
        #expect(graph.count(typeName: "mymodule.MyClass") == 1)
        #expect(graph.count(typeName: "list") == 1)
        #expect(graph.count(typeName: "builtins.list") == 1)
        #expect(graph.count(typeName: "type") == 2)       // the two classes
        #expect(graph.count(typeName: "Missing") == 0)
    }

    @Test func typeStatsByShortAndQualifiedNames() throws {
        let heap = Heap()
        let holder = heap.list()
        let mine = try heap.makeClass("mymodule.MyClass")
        let other = try heap.makeClass("other.MyClass")
        try heap.append(heap.instance(of: mine), to: holder)
        try heap.append(heap.instance(of: other), to: holder)
        try heap.append(heap.str("text"), to: holder)
        let graph = HeapSnapshot(heap: heap)
        let short = graph.typeStats()
        #expect(short["MyClass"] == 2)
        #expect(short["list"] == 1)
        #expect(short["str"] == nil)                       // untracked: objgraph cannot see it either
        let qualified = graph.typeStats(style: .qualified)
        #expect(qualified["mymodule.MyClass"] == 1)
        #expect(qualified["other.MyClass"] == 1)
        #expect(qualified["builtins.list"] == 1)
        // Every node: the strs are the "text" item and the two class names.
        #expect(graph.typeStats(scope: .all)["str"] == 3)
    }

    @Test func typeStatsWithAFilter() throws {
        let heap = Heap()
        let holder = heap.list()
        let cls = try heap.makeClass("mymodule.MyClass")
        let x = try heap.instance(of: cls), y = try heap.instance(of: cls)
        try heap.setAttribute("magic_attr", to: heap.bool(true), on: x)
        try heap.setAttribute("magic_attr", to: heap.bool(false), on: y)
        try heap.append(x, to: holder)
        try heap.append(y, to: holder)
        let graph = HeapSnapshot(heap: heap)
        #expect(graph.typeStats(style: .qualified)["mymodule.MyClass"] == 2)
        let magic = graph.typeStats(style: .qualified) { node in
            graph.edges(of: node).contains { graph.labelText($0) == "magic_attr" && graph.valueLabel(of: $0.target) == "True" }
        }
        #expect(magic == ["mymodule.MyClass": 1])
    }

    @Test func mostCommonTypesOrderAndTable() throws {
        let heap = Heap()
        let holder = heap.list()
        let cls = try heap.makeClass("shapes.Node")
        for _ in 0..<3 { try heap.append(heap.instance(of: cls), to: holder) }
        for _ in 0..<2 { try heap.append(heap.list(), to: holder) }   // 3 lists with the holder
        try heap.append(heap.set(), to: holder)
        let graph = HeapSnapshot(heap: heap)
        let rows = graph.mostCommonTypes(limit: 3)
        #expect(rows.map(\.name) == ["Node", "list", "set"])     // set and type (the class) tie at 1
        let top = graph.mostCommonTypes(limit: 2)
        #expect(top.map(\.name) == ["Node", "list"])
        #expect(top.map(\.count) == [3, 3])                // a tie, broken by name
        #expect(top[0].bytes == 3 * graph.shallowSize(of: try #require(graph.nodes(ofType: "Node").first)))
        #expect(try MostCommonTypesTable.format(top) == "Node 3\nlist 3\n")
        let wide = [TypeCount(name: "function", count: 2930, bytes: 0), TypeCount(name: "dict", count: 1333, bytes: 0)]
        #expect(try HeapSnapshot.formatMostCommonTypes(wide) == "function 2930\ndict     1333\n")
        #expect(throws: ObjgraphTableError.noRows) { try MostCommonTypesTable.format([]) }
        #expect(graph.mostCommonTypes(limit: nil).count == graph.typeStats().count)
        #expect(graph.mostCommonTypes(limit: 0).count == graph.typeStats().count)
    }

    @Test func byTypeAtAndAtAddrs() throws {
        let heap = Heap()
        let holder = heap.list()
        let cls = try heap.makeClass("mymodule.MyClass")
        let x = try heap.instance(of: cls)
        try heap.append(x, to: holder)
        let a = heap.list([heap.int(0).unmanaged(), heap.int(1).unmanaged()])
        try heap.append(a, to: holder)
        let graph = HeapSnapshot(heap: heap)
        let xNode = try #require(graph.ordinal(x.snapshotID))
        let aNode = try #require(graph.ordinal(a.snapshotID))
        #expect(graph.nodes(ofType: "mymodule.MyClass") == [xNode])
        #expect(graph.nodes(ofType: "MyClass") == [xNode])
        #expect(graph.id(of: xNode) == x.snapshotID)
        #expect(graph.node(withID: 1_000_000) == nil)
        #expect(graph.nodes(withIDs: [a.snapshotID, x.snapshotID, 1_000_000]) == [xNode, aNode].sorted())
        #expect(graph.nodes(withIDs: []) == [])
    }

    @Test func leakingObjectsAreTrackedNodesNoTrackedNodeRefersTo() throws {
        let heap = Heap()
        heap.gc.disable()
        let holder = heap.list()
        let inner = heap.list()
        try heap.append(inner, to: holder)
        let watcher = heap.list()                          // refers to `target` only weakly
        let cls = try heap.makeClass("Node")
        let target = try heap.instance(of: cls)
        try heap.append(heap.weakReference(to: target), to: watcher)
        do {                                               // a cycle nothing else holds
            let c = try heap.instance(of: cls), d = try heap.instance(of: cls)
            try heap.setAttribute("peer", to: d, on: c)
            try heap.setAttribute("peer", to: c, on: d)
        }
        let graph = HeapSnapshot(heap: heap)
        // The class is referred to by its instances (__class__), the cycle by itself, the
        // weak reference by `watcher`; `target` only through a weak edge, which does not count.
        let expected = try [holder.snapshotID, watcher.snapshotID, target.snapshotID].map { try #require(graph.ordinal($0)) }.sorted()
        #expect(graph.leakingObjects() == expected)
    }
}
