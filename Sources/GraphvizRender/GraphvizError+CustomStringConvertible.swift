extension GraphvizError: CustomStringConvertible {
    /// A one-line message that includes Graphviz's own text where there is one.
    public var description: String {
        switch self {
        case .syntax(let message):
            return "invalid DOT: \(message)"
        case .multipleGraphs(let count):
            return "the DOT text holds \(count) graphs; render one graph at a time"
        case .unknownEngine(let name, let message):
            return "unknown layout engine \"\(name)\": \(Self.orSilent(message))"
        case .unknownFormat(let name, let message):
            return "unknown output format \"\(name)\": \(Self.orSilent(message))"
        case .pluginsMissing(let plugin):
            return plugin.explanation
        case .layoutFailed(let engine, let message):
            return "Graphviz layout with \(engine) failed: \(Self.orSilent(message))"
        case .renderFailed(let format, let message):
            return "Graphviz rendering to \(format) failed: \(Self.orSilent(message))"
        case .unknownFileExtension(let ext):
            let known = OutputFormat.fileExtensions.joined(separator: ", ")
            let shown = ext.isEmpty ? "no file extension" : "file extension \".\(ext)\""
            return "cannot pick an output format from \(shown); use one of \(known)"
        case .fileWriteFailed(let path, let reason):
            return "\(path): \(reason)"
        case .contextUnavailable:
            return "Graphviz could not create a rendering context (out of memory?)"
        }
    }

    private static func orSilent(_ message: String) -> String {
        message.isEmpty ? "(Graphviz gave no message)" : message
    }
}
