import Foundation
import HeapGraphModel
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Inputs that are not regular files (pipes, FIFOs, standard input), file names that are
/// not UTF-8, and arguments that used to be misread.
@Suite("heapgraph: inputs and arguments", .serialized)
struct InputAndArgumentTests {
    @Test func standardInputAndPipesAreRead() throws {
        let directory = try scratchDirectory("in-stdin")
        let fixture = try makeLeakFixture(in: directory)
        let expected = try heapgraph(["summary", fixture.final, "--json"]).standardOutput
        for name in ["-", "/dev/stdin"] {
            let pipe = Pipe()
            let writer = Thread {
                try? pipe.fileHandleForWriting.write(contentsOf: Data(contentsOf: URL(fileURLWithPath: fixture.final)))
                try? pipe.fileHandleForWriting.close()
            }
            writer.start()
            let result = try heapgraph(["summary", name, "--json"], standardInput: pipe.fileHandleForReading)
            #expect(result.status == 0, "\(name): \(result.standardError)")
            #expect(result.standardOutput == expected.replacingOccurrences(of: fixture.final, with: name), "\(name)")
        }
        // A file on standard input is read too.
        let file = try #require(FileHandle(forReadingAtPath: fixture.final))
        let redirected = try heapgraph(["leaks", "-", "--format", "json"], standardInput: file)
        #expect(redirected.status == 1)
        #expect(redirected.standardOutput.contains("\"file\":\"-\""))
        let twice = try heapgraph(["growth", "-", "-"])
        #expect(twice.status == 2)
        #expect(twice.standardError.contains("standard input (-) can be read only once"))
    }

    @Test func aFIFOWithAWriterIsReadAndOneWithoutIsNotWaitedForForever() throws {
        let directory = try scratchDirectory("in-fifo")
        let fixture = try makeLeakFixture(in: directory)
        let fifo = try SpecialFiles.makeFIFO("fifo", in: directory)
        let writer = FIFOWriter(fifo, data: try Data(contentsOf: URL(fileURLWithPath: fixture.final)))
        let read = try heapgraph(["summary", fifo])
        #expect(read.status == 0, "\(read.standardError)")
        #expect(read.standardOutput.contains("51 objects"))
        #expect(writer.wait())

        let started = Date()
        let idle = try heapgraph(["summary", fifo], environment: ["HEAPGRAPH_INPUT_WAIT": "0.5"])
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(idle.status == 2)
        #expect(idle.standardError == "heapgraph: \(fifo): no data arrived within 0.5 s (a FIFO nobody writes to?)\n")
        #expect(SpecialFiles.type(fifo) == S_IFIFO)
    }

    @Test func fileNamesThatAreNotUTF8AreFoundAndWrittenByteForByte() throws {
        let directory = try scratchDirectory("in-latin1")
        _ = try makeLeakFixture(in: directory)
        // café.heapgraph in Latin-1 (é = 0xE9), which is not UTF-8.
        let copy = try heapgraphInShell(#"cp app.heapgraph "$(printf 'caf\351.heapgraph')""#, in: directory)
        #expect(copy.status == 0)
        let summary = try heapgraphInShell(#""$HEAPGRAPH" summary "$(printf 'caf\351.heapgraph')""#, in: directory)
        #expect(summary.status == 0, "\(summary.standardError)")
        #expect(summary.standardOutput.hasPrefix(#"caf\xE9.heapgraph: tag "fixture step 3""#))
        let report = try heapgraphInShell(#""$HEAPGRAPH" leaks app.heapgraph -o "$(printf 'r\351port.txt')""#, in: directory)
        #expect(report.status == 1, "\(report.standardError)")
        let picture = try heapgraphInShell(#""$HEAPGRAPH" backrefs app.heapgraph --type Session -o "$(printf 'b\351.svg')""#, in: directory)
        #expect(picture.status == 0, "\(picture.standardError)")
        #expect(picture.standardOutput.contains(#"Graph written to b\xE9.svg"#))
        let names = try rawNames(in: directory)
        #expect(names.contains(Array("r".utf8) + [0xE9] + Array("port.txt".utf8)))
        #expect(names.contains(Array("b".utf8) + [0xE9] + Array(".svg".utf8)))
        #expect(!names.contains(Array("r\u{FFFD}port.txt".utf8)) && !names.contains(Array("b\u{FFFD}.svg".utf8)))
        let missing = try heapgraphInShell(#""$HEAPGRAPH" summary "$(printf 'caf\352.heapgraph')""#, in: directory)
        #expect(missing.standardError == #"heapgraph: caf\xEA.heapgraph: cannot read: No such file or directory"# + "\n")
    }

    func rawNames(in directory: String) throws -> [[UInt8]] {
        guard let listing = opendir(directory) else { throw HarnessError("opendir \(directory)") }
        defer { closedir(listing) }
        var names: [[UInt8]] = []
        while let entry = readdir(listing) {
            names.append(withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) })
        }
        return names
    }

    @Test func nthCountsFromOneAndGoesOnlyWithType() throws {
        let directory = try scratchDirectory("args-nth")
        let fixture = try makeLeakFixture(in: directory)
        for nth in ["-1", "0"] {
            let result = try heapgraph(["backrefs", fixture.final, "--type", "Session", "--nth", nth])
            #expect(result.status == 2)
            #expect(result.standardError.hasPrefix("Error: --nth counts from 1 (1 is the first object of the type, in file order), so \(nth) names none\n"),
                    "\(result.standardError)")
        }
        let both = try heapgraph(["backrefs", fixture.final, "--id", "0x1", "--nth", "3"])
        #expect(both.status == 2)
        #expect(both.standardError.hasPrefix("Error: --nth picks one of the objects of --type; --id already names one object"))
        let limit = try heapgraph(["summary", fixture.final, "--limit", "-1"])
        #expect(limit.standardError.hasPrefix("Error: --limit must be 0 or more (0 lists everything)\n"))
    }

    @Test func versionIsPrinted() throws {
        let result = try heapgraph(["--version"])
        #expect(result.status == 0)
        #expect(result.standardOutput.wholeMatch(of: /\d+\.\d+\.\d+\n/) != nil, "\(result.standardOutput)")
    }

    @Test func aTypeThatMatchesNothingSuggestsOneThatDoes() throws {
        let directory = try scratchDirectory("args-did-you-mean")
        let fixture = try makeLeakFixture(in: directory)
        let lower = try heapgraph(["backrefs", fixture.final, "--type", "session"])
        #expect(lower.status == 2)
        #expect(lower.standardError == "heapgraph: \(fixture.final): no objects of type session; did you mean app.Session?\n")
        let qualified = try heapgraph(["backrefs", fixture.final, "--type", "APP.SESSION"])
        #expect(qualified.standardError.hasSuffix("no objects of type APP.SESSION; did you mean app.Session?\n"))
        let graph = try HeapSnapshot(contentsOf: fixture.final)
        let holder = try #require((0..<graph.nodeCount).first { graph.typeName(of: $0) == "app.Holder" })
        let suffix = try heapgraph(["chain", fixture.final, "--from", String(graph.id(of: holder)), "--to-type", "istener"])
        #expect(suffix.status == 2)
        #expect(suffix.standardError.hasSuffix("no objects of type istener; did you mean app.Listener?\n"), "\(suffix.standardError)")
        let none = try heapgraph(["backrefs", fixture.final, "--type", "Martian"])
        #expect(none.standardError == "heapgraph: \(fixture.final): no objects of type Martian\n")
    }
}
