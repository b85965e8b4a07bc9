import Foundation
import Testing

/// Runs the LeakyApp sample built beside heapgraph; its snapshots go into `directory`.
func leakyAppSnapshots(in directory: String, requests: Int = 200) throws -> (app: String, baseline: String) {
    let executable = try heapgraphExecutable().deletingLastPathComponent().appendingPathComponent("LeakyApp")
    try #require(FileManager.default.isExecutableFile(atPath: executable.path),
                 "LeakyApp is built beside heapgraph by swift build --build-tests")
    let process = Process()
    process.executableURL = executable
    process.arguments = [directory, "--requests", "\(requests)"]
    process.standardOutput = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0)
    return (directory + "/app.heapgraph", directory + "/baseline.heapgraph")
}

/// The leak groups `leaks --format json` finds: fingerprint and example ids.
func leakGroups(_ arguments: [String]) throws -> [(fingerprint: String, ids: [UInt64])] {
    let result = try heapgraph(["leaks"] + arguments + ["--format", "json"])
    let report = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
    let groups = try #require(report["leaks"] as? [[String: Any]])
    return groups.map { (($0["fingerprint"] as? String) ?? "?", (($0["exampleIds"] as? [NSNumber]) ?? []).map(\.uint64Value)) }
}
