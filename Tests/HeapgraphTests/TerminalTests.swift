import Foundation
import Testing

/// Progress and colour depend on a terminal: these run heapgraph under `script`, which gives
/// it a pseudo-terminal for stdout and stderr, and look at what reached the terminal.
@Suite("heapgraph on a terminal", .serialized)
struct TerminalTests {
    func onTerminal(_ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let command = ([try heapgraphExecutable().path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-q", "-e", "-c", command, "/dev/null"]
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NO_COLOR")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func progressShowsOnATerminalUnlessQuiet() throws {
        let directory = try scratchDirectory("terminal-progress")
        let fixture = try makeLeakFixture(in: directory)
        let shown = try onTerminal(["summary", fixture.final], environment: ["HEAPGRAPH_PROGRESS_AFTER": "0"])
        #expect(shown.contains("loading app.heapgraph… 0.0 s"))
        #expect(shown.contains("\r\u{1B}[K"))              // and erased when done
        let quiet = try onTerminal(["summary", fixture.final, "--quiet"], environment: ["HEAPGRAPH_PROGRESS_AFTER": "0"])
        #expect(!quiet.contains("loading"))
        #expect(quiet.contains("51 objects"))
        // The default waits a second: a small snapshot shows nothing.
        #expect(!(try onTerminal(["summary", fixture.final])).contains("loading"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func colourOnlyOnATerminalAndNeverWithNoColor() throws {
        let directory = try scratchDirectory("terminal-colour")
        let fixture = try makeLeakFixture(in: directory)
        let coloured = try onTerminal(["leaks", fixture.final])
        #expect(coloured.contains("\u{1B}[1m"))
        let plain = try onTerminal(["leaks", fixture.final], environment: ["NO_COLOR": "1"])
        #expect(!plain.contains("\u{1B}["))
        #expect(plain.contains("cyclic-garbage"))
        // Not a terminal (a pipe): no colour either.
        #expect(!(try heapgraph(["leaks", fixture.final])).standardOutput.contains("\u{1B}["))
    }
}
