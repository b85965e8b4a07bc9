import CGraphviz
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one lock every libgvc and cgraph call in the process goes through.
///
/// libgvc is not thread-safe even with a context per thread: the DOT lexer,
/// the error buffer, the job list cursor (`gvjobs.c`) and plugin state are C
/// globals, and concurrent renders crash. Holding the session inside the
/// lock makes it impossible to reach Graphviz without the lock.
let graphvizSession = SessionLock()

/// The session behind a pthread mutex. Not `Synchronization.Mutex`: on Linux it waits on a
/// futex that ThreadSanitizer cannot see, so `scripts/test --sanitize thread` reported every
/// pair of concurrent renders as a race; TSan understands pthread mutexes.
final class SessionLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var session = GraphvizSession()

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<Result, Failure: Error>(_ body: (inout GraphvizSession) throws(Failure) -> Result) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&session)
    }
}

/// libgvc state shared by all renders: one long-lived context, created on
/// first use. Only touch it inside `graphvizSession.withLock`.
struct GraphvizSession: ~Copyable {
    private var context: OpaquePointer?

    init() {}

    /// Parses `dot`, lays it out and renders it.
    ///
    /// - Parameters:
    ///   - format: a Graphviz output format name, e.g. `"svg"`.
    ///   - engine: a Graphviz layout engine name, or nil to use the graph's
    ///     `layout` attribute or else `policy`.
    ///
    /// Returns the bytes, and for a PNG larger than cairo can draw, the factor it was
    /// scaled by (nil when it was not).
    mutating func render(
        dot: String, format: String, engine: String?, policy: LayoutPolicy
    ) throws(GraphvizError) -> (bytes: [UInt8], bitmapScale: Double?) {
        let gvc = try openContext()
        let graph = try parse(dot)
        defer { agclose(graph) }

        let engineName = prepareLayout(of: graph, engine: engine, policy: policy)
        // gvFreeLayout is a no-op on a graph that was never laid out, so it
        // is safe after a failed gvLayout too. Runs before agclose.
        defer { gvFreeLayout(gvc, graph) }
        markErrors()
        guard gvLayout(gvc, graph, engineName) == 0 else {
            throw Self.layoutFailure(engine: engineName, message: lastError())
        }
        let bitmapScale = format == OutputFormat.png.rawValue ? try fitBitmap(graph, gvc: gvc, engine: engineName) : nil

        markErrors()
        var data: UnsafeMutablePointer<CChar>?
        var length: UInt32 = 0
        let status = gvRenderData(gvc, graph, format, &data, &length)
        defer { if let data { gvFreeRenderData(data) } }
        guard status == 0, let data else {
            throw Self.renderFailure(format: format, message: lastError())
        }
        return (Array(UnsafeRawBufferPointer(start: data, count: Int(length))), bitmapScale)
    }

    /// The largest side, in pixels, a PNG is drawn at. Cairo cannot draw 32,767 pixels or
    /// more; left to itself, Graphviz 2.43's cairo plugin then scales the picture down and
    /// prints a warning straight to stderr, where no caller can see or silence it.
    static let bitmapLimit = 30_000.0

    /// For a laid-out graph larger than ``bitmapLimit`` pixels at its dpi (96 unless the
    /// graph says), sets its `size` so that it fits, lays it out again and returns the
    /// factor; nil when it fits already. The size is read from the cheap `plain` output of
    /// the layout made.
    private func fitBitmap(_ graph: UnsafeMutablePointer<Agraph_t>, gvc: OpaquePointer, engine: String) throws(GraphvizError) -> Double? {
        var data: UnsafeMutablePointer<CChar>?
        var length: UInt32 = 0
        guard gvRenderData(gvc, graph, "plain", &data, &length) == 0, let data else { return nil }
        let plain = String(decoding: UnsafeRawBufferPointer(start: data, count: Int(length)), as: UTF8.self)
        gvFreeRenderData(data)
        // First line: `graph SCALE WIDTH HEIGHT`, in inches.
        let fields = plain.prefix { $0 != "\n" }.split(separator: " ")
        guard fields.count >= 4, fields[0] == "graph", let width = Double(fields[2]), let height = Double(fields[3]) else { return nil }
        let dpi = attribute("dpi", of: graph).flatMap(Double.init).flatMap { $0 > 0 ? $0 : nil } ?? 96
        let largest = max(width, height) * dpi
        guard largest > Self.bitmapLimit else { return nil }
        let factor = Self.bitmapLimit / largest
        gvFreeLayout(gvc, graph)
        setAttribute("size", to: "\(width * factor),\(height * factor)", of: graph)
        markErrors()
        guard gvLayout(gvc, graph, engine) == 0 else { throw Self.layoutFailure(engine: engine, message: lastError()) }
        return factor
    }

    /// Parses `dot` and returns the node and edge counts the policy sees.
    mutating func count(dot: String) throws(GraphvizError) -> (nodes: Int, edges: Int) {
        _ = try openContext()  // for agseterr, so parse errors stay off stderr
        let graph = try parse(dot)
        defer { agclose(graph) }
        return (Int(agnnodes(graph)), Int(agnedges(graph)))
    }

    // MARK: - Steps

    private mutating func openContext() throws(GraphvizError) -> OpaquePointer {
        if let context { return context }
        // Buffer every cgraph/libgvc message (read back with aglasterr)
        // instead of printing it to stderr.
        _ = agseterr(AGMAX)
        guard let created = gvContext() else { throw .contextUnavailable }
        context = created
        return created
    }

    /// Reads exactly one graph from `dot`.
    private func parse(_ dot: String) throws(GraphvizError) -> UnsafeMutablePointer<Agraph_t> {
        markErrors()
        guard let graph = agmemread(dot) else {
            let message = lastError()
            throw .syntax(message: message.isEmpty ? "no graph in the DOT text" : message)
        }
        // agmemread stops after the first graph but leaves the rest of the
        // text in the lexer's buffer, where the next agmemread would read it
        // instead of its own input. Drain it: each empty read consumes what
        // is left, and ends at end of input or at a syntax error (after which
        // the lexer flushes itself).
        markErrors()
        var extraGraphs = 0
        while let extra = agmemread("") {
            agclose(extra)
            extraGraphs += 1
        }
        let trailing = lastError()
        if extraGraphs > 0 {
            agclose(graph)
            throw .multipleGraphs(count: extraGraphs + 1)
        }
        if !trailing.isEmpty {
            agclose(graph)
            throw .syntax(message: trailing)
        }
        return graph
    }

    /// Picks the engine and sets the plan's graph attributes.
    private func prepareLayout(
        of graph: UnsafeMutablePointer<Agraph_t>, engine: String?, policy: LayoutPolicy
    ) -> String {
        let chosen: String
        if let engine {
            chosen = engine
        } else if let layout = attribute("layout", of: graph), !layout.isEmpty {
            chosen = layout
        } else {
            let plan = policy.plan(nodes: Int(agnnodes(graph)), edges: Int(agnedges(graph)))
            for (name, value) in plan.attributes.sorted(by: { $0.key < $1.key }) {
                // What the DOT text says about its own graph wins.
                if let own = attribute(name, of: graph), !own.isEmpty { continue }
                setAttribute(name, to: value, of: graph)
            }
            chosen = plan.engine.rawValue
        }
        // gvLayout honours a `layout` graph attribute over its argument, so
        // set it to make an explicit engine win over the DOT's.
        setAttribute("layout", to: chosen, of: graph)
        return chosen
    }

    // MARK: - Failure classification

    static func layoutFailure(engine: String, message: String) -> GraphvizError {
        guard message.contains("not recognized") else {
            return .layoutFailed(engine: engine, message: message)
        }
        // A standard engine that is "not recognized" means a broken install.
        if LayoutEngine(rawValue: engine) != nil {
            return .pluginsMissing(missingPlugin(.layoutEngine, engine, message))
        }
        return .unknownEngine(name: engine, message: message)
    }

    static func renderFailure(format: String, message: String) -> GraphvizError {
        guard message.contains("unavailable") || message.contains("not recognized") else {
            return .renderFailed(format: format, message: message)
        }
        if OutputFormat(rawValue: format) != nil {
            return .pluginsMissing(missingPlugin(.renderer, format, message))
        }
        return .unknownFormat(name: format, message: message)
    }

    private static func missingPlugin(_ kind: MissingPlugin.Kind, _ name: String, _ message: String) -> MissingPlugin {
        let path = PluginConfiguration.currentPath()
        return MissingPlugin(
            kind: kind, name: name, configurationPath: path,
            configurationExists: PluginConfiguration.exists(path), graphvizMessage: message
        )
    }

    // MARK: - cgraph helpers

    /// Makes the next `lastError()` see only messages written after this call.
    private func markErrors() {
        hg_agerr_mark()
    }

    /// The newest buffered Graphviz message, without its trailing newline;
    /// empty when there was none since `markErrors()`.
    private func lastError() -> String {
        guard let buffer = aglasterr() else { return "" }
        defer { free(buffer) }
        var text = String(cString: buffer)
        while text.last?.isNewline == true { text.removeLast() }
        return text
    }

    private func attribute(_ name: String, of graph: UnsafeMutablePointer<Agraph_t>) -> String? {
        // agget takes a non-const char* in Graphviz 2.42 but does not write it.
        var mutableName = Array(name.utf8CString)
        guard let value = mutableName.withUnsafeMutableBufferPointer({ agget(graph, $0.baseAddress) }) else {
            return nil
        }
        return String(cString: value)
    }

    private func setAttribute(_ name: String, to value: String, of graph: UnsafeMutablePointer<Agraph_t>) {
        // agsafeset copies its strings; the char* parameters are non-const in 2.42.
        var cName = Array(name.utf8CString)
        var cValue = Array(value.utf8CString)
        var cDefault = Array("".utf8CString)
        cName.withUnsafeMutableBufferPointer { namePointer in
            cValue.withUnsafeMutableBufferPointer { valuePointer in
                cDefault.withUnsafeMutableBufferPointer { defaultPointer in
                    _ = agsafeset(graph, namePointer.baseAddress, valuePointer.baseAddress, defaultPointer.baseAddress)
                }
            }
        }
    }
}
