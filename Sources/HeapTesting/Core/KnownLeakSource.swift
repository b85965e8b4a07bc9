import Foundation
import HeapAnalysis

/// Where a leak check takes its known-leak list from (the syntax is `heapgraph`'s,
/// docs/cli.md, "Known leaks"). Groups the list matches are reported apart and never fail
/// the check.
public enum KnownLeakSource: Sendable, Hashable {
    /// No list: every finding counts.
    case none
    /// The list in this file; a file that cannot be read or parsed fails the check.
    case file(String)
    /// A list made in code.
    case list(KnownLeakList)
    /// `.heapgraph-ignore` in `directory` (nil: the current directory, which `swift test`
    /// makes the package's root) when there is one, else no list.
    case discovered(directory: String? = nil)

    /// The name of the file ``discovered(directory:)`` looks for.
    public static let discoveredFileName = ".heapgraph-ignore"

    /// The list this source names, nil when there is none.
    /// - Throws: ``LeakCheckProblem`` when a named or discovered file cannot be read or is
    ///   not a known-leak list.
    public func load() throws(LeakCheckProblem) -> KnownLeakList? {
        let path: String
        switch self {
        case .none: return nil
        case .list(let list): return list
        case .file(let file): path = file
        case .discovered(let directory):
            let base = directory ?? FileManager.default.currentDirectoryPath
            let candidate = (base.hasSuffix("/") ? base : base + "/") + Self.discoveredFileName
            guard FileManager.default.fileExists(atPath: candidate) else { return nil }
            path = candidate
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LeakCheckProblem("\(path): cannot read the known-leak list")
        }
        do {
            return try KnownLeakList(parsing: String(decoding: data, as: UTF8.self), file: path)
        } catch {
            throw LeakCheckProblem("\(error)")
        }
    }
}
