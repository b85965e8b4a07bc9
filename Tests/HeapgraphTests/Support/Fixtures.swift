import HeapRuntime

/// The snapshots the end-to-end tests read, made by the runtime inside the test.
struct LeakFixture {
    var directory: String
    var baseline: String { directory + "/baseline.heapgraph" }
    var middle: String { directory + "/middle.heapgraph" }
    var final: String { directory + "/app.heapgraph" }
    var clean: String { directory + "/clean.heapgraph" }
}

/// A heap that leaks in every category, snapshotted three times as it grows:
/// - `globals` (held by the test, a root) → "cache" list → Holder → .session → Session,
///   which is watched ("closed session") and in a cycle Session.listener ⇄ Listener.session;
/// - with the collector off, `pairs` Node.next/Node.prev cycles dropped (cyclic garbage);
/// - a Connection with a legacy finalizer in a cycle with its Socket (gc.garbage).
/// Also `clean.heapgraph`: a heap with no leaks at all.
func makeLeakFixture(in directory: String, pairs: [Int] = [2, 4, 6]) throws -> LeakFixture {
    let fixture = LeakFixture(directory: directory)
    let heap = Heap()
    let globals = heap.dict()
    let cache = heap.list()
    try heap.setItem(heap.str("cache"), to: cache, in: globals)
    let holderClass = try heap.makeClass("app.Holder")
    let sessionClass = try heap.makeClass("app.Session")
    let listenerClass = try heap.makeClass("app.Listener")
    let nodeClass = try heap.makeClass("app.Node")
    let connectionClass = try heap.makeClass("app.Connection", finalizer: .legacy { _, _ in })
    let socketClass = try heap.makeClass("app.Socket")
    try heap.setItem(heap.str("Node"), to: nodeClass, in: globals)

    do {
        let connection = try heap.instance(of: connectionClass)
        let socket = try heap.instance(of: socketClass)
        try heap.setAttribute("socket", to: socket, on: connection)
        try heap.setAttribute("connection", to: connection, on: socket)
    }
    heap.gc.collect()
    heap.gc.disable()

    do {
        let holder = try heap.instance(of: holderClass)
        let session = try heap.instance(of: sessionClass)
        let listener = try heap.instance(of: listenerClass)
        try heap.setAttribute("session", to: session, on: holder)
        try heap.setAttribute("listener", to: listener, on: session)
        try heap.setAttribute("session", to: session, on: listener)
        try heap.setAttribute("name", to: heap.str("session-1"), on: session)
        try heap.append(holder, to: cache)
        try heap.watch(session, description: "closed session")
    }

    let paths = [fixture.baseline, fixture.middle, fixture.final]
    var made = 0
    for (step, total) in pairs.enumerated() {
        while made < total {
            let a = try heap.instance(of: nodeClass), b = try heap.instance(of: nodeClass)
            try heap.setAttribute("next", to: b, on: a)
            try heap.setAttribute("prev", to: a, on: b)
            made += 1
        }
        try heap.append(heap.list(), to: cache)   // one more list at every step
        try heap.writeSnapshot(to: paths[step], tag: "fixture step \(step + 1)")
    }

    let cleanHeap = Heap()
    let root = cleanHeap.list()
    try cleanHeap.append(cleanHeap.dict(), to: root)
    try cleanHeap.append(cleanHeap.str("hello"), to: root)
    try cleanHeap.writeSnapshot(to: fixture.clean, tag: "clean")
    return fixture
}

/// A snapshot of a heap with no objects at all.
func makeEmptySnapshot(in directory: String) throws -> String {
    let path = directory + "/empty.heapgraph"
    try Heap().writeSnapshot(to: path, tag: "empty")
    return path
}
