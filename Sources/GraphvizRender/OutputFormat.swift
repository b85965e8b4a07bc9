/// What ``GraphvizRenderer`` produces from a laid-out graph.
///
/// ```swift
/// let format = try OutputFormat(fileExtension: "gv")   // .dot
/// ```
public enum OutputFormat: String, CaseIterable, Sendable, Hashable {
    /// Scalable Vector Graphics (UTF-8 XML text).
    case svg
    /// Portable Network Graphics, drawn by the cairo plugin.
    case png
    /// Portable Document Format, drawn by the cairo plugin.
    case pdf
    /// The input graph written back as DOT with layout attributes
    /// (`pos`, `bb`, …) filled in.
    case dot
    /// Graphviz's JSON description of the laid-out graph.
    case json

    /// The format a file name extension asks for, as objgraph's `filename=`
    /// picks it: `svg`, `png`, `pdf`, `dot`, `gv` (DOT) and `json`.
    ///
    /// The extension may have a leading dot and any letter case:
    ///
    /// ```swift
    /// try OutputFormat(fileExtension: ".PNG")   // .png
    /// try OutputFormat(fileExtension: "bmp")    // throws GraphvizError.unknownFileExtension("bmp")
    /// ```
    ///
    /// - Throws: ``GraphvizError/unknownFileExtension(_:)`` for any other extension.
    public init(fileExtension: String) throws(GraphvizError) {
        let bare = fileExtension.hasPrefix(".") ? String(fileExtension.dropFirst()) : fileExtension
        switch bare.lowercased() {
        case "svg": self = .svg
        case "png": self = .png
        case "pdf": self = .pdf
        case "dot", "gv": self = .dot
        case "json": self = .json
        default: throw .unknownFileExtension(bare)
        }
    }

    /// Every file name extension ``init(fileExtension:)`` accepts, dotted.
    public static let fileExtensions: [String] = [".svg", ".png", ".pdf", ".dot", ".gv", ".json"]
}
