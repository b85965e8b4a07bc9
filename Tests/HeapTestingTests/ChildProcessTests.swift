import Foundation
import HeapRuntime
import HeapTesting
import Testing
import XCTest

// End to end, the way CI runs a suite: the test binary runs one XCTest case in a child
// process, with its own environment and current directory, and the parent reads the exit
// status, the failure XCTest printed and the files left behind. (Linux's XCTest has no
// XCTExpectFailure.)

/// Cases that run only as the child of `ChildProcessRuns` (HEAPTESTING_CHILD=1); in an
/// ordinary run they are skipped. Default options: artifacts from HEAPGRAPH_TEST_ARTIFACTS,
/// `.heapgraph-ignore` from the current directory.
final class ChildProcessTests: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["HEAPTESTING_CHILD"] == "1",
                          "runs only as a child of ChildProcessRuns")
    }

    func testLeakingChild() throws {
        let leaky = try LeakyHeap()
        leaky.heap.gc.disable()
        try assertNoLeaks(in: leaky.heap) { heap in try leaky.dropNodeCycle(heap) }
    }

    func testGrowingChild() throws {
        let leaky = try LeakyHeap()
        try assertNoHeapGrowth(in: leaky.heap, rounds: 3) { heap in try leaky.cacheSession(heap) }
    }

    func testCleanChild() throws {
        let leaky = try LeakyHeap()
        try assertNoLeaks(in: leaky.heap) { heap in try leaky.churn(heap) }
    }
}

/// Runs `ChildProcessTests` cases in the test binary and checks what they did.
@Suite struct ChildProcessRuns {
    struct Run {
        var status: Int32
        var output: String
    }

    /// Runs `test` of `ChildProcessTests` in a child with `artifacts` as
    /// HEAPGRAPH_TEST_ARTIFACTS (unset when nil), `directory/work` as its current directory
    /// and `directory/tmp` as its TMPDIR.
    func runChild(_ test: String, artifacts: String?, in directory: TemporaryDirectory) throws -> Run {
        for name in ["work", "tmp"] {
            try FileManager.default.createDirectory(atPath: directory.file(name), withIntermediateDirectories: true)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        process.arguments = ["HeapTestingTests.ChildProcessTests/\(test)"]
        var environment = ProcessInfo.processInfo.environment
        environment[ArtifactsDirectory.environmentVariable] = artifacts
        environment["HEAPTESTING_CHILD"] = "1"
        environment["TMPDIR"] = directory.file("tmp")
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: directory.file("work"))
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self))
    }

    @Test func aLeakFailsTheTestAndWritesArtifactsOnlyWhereNamed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let run = try runChild("testLeakingChild", artifacts: directory.file("artifacts"), in: directory)
        #expect(run.status == 1, "\(run.output)")
        // XCTest's failure line, at the assertion's line, carrying the group and the cycle.
        #expect(run.output.contains("ChildProcessTests.swift:24: error: ChildProcessTests.testLeakingChild : failed - "
            + "ChildProcessTests.testLeakingChild: 1 leak in 1 group"))
        #expect(run.output.contains("cyclic-garbage: 1 leak, fingerprint"))
        #expect(run.output.contains("cycle: Node.next → Node.prev → Node"))
        let stem = "ChildProcessTests.testLeakingChild"
        #expect(directory.contents() == ["artifacts", "tmp", "work"])
        #expect(directory.contents("artifacts") == ["\(stem)-leak-01-cyclic-garbage.svg", "\(stem).heapgraph", "\(stem).leaks.txt"])
        #expect(directory.contents("work").isEmpty)
        #expect(directory.contents("tmp").isEmpty)
    }

    @Test func withoutTheVariableNothingIsWritten() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let run = try runChild("testLeakingChild", artifacts: nil, in: directory)
        #expect(run.status == 1, "\(run.output)")
        #expect(run.output.contains("cyclic-garbage: 1 leak, fingerprint"))
        #expect(!run.output.contains("artifacts:"))
        #expect(directory.contents() == ["tmp", "work"])
        #expect(directory.contents("work").isEmpty)
        #expect(directory.contents("tmp").isEmpty)
    }

    @Test func theIgnoreFileInTheCurrentDirectorySilencesTheLeak() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: directory.file("work"), withIntermediateDirectories: true)
        try "type:Node  # rings the test leaks on purpose\n"
            .write(toFile: directory.file("work/.heapgraph-ignore"), atomically: false, encoding: .utf8)
        let run = try runChild("testLeakingChild", artifacts: directory.file("artifacts"), in: directory)
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("ChildProcessTests.testLeakingChild' passed"))
        #expect(directory.contents() == ["tmp", "work"])
    }

    @Test func growthFailsTheTest() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let run = try runChild("testGrowingChild", artifacts: directory.file("artifacts"), in: directory)
        #expect(run.status == 1, "\(run.output)")
        #expect(run.output.contains("error: ChildProcessTests.testGrowingChild : failed - "))
        #expect(run.output.contains("growth: 3 leaks, fingerprint"))
        let stem = "ChildProcessTests.testGrowingChild"
        #expect(directory.contents("artifacts") == ["\(stem)-leak-01-growth.svg", "\(stem).heapgraph", "\(stem).leaks.txt"])
    }

    @Test func aCleanBodyPasses() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let run = try runChild("testCleanChild", artifacts: directory.file("artifacts"), in: directory)
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("Executed 1 test, with 0 failures"))
        #expect(directory.contents() == ["tmp", "work"])
    }
}
