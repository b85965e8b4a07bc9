import Foundation
import Testing

/// Bad input gives one line naming the file and the problem, and exit status 2; never a
/// crash or a stack trace.
@Suite("heapgraph: bad input", .serialized)
struct BadInputTests {
    func expectInputError(_ arguments: [String], mentions: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try heapgraph(arguments)
        #expect(result.status == 2, "\(arguments): status \(result.status)", sourceLocation: sourceLocation)
        #expect(result.standardOutput == "", sourceLocation: sourceLocation)
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(arguments): \(result.standardError)", sourceLocation: sourceLocation)
        for word in mentions {
            #expect(result.standardError.contains(word), "\(arguments): \(result.standardError) lacks \(word)", sourceLocation: sourceLocation)
        }
    }

    @Test func missingFile() throws {
        for command in ["summary", "leaks", "dominators"] {
            try expectInputError([command, "/nonexistent/app.heapgraph"], mentions: ["/nonexistent/app.heapgraph", "No such file"])
        }
        try expectInputError(["growth", "/nonexistent/a.heapgraph", "/nonexistent/b.heapgraph"], mentions: ["/nonexistent/a.heapgraph"])
    }

    @Test func notASnapshot() throws {
        let directory = try scratchDirectory("not-a-snapshot")
        let path = directory + "/notes.heapgraph"
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        try expectInputError(["summary", path], mentions: [path, "not a snapshot"])
        try expectInputError(["summary", directory], mentions: [directory])
    }

    @Test func truncatedAndCorruptSnapshots() throws {
        let directory = try scratchDirectory("corrupt")
        let fixture = try makeLeakFixture(in: directory)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: fixture.final))
        let truncated = directory + "/truncated.heapgraph"
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: truncated))
        try expectInputError(["leaks", truncated], mentions: [truncated, "truncated"])
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0x40
        let corrupt = directory + "/corrupt.heapgraph"
        try flipped.write(to: URL(fileURLWithPath: corrupt))
        try expectInputError(["backrefs", corrupt, "--type", "Session"], mentions: [corrupt, "corrupt"])
    }

    @Test func unknownObjectsAndTypes() throws {
        let directory = try scratchDirectory("unknown")
        let fixture = try makeLeakFixture(in: directory)
        try expectInputError(["backrefs", fixture.final, "--id", "0x1234"], mentions: [fixture.final, "no object with id @4660"])
        try expectInputError(["refs", fixture.final, "--id", "4200"], mentions: [fixture.final, "no object with id @4200"])
        try expectInputError(["backrefs", fixture.final, "--type", "Martian"], mentions: [fixture.final, "no objects of type Martian"])
        try expectInputError(["backrefs", fixture.final, "--type", "Session", "--nth", "9"], mentions: ["out of range", "1 objects"])
        try expectInputError(["chain", fixture.final, "--from", "0x1001", "--to-type", "Session"], mentions: ["no object with id @4097 "])
        try expectInputError(["backrefs", fixture.final, "--type", "Session", "-o", directory + "/picture.gif"], mentions: ["picture.gif", ".svg"])
    }

    @Test func usageErrorsExitWithTwo() throws {
        for arguments in [["summary"], ["growth", "only-one.heapgraph"], ["leaks", "x", "--format", "yaml"],
                          ["leaks", "x", "--fail-on", "bogus"], ["backrefs", "x"], ["refs", "x"], ["frobnicate"],
                          ["summary", "x", "--limit", "-1"]] {
            let result = try heapgraph(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(!result.standardError.isEmpty, "\(arguments)")
            #expect(!result.standardError.contains("Fatal error"), "\(arguments)")
        }
    }

    @Test func helpHasAWorkedExampleForEveryCommand() throws {
        for command in ["summary", "growth", "leaks", "backrefs", "refs", "chain", "dominators"] {
            let result = try heapgraph([command, "--help"])
            #expect(result.status == 0, "\(command)")
            #expect(result.standardOutput.contains("Example"), "\(command)")
            #expect(result.standardOutput.contains("heapgraph \(command) "), "\(command)")
        }
    }
}

@Suite("heapgraph: an empty heap", .serialized)
struct EmptySnapshotTests {
    @Test func everyCommandHandlesAnEmptyHeap() throws {
        let directory = try scratchDirectory("empty")
        let path = try makeEmptySnapshot(in: directory)
        let summary = try heapgraph(["summary", path, "--json"])
        #expect(summary.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(summary.standardOutput.utf8)) as? [String: Any])
        #expect(object["objects"] as? Int == 0)
        #expect((object["types"] as? [Any])?.isEmpty == true)
        #expect(try heapgraph(["leaks", path]).status == 0)
        #expect(try heapgraph(["growth", path, path]).status == 0)
        let dominators = try heapgraph(["dominators", path])
        #expect(dominators.status == 0)
        #expect(dominators.standardOutput.hasPrefix("Top 0 retainers of 0 B"))
        let backrefs = try heapgraph(["backrefs", path, "--type", "list"])
        #expect(backrefs.status == 2)
        #expect(backrefs.standardError == "heapgraph: \(path): no objects of type list\n")
    }
}
