/// Renders DOT text to SVG, PNG, PDF, laid-out DOT or JSON inside the
/// process, through Graphviz's libgvc, instead of writing a temporary file and
/// spawning `dot` as objgraph does.
///
/// ```swift
/// let renderer = GraphvizRenderer()
/// let svg = try renderer.render(dot: "digraph { a -> b }", format: .svg)
/// try renderer.render(dot: "digraph { a -> b }", toFile: "/tmp/refs.png")
/// ```
///
/// Renderers are cheap values; all of them share one libgvc context behind
/// one process-wide lock, because libgvc is not thread-safe. Renders from
/// many threads or tasks are safe and run one at a time.
///
/// Graphviz's warnings and errors never reach stderr: errors are thrown as
/// ``GraphvizError`` with Graphviz's message, warnings are dropped.
public struct GraphvizRenderer: Sendable {
    /// How the engine is picked when the caller leaves it open.
    public var policy: LayoutPolicy

    /// Creates a renderer.
    ///
    /// - Parameter policy: the large-graph rule; ``LayoutPolicy/standard``
    ///   keeps layout time bounded, ``LayoutPolicy/graphvizDefaults`` always
    ///   uses plain `dot` as the `dot` command would.
    public init(policy: LayoutPolicy = .standard) {
        self.policy = policy
    }

    /// Lays out `dot` and renders it to `format`.
    ///
    /// ```swift
    /// let png = try GraphvizRenderer().render(dot: "digraph { a -> b }", format: .png)
    /// png.prefix(4)   // [0x89, 0x50, 0x4E, 0x47]
    /// ```
    ///
    /// - Parameters:
    ///   - dot: one graph in the DOT language.
    ///   - format: what to produce.
    ///   - engine: the layout engine. When nil, the graph's own `layout`
    ///     attribute is used if it has one, otherwise ``policy`` picks the
    ///     engine and limits from the graph's size.
    /// - Returns: the rendered bytes (UTF-8 text for SVG, DOT and JSON).
    /// - Throws: ``GraphvizError`` with Graphviz's message.
    /// - Complexity: dominated by the layout: roughly linear in the graph's
    ///   size for `sfdp` and for `dot` on trees, but superlinear for `dot`
    ///   on graphs with many cross edges, which is what ``policy`` bounds.
    ///   Waits for any other render in the process to finish first.
    public func render(dot: String, format: OutputFormat = .svg, engine: LayoutEngine? = nil) throws(GraphvizError) -> [UInt8] {
        try render(dot: dot, formatName: format.rawValue, engineName: engine?.rawValue)
    }

    /// Lays out `dot` and writes it to `path`, whose extension picks the
    /// format as objgraph's `filename=` does: `.svg`, `.png`, `.pdf`,
    /// `.dot` or `.gv` (laid-out DOT), `.json`.
    ///
    /// ```swift
    /// try GraphvizRenderer().render(dot: dotText, toFile: "leak.pdf")
    /// ```
    ///
    /// The file is written as ``OutputFile`` writes: only after rendering
    /// succeeded; a regular file is replaced atomically, a symbolic link's
    /// target is replaced (not the link), a device or FIFO is written into.
    ///
    /// - Throws: ``GraphvizError/unknownFileExtension(_:)`` before doing any
    ///   work for another extension, ``GraphvizError/fileWriteFailed(path:reason:)``
    ///   before rendering when the file could not be written (a directory, a
    ///   missing directory) and after it when writing failed, and the errors of
    ///   ``render(dot:format:engine:)``.
    /// - Complexity: as ``render(dot:format:engine:)``, plus writing the bytes.
    public func render(dot: String, toFile path: String, engine: LayoutEngine? = nil) throws(GraphvizError) {
        let format = try OutputFormat(fileExtension: Self.fileExtension(of: path))
        try render(dot: dot, to: OutputFile(path: path), format: format, engine: engine)
    }

    /// Lays out `dot`, renders it to `format` and writes the bytes to
    /// `output` (which may be standard output, or a path that is not UTF-8).
    ///
    /// - Throws: ``GraphvizError/fileWriteFailed(path:reason:)`` (before
    ///   rendering when ``OutputFile/check()`` already fails), and the errors
    ///   of ``render(dot:format:engine:)``.
    /// - Complexity: as ``render(dot:format:engine:)``, plus writing the bytes.
    /// - Returns: what Graphviz said about the picture (``RenderNotes``): whether a bitmap
    ///   was scaled down to fit.
    @discardableResult
    public func render(dot: String, to output: OutputFile, format: OutputFormat, engine: LayoutEngine? = nil) throws(GraphvizError) -> RenderNotes {
        do { _ = try output.check() } catch {
            throw .fileWriteFailed(path: output.displayName, reason: error.problem)
        }
        let policy = self.policy
        let (bytes, scale) = try graphvizSession.withLock { (session: inout GraphvizSession) throws(GraphvizError) in
            try session.render(dot: dot, format: format.rawValue, engine: engine?.rawValue, policy: policy)
        }
        do { try output.write(bytes) } catch {
            throw .fileWriteFailed(path: output.displayName, reason: error.problem)
        }
        return RenderNotes(bitmapScale: scale)
    }

    /// The text after the last dot of the last path component ("" when none).
    static func fileExtension(of path: String) -> String {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[name.index(after: dot)...])
    }

    /// Renders with Graphviz engine and format names that need not be among
    /// ``LayoutEngine`` and ``OutputFormat`` (tests use it to reach the
    /// unknown-name errors).
    func render(dot: String, formatName: String, engineName: String?) throws(GraphvizError) -> [UInt8] {
        let policy = self.policy
        return try graphvizSession.withLock { (session: inout GraphvizSession) throws(GraphvizError) -> [UInt8] in
            try session.render(dot: dot, format: formatName, engine: engineName, policy: policy).bytes
        }
    }

    /// The plan ``policy`` makes for the graph in `dot`, from cgraph's node
    /// and edge counts. ``render(dot:format:engine:)`` follows it when called
    /// without an engine on a graph without a `layout` attribute.
    ///
    /// ```swift
    /// try GraphvizRenderer().layoutPlan(forDOT: "digraph { a -> b }").engine   // .dot
    /// ```
    ///
    /// - Complexity: O(size of `dot`) to parse it.
    public func layoutPlan(forDOT dot: String) throws(GraphvizError) -> LayoutPlan {
        let counts = try graphvizSession.withLock { (session: inout GraphvizSession) throws(GraphvizError) -> (nodes: Int, edges: Int) in
            try session.count(dot: dot)
        }
        return policy.plan(nodes: counts.nodes, edges: counts.edges)
    }
}
