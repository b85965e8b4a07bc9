import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `-o` writes into what it names: devices stay devices, links stay links, a FIFO's reader
/// gets the report. Every output is checked before the snapshot is read, and a failed
/// write is one line and a non-zero exit, never silence. Devices are made in the test's
/// directory (issue 14: the suite used to replace the machine's /dev/null).
@Suite("heapgraph: output files", .serialized)
struct OutputFileCommandTests {
    func expectOneLineError(_ result: CommandResult, status: Int32 = 2, mentions: [String],
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == status, "status \(result.status): \(result.standardError)", sourceLocation: sourceLocation)
        #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)", sourceLocation: sourceLocation)
        for word in mentions {
            #expect(result.standardError.contains(word), "\(result.standardError) lacks \(word)", sourceLocation: sourceLocation)
        }
    }

    @Test(.enabled(if: SpecialFiles.canMakeDevices, "mknod is not permitted here: device tests skipped"))
    func devicesAreWrittenIntoNotReplaced() throws {
        let directory = try scratchDirectory("out-devices")
        let fixture = try makeLeakFixture(in: directory)
        let null = try SpecialFiles.makeDevice("null", minor: 3, in: directory)
        let leaks = try heapgraph(["leaks", fixture.final, "-o", null, "--format", "json"])
        #expect(leaks.status == 1, "\(leaks.standardError)")
        #expect(leaks.standardError == "")
        #expect(SpecialFiles.type(null) == S_IFCHR)
        let picture = try heapgraph(["backrefs", fixture.final, "--type", "Session", "-o", directory + "/null.svg"])
        #expect(picture.status == 0)

        let full = try SpecialFiles.makeDevice("full", minor: 7, in: directory)
        let failed = try heapgraph(["leaks", fixture.final, "-o", full])
        expectOneLineError(failed, mentions: [full, "No space left on device"])
        #expect(SpecialFiles.type(full) == S_IFCHR)
    }

    @Test func aSymbolicLinkStaysALinkAndItsTargetGetsTheReport() throws {
        let directory = try scratchDirectory("out-symlink")
        let fixture = try makeLeakFixture(in: directory)
        try "old".write(toFile: directory + "/target.json", atomically: false, encoding: .utf8)
        let link = directory + "/link.json"
        #expect(symlink("target.json", link) == 0)
        let result = try heapgraph(["leaks", fixture.final, "--format", "json", "-o", link])
        #expect(result.status == 1, "\(result.standardError)")
        #expect(SpecialFiles.type(link) == S_IFLNK)
        let report = try String(contentsOfFile: directory + "/target.json", encoding: .utf8)
        #expect(report.hasPrefix("{\"version\":1"))
    }

    @Test func aFIFOsReaderGetsTheReportAndTheFIFOStays() throws {
        let directory = try scratchDirectory("out-fifo")
        let fixture = try makeLeakFixture(in: directory)
        let fifo = try SpecialFiles.makeFIFO("fifo", in: directory)
        let reader = FIFOReader(fifo)
        let result = try heapgraph(["leaks", fixture.final, "-o", fifo])
        #expect(result.status == 1, "\(result.standardError)")
        let received = try #require(reader.text())
        #expect(received.hasPrefix("Leak report: 3 groups"))
        #expect(SpecialFiles.type(fifo) == S_IFIFO)
    }

    @Test func dashMeansStandardOutput() throws {
        let directory = try scratchDirectory("out-dash")
        let fixture = try makeLeakFixture(in: directory)
        let result = try heapgraph(["leaks", fixture.final, "-o", "-", "--format", "json"])
        #expect(result.status == 1)
        #expect(result.standardOutput.hasPrefix("{\"version\":1"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/-"))
        let picture = try heapgraph(["backrefs", fixture.final, "--type", "Session", "-o", "-"])
        expectOneLineError(picture, mentions: ["a picture needs a file name"])
    }

    @Test func outputsAreCheckedBeforeTheSnapshotIsRead() throws {
        let directory = try scratchDirectory("out-early")
        let missing = directory + "/missing.heapgraph"   // would fail if it were read first
        expectOneLineError(try heapgraph(["leaks", missing, "-o", directory]),
                           mentions: ["\(directory): is a directory"])
        let result = try heapgraph(["leaks", missing, "-o", directory])
        #expect(!result.standardError.contains("NSCocoaErrorDomain"))
        #expect(result.standardError.components(separatedBy: directory).count == 2)   // the path once
        expectOneLineError(try heapgraph(["leaks", missing, "-o", directory + "/no/such/report.txt"]),
                           mentions: ["its directory does not exist"])
        try "x".write(toFile: directory + "/file", atomically: false, encoding: .utf8)
        expectOneLineError(try heapgraph(["leaks", missing, "--render-dir", directory + "/file"]),
                           mentions: ["file: is not a directory"])
        expectOneLineError(try heapgraph(["leaks", missing, "--render-dir", directory + "/file/pictures"]),
                           mentions: ["is not a directory"])
        expectOneLineError(try heapgraph(["backrefs", missing, "--type", "Session", "-o", directory + "/no/b.svg"]),
                           mentions: ["b.svg", "its directory does not exist"])
        try FileManager.default.createDirectory(atPath: directory + "/b.png", withIntermediateDirectories: false)
        expectOneLineError(try heapgraph(["refs", missing, "--id", "1", "-o", directory + "/b.png"]),
                           mentions: ["b.png: is a directory"])
    }

    @Test func theReportNeverOverwritesAnInput() throws {
        let directory = try scratchDirectory("out-input")
        let fixture = try makeLeakFixture(in: directory)
        let before = try Data(contentsOf: URL(fileURLWithPath: fixture.final))
        expectOneLineError(try heapgraph(["leaks", fixture.final, "-o", fixture.final]),
                           mentions: ["is the snapshot this command reads"])
        #expect(symlink(fixture.final, directory + "/alias.heapgraph") == 0)
        expectOneLineError(try heapgraph(["leaks", fixture.final, "-o", directory + "/alias.heapgraph"]),
                           mentions: ["alias.heapgraph", "is the snapshot this command reads"])
        expectOneLineError(try heapgraph(["leaks", fixture.final, "--baseline", fixture.baseline, "-o", fixture.baseline]),
                           mentions: ["is the snapshot this command reads"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.final)) == before)
    }

    @Test(.enabled(if: SpecialFiles.canMakeDevices, "mknod is not permitted here: device tests skipped"))
    func aFullStandardOutputIsAnError() throws {
        let directory = try scratchDirectory("out-stdout-full")
        let fixture = try makeLeakFixture(in: directory)
        let full = try SpecialFiles.makeDevice("full", minor: 7, in: directory)
        let handle = try #require(FileHandle(forWritingAtPath: full))
        defer { try? handle.close() }
        let result = try heapgraph(["summary", fixture.final], standardOutput: handle)
        expectOneLineError(result, mentions: ["standard output: cannot write: No space left on device"])
        #expect(SpecialFiles.type(full) == S_IFCHR)
    }

    @Test func aClosedPipeOnStandardOutputIsAnError() throws {
        let directory = try scratchDirectory("out-stdout-epipe")
        let fixture = try makeLeakFixture(in: directory)
        let pipe = Pipe()
        try pipe.fileHandleForReading.close()            // nobody will read
        let result = try heapgraph(["summary", fixture.final], standardOutput: pipe.fileHandleForWriting)
        try? pipe.fileHandleForWriting.close()
        // Not killed by SIGPIPE (status 13 by signal): an error it reports.
        expectOneLineError(result, mentions: ["standard output: cannot write: Broken pipe"])
    }

    @Test func renderFormatWithoutRenderDirIsAnError() throws {
        let result = try heapgraph(["leaks", "app.heapgraph", "--render-format", "png"])
        #expect(result.status == 2)
        #expect(result.standardError.hasPrefix("Error: --render-format needs --render-dir"))
    }

    @Test func unknownRenderFormatNamesTheFormatsThereAre() throws {
        let directory = try scratchDirectory("out-render-format")
        let fixture = try makeLeakFixture(in: directory)
        let result = try heapgraph(["leaks", fixture.final, "--render-dir", directory + "/pictures", "--render-format", "bmp"])
        #expect(result.status == 2)
        let first = result.standardError.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.hasPrefix("Error: The value 'bmp' is invalid for '--render-format"))
        for format in ["svg", "png", "pdf", "dot"] { #expect(first.contains("'\(format)'"), "\(first)") }
        #expect(!FileManager.default.fileExists(atPath: directory + "/pictures"), "nothing is written on a usage error")
    }

    @Test func renderDirReplacesPicturesFromEarlierRunsAndNothingElse() throws {
        let directory = try scratchDirectory("out-render-stale")
        let fixture = try makeLeakFixture(in: directory)
        let pictures = directory + "/pictures"
        try FileManager.default.createDirectory(atPath: pictures, withIntermediateDirectories: false)
        for name in ["leak-07-growth.svg", "leak-04-watched.png", "notes.txt", "leak-1-watched.svg", "leak-05-other.svg"] {
            try "old".write(toFile: pictures + "/" + name, atomically: false, encoding: .utf8)
        }
        let result = try heapgraph(["leaks", fixture.final, "--render-dir", pictures, "-o", directory + "/report.txt"])
        #expect(result.status == 1)
        #expect(result.standardError == "rendered 3 leak pictures into \(pictures) (removed 2 from an earlier run)\n")
        let names = try FileManager.default.contentsOfDirectory(atPath: pictures).sorted()
        #expect(names == ["leak-01-uncollectable.svg", "leak-02-cyclic-garbage.svg", "leak-03-watched.svg",
                          "leak-05-other.svg", "leak-1-watched.svg", "notes.txt"])
    }

    @Test func aLateRenderFailureKeepsTheReportAndTheLeakStatus() throws {
        let directory = try scratchDirectory("out-render-late")
        let fixture = try makeLeakFixture(in: directory)
        let pictures = directory + "/pictures"
        // Passes the early check (a writable directory), fails when the first picture is written.
        try FileManager.default.createDirectory(atPath: pictures + "/leak-01-uncollectable.svg", withIntermediateDirectories: true)
        let result = try heapgraph(["leaks", fixture.final, "--render-dir", pictures, "-o", directory + "/report.txt"])
        expectOneLineError(result, status: 1, mentions: ["leak-01-uncollectable.svg: is a directory"])
        #expect(try String(contentsOfFile: directory + "/report.txt", encoding: .utf8).hasPrefix("Leak report: 3 groups"))
        let clean = try heapgraph(["leaks", fixture.clean, "--render-dir", directory + "/report.txt/x"])
        expectOneLineError(clean, status: 2, mentions: ["report.txt is not a directory"])
    }
}
