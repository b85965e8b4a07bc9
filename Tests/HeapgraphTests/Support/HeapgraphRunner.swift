import Foundation
import Synchronization
import Testing

/// What one run of the built `heapgraph` executable did.
struct CommandResult {
    var status: Int32
    var standardOutput: String
    var standardError: String
}

/// Runs the `heapgraph` that `swift build` put beside this test bundle, as a user would:
/// a separate process, with stdout and stderr captured (so neither is a terminal).
/// `standardInput` and `standardOutput` replace the defaults (no input; a captured pipe);
/// with `standardOutput` given, the result's standardOutput is empty.
func heapgraph(_ arguments: [String], environment: [String: String] = [:],
               standardInput: FileHandle? = nil, standardOutput: FileHandle? = nil) throws -> CommandResult {
    try run(heapgraphExecutable(), arguments, environment: environment,
            standardInput: standardInput, standardOutput: standardOutput)
}

/// Runs heapgraph through `/bin/sh -c script` with `$HEAPGRAPH` set, for arguments a
/// Swift String cannot carry (file names that are not UTF-8: `$(printf 'caf\351')`).
func heapgraphInShell(_ script: String, in directory: String) throws -> CommandResult {
    try run(URL(fileURLWithPath: "/bin/sh"), ["-c", "cd \"$0\" && " + script, directory],
            environment: ["HEAPGRAPH": try heapgraphExecutable().path])
}

private func run(_ executable: URL, _ arguments: [String], environment: [String: String],
                 standardInput: FileHandle? = nil, standardOutput: FileHandle? = nil) throws -> CommandResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let output = Pipe(), error = Pipe()
    if let standardOutput { process.standardOutput = standardOutput } else { process.standardOutput = output }
    process.standardError = error
    if let standardInput { process.standardInput = standardInput } else { process.standardInput = FileHandle.nullDevice }
    try process.run()
    // Read both pipes before waiting, so a large report cannot fill a pipe and stall.
    let outputData = standardOutput == nil ? output.fileHandleForReading.readDataToEndOfFile() : Data()
    let errorData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus,
                         standardOutput: String(decoding: outputData, as: UTF8.self),
                         standardError: String(decoding: errorData, as: UTF8.self))
}

func heapgraphExecutable() throws -> URL {
    // The test bundle and the executable are products of the same build directory.
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = directory.appendingPathComponent("heapgraph")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        directory = directory.deletingLastPathComponent()
    }
    let fallback = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/debug/heapgraph")
    guard FileManager.default.isExecutableFile(atPath: fallback.path) else {
        throw HarnessError("heapgraph executable not found next to \(CommandLine.arguments[0])")
    }
    return fallback
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Waits for `process` to exit, at most `seconds`; past that it is terminated and the wait
/// fails, naming `what`: a hang fails its test instead of stopping the run.
func waitForExit(_ process: Process, seconds: Double, what: String) throws {
    let deadline = Date().addingTimeInterval(seconds)
    while process.isRunning, Date() < deadline { usleep(20_000) }
    guard process.isRunning else { return }
    process.terminate()
    process.waitUntilExit()
    throw HarnessError("\(what) did not finish within \(Int(seconds)) s")
}

/// A fresh directory for one test's files.
func scratchDirectory(_ name: String) throws -> String {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("heapgraph-cli-tests-\(getpid())/\(name)").path
    try? FileManager.default.removeItem(atPath: path)
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    removeScratchDirectoriesAtExit()
    return path
}

/// An atomic, not a `Synchronization.Mutex`, whose contended path ThreadSanitizer cannot
/// see on Linux.
private let scratchCleanupInstalled = Atomic<Bool>(false)

/// The scratch directories are shared by the tests of this process, so they go when the
/// process exits, after every test has run, not after each test.
func removeScratchDirectoriesAtExit() {
    guard !scratchCleanupInstalled.exchange(true, ordering: .acquiringAndReleasing) else { return }
    atexit {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("heapgraph-cli-tests-\(getpid())").path
        try? FileManager.default.removeItem(atPath: root)
    }
}

/// Replaces what changes from run to run (object addresses, the time a snapshot was
/// written, the scratch directory) so output can be compared with a golden file.
func normalized(_ text: String, directory: String) -> String {
    var text = text.replacingOccurrences(of: directory, with: "DIR")
    text = text.replacingOccurrences(of: #"0x[0-9a-f]{6,}"#, with: "0xID", options: .regularExpression)
    // Ids that are addresses (V8's and the runtime's serial numbers are small and stay).
    text = text.replacingOccurrences(of: #"@[0-9]{9,}"#, with: "@ID", options: .regularExpression)
    text = text.replacingOccurrences(of: #"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"#, with: "TIME", options: .regularExpression)
    return text
}

/// Compares `actual` with `Golden/<name>`; with HEAPGRAPH_UPDATE_GOLDEN=1 rewrites it.
func expectGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Golden/\(name)").path
    if ProcessInfo.processInfo.environment["HEAPGRAPH_UPDATE_GOLDEN"] == "1" {
        try actual.write(toFile: path, atomically: true, encoding: .utf8)
        return
    }
    let expected = try String(contentsOfFile: path, encoding: .utf8)
    #expect(actual == expected, "output differs from Golden/\(name) (rerun with HEAPGRAPH_UPDATE_GOLDEN=1 to accept)", sourceLocation: sourceLocation)
}
