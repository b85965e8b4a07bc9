/// Why a render failed. Cases that come from Graphviz carry its own message,
/// which libgvc would otherwise have printed to stderr.
///
/// ```swift
/// do {
///     _ = try GraphvizRenderer().render(dot: "digraph { a -> ; }", format: .svg)
/// } catch .syntax(let message) {
///     print(message)   // syntax error in line 1 near ';'
/// }
/// ```
public enum GraphvizError: Error, Sendable, Hashable {
    /// The DOT text did not parse, or held no graph at all.
    case syntax(message: String)
    /// The DOT text held more than one graph; render them one at a time.
    case multipleGraphs(count: Int)
    /// The graph's `layout` attribute (or an internal caller) named an
    /// engine Graphviz does not have. `message` lists the ones it has.
    case unknownEngine(name: String, message: String)
    /// A format name Graphviz has no renderer for.
    case unknownFormat(name: String, message: String)
    /// A standard engine or format is missing, which means the Graphviz
    /// installation is broken; ``MissingPlugin/explanation`` says how to fix it.
    case pluginsMissing(MissingPlugin)
    /// The engine ran and failed.
    case layoutFailed(engine: String, message: String)
    /// The renderer ran and failed.
    case renderFailed(format: String, message: String)
    /// A file name whose extension picks none of the ``OutputFormat`` cases.
    case unknownFileExtension(String)
    /// The rendered bytes could not be written to `path`; `reason` says why in
    /// words that follow the path (`is a directory`, `cannot write: …`).
    case fileWriteFailed(path: String, reason: String)
    /// libgvc could not allocate a context.
    case contextUnavailable
}

/// A standard Graphviz plugin that libgvc could not find, and where libgvc
/// looked for its plugin list.
///
/// libgvc loads layout engines and renderers on demand, from the libraries
/// listed in a configuration file (`config6a` for libgvc 6) in its plugin
/// directory. Debian's libgvc6 install script writes that file with `dot -c`;
/// without it every engine and format is "not recognized".
public struct MissingPlugin: Sendable, Hashable {
    /// Which plugin API was missing something.
    public enum Kind: String, Sendable, Hashable {
        case layoutEngine = "layout engine"
        case renderer = "renderer"
    }

    /// Layout engine or renderer.
    public var kind: Kind
    /// The engine or format name that was asked for, e.g. `"dot"` or `"png"`.
    public var name: String
    /// Where libgvc reads its plugin configuration.
    public var configurationPath: String
    /// Whether that file existed when the failure was seen.
    public var configurationExists: Bool
    /// Graphviz's own message.
    public var graphvizMessage: String

    /// Creates a description of a missing plugin.
    public init(kind: Kind, name: String, configurationPath: String, configurationExists: Bool, graphvizMessage: String) {
        self.kind = kind
        self.name = name
        self.configurationPath = configurationPath
        self.configurationExists = configurationExists
        self.graphvizMessage = graphvizMessage
    }

    /// What went wrong and how to fix it, for people.
    ///
    /// A missing configuration file disables every plugin, so that case
    /// names the file; otherwise the one plugin is disabled or not installed.
    public var explanation: String {
        let fix = "run `dot -c` as root or reinstall libgvc6 (scripts/setup does this)"
        let said = graphvizMessage.isEmpty ? "" : " Graphviz said: \(graphvizMessage)"
        if !configurationExists {
            return "Graphviz plugin configuration not found at \(configurationPath): \(fix).\(said)"
        }
        return "Graphviz \(kind.rawValue) \"\(name)\" is unavailable although the plugin configuration "
            + "exists at \(configurationPath); the plugin is disabled there or its library is missing: "
            + "\(fix).\(said)"
    }
}
