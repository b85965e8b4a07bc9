import Foundation
import Testing
import HeapRuntime
@testable import HeapGraphModel
import HeapRuntimeSnapshot

/// Snapshots larger than the reader's 4 MiB buffer in their metadata or in one string, which
/// the runtime writes and the reader must read back, and a sparse file whose header claims
/// more than its real bytes.
@Suite("Snapshot file: large sections")
struct LargeSnapshotTests {
    /// 100,000 watched objects make about 5 MB of metadata, more than the read buffer.
    @Test func aHundredThousandWatchedObjectsAllComeBack() throws {
        let heap = Heap()
        heap.gc.disable()
        let root = heap.list()
        var ids: [UInt64] = []
        for index in 0..<100_000 {
            let session = heap.list()
            try heap.watch(session, description: index % 2 == 0 ? "Session closed; it should be freed" : "closed #\(index)")
            ids.append(session.snapshotID)
            try heap.append(taking: session, to: root.ref)
        }
        let path = temporaryPath("watched-100k.heapgraph")
        defer { unlink(path) }
        try heap.writeSnapshot(to: path, tag: "many watched")
        let graph = try HeapSnapshot(contentsOf: path)
        #expect(graph.metadata.json.utf8.count > 4 << 20)
        #expect(graph.metadata.tag == "many watched")
        #expect(graph.metadata.watched?.count == 100_000)
        #expect(graph.metadata.watched?[ids[0]] == "Session closed; it should be freed")
        #expect(graph.metadata.watched?[ids[99_999]] == "closed #99999")
        #expect((0..<graph.nodeCount).filter { graph.flags(of: $0).contains(.watched) }.count == 100_000)
        #expect(graph.metadata.thresholds == [700, 10, 10])
    }

    /// A 16 MiB class name (a string-table entry four times the buffer) and a 16 MiB tag
    /// (in the metadata).
    @Test func aSixteenMebibyteStringComesBack() throws {
        let heap = Heap()
        let name = "Huge" + String(repeating: "é", count: 8 << 20)    // 2 bytes each: 16 MiB + 4
        let tag = String(repeating: "t", count: 16 << 20)
        let cls = try heap.makeClass(name)
        let instance = try heap.instance(of: cls)
        let path = temporaryPath("huge-string.heapgraph")
        defer { unlink(path) }
        try heap.writeSnapshot(to: path, tag: tag)
        let graph = try HeapSnapshot(contentsOf: path)
        let node = try #require((0..<graph.nodeCount).first { graph.id(of: $0) == instance.snapshotID })
        #expect(graph.typeName(of: node) == name)
        #expect(graph.metadata.tag == tag)
    }

    /// The issue's file: a valid header claiming 27 million nodes, made 1.3 GB long by a
    /// hole, with 130 real bytes. The reader used to allocate 921 MB for the columns before
    /// reading a record; now a file with a hole in its records must pass its checksum before
    /// any is read, and this one fails it, having allocated next to nothing.
    /// In a child process, so that its peak resident memory is this read's alone.
    @Test func aSparseFileClaimingMillionsOfNodesFailsWithoutAllocatingForThem() async {
        await #expect(processExitsWith: .success) {
            exit(LargeSnapshotTests.readASparseFile())
        }
    }

    /// The child's side: 0 when the read failed on the checksum and the process's peak
    /// resident memory stayed under 200 MB; 1 for another outcome, 2 for more memory, 4
    /// when the peak cannot be read.
    static func readASparseFile() -> Int32 {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heapgraph-sparse-\(getpid())").path
        guard mkdir(directory, 0o700) == 0 else { return 3 }
        let path = directory + "/sparse.heapgraph"
        defer { unlink(path); rmdir(directory) }
        let nodes: UInt64 = 27_000_000
        let metadata = Array("{}".utf8)
        let stringsOffset = 128 + nodes * 48
        let size = stringsOffset + UInt64(metadata.count)
        var header = [UInt8](repeating: 0, count: 128)
        header.replaceSubrange(0..<8, with: Array("HEAPGRPH".utf8))
        header.replaceSubrange(8..<16, with: [1, 0, 0, 0, 128, 0, 0, 0])          // version 1, header size 128
        // Node count, then (edges and strings 0) the four offsets and the two lengths.
        for (offset, value) in [(16, nodes), (40, 128), (48, stringsOffset), (56, stringsOffset), (64, stringsOffset),
                                (72, UInt64(metadata.count)), (80, size)] {
            withUnsafeBytes(of: value.littleEndian) { header.replaceSubrange(offset..<(offset + 8), with: $0) }
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { return 3 }
        defer { close(fd) }
        guard ftruncate(fd, off_t(size)) == 0, pwrite(fd, header, 128, 0) == 128,
              pwrite(fd, metadata, metadata.count, off_t(stringsOffset)) == metadata.count else { return 3 }
        var failedOnTheChecksum = false
        do throws(SnapshotError) {
            _ = try HeapSnapshot(contentsOf: path)
        } catch {
            if case .checksumMismatch(expected: 0, actual: _) = error { failedOnTheChecksum = true }
        }
        // This process's own peak (VmHWM, of its address space since exec), in kB. Not
        // getrusage's ru_maxrss: Linux carries that over exec from the test runner that spawned it.
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap({ Int($0) }) else { return 3 }
        guard kilobytes < 200 * 1024 else { return 2 }                 // the columns were 921 MB
        return failedOnTheChecksum ? 0 : 1
    }

    /// The reader reserves the full columns only where the record sections are all data.
    @Test func aHoleInTheRecordsIsFound() throws {
        let path = temporaryPath("holes-\(UUID().uuidString).bin")
        defer { unlink(path) }
        let fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o600)
        try #require(fd >= 0)
        defer { close(fd) }
        let size = 64 << 20
        let data = [UInt8](repeating: 1, count: 1 << 20)
        try #require(ftruncate(fd, off_t(size)) == 0)
        try #require(pwrite(fd, data, data.count, 0) == data.count)
        var info = stat()
        try #require(fstat(fd, &info) == 0)
        // Only where the file system keeps the hole (it does on ext4, xfs, btrfs and tmpfs).
        if Int(info.st_blocks) * 512 < size / 2 {
            #expect(!SnapshotHeader.hasNoHole(fd: fd, from: 128, to: UInt64(size)))
        }
        #expect(SnapshotHeader.hasNoHole(fd: fd, from: 128, to: 1 << 20))
        #expect(SnapshotHeader.hasNoHole(fd: fd, from: 128, to: 128))
    }

    /// A file that ends before its header's length once reading has begun (it shrank, or a
    /// read failed) is reported as such, at the byte where reading stopped, not as a header
    /// that disagrees with the file.
    @Test func runningOutOfBytesWhileReadingNamesTheCause() throws {
        var pipeEnds: [Int32] = [0, 0]
        try #require(pipe(&pipeEnds) == 0)
        let bytes = [UInt8](repeating: 7, count: 20)
        #expect(write(pipeEnds[1], bytes, bytes.count) == 20)
        close(pipeEnds[1])
        var reader = ChunkedReader(fd: pipeEnds[0], position: 128)
        defer { reader.deallocate(); close(pipeEnds[0]) }
        let filled = reader.fill(48)
        #expect(!filled)
        let error = reader.failure(reading: "node 0", fileSize: 1000)
        #expect(error == .readFailed(offset: 128, what: "node 0",
                                     reason: "the file ended there, but it had 1000 bytes when opened (it changed while being read)"))
        #expect(error.description.hasPrefix("cannot read the snapshot at byte 128 (node 0): the file ended there"))
    }
}

@Suite("Snapshot metadata parsing")
struct MetadataParsingTests {
    func parse(_ json: String) -> Result<SnapshotMetadata, SnapshotError> {
        do throws(SnapshotError) { return .success(try SnapshotMetadata(parsing: Array(json.utf8))) } catch { return .failure(error) }
    }

    @Test func theRuntimesFieldsAreRead() throws {
        let json = """
            {"format":"heapgraph","version":1,"producer":"HeapRuntime","time":"2026-11-21T02:20:03Z",
             "tag":"t\\u00e9st \\ud83d\\ude00 \\"q\\"\\n","objects":3,"edges":2,"unknown":[{"nested":[1,2,{"x":null}]}],
             "collector":{"enabled":true,"thresholds":[700,10,10],"counts":[12,3,0],
                          "generations":[{"collections":5,"collected":10,"uncollectable":0},{"collections":1}]},
             "allocator":{"arenasCurrent":2,"largeBytes":8192},
             "garbageList":140234567890,
             "watched":[{"id":140234567891,"description":"closed Session"},{"id":18446744073709551615},{"description":"no id"}]}
            """
        let metadata = try parse(json).get()
        #expect(metadata.json == json)
        #expect(metadata.producer == "HeapRuntime")
        #expect(metadata.time == "2026-11-21T02:20:03Z")
        #expect(metadata.tag == "tést 😀 \"q\"\n")
        #expect(metadata.thresholds == [700, 10, 10])
        #expect(metadata.counts == [12, 3, 0])
        #expect(metadata.generationStats == [["collections": 5, "collected": 10, "uncollectable": 0], ["collections": 1]])
        #expect(metadata.allocator == ["arenasCurrent": 2, "largeBytes": 8192])
        #expect(metadata.garbageListID == 140_234_567_890)
        #expect(metadata.watched == [140_234_567_891: "closed Session", UInt64.max: ""])
    }

    /// A field of the wrong shape is left out, as a cast of the parsed document would leave it.
    @Test func fieldsOfTheWrongShapeAreLeftOut() throws {
        let metadata = try parse("""
            {"tag":5,"collector":{"thresholds":[1,2.5],"counts":"no","generations":[1]},
             "allocator":{"a":1,"b":"x"},"watched":[{"id":1},2],"garbageList":-1}
            """).get()
        #expect(metadata.tag == nil)
        #expect(metadata.thresholds == nil)
        #expect(metadata.counts == nil)
        #expect(metadata.generationStats == nil)
        #expect(metadata.allocator == nil)
        #expect(metadata.watched == nil)
        #expect(metadata.garbageListID == nil)
        #expect(try parse("{}").get() == SnapshotMetadata(json: "{}"))
    }

    @Test func textThatIsNotJSONIsRejectedWithWhereItWentWrong() {
        let bad = ["", "[]", "5", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{\"a\":[1,]}", "{\"a\":01}", "{\"a\":1.}",
                   "{\"a\":-}", "{\"a\":1e}", "{\"a\":tru}", "{\"a\":\"x}", "{\"a\":\"\u{01}\"}", "{\"a\":\"\\x\"}",
                   "{\"a\":\"\\u12\"}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00x\"}", "{} {}", "{\"a\":1 \"b\":2}",
                   "{'a':1}", "{\"a\":[1 2]}", "{\"a\":{\"b\":1]}"]
        for text in bad {
            guard case let .failure(error) = parse(text) else {
                Issue.record("accepted \(text.debugDescription)")
                continue
            }
            guard case .badMetadata = error else {
                Issue.record("\(text.debugDescription): \(error)")
                continue
            }
        }
        #expect(parse("{\"a\":{\"b\":1]}") == .failure(.badMetadata(reason: "not JSON: expected ',' or '}' at byte 11")))
        #expect(parse("[1]") == .failure(.badMetadata(reason: "not a JSON object")))
        #expect(parse("{\"a\":\"\\u12\"}") == .failure(.badMetadata(reason: "not JSON: a bad \\u escape at byte 7")))
    }

    /// Nesting is followed on an explicit stack, so a deep document is an error, not a crash.
    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = "{\"a\":" + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        #expect(parse(deep) == .failure(.badMetadata(reason: "not JSON: nesting deeper than 512 at byte 516")))
        let fine = "{\"a\":" + String(repeating: "[", count: 500) + String(repeating: "]", count: 500) + "}"
        #expect((try? parse(fine).get()) != nil)
    }
}
