import GraphvizRender
import HeapAnalysis
import HeapGraphModel

/// One leak group's picture (``HeapSnapshot/showLeak(_:maxNodes:)``) rendered to SVG in
/// memory by GraphvizRender, ready to be put into the page.
struct LeakPictureSVG {
    /// The `<svg>` element, or nil when it could not be drawn.
    var svg: String?
    /// Why there is no picture, or what was left out of it.
    var note: String?

    /// Draws `group` with at most `maxNodes` objects; `idPrefix` keeps the picture's
    /// element ids apart from the other pictures'.
    init(group: LeakGroup, graph: HeapSnapshot, maxNodes: Int, idPrefix: String) {
        let picture = graph.showLeak(group, maxNodes: maxNodes)
        do {
            let bytes = try GraphvizRenderer().render(dot: picture.text, format: .svg)
            svg = InlineSVG.element(from: String(decoding: bytes, as: UTF8.self), idPrefix: idPrefix)
            if svg == nil { note = "Graphviz gave no SVG for this picture" }
            else if picture.cutNodes > 0 { note = "\(ReportStyle.count(picture.cutNodes)) more objects not drawn (at most \(maxNodes) per picture)" }
        } catch {
            svg = nil
            note = "the picture could not be drawn: \(error)"
        }
    }
}
