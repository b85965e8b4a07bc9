// libFuzzer target for the snapshot reader: any bytes must give a graph or a SnapshotError,
// never a trap, a hang or an allocation the file's size cannot justify.
// Built and run by scripts/fuzz-snapshot (swiftc -sanitize=fuzzer,address).
#if canImport(Glibc)
import Glibc
#endif

private let inputPath: String = {
    let path = "/tmp/heapgraph-fuzz-\(getpid()).heapgraph"
    return path
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSnapshotReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let fd = open(inputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { return 0 }
    var written = 0
    while written < size {
        let n = write(fd, data + written, size - written)
        if n <= 0 { break }
        written += n
    }
    close(fd)
    do {
        let graph = try HeapSnapshot(contentsOf: inputPath)
        // A graph that was accepted must be walkable end to end.
        for node in 0..<graph.nodeCount {
            _ = graph.typeName(of: node)
            for edge in graph.edges(of: node) { _ = graph.labelText(edge) }
            _ = graph.referrers(of: node).count
        }
    } catch {
        _ = error.description
    }
    return 0
}
