import HeapAnalysis
import HeapRuntime
import HeapTesting
import Testing

/// `expectNoHeapGrowth` in Swift Testing: LeakCanary's repeated heap growth.
@Suite struct GrowthSwiftTestingTests {
    @Test func churnDoesNotGrow() throws {
        let leaky = try LeakyHeap()
        let verdict = try expectNoHeapGrowth(in: leaky.heap, rounds: 3, options: isolated(.noGrowth)) { heap in
            try leaky.churn(heap)
        }
        #expect(verdict.passed)
        #expect(verdict.report.baselineCount == 3)
    }

    @Test func aCacheThatGrowsEveryRoundFails() throws {
        let leaky = try LeakyHeap()
        var verdict: LeakVerdict?
        try withKnownIssue {
            verdict = try expectNoHeapGrowth(in: leaky.heap, rounds: 3, options: isolated(.noGrowth)) { heap in
                try leaky.cacheSession(heap)
            }
        } matching: { issue in
            issue.comments.contains { $0.rawValue.contains("growth: 3 leaks") }
        }
        let found = try #require(verdict)
        let group = try #require(found.failingGroups.first)
        #expect(found.failingGroups.count == 1)
        #expect(group.category == .growth)
        #expect(group.types == ["Session"])
        #expect(group.count == 3)   // one new Session in each of 3 rounds
        // Counts after the warm-up and each round, and the trace of a new Session.
        #expect(found.message.contains("count 1 → 2 → 3 → 4"))
        #expect(found.message.contains("│    ↓ list["))
        #expect(found.message.contains("╰→ Session instance"))
    }

    @Test func growthBelowTheMinimumPasses() throws {
        let leaky = try LeakyHeap()
        let verdict = try expectNoHeapGrowth(in: leaky.heap, rounds: 3, minimumGrowth: 2, options: isolated(.noGrowth)) { heap in
            try leaky.cacheSession(heap)
        }
        #expect(verdict.passed)
    }

    @Test func growthAtTheMinimumFails() throws {
        let leaky = try LeakyHeap()
        var verdict: LeakVerdict?
        withKnownIssue {
            verdict = try expectNoHeapGrowth(in: leaky.heap, rounds: 3, minimumGrowth: 2, options: isolated(.noGrowth)) { heap in
                try leaky.cacheSession(heap)
                try leaky.cacheSession(heap)
            }
        }
        #expect(verdict?.failingGroups.map(\.types) == [["Session"]])
        #expect(verdict?.failingGroups.first?.count == 6)
    }

    @Test func oneRoundIsAProblem() throws {
        let leaky = try LeakyHeap()
        var runs = 0
        var verdict: LeakVerdict?
        withKnownIssue {
            verdict = expectNoHeapGrowth(in: leaky.heap, rounds: 1, options: isolated(.noGrowth)) { _ in runs += 1 }
        } matching: { issue in
            issue.comments.contains { $0.rawValue.contains("problem: a growth check needs at least 2 rounds") }
        }
        #expect(runs == 0)
        #expect(verdict?.passed == false)
    }
}
