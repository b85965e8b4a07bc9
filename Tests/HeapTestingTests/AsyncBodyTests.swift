import HeapAnalysis
import HeapRuntime
import HeapTesting
import Testing
import XCTest

/// Bodies that await: the same checks, in the caller's isolation.
@Suite struct AsyncBodySwiftTestingTests {
    @Test func anAwaitingCleanBodyPasses() async throws {
        let leaky = try LeakyHeap()
        let verdict = try await expectNoLeaks(in: leaky.heap, options: isolated()) { heap in
            await Task.yield()
            try leaky.churn(heap)
        }
        #expect(verdict.passed)
    }

    @Test func anAwaitingLeakFails() async throws {
        let leaky = try LeakyHeap()
        leaky.heap.gc.disable()
        var verdict: LeakVerdict?
        await withKnownIssue {
            verdict = try await expectNoLeaks(in: leaky.heap, options: isolated()) { heap in
                await Task.yield()
                try leaky.dropNodeCycle(heap)
            }
        }
        #expect(verdict?.failingGroups.map(\.category) == [.cyclicGarbage])
        #expect(verdict?.message.contains("cycle: Node.next → Node.prev → Node") == true)
    }

    @Test func anAwaitingGrowthFailsAndChurnPasses() async throws {
        let leaky = try LeakyHeap()
        var rounds = 0
        var verdict: LeakVerdict?
        await withKnownIssue {
            verdict = try await expectNoHeapGrowth(in: leaky.heap, rounds: 3, options: isolated(.noGrowth)) { heap in
                await Task.yield()
                rounds += 1
                try leaky.cacheSession(heap)
            }
        }
        #expect(rounds == 4)   // the warm-up and 3 rounds
        #expect(verdict?.failingGroups.map(\.types) == [["Session"]])
        let churn = try await expectNoHeapGrowth(in: leaky.heap, rounds: 3, options: isolated(.noGrowth)) { heap in
            await Task.yield()
            try leaky.churn(heap)
        }
        #expect(churn.passed)
    }
}

final class AsyncBodyXCTests: XCTestCase {
    private var caught: [String]?

    override func recordFailure(withDescription description: String, inFile filePath: String, atLine lineNumber: Int,
                                expected: Bool) {
        if caught != nil { caught?.append(description) } else {
            super.recordFailure(withDescription: description, inFile: filePath, atLine: lineNumber, expected: expected)
        }
    }

    func testAnAwaitingLeakFailsAndACleanBodyPasses() async throws {
        let leaky = try LeakyHeap()
        leaky.heap.gc.disable()
        caught = []
        try await assertNoLeaks(in: leaky.heap, options: isolated()) { heap in
            await Task.yield()
            try leaky.dropNodeCycle(heap)
        }
        try await assertNoHeapGrowth(in: leaky.heap, rounds: 2, options: isolated(.noGrowth)) { heap in
            await Task.yield()
            try leaky.cacheSession(heap)
        }
        let messages = caught ?? []
        caught = nil
        XCTAssertEqual(messages.count, 2)
        XCTAssertTrue(messages.first?.contains("cyclic-garbage: 1 leak, fingerprint") == true, "\(messages)")
        XCTAssertTrue(messages.last?.contains("growth: 2 leaks, fingerprint") == true, "\(messages)")

        let clean = await assertNoLeaks(in: Heap(), options: isolated()) { heap in
            await Task.yield()
            _ = heap.list()
        }
        XCTAssertTrue(clean.passed)
    }
}
