import Foundation
import Testing

/// `node` from PATH, or nil when this machine has none (the tests that need it then skip).
let nodeOnPath: String? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    return path.split(separator: ":").map { "\($0)/node" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}()

/// A script of Tests/V8Fixtures.
func v8FixtureScript(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("V8Fixtures/\(name)").path
}

/// Runs a Tests/V8Fixtures script under node with `arguments`; returns what it printed on
/// standard output, parsed as a JSON object.
func runNodeScript(_ name: String, _ arguments: [String]) throws -> [String: Any] {
    let node = try #require(nodeOnPath)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: node)
    process.arguments = [v8FixtureScript(name)] + arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "node \(name) exited with \(process.terminationStatus)")
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "node printed \(String(decoding: data, as: UTF8.self))")
}
