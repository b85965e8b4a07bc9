import HeapAnalysis
import HeapRuntime
import HeapTesting
import Testing

/// `expectNoLeaks` in Swift Testing: each finding passing and failing, failures checked
/// through `withKnownIssue` (the issue must be recorded, with the group and the trace).
@Suite struct NoLeaksSwiftTestingTests {
    @Test func cleanBodyPasses() throws {
        let leaky = try LeakyHeap()
        let verdict = try expectNoLeaks(in: leaky.heap, options: isolated()) { heap in try leaky.churn(heap) }
        #expect(verdict.passed)
        #expect(verdict.report.groups.isEmpty)
        #expect(verdict.message.isEmpty)
    }

    @Test func cyclicGarbageFailsWithTheCollectorOff() throws {
        let leaky = try LeakyHeap()
        leaky.heap.gc.disable()
        var verdict: LeakVerdict?
        let line = #line + 2
        try withKnownIssue {
            verdict = try expectNoLeaks(in: leaky.heap, options: isolated()) { heap in try leaky.dropNodeCycle(heap) }
        } matching: { issue in
            issue.sourceLocation?.line == line && issue.comments.contains { $0.rawValue.contains("cyclic-garbage: 1 leak") }
        }
        let found = try #require(verdict)
        #expect(!found.passed)
        let group = try #require(found.failingGroups.first)
        #expect(found.failingGroups.count == 1)
        #expect(group.category == .cyclicGarbage)
        #expect(group.count == 1)
        #expect(group.types == ["Node"])
        #expect(found.message.contains("cyclic-garbage: 1 leak, fingerprint \(group.fingerprint) (Node)"))
        #expect(found.message.contains("cycle: Node.next → Node.prev → Node"))
    }

    @Test func cycleTheCollectorFreesPasses() throws {
        let leaky = try LeakyHeap()
        let verdict = try expectNoLeaks(in: leaky.heap, options: isolated()) { heap in try leaky.dropNodeCycle(heap) }
        #expect(verdict.passed)
        #expect(verdict.report.groups.isEmpty)
    }

    @Test func cycleLeftWithCollectionNeverFails() throws {
        let leaky = try LeakyHeap()
        var options = isolated()
        options.collection = .never
        var verdict: LeakVerdict?
        withKnownIssue {
            verdict = try expectNoLeaks(in: leaky.heap, options: options) { heap in try leaky.dropNodeCycle(heap) }
        }
        #expect(verdict?.failingGroups.map(\.category) == [.cyclicGarbage])
    }

    @Test func collectionAlwaysFreesCyclesWithTheCollectorOff() throws {
        let leaky = try LeakyHeap()
        leaky.heap.gc.disable()
        var options = isolated()
        options.collection = .always
        let verdict = try expectNoLeaks(in: leaky.heap, options: options) { heap in try leaky.dropNodeCycle(heap) }
        #expect(verdict.passed)
        #expect(!leaky.heap.gc.isEnabled)
    }

    @Test func uncollectableCycleFails() throws {
        let leaky = try LeakyHeap()
        var verdict: LeakVerdict?
        try withKnownIssue {
            verdict = try expectNoLeaks(in: leaky.heap, options: isolated()) { heap in try leaky.dropLegacyCycle(heap) }
        } matching: { issue in
            issue.comments.contains { $0.rawValue.contains("uncollectable: 1 leak") }
        }
        let found = try #require(verdict)
        let group = try #require(found.failingGroups.first)
        #expect(group.category == .uncollectable)
        #expect(group.types == ["Connection", "Socket"])
        // The trace starts at gc.garbage, the root that holds the cycle.
        #expect(found.message.contains("Root: gc.garbage"))
        #expect(found.message.contains("╰→ "))
    }

    @Test func watchedObjectStillAliveFails() throws {
        let leaky = try LeakyHeap()
        var verdict: LeakVerdict?
        try withKnownIssue {
            verdict = try expectNoLeaks(in: leaky.heap, options: isolated()) { heap in try leaky.cacheSession(heap, watched: true) }
        } matching: { issue in
            issue.comments.contains { $0.rawValue.contains("watched: 1 leak") && $0.rawValue.contains("closed session") }
        }
        let found = try #require(verdict)
        let group = try #require(found.failingGroups.first)
        #expect(group.category == .watched)
        #expect(group.description == "closed session")
        // The leak trace: the test's list holds the session at index 0.
        #expect(found.message.contains("│ Root: held by the host program"))
        #expect(found.message.contains("│    ↓ list[0]"))
        #expect(found.message.contains("╰→ Session instance"))
    }

    @Test func watchedObjectFreedPasses() throws {
        let leaky = try LeakyHeap()
        let verdict = try expectNoLeaks(in: leaky.heap, options: isolated()) { heap in try leaky.dropWatchedSession(heap) }
        #expect(verdict.passed)
    }

    @Test func toleratedCategoryPasses() throws {
        let leaky = try LeakyHeap()
        var options = isolated()
        options.failOn = [.uncollectable]
        let verdict = try expectNoLeaks(in: leaky.heap, options: options) { heap in try leaky.cacheSession(heap, watched: true) }
        #expect(verdict.passed)
        #expect(verdict.report.groups.map(\.category) == [.watched])
    }

    @Test func anErrorOfTheBodyIsRethrownUnchecked() throws {
        struct Stop: Error {}
        let leaky = try LeakyHeap()
        leaky.heap.gc.disable()
        #expect(throws: Stop.self) {
            try expectNoLeaks(in: leaky.heap, options: isolated()) { heap in
                try leaky.dropNodeCycle(heap)
                throw Stop()
            }
        }
    }

    @Test func expectFriendlyVerdict() throws {
        let leaky = try LeakyHeap()
        leaky.heap.gc.disable()
        let verdict = try LeakChecker.checkNoLeaks(in: leaky.heap, options: isolated()) { heap in try leaky.dropNodeCycle(heap) }
        withKnownIssue {
            #expect(verdict.passed, verdict.comment)
        } matching: { issue in
            issue.comments.contains { $0.rawValue.contains("cycle: Node.next → Node.prev → Node") }
        }
    }
}

extension NoLeaksSwiftTestingTests {
    @Test func theVerdictDescribesItselfInOneLine() throws {
        let leaky = try LeakyHeap()
        leaky.heap.gc.disable()
        let failed = try LeakChecker.checkNoLeaks(in: leaky.heap, options: isolated()) { heap in try leaky.dropNodeCycle(heap) }
        #expect(failed.description == "failed: 1 failing group")
        let again = try LeakChecker.checkNoLeaks(in: leaky.heap, options: isolated()) { heap in try leaky.churn(heap) }
        #expect(again.description == "failed: 1 failing group")   // the ring is still there
        leaky.heap.gc.collect()
        #expect(LeakChecker.verdict(for: leaky.heap, options: isolated()).description == "passed")
    }
}
