/// How ``GraphvizRenderer`` keeps layout time bounded as graphs grow, when
/// the caller leaves the engine to it.
///
/// `dot` draws reference graphs best, but its time grows steeply with the
/// number of edges that do not fit a tree: a random 400-node, 800-edge graph
/// takes minutes with Graphviz's defaults. The standard policy therefore
/// sorts a parsed graph (counted with cgraph's `agnnodes`/`agnedges`) into
/// three tiers:
///
/// | Tier | When | Layout |
/// |---|---|---|
/// | defaults | nodes ≤ 300 and edges − (nodes − 1) ≤ 64 | `dot`, Graphviz's defaults |
/// | bounded | otherwise, nodes ≤ 1000 and edges ≤ 1000 | `dot` with `nslimit=0.001 nslimit1=1 mclimit=0.1 splines=line` |
/// | large | everything bigger | `sfdp` with `outputorder=edgesfirst` |
///
/// `edges − (nodes − 1)` counts the edges beyond a spanning tree ("cross
/// edges"); those create the long edges and crossings that make `dot` slow.
/// The bounded tier caps network-simplex iterations (`nslimit`,
/// `nslimit1`) and crossing-minimization passes (`mclimit`) and draws
/// straight edges instead of routing splines. Measured on a 2-core machine,
/// the slowest graphs found for each tier took about 0.5 s, 1.7 s and 1.8 s
/// (a 5000-node, 10000-edge sfdp layout).
///
/// The rule only applies when the engine is automatic: an `engine:` argument
/// or a `layout` attribute in the DOT text is used as given, and any
/// attribute the DOT text sets on the graph (say `splines=ortho`) wins over
/// the plan's. To turn the rule off use ``graphvizDefaults``; to move the
/// limits, change the properties:
///
/// ```swift
/// var policy = LayoutPolicy.standard
/// policy.largeGraphEngine = .neato
/// let renderer = GraphvizRenderer(policy: policy)
/// ```
public struct LayoutPolicy: Sendable, Hashable {
    /// Largest node count laid out with Graphviz's defaults.
    public var maxNodesForDefaults: Int
    /// Most cross edges (edges beyond a spanning tree) laid out with
    /// Graphviz's defaults.
    public var maxCrossEdgesForDefaults: Int
    /// Largest node count laid out with bounded `dot`.
    public var maxNodesForBoundedDot: Int
    /// Largest edge count laid out with bounded `dot`.
    public var maxEdgesForBoundedDot: Int
    /// Graph attributes for the bounded tier.
    public var boundedDotAttributes: [String: String]
    /// Engine for graphs above the bounded tier.
    public var largeGraphEngine: LayoutEngine
    /// Graph attributes for the large tier.
    public var largeGraphAttributes: [String: String]

    /// Creates a policy; the defaults are those of ``standard``.
    public init(
        maxNodesForDefaults: Int = 300,
        maxCrossEdgesForDefaults: Int = 64,
        maxNodesForBoundedDot: Int = 1000,
        maxEdgesForBoundedDot: Int = 1000,
        boundedDotAttributes: [String: String] = [
            "nslimit": "0.001", "nslimit1": "1", "mclimit": "0.1", "splines": "line",
        ],
        largeGraphEngine: LayoutEngine = .sfdp,
        largeGraphAttributes: [String: String] = ["outputorder": "edgesfirst"]
    ) {
        self.maxNodesForDefaults = maxNodesForDefaults
        self.maxCrossEdgesForDefaults = maxCrossEdgesForDefaults
        self.maxNodesForBoundedDot = maxNodesForBoundedDot
        self.maxEdgesForBoundedDot = maxEdgesForBoundedDot
        self.boundedDotAttributes = boundedDotAttributes
        self.largeGraphEngine = largeGraphEngine
        self.largeGraphAttributes = largeGraphAttributes
    }

    /// The three-tier rule described above.
    public static let standard = LayoutPolicy()

    /// Always `dot` with Graphviz's defaults, however large the graph: what
    /// the `dot` command does. Large graphs may take minutes.
    public static let graphvizDefaults = LayoutPolicy(
        maxNodesForDefaults: .max,
        maxCrossEdgesForDefaults: .max
    )

    /// The plan for a graph with `nodes` nodes and `edges` edges.
    ///
    /// ```swift
    /// LayoutPolicy.standard.plan(nodes: 100, edges: 130).engine   // .dot, no attributes
    /// LayoutPolicy.standard.plan(nodes: 200, edges: 350)          // dot, bounded
    /// LayoutPolicy.standard.plan(nodes: 1000, edges: 2000).engine // .sfdp
    /// ```
    ///
    /// - Complexity: O(1).
    public func plan(nodes: Int, edges: Int) -> LayoutPlan {
        let crossEdges = max(0, edges - max(0, nodes - 1))
        if nodes <= maxNodesForDefaults && crossEdges <= maxCrossEdgesForDefaults {
            return LayoutPlan(engine: .dot)
        }
        if nodes <= maxNodesForBoundedDot && edges <= maxEdgesForBoundedDot {
            return LayoutPlan(engine: .dot, attributes: boundedDotAttributes)
        }
        return LayoutPlan(engine: largeGraphEngine, attributes: largeGraphAttributes)
    }
}
