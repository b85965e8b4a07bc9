import HeapGraphModel

/// Which rules decide what keeps what alive: the edges that count for shortest paths and
/// for the dominator tree, where nodes that no root reaches hang, and which shallow sizes
/// retained sizes add up.
///
/// A graph read from a V8 `.heapsnapshot` follows Chrome DevTools' rules, so retained sizes
/// and distances are the ones its Memory panel shows for the same file; every other graph
/// follows HeapGraph's own (docs/v8.md lists both and how they differ).
///
/// ```swift
/// let rules = RetentionRules(for: graph)   // .devTools for a .heapsnapshot
/// let tree = DominatorTree(graph: graph, rules: rules)
/// ```
public enum RetentionRules: Sendable, Hashable {
    /// HeapGraph's rules: every strong (non-weak) edge counts; every root the graph names
    /// hangs from a virtual super-root and paths start at any root at distance 0; a node no
    /// root reaches hangs from the super-root in ordinal order (the first node of an
    /// unreachable ring dominates the rest).
    case heapGraph
    /// Chrome DevTools' rules (`HeapSnapshot.ts` in its `heap_snapshot_worker`), for V8 heaps:
    /// - the dominator tree hangs from the synthetic root (node 0) and counts only
    ///   *essential* edges: not weak, not a self edge, a shortcut only from the root, no edge
    ///   from an object outside the page (what the root's shortcut edges reach) into one
    ///   inside it, and of the two edges that hold a WeakMap value, the key's and not the
    ///   table's;
    /// - a node with no essential retainer hangs from the root with what it reaches; nodes
    ///   still not placed (rings held only by each other) hang from the root one by one;
    /// - `hidden` and `array` nodes owned by exactly one other object give it their shallow
    ///   size (when the root has user roots), so the owner's shallow size includes them;
    /// - distances count from the user roots (the root's non-synthetic children) at 1; what
    ///   only system roots reach counts from 100,000,000, as DevTools stores it.
    case devTools

    /// The rules for the graph's source: DevTools' for a graph read from a V8 heap snapshot
    /// (its metadata names the V8 runtime), HeapGraph's otherwise.
    public init(for graph: HeapSnapshot) {
        self = graph.metadata.runtime == "V8" ? .devTools : .heapGraph
    }
}
