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

    /// Draws `graph` into the file with `engine` (nil: chosen by size). Unless `quiet`, says
    /// on stderr when objects were left out (`maxNodes`) or a bitmap was scaled to fit.
    func write(_ graph: ObjectGraphDOT, engine: LayoutEngine? = nil, quiet: Bool = false, maxNodes: Int? = nil) throws(CommandFailure) {
        var notes = RenderNotes()
        switch kind {
        case .dotText:
            try output.writeText(graph.text)
        case .rendered(let format):
            do { notes = try GraphvizRenderer().render(dot: graph.text, to: output, format: format, engine: engine) } catch {
                throw CommandFailure("\(error)")
            }
        }
        guard !quiet else { return }
        if graph.cutNodes > 0 {
            let limit = maxNodes.map { " (--max-nodes \($0))" } ?? ""
            Terminal.standardError.write("\(output.displayName): \(graph.cutNodes) more objects not drawn\(limit)\n")
        }
        if let scale = notes.bitmapScale {
            Terminal.standardError.write("\(output.displayName): the picture was too large for a bitmap and was scaled by \(scale) to fit (use .svg or .pdf for full size)\n")
        }
    }
}
