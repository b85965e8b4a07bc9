import Foundation

/// Where the browser tests keep their screenshots beyond the test: the directory named by
/// `HEAPGRAPH_BROWSER_ARTIFACTS` (scripts/test passes `.build/test-artifacts/browser`).
/// Without it the screenshots stay in the test's temporary directory and go with it.
enum BrowserArtifacts {
    static let variable = "HEAPGRAPH_BROWSER_ARTIFACTS"

    static var directory: String? {
        ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Copies `file` into the artifacts directory as `name`, replacing an older copy; does
    /// nothing when no directory is named. Returns the copy's path.
    @discardableResult
    static func keep(_ file: String, as name: String) throws -> String? {
        guard let directory else { return nil }
        let manager = FileManager.default
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let copy = URL(fileURLWithPath: directory).appendingPathComponent(name).path
        if manager.fileExists(atPath: copy) { try manager.removeItem(atPath: copy) }
        try manager.copyItem(atPath: file, toPath: copy)
        return copy
    }
}
