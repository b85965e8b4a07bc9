import Foundation

/// Where a failing leak check writes its snapshot, pictures and report for CI to keep.
/// Nothing is written anywhere else, and nothing at all for a check that passes.
public enum ArtifactsDirectory: Sendable, Hashable {
    /// The directory `HEAPGRAPH_TEST_ARTIFACTS` names; none when it is unset or empty.
    case fromEnvironment
    /// This directory (made, with its parents, when missing).
    case directory(String)
    /// Write nothing.
    case none

    /// The environment variable ``fromEnvironment`` reads.
    public static let environmentVariable = "HEAPGRAPH_TEST_ARTIFACTS"

    /// The directory to write into, nil for none; `environment` stands for the process's.
    public func resolved(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        switch self {
        case .none: return nil
        case .directory(let path): return path.isEmpty ? nil : path
        case .fromEnvironment:
            guard let path = environment[Self.environmentVariable], !path.isEmpty else { return nil }
            return path
        }
    }
}
