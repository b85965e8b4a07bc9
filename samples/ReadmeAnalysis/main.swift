import HeapAnalysis
import HeapGraphModel
import HeapRuntime
import HeapRuntimeSnapshot

let heap = Heap()
for _ in 0..<3 {
    let a = heap.list()
    let b = heap.list([a.ref])
    try heap.append(b, to: a)            // three cycles of two lists, which nothing reaches
}
let graph = HeapSnapshot(heap: heap)     // the live heap's graph, as a file would give it
let report = LeakReport.analyze(graph)
for group in report.groups {             // one group: the three cycles have one cause
    print(group.category, group.count)   // prints cyclicGarbage 3: one leak per cycle
}
