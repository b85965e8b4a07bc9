// A small "service" on HeapRuntime that leaks on purpose, in the three ways the source
// documents warn about, and writes two snapshots for `heapgraph` to explain:
//
//   1. Closed sessions kept alive from a global: each session's listener stays registered
//      in the global `listeners` list, and the listener points back at its session
//      (Session.listener → Listener.session → Session). The sessions are watched when
//      closed, as LeakCanary watches destroyed activities.
//   2. Cyclic garbage with the collector off: every request builds a Request ⇄ Parser cycle
//      and drops it; with `gc.disable()` (done here "for latency") nothing frees them.
//   3. An uncollectable cycle: a Connection with a legacy finalizer (`__del__` before
//      PEP 442) in a cycle with its Socket ends up in `gc.garbage`.
//
// Usage: LeakyApp OUTPUT-DIRECTORY [--requests N]
// Writes OUTPUT-DIRECTORY/baseline.heapgraph (after the first fifth of the requests) and
// OUTPUT-DIRECTORY/app.heapgraph (at the end), making the directory (and its parents) if
// it does not exist.
import HeapRuntime

#if canImport(Glibc)
import Glibc
#endif

struct Options {
    var directory: String
    var requests = 500

    init(arguments: [String]) throws(UsageError) {
        var rest = arguments.dropFirst()
        guard let directory = rest.popFirst(), !directory.hasPrefix("-") else { throw UsageError() }
        self.directory = directory
        while let flag = rest.popFirst() {
            guard flag == "--requests", let text = rest.popFirst(), let value = Int(text), value > 0 else { throw UsageError() }
            requests = value
        }
    }
}

struct UsageError: Error {}

/// The service's module globals: a dict the program (the host) holds, so it is a root.
func runService(_ heap: Heap, options: Options) throws {
    let globals = heap.dict()
    let listeners = heap.list()
    let sessions = heap.dict()
    let config = heap.dict()
    try heap.setItem(heap.str("listeners"), to: listeners, in: globals)
    try heap.setItem(heap.str("sessions"), to: sessions, in: globals)
    try heap.setItem(heap.str("config"), to: config, in: globals)
    try heap.setItem(heap.str("workers"), to: heap.int(4), in: config)

    let sessionClass = try heap.makeClass("service.Session")
    let listenerClass = try heap.makeClass("service.Listener")
    let requestClass = try heap.makeClass("service.Request")
    let parserClass = try heap.makeClass("service.Parser")
    let socketClass = try heap.makeClass("service.Socket")
    let connectionClass = try heap.makeClass("service.Connection", finalizer: .legacy { _, _ in })
    let classes = [("Session", sessionClass.ref), ("Listener", listenerClass.ref), ("Request", requestClass.ref),
                   ("Parser", parserClass.ref), ("Socket", socketClass.ref), ("Connection", connectionClass.ref)]
    for (name, cls) in classes { try heap.setItem(heap.str(name), to: cls, in: globals) }

    // 3. A connection whose legacy finalizer makes its cycle uncollectable.
    do {
        let connection = try heap.instance(of: connectionClass)
        let socket = try heap.instance(of: socketClass)
        try heap.setAttribute("socket", to: socket, on: connection)
        try heap.setAttribute("connection", to: connection, on: socket)
        try heap.setAttribute("peer", to: heap.str("10.0.0.7:5432"), on: socket)
    }
    let collected = heap.gc.collect()
    print("gc.collect() found \(collected) unreachable objects; gc.garbage holds \((try? heap.count(of: heap.gc.garbage)) ?? 0) objects")

    heap.gc.disable()
    print("gc.disable()  # the service turns the collector off for latency")

    var sessionNumber = 0
    var openSession: OwnedRef? = nil
    for request in 0..<options.requests {
        if request % 10 == 0 {
            // Close the current session (1) and open the next one.
            if let session = openSession.take() {
                try heap.watch(session, description: "Session closed; it should be freed")
                try heap.removeItem(forKey: heap.attribute("name", of: session) ?? session.ref, from: sessions)
            }
            sessionNumber += 1
            let session = try heap.instance(of: sessionClass)
            let listener = try heap.instance(of: listenerClass)
            try heap.setAttribute("name", to: heap.str("session-\(sessionNumber)"), on: session)
            try heap.setAttribute("listener", to: listener, on: session)
            try heap.setAttribute("session", to: session, on: listener)
            try heap.setAttribute("events", to: heap.list(), on: listener)
            try heap.append(listener, to: listeners)    // registered, never unregistered
            try heap.setItem(heap.attribute("name", of: session) ?? session.ref, to: session, in: sessions)
            openSession = consume session
        }
        // 2. A request and its parser refer to each other and are dropped.
        let req = try heap.instance(of: requestClass)
        let parser = try heap.instance(of: parserClass)
        try heap.setAttribute("parser", to: parser, on: req)
        try heap.setAttribute("request", to: req, on: parser)
        try heap.setAttribute("path", to: heap.str("/items/\(request)"), on: req)
        try heap.setAttribute("headers", to: heap.dict(), on: req)

        if request + 1 == options.requests / 5 {
            let path = options.directory + "/baseline.heapgraph"
            try heap.writeSnapshot(to: path, tag: "LeakyApp after \(request + 1) requests")
            print("wrote \(path)")
        }
    }
    let path = options.directory + "/app.heapgraph"
    try heap.writeSnapshot(to: path, tag: "LeakyApp after \(options.requests) requests")
    print("wrote \(path)")
    print("served \(options.requests) requests in \(sessionNumber) sessions; \(heap.retainedObjects(collectingFirst: false).count) closed sessions are still alive")
    _ = openSession
}

/// `mkdir -p`: makes `path` and any missing parents. Throws a message naming the first
/// one that cannot be made, or that exists and is not a directory.
func makeDirectories(_ path: String) throws(DirectoryError) {
    var prefix = path.hasPrefix("/") ? "/" : ""
    for component in path.split(separator: "/") {
        prefix += component
        if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
            throw DirectoryError(message: "cannot create directory \(prefix): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard stat(prefix, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw DirectoryError(message: "cannot create directory \(path): \(prefix) is not a directory")
        }
        prefix += "/"
    }
}

struct DirectoryError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

func printError(_ message: String) {
    var line = message + "\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

func main() -> Int32 {
    let options: Options
    do { options = try Options(arguments: CommandLine.arguments) } catch {
        printError("usage: LeakyApp OUTPUT-DIRECTORY [--requests N]")
        return 2
    }
    do { try makeDirectories(options.directory) } catch {
        printError("LeakyApp: \(error)")
        return 1
    }
    let heap = Heap()
    do { try runService(heap, options: options) } catch {
        printError("LeakyApp: \(error)")
        return 1
    }
    return 0
}

exit(main())
