import HeapGraphModel

/// What ``HeapGraphModel/HeapSnapshot/showRefs(_:options:)`` and ``HeapGraphModel/HeapSnapshot/showBackrefs(_:options:)``
/// draw: objgraph's keyword arguments, plus a cap on the nodes drawn.
///
/// Every closure receives a node ordinal.
public struct DOTOptions {
    /// Nodes this many references away are drawn but not expanded (objgraph's `max_depth`).
    public var maxDepth: Int
    /// Nodes never drawn nor walked through (objgraph's `extra_ignore`, as ordinals).
    public var extraIgnore: Set<Int>
    /// When given, neighbours it rejects vanish entirely (the starting nodes are always drawn).
    public var filter: ((Int) -> Bool)?
    /// After this many distinct neighbours of one node the rest are counted into a red
    /// "N more references" / "N more backreferences" node.
    public var tooMany: Int
    /// Nodes it accepts are drawn but not expanded (objgraph's internal `cull_func`, which
    /// `show_backrefs` uses to stop at modules).
    public var cull: ((Int) -> Bool)?
    /// Nodes it accepts are filled blue (objgraph's `highlight`).
    public var highlight: ((Int) -> Bool)?
    /// An extra label line per node; nil adds none.
    public var extraInfo: ((Int) -> String?)?
    /// Appends ` [reference count]` to each node's type line.
    public var refcounts: Bool
    /// Short (`Node`) or module-qualified (`shapes.Node`) type names.
    public var style: TypeNameStyle
    /// More Graphviz attributes per node, appended to its label statement sorted by name;
    /// nil values are dropped (objgraph's `extra_node_attrs`).
    public var extraNodeAttributes: ((Int) -> [String: String?])?
    /// At most this many object nodes are drawn; nodes reached past it are counted into a
    /// note node instead (objgraph has no cap).
    public var maxNodes: Int
    /// Pads each edge label with a space on both sides. `dot` places labels as boxes of
    /// their text's width, so two labels of a Parser ⇄ Request pair no longer touch
    /// ("parserrequest"); leak pictures use it, objgraph's drawings keep its exact labels.
    public var padsEdgeLabels = false
    /// An edge drawn red and bold: a leak trace's suspect reference (source, target).
    public var suspectEdge: (source: Int, target: Int)?

    public init(maxDepth: Int = 3, extraIgnore: Set<Int> = [], filter: ((Int) -> Bool)? = nil, tooMany: Int = 10,
                cull: ((Int) -> Bool)? = nil, highlight: ((Int) -> Bool)? = nil, extraInfo: ((Int) -> String?)? = nil, refcounts: Bool = false,
                style: TypeNameStyle = .short, extraNodeAttributes: ((Int) -> [String: String?])? = nil,
                maxNodes: Int = 200) {
        self.maxDepth = maxDepth
        self.extraIgnore = extraIgnore
        self.filter = filter
        self.tooMany = tooMany
        self.cull = cull
        self.highlight = highlight
        self.extraInfo = extraInfo
        self.refcounts = refcounts
        self.style = style
        self.extraNodeAttributes = extraNodeAttributes
        self.maxNodes = maxNodes
    }
}
