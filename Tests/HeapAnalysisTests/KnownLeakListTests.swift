import HeapAnalysis
import HeapGraphModel
import Testing

/// The known-leak list's parser and matcher, as other front ends (HeapTesting) use them.
@Suite("Known-leak lists")
struct KnownLeakListTests {
    @Test func parsesEntriesReasonsAndComments() throws {
        let list = try KnownLeakList(parsing: """
            # comment
              fingerprint:7E5CCE361D5BC1B7  # closed sessions, fixed in 2.3\r
            type:Connection
            reference:service.Listener.session   #   lazily unregistered  
            """, file: "known")
        #expect(list.entries == [
            KnownLeakEntry(kind: .fingerprint, pattern: "7e5cce361d5bc1b7", reason: "closed sessions, fixed in 2.3", line: 2),
            KnownLeakEntry(kind: .type, pattern: "Connection", reason: nil, line: 3),
            KnownLeakEntry(kind: .reference, pattern: "service.Listener.session", reason: "lazily unregistered", line: 4),
        ])
        #expect(list.entriesWithoutReason.map(\.line) == [3])
        #expect(list.entries[2].text == "reference:service.Listener.session")
    }

    @Test func reportsTheFirstBadLine() {
        #expect(throws: KnownLeakListError(file: "f", line: 2, problem: "unknown kind 'types' (use fingerprint, type or reference)")) {
            try KnownLeakList(parsing: "type:A\ntypes:B\nfoo", file: "f")
        }
        #expect(throws: KnownLeakListError(file: "f", line: 1, problem: "'a b': a pattern has no spaces (a reason goes after #)")) {
            try KnownLeakList(parsing: "type:a b", file: "f")
        }
    }

    @Test func matchesGroupsByEachKind() throws {
        let graph = HeapSnapshot.build(runtime: "HeapRuntime") { heap in
            _ = heap.node("list", kind: .array, size: 56, externalCount: 1, generation: 0, flags: [.tracked])
            let a = heap.node("Node", size: 40, generation: 0, flags: [.tracked])
            let b = heap.node("Node", size: 72, generation: 0, flags: [.tracked])
            heap.edge(from: a, to: b, .attribute(.text("next")))
            heap.edge(from: b, to: a, .attribute(.text("prev")))
        }
        let report = LeakReport.analyze(graph)
        let group = try #require(report.groups.first)
        #expect(group.exampleCycle == "Node.next → Node.prev → Node")
        func matches(_ text: String) throws -> Bool {
            try KnownLeakList(parsing: text, file: "f").match(group, in: graph) != nil
        }
        #expect(try matches("fingerprint:\(group.fingerprint)"))
        #expect(try matches("type:Node"))
        #expect(try !matches("type:app.Node"))          // dotted: the full name
        #expect(try matches("reference:Node.prev"))     // an edge inside the ring
        #expect(try !matches("reference:Node.child"))
        let applied = report.applying(try KnownLeakList(parsing: "type:Node # ok\ntype:Gone # old", file: "f"), graph: graph)
        #expect(applied.groups.isEmpty)
        #expect(applied.knownLeaks.map(\.entry.line) == [1])
        #expect(applied.staleKnownLeaks.map(\.pattern) == ["Gone"])
    }

    @Test func originsTellHeapsAndOrderApart() {
        let first = SnapshotOrigin(runtime: "HeapRuntime", pid: 7, heap: "a", time: "2026-12-02T00:00:05Z", sequence: 2)
        let second = SnapshotOrigin(runtime: "HeapRuntime", pid: 7, heap: "a", time: "2026-12-02T00:00:05Z", sequence: 1)
        #expect(first.isSameHeap(as: second) == true)
        #expect(first.isNotLater(than: second) == false)   // same second: the sequence decides
        #expect(SnapshotOrigin.orderProblem([("x", first), ("y", second)])?.hasPrefix("x (taken 2026-12-02T00:00:05Z, snapshot 2 of its heap) is newer than y") == true)
        let other = SnapshotOrigin(runtime: "HeapRuntime", pid: 8, heap: nil)
        #expect(first.isSameHeap(as: other) == false)
        #expect(BaselineComparability(newest: first, older: [other]) != .sameHeap)
        #expect(SnapshotOrigin().isSameHeap(as: SnapshotOrigin()) == nil)   // V8: cannot tell
        #expect(BaselineComparability(newest: SnapshotOrigin(), older: [SnapshotOrigin()]) == .sameHeap)
    }
}
