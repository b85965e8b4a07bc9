import Foundation

/// What one run of a program did.
struct RunResult {
    var status: Int32
    var standardOutput: String
    var standardError: String
}

/// Runs `executable` with `arguments` in `directory`, capturing stdout and stderr.
func runProgram(_ executable: String, _ arguments: [String], in directory: String,
                environment: [String: String] = [:]) throws -> RunResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    var env = ProcessInfo.processInfo.environment
    env["TMPDIR"] = directory
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let output = Pipe(), error = Pipe()
    process.standardOutput = output
    process.standardError = error
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return RunResult(status: process.terminationStatus,
                     standardOutput: String(decoding: outputData, as: UTF8.self),
                     standardError: String(decoding: errorData, as: UTF8.self))
}

/// The repository's root (this file is Tests/MiniPyTests/Support/ProgramRunner.swift).
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The `minipy` that `swift build` put beside this test bundle.
func minipyExecutable() throws -> String { try builtExecutable("minipy") }

/// An executable of this package (`minipy`, `heapgraph`) that `swift build` put beside
/// this test bundle.
func builtExecutable(_ name: String) throws -> String {
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = directory.appendingPathComponent(name).path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        directory = directory.deletingLastPathComponent()
    }
    let fallback = repositoryRoot.appendingPathComponent(".build/debug/" + name).path
    guard FileManager.default.isExecutableFile(atPath: fallback) else {
        throw TestError("\(name) executable not found next to \(CommandLine.arguments[0])")
    }
    return fallback
}

struct TestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A new empty directory for one test, removed by `removeScratch`.
func makeScratch(_ name: String) throws -> String {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("minipy-tests-\(getpid())-\(name)-\(UUID().uuidString.prefix(8))").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func removeScratch(_ path: String) { try? FileManager.default.removeItem(atPath: path) }

/// A CPython 3.11 to compare with: the repository's .venv-python (which has objgraph, from
/// scripts/test-python) if present, else `python3` on PATH. Nil, with the reason, when none.
func cpython() -> (path: String?, note: String) {
    var candidates = [repositoryRoot.appendingPathComponent(".venv-python/bin/python").path]
    for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
        candidates.append(String(directory) + "/python3")
    }
    for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
        guard let result = try? runProgram(candidate, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                                           in: FileManager.default.temporaryDirectory.path),
              result.status == 0 else { continue }
        let version = result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        if version == "3.11" { return (candidate, "CPython \(version) at \(candidate)") }
    }
    return (nil, "no CPython 3.11 (python3) found: the comparison with CPython is skipped")
}

func cpythonHasObjgraph(_ python: String) -> Bool {
    (try? runProgram(python, ["-c", "import objgraph"], in: FileManager.default.temporaryDirectory.path))?.status == 0
}
