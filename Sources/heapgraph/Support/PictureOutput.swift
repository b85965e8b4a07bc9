import Foundation
import GraphvizRender
import HeapAnalysis

/// A picture file: its path and the type its extension asks for.
struct PictureFile {
    enum Kind { case dotText, rendered(OutputFormat) }

    var output: OutputFile
    var kind: Kind

    /// The picture `path` names: `.dot`/`.gv` as DOT text, `.svg`, `.png`, `.pdf` rendered
    /// in-process by Graphviz. Fails for any other name, so commands check before printing
    /// anything.
    init(_ path: PathArgument) throws(CommandFailure) {
        guard !path.isStandardStream else {
            throw CommandFailure("-: a picture needs a file name ending in .svg, .png, .pdf or .dot (its type comes from the name)")
        }
        let lowercased = path.display.lowercased()
        if lowercased.hasSuffix(".dot") || lowercased.hasSuffix(".gv") {
            kind = .dotText
        } else if lowercased.hasSuffix(".svg") {
            kind = .rendered(.svg)
        } else if lowercased.hasSuffix(".png") {
            kind = .rendered(.png)
        } else if lowercased.hasSuffix(".pdf") {
            kind = .rendered(.pdf)
        } else {
            throw CommandFailure("\(path.display): unknown picture type; use .svg, .png, .pdf or .dot")
        }
        output = OutputFile(pathBytes: path.bytes, displayName: path.display)
    }

    /// Draws `graph` into the file.
    func write(_ graph: ObjectGraphDOT) throws(CommandFailure) {
        switch kind {
        case .dotText:
            try output.writeText(graph.text)
        case .rendered(let format):
            do { try GraphvizRenderer().render(dot: graph.text, to: output, format: format) } catch {
                throw CommandFailure("\(error)")
            }
        }
    }
}
