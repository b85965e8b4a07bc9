// A tour of HeapRuntime through the examples of the source documents: reference counts,
// identity, cycles the collector frees, and the pooled allocator's report.
import HeapRuntime


func show(_ label: String, _ value: Any) {
    print(label + String(repeating: " ", count: max(1, 52 - label.count)), value)
}

/// Top-level variables are globals, which cannot give up noncopyable values; a function
/// scope can.
func tour(_ heap: Heap) throws {
    print("== References and counts (sys.getrefcount prints one more: its own argument)")
    let one = heap.int(1), two = heap.int(2), three = heap.int(3)
    let a = heap.list([one.ref, two.ref, three.ref])
    show("a = [1, 2, 3]; refcount(a)", heap.refcount(of: a))
    let b = a.copy()
    show("b = a; refcount(a)", heap.refcount(of: a))
    let c = heap.list([a.ref, a.ref])
    show("c = [a, a]; refcount(a)", heap.refcount(of: a))
    c.release()
    b.release()
    show("del c; del b; refcount(a)", heap.refcount(of: a))

    print("\n== Identity")
    let x = heap.int(1), y = heap.int(1)
    show("a = 1; b = 1; a is b", heap.isIdentical(x, y))
    let s1 = heap.str("good"), s2 = heap.str("good")
    show("a = \"good\"; b = \"good\"; a is b", heap.isIdentical(s1, s2))
    let l1 = heap.str("very good morning"), l2 = heap.str("very good morning")
    show("a = \"very good morning\"; ...; a is b", heap.isIdentical(l1, l2))
    let e1 = heap.list(), e2 = heap.list()
    show("a = []; b = []; a is b", heap.isIdentical(e1, e2))

    print("\n== A reference cycle: a = []; b = [a]; a.append(b); del a; del b")
    heap.gc.debugFlags = .stats
    heap.gc.setDebugSink { print("  " + $0) }
    do {
        let a = heap.list()
        let b = heap.list([a.ref])
        try heap.append(b, to: a)
    }
    show("gc.collect() found", heap.gc.collect())
    heap.gc.debugFlags = []
    show("gc.get_threshold()", heap.gc.thresholds)
    show("gc.get_count()", heap.gc.counts)

    print("\n== The pooled allocator (sys._debugmallocstats)")
    let keep = heap.list()
    for i in 0..<10_000 { try heap.append(heap.int(1_000 + i), to: keep) }
    print(heap.allocatorStats())
}

try tour(Heap())
