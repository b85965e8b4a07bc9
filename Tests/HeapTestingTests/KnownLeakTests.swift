import HeapAnalysis
import HeapRuntime
import HeapTesting
import Testing

/// The known-leak list (heapgraph's syntax and matcher) silences groups in leak checks.
@Suite struct KnownLeakTests {
    /// A leaked Node cycle checked with `source`; the collector is off.
    func checkNodeCycle(knownLeaks source: KnownLeakSource) throws -> LeakVerdict {
        let leaky = try LeakyHeap()
        leaky.heap.gc.disable()
        var options = isolated()
        options.knownLeaks = source
        return try LeakChecker.checkNoLeaks(in: leaky.heap, options: options) { heap in try leaky.dropNodeCycle(heap) }
    }

    @Test func aFingerprintEntrySilencesTheGroup() throws {
        let unlisted = try checkNodeCycle(knownLeaks: .none)
        let fingerprint = try #require(unlisted.failingGroups.first?.fingerprint)
        let list = try KnownLeakList(parsing: "fingerprint:\(fingerprint)  # node rings, fixed later\n", file: "inline")
        // Passes in Swift Testing too: no issue recorded.
        let leaky = try LeakyHeap()
        leaky.heap.gc.disable()
        var options = isolated()
        options.knownLeaks = .list(list)
        let verdict = try expectNoLeaks(in: leaky.heap, options: options) { heap in try leaky.dropNodeCycle(heap) }
        #expect(verdict.passed)
        #expect(verdict.report.groups.isEmpty)
        #expect(verdict.report.knownLeaks.map(\.group.fingerprint) == [fingerprint])
        #expect(verdict.report.knownLeaks.first?.entry.reason == "node rings, fixed later")
    }

    @Test(arguments: ["type:Node", "reference:Node.next"])
    func typeAndReferenceEntriesSilenceTheGroup(entry: String) throws {
        let verdict = try checkNodeCycle(knownLeaks: .list(KnownLeakList(parsing: entry + " # accepted", file: "inline")))
        #expect(verdict.passed)
        #expect(verdict.report.knownLeaks.count == 1)
    }

    @Test func anEntryForAnotherTypeDoesNotSilence() throws {
        let verdict = try checkNodeCycle(knownLeaks: .list(KnownLeakList(parsing: "type:Socket # other", file: "inline")))
        #expect(!verdict.passed)
        #expect(verdict.report.staleKnownLeaks.map(\.text) == ["type:Socket"])
        #expect(verdict.message.contains("stale known-leak entries"))
    }

    @Test func theDiscoveredFileSilencesTheGroup() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // Without the file nothing is discovered: the leak fails.
        #expect(try checkNodeCycle(knownLeaks: .discovered(directory: directory.path)).passed == false)
        try "# team list\ntype:Node   # rings the parser makes on purpose\n"
            .write(toFile: directory.file(".heapgraph-ignore"), atomically: false, encoding: .utf8)
        let verdict = try checkNodeCycle(knownLeaks: .discovered(directory: directory.path))
        #expect(verdict.passed)
        #expect(verdict.report.knownLeakFile == directory.file(".heapgraph-ignore"))
        #expect(verdict.report.knownLeaks.first?.entry.line == 2)
    }

    @Test func aNamedFileSilencesTheGroup() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try "reference:Node.prev # accepted\n".write(toFile: directory.file("leaks.txt"), atomically: false, encoding: .utf8)
        #expect(try checkNodeCycle(knownLeaks: .file(directory.file("leaks.txt"))).passed)
    }

    @Test func aBrokenListFailsWithOneLine() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try "type:Node # fine\nsuppress:Node\n".write(toFile: directory.file("leaks.txt"), atomically: false, encoding: .utf8)
        let verdict = try checkNodeCycle(knownLeaks: .file(directory.file("leaks.txt")))
        #expect(!verdict.passed)
        #expect(verdict.problems.map(\.description)
            == ["\(directory.file("leaks.txt")):2: unknown kind 'suppress' (use fingerprint, type or reference)"])
        // With nothing else failing, the message still names the check and the problem.
        let leaky = try LeakyHeap()
        var options = isolated()
        options.knownLeaks = .file(directory.file("leaks.txt"))
        let clean = try LeakChecker.checkNoLeaks(in: leaky.heap, options: options, name: "clean") { heap in try leaky.churn(heap) }
        #expect(clean.report.groups.isEmpty)
        #expect(clean.message == "clean: the leak check could not do what it was asked\n"
            + "problem: \(directory.file("leaks.txt")):2: unknown kind 'suppress' (use fingerprint, type or reference)")
        #expect(clean.description == "failed: 1 problem")
        let missing = try checkNodeCycle(knownLeaks: .file(directory.file("absent")))
        #expect(missing.problems.map(\.description) == ["\(directory.file("absent")): cannot read the known-leak list"])
    }
}
