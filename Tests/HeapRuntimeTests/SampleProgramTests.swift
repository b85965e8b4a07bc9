import Foundation
import Testing

/// The package's root, from this file's place in it.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// What one run of a sample program did.
struct ProgramRun {
    var status: Int32
    var standardOutput: String
    var standardError: String
}

/// Runs an executable of this package that `swift build` put beside the test bundle.
func runSample(_ name: String, _ arguments: [String] = []) throws -> ProgramRun {
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    var executable: URL? = nil
    for _ in 0..<4 where executable == nil {
        let candidate = directory.appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: candidate.path) { executable = candidate }
        directory = directory.deletingLastPathComponent()
    }
    guard let executable else { throw SampleError("\(name) not found next to \(CommandLine.arguments[0])") }
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment["HEAPGRAPH_SNAPSHOT"] = nil
    process.environment = environment
    let output = Pipe(), error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ProgramRun(status: process.terminationStatus,
                      standardOutput: String(decoding: outputData, as: UTF8.self),
                      standardError: String(decoding: errorData, as: UTF8.self))
}

struct SampleError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A new directory under $TMPDIR (or /tmp) for one test alone.
func makeScratchDirectory() throws -> URL {
    let parent = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    var template = Array((parent + "/heapgraph-test.XXXXXX").utf8CString)
    let path = template.withUnsafeMutableBufferPointer { buffer -> String? in
        guard let base = buffer.baseAddress, let made = mkdtemp(base) else { return nil }
        return String(cString: made)
    }
    guard let path else { throw SampleError("cannot make a directory in \(parent): \(String(cString: strerror(errno)))") }
    return URL(fileURLWithPath: path)
}

/// The bodies of the fenced code blocks of one language in a Markdown text, in order.
func fencedBlocks(_ language: String, in markdown: String) -> [String] {
    var blocks: [String] = []
    var current: [Substring]? = nil
    for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
        if let lines = current {
            if line.hasPrefix("```") {
                blocks.append(lines.joined(separator: "\n") + "\n")
                current = nil
            } else {
                current = lines + [line]
            }
        } else if line == "```" + language {
            current = []
        }
    }
    return blocks
}

@Suite("Sample programs and the README's examples")
struct SampleProgramTests {
    /// Every Swift example in the README is a sample this package builds, word for word, and
    /// prints what its comments promise. The first one once collected while its objects were
    /// still in scope and printed 0.
    @Test func readmeSwiftExamplesAreBuiltAndRun() throws {
        let readme = try String(contentsOf: packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        // Each README block, the sample that holds it, and the sample's output.
        let samples = [("samples/ReadmeExample/main.swift", "ReadmeExample", "2\n"),
                       ("samples/ReadmeAnalysis/main.swift", "ReadmeAnalysis", "cyclicGarbage 3\n")]
        let blocks = fencedBlocks("swift", in: readme)
        #expect(blocks.count == samples.count, "every ```swift block of README.md needs a sample here")
        for (block, (path, program, expected)) in zip(blocks, samples) {
            let source = try String(contentsOf: packageRoot.appendingPathComponent(path), encoding: .utf8)
            #expect(block == source, "README.md's example differs from \(path)")
            let run = try runSample(program)
            #expect(run.status == 0)
            #expect(run.standardOutput == expected)
            #expect(run.standardError == "")
        }
    }

    @Test func fencedBlocksAreFound() {
        let text = "intro\n```swift\nlet a = 1\n\nprint(a)\n```\n```sh\nls\n```\n```swift\nx\n```\n"
        #expect(fencedBlocks("swift", in: text) == ["let a = 1\n\nprint(a)\n", "x\n"])
        #expect(fencedBlocks("sh", in: text) == ["ls\n"])
    }

    /// `LeakyApp DIR` makes DIR and its parents; it used to fail with "No such file or
    /// directory" when DIR did not exist yet.
    @Test func leakyAppMakesItsOutputDirectory() throws {
        let scratch = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let output = scratch.appendingPathComponent("new/nested/out").path
        let run = try runSample("LeakyApp", [output, "--requests", "50"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError == "")
        let files = try FileManager.default.contentsOfDirectory(atPath: output).sorted()
        #expect(files == ["app.heapgraph", "baseline.heapgraph"])

        // A parent that is a file: one line, exit 1.
        let file = scratch.appendingPathComponent("file").path
        #expect(FileManager.default.createFile(atPath: file, contents: Data()))
        let refused = try runSample("LeakyApp", [file + "/out"])
        #expect(refused.status == 1)
        #expect(refused.standardError == "LeakyApp: cannot create directory \(file)/out: \(file) is not a directory\n")
        #expect(refused.standardOutput == "")
    }
}
