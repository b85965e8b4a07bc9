import HeapAnalysis
import HeapRuntime
import HeapGraphModel
import HeapRuntimeSnapshot
import Testing

@Suite struct ObjgraphTrackerTests {
    @Test func growthReportsANewInstanceOnceAndPeaksOnlyRise() throws {
        let heap = Heap()
        let holder = heap.list()
        let cls = try heap.makeClass("mymodule.MyClass")
        var tracker = GrowthTracker()
        _ = tracker.growth(in: HeapSnapshot(heap: heap), limit: nil)
        try heap.append(heap.instance(of: cls), to: holder)
        let grown = tracker.growth(in: HeapSnapshot(heap: heap), limit: nil)
        #expect(grown == [GrowthRow(name: "MyClass", count: 1, delta: 1)])
        #expect(tracker.peakStats["MyClass"] == 1)
        #expect(tracker.growth(in: HeapSnapshot(heap: heap), limit: nil) == [])
        // Down to zero and back to one: not above the peak, so not reported.
        _ = try heap.pop(from: holder)
        _ = tracker.growth(in: HeapSnapshot(heap: heap), limit: nil)
        try heap.append(heap.instance(of: cls), to: holder)
        #expect(tracker.growth(in: HeapSnapshot(heap: heap), limit: nil) == [])
        #expect(tracker.peakStats["MyClass"] == 1)
    }

    @Test func growthWithCustomPeakStatsAndItsText() throws {
        let heap = Heap()
        let holder = heap.list()
        let cls = try heap.makeClass("MyBigFatObject")
        for _ in 0..<2 { try heap.append(heap.instance(of: cls), to: holder) }
        var tracker = GrowthTracker(peakStats: ["list": 5, "type": 0])
        let rows = tracker.growth(in: HeapSnapshot(heap: heap))
        #expect(rows == [GrowthRow(name: "MyBigFatObject", count: 2, delta: 2), GrowthRow(name: "type", count: 1, delta: 1)])
        #expect(tracker.peakStats == ["list": 5, "type": 1, "MyBigFatObject": 2])
        #expect(GrowthTracker.format(rows) == "MyBigFatObject        2        +2\ntype                  1        +1\n")
        #expect(GrowthTracker.format([]) == "")
        #expect(GrowthTracker.format([GrowthRow(name: "dict", count: 1266, delta: 2)]) == "dict     1266        +2\n")
    }

    @Test func newIDsReportANewObjectOnce() throws {
        let heap = Heap()
        let holder = heap.list()
        let cls = try heap.makeClass("mymodule.MyClass")
        var tracker = NewIDTracker()
        tracker.update(with: HeapSnapshot(heap: heap))
        let x = try heap.instance(of: cls)
        try heap.append(x, to: holder)
        let xID = x.snapshotID
        let graph = HeapSnapshot(heap: heap)
        #expect(tracker.update(with: graph)["MyClass"] == [xID])
        #expect(tracker.newIDs["MyClass"] == [xID])         // skip_update: the last answer again
        #expect(tracker.update(with: graph)["MyClass"] == [])
        #expect(graph.nodes(withIDs: [xID]) == [try #require(graph.ordinal(x.snapshotID))])
    }

    @Test func newIDsRememberTheQualifiedStyle() throws {
        let heap = Heap()
        let holder = heap.list()
        let cls = try heap.makeClass("mymodule.MyClass")
        var tracker = NewIDTracker()
        tracker.update(with: HeapSnapshot(heap: heap), style: .qualified)
        let x = try heap.instance(of: cls)
        try heap.append(x, to: holder)
        let fresh = tracker.update(with: HeapSnapshot(heap: heap))
        #expect(fresh["mymodule.MyClass"] == [x.snapshotID])
        #expect(fresh["builtins.list"] == [])
    }

    @Test func newIDsTable() throws {
        let heap = Heap()
        let holder = heap.list()
        var tracker = NewIDTracker()
        tracker.update(with: HeapSnapshot(heap: heap))
        for _ in 0..<10 { try heap.append(heap.list(), to: holder) }
        tracker.update(with: HeapSnapshot(heap: heap))
        #expect(tracker.rows(limit: 1) == [NewIDRow(name: "list", oldCount: 1, currentCount: 11, newCount: 10, delta: 10)])
        #expect(tracker.rows(limit: 0) == [])
        #expect(NewIDTracker.format(tracker.rows(limit: 1)) == """
            ========================================================
            Type      Old_ids  Current_ids      New_ids Count_Deltas
            ========================================================
            list            1           11          +10          +10
            ========================================================

            """)
        #expect(NewIDTracker.format([]) == "")
        // Sorted by a column, descending, ties by name descending as objgraph's sort does.
        let rows = [NewIDRow(name: "a", oldCount: 1, currentCount: 1, newCount: 0, delta: 0),
                    NewIDRow(name: "b", oldCount: 1, currentCount: 1, newCount: 0, delta: 0)]
        #expect(NewIDTracker.format(rows).split(separator: "\n")[3].hasPrefix("a "))
    }
}
