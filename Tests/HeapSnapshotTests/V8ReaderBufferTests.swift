import Foundation
import Testing
import HeapGraphFormat
@testable import HeapGraphModel

/// The reader's fast path for numbers reads the buffer directly; a number, a row separator
/// or a string across the buffer's end must come out the same: the same file read through
/// buffers of a few bytes gives the same graph as through the usual 4 MiB.
@Suite("V8 reader buffer edges")
struct V8ReaderBufferTests {
    @Test(arguments: [1, 2, 3, 5, 7, 13, 64])
    func tinyBuffersReadTheSameGraph(capacity: Int) throws {
        let path = temporaryPath("buffer-\(capacity).heapsnapshot")
        try V8ExportTests.everyLabelGraph().writeV8Snapshot(to: path)
        let expected = try HeapSnapshot(v8ContentsOf: path)
        let descriptor = open(path, O_RDONLY)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        var reader = V8SnapshotReader(stream: V8ByteStream(descriptor: descriptor, capacity: capacity), fileSize: 1 << 20)
        let graph = try reader.read(path: path)
        V8ExportTests.expectIdentical(expected, graph)
        #expect(graph.nodeCount == expected.nodeCount && graph.nodeCount > 10)
    }
}
