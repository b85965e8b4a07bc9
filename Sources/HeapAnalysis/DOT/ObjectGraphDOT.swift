/// A drawn object graph: Graphviz DOT text and what went into it.
public struct ObjectGraphDOT: Sendable, Hashable {
    /// The DOT source (`digraph ObjectGraph { … }`), ending in a newline.
    public var text: String
    /// Object nodes drawn (elision and note nodes not counted), as objgraph's
    /// "Graph written to … (N nodes)".
    public var nodeCount: Int
    /// Distinct objects reached but not drawn because of ``DOTOptions/maxNodes``.
    public var cutNodes: Int

    public init(text: String, nodeCount: Int, cutNodes: Int) {
        self.text = text
        self.nodeCount = nodeCount
        self.cutNodes = cutNodes
    }
}
