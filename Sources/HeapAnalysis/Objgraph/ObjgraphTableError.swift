/// Why an objgraph-style table could not be printed.
public enum ObjgraphTableError: Error, Sendable, Hashable {
    /// There were no rows: objgraph's `show_most_common_types` raises `ValueError` here
    /// (it takes the width of the longest name of an empty list).
    case noRows
}
