import Foundation
import Testing

/// Headless Chromium (Debian's `chromium`, installed by scripts/setup), when present.
enum Chromium {
    static let path: String? = {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/chromium" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Runs chromium headless with its profile, cache and home inside `directory`, standard
    /// output into `outputFile`; gives up after `seconds`. Returns the exit status.
    static func run(_ arguments: [String], in directory: String, outputFile: String, seconds: Double = 240) throws -> Int32 {
        let chromium = try #require(path)
        try #require(FileManager.default.createFile(atPath: outputFile, contents: nil))
        let output = try #require(FileHandle(forWritingAtPath: outputFile))
        defer { try? output.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        // Root needs --no-sandbox; the profile goes into the test's directory, never $HOME.
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                             "--user-data-dir=\(directory)/profile"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = directory
        environment["XDG_CONFIG_HOME"] = directory + "/config"
        environment["XDG_CACHE_HOME"] = directory + "/cache"
        // Chromium makes org.chromium.Chromium.* in TMPDIR and may leave them: give it a
        // directory of ours, removed when it has exited. Short, straight under TMPDIR: its
        // singleton socket lives there, and a Unix socket path has at most 107 bytes.
        let parent = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((parent + "/c.XXXXXX").utf8CString)
        let scratch = try #require(template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
        })
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        environment["TMPDIR"] = scratch
        process.environment = environment
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(50_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw HarnessError("chromium did not finish within \(Int(seconds)) s")
        }
        return process.terminationStatus
    }
}
