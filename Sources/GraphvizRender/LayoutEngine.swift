/// A Graphviz layout engine: the program that places nodes and routes edges.
///
/// Each case is a layout plugin that ships with libgvc:
///
/// ```swift
/// let svg = try GraphvizRenderer().render(dot: "graph { a -- b }", format: .svg, engine: .neato)
/// ```
public enum LayoutEngine: String, CaseIterable, Sendable, Hashable {
    /// Hierarchical layers, edges mostly pointing one way. Best for
    /// reference chains and trees such as objgraph's backref drawings, and
    /// the slowest engine on large or dense graphs (see ``LayoutPolicy``).
    case dot
    /// Spring model (stress majorization). Good for small undirected graphs.
    case neato
    /// Force-directed (Fruchterman–Reingold).
    case fdp
    /// Multiscale force-directed; the fast choice for large graphs.
    case sfdp
    /// Circular layout, one circle per biconnected component.
    case circo
    /// Radial layout around a root node.
    case twopi
}
