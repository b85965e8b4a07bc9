import Foundation
import Testing

/// The `heapgraph` lines of the README's ```sh blocks, as the test runs them: the command
/// without its trailing `# comment`.
func readmeCommandLines(_ readme: String) -> [String] {
    var lines: [String] = []
    var inShellBlock = false
    for line in readme.split(separator: "\n", omittingEmptySubsequences: false) {
        if line.hasPrefix("```") {
            inShellBlock = !inShellBlock && line == "```sh"
            continue
        }
        guard inShellBlock, line.hasPrefix("heapgraph ") else { continue }
        let command = line.range(of: " #").map { line[..<$0.lowerBound] } ?? line[...]
        lines.append(command.trimmingCharacters(in: .whitespaces))
    }
    return lines
}

@Suite("The README's command-line examples")
struct ReadmeCommandTests {
    /// What one README command must do: its exit status, and a check of what it wrote
    /// (standard output, or the file it was told to write), given the scratch directory.
    struct Expectation {
        var status: Int32
        var check: @Sendable (_ standardOutput: String, _ directory: String) throws -> Void
    }

    /// Every line is listed here, and every line listed here is in the README: a new example
    /// cannot go in untested, and a test cannot outlive its example.
    static let expectations: [String: Expectation] = [
        "heapgraph summary app.heapgraph --limit 5": Expectation(status: 0) { output, _ in
            // LeakyApp's 200 requests leave 200 parsers and 200 requests among the five types.
            #expect(output.contains("service.Parser     200"), "\(output)")
            #expect(output.contains("service.Request    200"), "\(output)")
            #expect(!output.contains("service.Session"), "--limit 5 shows five types")
        },
        "heapgraph leaks app.heapgraph --baseline warmup.heapgraph --format junit -o leaks.xml": Expectation(status: 1) { _, directory in
            let xml = try String(contentsOfFile: directory + "/leaks.xml", encoding: .utf8)
            #expect(xml.hasPrefix("<?xml"))
            #expect(xml.contains("<failure"), "each leak group is a failing test case")
        },
        "heapgraph backrefs app.heapgraph --type Session -o session.svg": Expectation(status: 0) { _, directory in
            let svg = try String(contentsOfFile: directory + "/session.svg", encoding: .utf8)
            #expect(svg.contains("<svg"))
            #expect(svg.contains("Session"))
        },
        "heapgraph report app.heapgraph --baseline warmup.heapgraph -o report.html": Expectation(status: 0) { _, directory in
            let page = try String(contentsOfFile: directory + "/report.html", encoding: .utf8)
            #expect(page.lowercased().hasPrefix("<!doctype html>"))
            #expect(page.contains("<svg"), "the leak pictures are inline")
        },
        "heapgraph convert app.heapgraph -o app.heapsnapshot": Expectation(status: 0) { _, directory in
            let validated = try heapgraph(["validate", directory + "/app.heapsnapshot"])
            #expect(validated.status == 0, "\(validated.standardOutput)\(validated.standardError)")
        },
    ]

    /// Each `heapgraph` line of the README runs as written, in a directory holding the
    /// snapshots it names (LeakyApp's, the baseline as warmup.heapgraph), and does what
    /// its comment says.
    @Test func everyReadmeCommandRunsAsWritten() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let commands = readmeCommandLines(readme)
        #expect(Set(commands) == Set(Self.expectations.keys), "README.md's heapgraph lines and this test's list differ")

        let directory = try scratchDirectory("readme-commands")
        let snapshots = try leakyAppSnapshots(in: directory)
        try FileManager.default.moveItem(atPath: snapshots.baseline, toPath: directory + "/warmup.heapgraph")
        for command in commands {
            let expectation = try #require(Self.expectations[command], "no expectation for \(command)")
            let run = try heapgraphInShell("\"$HEAPGRAPH\"" + command.dropFirst("heapgraph".count), in: directory)
            #expect(run.status == expectation.status, "\(command): \(run.standardError)")
            try expectation.check(run.standardOutput, directory)
        }
    }

    @Test func readmeCommandLinesAreFound() {
        let text = "```sh\nscripts/demo\nheapgraph summary a.heapgraph   # what is there\n```\nheapgraph x\n```swift\nheapgraph y\n```\n"
        #expect(readmeCommandLines(text) == ["heapgraph summary a.heapgraph"])
    }
}
