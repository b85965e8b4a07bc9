import HeapAnalysis
import HeapRuntime
import HeapTesting
import XCTest

/// `assertNoLeaks` and `assertNoHeapGrowth` in XCTest. Linux's XCTest has no
/// `XCTExpectFailure`, so a test meant to fail is checked two ways: in process, by catching
/// the failure this case records (`recordFailure` below, XCTFail's way in), and end to end
/// by running the test binary on a failing test (`ChildProcessTests`).
final class NoLeaksXCTests: XCTestCase {
    /// A failure `XCTFail` recorded while `expectingFailures` was set.
    struct RecordedFailure {
        var description: String
        var file: String
        var line: Int
    }

    private var expectingFailures = false
    private var recorded: [RecordedFailure] = []

    override func recordFailure(withDescription description: String, inFile filePath: String, atLine lineNumber: Int,
                                expected: Bool) {
        guard expectingFailures else {
            super.recordFailure(withDescription: description, inFile: filePath, atLine: lineNumber, expected: expected)
            return
        }
        recorded.append(RecordedFailure(description: description, file: filePath, line: lineNumber))
    }

    /// The failures `body` records, which do not fail this test.
    func failures(of body: () throws -> Void) rethrows -> [RecordedFailure] {
        expectingFailures = true
        recorded = []
        defer { expectingFailures = false }
        try body()
        return recorded
    }

    func testCleanBodyPasses() throws {
        let leaky = try LeakyHeap()
        var verdict: LeakVerdict?
        let recorded = try failures { verdict = try assertNoLeaks(in: leaky.heap, options: isolated()) { heap in try leaky.churn(heap) } }
        XCTAssertEqual(recorded.count, 0)
        XCTAssertEqual(verdict?.passed, true)
    }

    func testCyclicGarbageFailsAtTheCallersLine() throws {
        let leaky = try LeakyHeap()
        leaky.heap.gc.disable()
        var verdict: LeakVerdict?
        let line = #line + 2
        let recorded = try failures {
            verdict = try assertNoLeaks(in: leaky.heap, options: isolated()) { heap in try leaky.dropNodeCycle(heap) }
        }
        XCTAssertEqual(recorded.count, 1)
        let failure = try XCTUnwrap(recorded.first)
        let group = try XCTUnwrap(verdict?.failingGroups.first)
        XCTAssertEqual(failure.line, line)
        XCTAssertTrue(failure.file.hasSuffix("NoLeaksXCTests.swift"), failure.file)
        XCTAssertTrue(failure.description.contains("cyclic-garbage: 1 leak, fingerprint \(group.fingerprint) (Node)"), failure.description)
        XCTAssertTrue(failure.description.contains("cycle: Node.next → Node.prev → Node"), failure.description)
    }

    func testUncollectableCycleFails() throws {
        let leaky = try LeakyHeap()
        let recorded = try failures {
            try assertNoLeaks(in: leaky.heap, options: isolated()) { heap in try leaky.dropLegacyCycle(heap) }
        }
        XCTAssertEqual(recorded.count, 1)
        let message = try XCTUnwrap(recorded.first?.description)
        XCTAssertTrue(message.contains("uncollectable: 1 leak, fingerprint"), message)
        XCTAssertTrue(message.contains("(Connection, Socket)"), message)
        XCTAssertTrue(message.contains("Root: gc.garbage"), message)
    }

    func testWatchedObjectStillAliveFails() throws {
        let leaky = try LeakyHeap()
        let recorded = try failures {
            try assertNoLeaks(in: leaky.heap, options: isolated()) { heap in try leaky.cacheSession(heap, watched: true) }
        }
        XCTAssertEqual(recorded.count, 1)
        let message = try XCTUnwrap(recorded.first?.description)
        XCTAssertTrue(message.contains("watched: 1 leak, fingerprint"), message)
        XCTAssertTrue(message.contains("description: closed session"), message)
        XCTAssertTrue(message.contains("│    ↓ list[0]"), message)
        XCTAssertTrue(message.contains("╰→ Session instance"), message)
    }

    func testWatchedObjectFreedPasses() throws {
        let leaky = try LeakyHeap()
        let recorded = try failures {
            try assertNoLeaks(in: leaky.heap, options: isolated()) { heap in try leaky.dropWatchedSession(heap) }
        }
        XCTAssertEqual(recorded.count, 0)
    }

    func testGrowthFails() throws {
        let leaky = try LeakyHeap()
        let recorded = try failures {
            try assertNoHeapGrowth(in: leaky.heap, rounds: 3, options: isolated(.noGrowth)) { heap in try leaky.cacheSession(heap) }
        }
        XCTAssertEqual(recorded.count, 1)
        let message = try XCTUnwrap(recorded.first?.description)
        XCTAssertTrue(message.contains("growth: 3 leaks, fingerprint"), message)
        XCTAssertTrue(message.contains("count 1 → 2 → 3 → 4"), message)
        XCTAssertTrue(message.contains("╰→ Session instance"), message)
    }

    func testNoGrowthPasses() throws {
        let leaky = try LeakyHeap()
        let recorded = try failures {
            try assertNoHeapGrowth(in: leaky.heap, rounds: 3, options: isolated(.noGrowth)) { heap in try leaky.churn(heap) }
        }
        XCTAssertEqual(recorded.count, 0)
    }

    func testKnownLeakSilencesTheGroup() throws {
        let leaky = try LeakyHeap()
        leaky.heap.gc.disable()
        var options = isolated()
        options.knownLeaks = .list(try KnownLeakList(parsing: "reference:Node.next # accepted", file: "inline"))
        var verdict: LeakVerdict?
        let recorded = try failures {
            verdict = try assertNoLeaks(in: leaky.heap, options: options) { heap in try leaky.dropNodeCycle(heap) }
        }
        XCTAssertEqual(recorded.count, 0)
        XCTAssertEqual(verdict?.report.knownLeaks.count, 1)
    }
}
