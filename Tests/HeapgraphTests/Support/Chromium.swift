import Foundation
import Testing

/// Headless Chromium (Debian's `chromium`, installed by scripts/setup), when present.
enum Chromium {
    static let path: String? = {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/chromium" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Why a browser test does not run here, for `.enabled(if:)`.
    static let absentReason: Comment = "chromium is not installed (scripts/setup installs it); browser test skipped"

    /// The arguments every run starts with. Root needs --no-sandbox; the profile goes into
    /// the test's directory, never $HOME.
    static func baseArguments(profileIn directory: String) -> [String] {
        ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
         "--user-data-dir=\(directory)/profile"]
    }

    /// The environment of a run: home, configuration and cache inside `directory`, and
    /// `scratch` (from ``makeScratchDirectory()``) as TMPDIR.
    static func environment(homeIn directory: String, scratch: String) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = directory
        environment["XDG_CONFIG_HOME"] = directory + "/config"
        environment["XDG_CACHE_HOME"] = directory + "/cache"
        environment["TMPDIR"] = scratch
        return environment
    }

    /// Chromium makes org.chromium.Chromium.* in TMPDIR and may leave them: it gets a
    /// directory of ours, which the caller removes when chromium has exited. Short, straight
    /// under TMPDIR: its singleton socket lives there, and a Unix socket path has at most
    /// 107 bytes.
    static func makeScratchDirectory() throws -> String {
        let parent = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((parent + "/c.XXXXXX").utf8CString)
        return try #require(template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
        })
    }

    /// Runs chromium headless with its profile, cache and home inside `directory`, standard
    /// output into `outputFile`; gives up after `seconds`. Returns the exit status.
    static func run(_ arguments: [String], in directory: String, outputFile: String, seconds: Double = 240) throws -> Int32 {
        let chromium = try #require(path)
        try #require(FileManager.default.createFile(atPath: outputFile, contents: nil))
        let output = try #require(FileHandle(forWritingAtPath: outputFile))
        defer { try? output.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = baseArguments(profileIn: directory) + arguments
        let scratch = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        process.environment = environment(homeIn: directory, scratch: scratch)
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try waitForExit(process, seconds: seconds, what: "chromium")
        return process.terminationStatus
    }

    /// Opens `url` once: its DOM after the scripts ran (`--dump-dom`) and a screenshot of
    /// `width`×`height` into `screenshot` (`--screenshot`), from one chromium run.
    static func open(_ url: String, screenshot: String, width: Int = 1280, height: Int = 900,
                     in directory: String) throws -> String {
        let domFile = screenshot + ".dom.html"
        let status = try run(["--dump-dom", "--screenshot=\(screenshot)", "--window-size=\(width),\(height)",
                              "--hide-scrollbars", url],
                             in: directory, outputFile: domFile)
        try #require(status == 0, "chromium exited with \(status) on \(url)")
        return try String(contentsOfFile: domFile, encoding: .utf8)
    }
}
