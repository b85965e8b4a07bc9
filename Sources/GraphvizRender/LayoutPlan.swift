/// The engine and graph attributes chosen for one graph by a ``LayoutPolicy``.
///
/// ```swift
/// let plan = LayoutPolicy.standard.plan(nodes: 1000, edges: 2000)
/// plan.engine       // .sfdp
/// plan.attributes   // ["outputorder": "edgesfirst"]
/// ```
public struct LayoutPlan: Sendable, Hashable {
    /// The engine to lay the graph out with.
    public var engine: LayoutEngine
    /// Graph attributes to set before layout. An attribute the DOT text
    /// already sets on the graph keeps the DOT's value.
    public var attributes: [String: String]

    /// Creates a plan.
    public init(engine: LayoutEngine, attributes: [String: String] = [:]) {
        self.engine = engine
        self.attributes = attributes
    }
}
