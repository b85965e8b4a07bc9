import Foundation
import HeapGraphModel
import Testing

/// Known leaks (`--ignore FILE`, `.heapgraph-ignore`): matched by fingerprint, type and
/// reference pattern, reported apart, never failing; stale entries reported; a malformed
/// list is one line with file:line and exit status 2.
@Suite("heapgraph leaks: known leaks", .serialized)
struct KnownLeakTests {
    func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    func json(_ result: CommandResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
    }

    @Test func fingerprintTypeAndReferenceMatchAndNeverFail() throws {
        let directory = try scratchDirectory("known-match")
        let fixture = try makeLeakFixture(in: directory)
        let before = try json(heapgraph(["leaks", fixture.final, "--format", "json"]))
        let watched = try #require((before["leaks"] as? [[String: Any]])?.first { $0["category"] as? String == "watched" })
        let fingerprint = try #require(watched["fingerprint"] as? String)

        let list = directory + "/known.txt"
        try write("""
            # Accepted leaks of the fixture.
            fingerprint:\(fingerprint)   # closed sessions, fixed in 2.3
            type:Connection               # legacy __del__ in a vendored driver

            reference:app.Node.next       # ring buffer, freed at exit
            type:app.Gone                 # a type that no longer leaks
            """, to: list)
        let result = try heapgraph(["leaks", fixture.final, "--ignore", list, "--format", "json"])
        // Everything found is known: the gate passes.
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError == "")
        let report = try json(result)
        #expect((report["leaks"] as? [Any])?.isEmpty == true)
        let known = try #require(report["knownLeaks"] as? [[String: Any]])
        let matched = known.map { (($0["group"] as? [String: Any])?["category"] as? String ?? "?",
                                   ($0["entry"] as? [String: Any])?["line"] as? Int ?? 0) }
        #expect(matched.map(\.0) == ["uncollectable", "cyclic-garbage", "watched"])
        #expect(matched.map(\.1) == [3, 5, 2])
        let stale = try #require(report["staleKnownLeaks"] as? [[String: Any]])
        #expect(stale.count == 1)
        #expect(stale.first?["line"] as? Int == 6)
        #expect(stale.first?["pattern"] as? String == "app.Gone")
        #expect((report["summary"] as? [String: Any])?["knownLeaks"] as? Int == 8)

        // The text shows them apart, with the entry and its reason, and the stale entry.
        let text = try heapgraph(["leaks", fixture.final, "--ignore", list])
        #expect(text.status == 0)
        #expect(text.standardOutput.contains("No leaks found."))
        #expect(text.standardOutput.contains("known leaks: 3 groups, 8 leaks (matched by \(list); they never fail the gate)"))
        #expect(text.standardOutput.contains("watched \(fingerprint) × 1: app.Session — \(list):2 fingerprint:\(fingerprint): closed sessions, fixed in 2.3"))
        #expect(text.standardOutput.contains("stale known-leak entries: 1 in \(list) match nothing (remove them)"))
        #expect(text.standardOutput.contains("  \(list):6: type:app.Gone  # a type that no longer leaks"))

        // SARIF: known leaks are suppressed results; JUnit: a skipped known-leaks case.
        let sarif = try json(heapgraph(["leaks", fixture.final, "--ignore", list, "--format", "sarif"]))
        let results = ((sarif["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]]) ?? []
        #expect(results.count == 3)
        for entry in results {
            let suppression = (entry["suppressions"] as? [[String: Any]])?.first
            #expect(suppression?["kind"] as? String == "external")
            #expect(suppression?["status"] as? String == "accepted")
            #expect(entry["level"] as? String == "note")
        }
        let junit = try heapgraph(["leaks", fixture.final, "--ignore", list, "--format", "junit"])
        #expect(junit.status == 0)
        #expect(junit.standardOutput.contains(#"<testcase classname="heapgraph.leaks" name="known-leaks">"#))
        #expect(junit.standardOutput.contains("stale entry \(list):6: type:app.Gone matches nothing"))
        #expect(!junit.standardOutput.contains("<failure"))
    }

    @Test func referencePatternsMatchAttributesOnTheTrace() throws {
        let directory = try scratchDirectory("known-reference")
        let fixture = try makeLeakFixture(in: directory)
        // The watched session is held by Holder.session: short and qualified names both match.
        for pattern in ["Holder.session", "app.Holder.session"] {
            let list = directory + "/list"
            try write("reference:\(pattern)  # the holder is a cache\n", to: list)
            let report = try json(heapgraph(["leaks", fixture.final, "--ignore", list, "--format", "json"]))
            let known = (report["knownLeaks"] as? [[String: Any]]) ?? []
            #expect(known.compactMap { ($0["group"] as? [String: Any])?["category"] as? String } == ["watched"], "\(pattern)")
            #expect((report["leaks"] as? [[String: Any]])?.contains { $0["category"] as? String == "watched" } == false)
        }
        // A pattern naming another attribute or type matches nothing and is stale.
        let list = directory + "/list"
        try write("reference:app.Holder.cache  # wrong attribute\nreference:other.Holder.session # wrong module\n", to: list)
        let result = try heapgraph(["leaks", fixture.final, "--ignore", list, "--format", "json"])
        #expect(result.status == 1)
        #expect(((try json(result))["staleKnownLeaks"] as? [Any])?.count == 2)
    }

    /// A module global (the root the trace starts from) matches `reference:app.CACHE`.
    @Test func referencePatternMatchesAModuleGlobalRoot() throws {
        let directory = try scratchDirectory("known-global")
        let path = directory + "/globals.heapgraph"
        var writer = try SnapshotWriter(path: path)
        let listType = writer.intern("list"), itemType = writer.intern("app.Item")
        try writer.appendNode(SnapshotNodeRecord(id: 100, referenceCount: 1, typeName: listType, shallowSize: 56,
                                                 externalCount: 0, edgeCount: 1, generation: 0, flags: [.tracked], kind: .array))
        try writer.appendNode(SnapshotNodeRecord(id: 200, referenceCount: 1, typeName: itemType, shallowSize: 48,
                                                 externalCount: 0, edgeCount: 0, generation: 0, flags: [.tracked, .watched], kind: .object))
        try writer.appendEdge(target: 1, kind: SnapshotFormat.EdgeKind.index.rawValue, value: 0)
        writer.appendRoot(node: 0, name: "app.CACHE", category: .global)
        _ = try writer.finish { nodes, edges in
            #"{"format":"heapgraph","version":2,"producer":"test","objects":\#(nodes),"edges":\#(edges),"watched":[{"id":200,"description":"expired item"}]}"#
        }
        writer.close()
        let plain = try heapgraph(["leaks", path])
        #expect(plain.status == 1, "\(plain.standardError)")
        #expect(plain.standardOutput.contains("Root: module global app.CACHE"))
        let list = directory + "/.heapgraph-ignore"   // found beside the snapshot
        try write("reference:app.CACHE  # items expire lazily\n", to: list)
        let known = try heapgraph(["leaks", path])
        #expect(known.status == 0, "\(known.standardOutput)")
        #expect(known.standardOutput.contains("known leaks: 1 group, 1 leak"))
        #expect(known.standardOutput.contains("reference:app.CACHE: items expire lazily"))
    }

    @Test func listIsFoundBesideTheSnapshotOrInTheCurrentDirectory() throws {
        let directory = try scratchDirectory("known-discovery")
        let fixture = try makeLeakFixture(in: directory)
        try FileManager.default.createDirectory(atPath: directory + "/cwd", withIntermediateDirectories: true)
        try write("type:app.Node\n", to: directory + "/cwd/.heapgraph-ignore")
        // From the current directory, and an entry without a reason is warned about.
        let fromCurrent = try heapgraphInShell("\"$HEAPGRAPH\" leaks ../app.heapgraph --format json", in: directory + "/cwd")
        #expect(fromCurrent.standardError == "heapgraph: .heapgraph-ignore:1: warning: type:app.Node gives no reason (add '# why this leak is accepted')\n")
        #expect(fromCurrent.standardOutput.contains(#""knownLeakFile":".heapgraph-ignore""#))
        // Beside the snapshot wins over the current directory.
        try write("type:app.Socket  # vendored driver\n", to: directory + "/.heapgraph-ignore")
        let beside = try heapgraphInShell("\"$HEAPGRAPH\" leaks ../app.heapgraph --format json -q", in: directory + "/cwd")
        #expect(beside.standardError == "")
        #expect(beside.standardOutput.contains(#""knownLeakFile":"../.heapgraph-ignore""#))
        let report = try #require(try JSONSerialization.jsonObject(with: Data(beside.standardOutput.utf8)) as? [String: Any])
        #expect((report["knownLeaks"] as? [[String: Any]])?.count == 1)
        // --ignore names another list; a list that does not exist is an input error.
        let missing = try heapgraph(["leaks", fixture.final, "--ignore", directory + "/none.txt"])
        #expect(missing.status == 2)
        #expect(missing.standardError == "heapgraph: \(directory)/none.txt: No such file or directory\n")
    }

    @Test(arguments: [
        ("fingerprint:xyz", "1: fingerprint 'xyz' is not 16 hex digits"),
        ("# fine\nsuppress:app.Node", "2: unknown kind 'suppress' (use fingerprint, type or reference)"),
        ("type:app.Node # ok\n\ntype app.Node", "3: expected KIND:PATTERN (fingerprint, type or reference), found 'type app.Node'"),
        ("reference:session", "1: reference 'session' is not Type.name or module.global"),
        ("type:  # nothing", "1: type: the pattern is missing"),
    ])
    func malformedListIsOneLineWithFileAndLine(text: String, problem: String) throws {
        let directory = try scratchDirectory("known-malformed")
        let fixture = try makeLeakFixture(in: directory)
        let list = directory + "/bad.txt"
        try write(text, to: list)
        let result = try heapgraph(["leaks", fixture.final, "--ignore", list])
        #expect(result.status == 2)
        #expect(result.standardError == "heapgraph: \(list):\(problem)\n")
        #expect(result.standardOutput == "")
    }
}
