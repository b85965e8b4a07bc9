import ArgumentParser
import GraphvizRender
import HeapGraphFormat
import HeapGraphModel

#if canImport(Glibc)
import Glibc
#endif

/// `heapgraph convert`: a snapshot from one format into the other, `.heapgraph` to V8's
/// `.heapsnapshot` (for Chrome DevTools) and back.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a snapshot between .heapgraph and V8's .heapsnapshot (which Chrome DevTools opens).",
        discussion: """
            The output format comes from the output's name (.heapgraph or .heapsnapshot) or \
            from --to. Any input is read: a .heapgraph file (HeapRuntime, the CPython dumper) \
            or a V8 .heapsnapshot (Node, Chrome). The output is written as every output is: \
            to a temporary file renamed over the old one when complete (docs/v8.md).

            Example:
              heapgraph convert app.heapgraph -o app.heapsnapshot     # then DevTools → Memory → Load
              heapgraph convert Heap-1.heapsnapshot -o heap.heapgraph
              heapgraph convert app.heapgraph --to heapsnapshot -o - | gzip > app.heapsnapshot.gz
            """
    )

    /// The formats `convert` writes.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case heapgraph, heapsnapshot
    }

    @Argument(help: "A .heapgraph or V8 .heapsnapshot file (- for standard input).")
    var file: PathArgument

    @Option(name: .shortAndLong, help: "The file to write (- for standard output, with --to).")
    var output: PathArgument

    @Option(help: "Output format: heapgraph or heapsnapshot (default: from the output's extension).")
    var to: Format?

    @OptionGroup var common: CommonOptions

    func validate() throws {
        _ = try outputFormat()
    }

    func outputFormat() throws(ValidationError) -> Format {
        if let to { return to }
        for format in Format.allCases where output.display.hasSuffix("." + format.rawValue) { return format }
        throw ValidationError("cannot tell the format to write from the name \(output.display): end it in .heapgraph or .heapsnapshot, or pass --to heapgraph|heapsnapshot")
    }

    func run() throws {
        let format = try outputFormat()
        let source = try SnapshotSource.open(file)
        let destination = OutputFile(argument: output)
        try destination.checkWritable()
        try destination.refuseOverwriting([source])
        let graph = try source.load(quiet: common.quiet)
        let name = destination.displayName
        let result = Progress.run("writing \(output.name)", quiet: common.quiet) {
            Result { () throws(OutputFileError) in
                try destination.write(streaming: { (descriptor: Int32) throws(OutputFileError) in
                    if let error = Self.write(graph, as: format, to: descriptor, name: name) {
                        throw OutputFileError(displayName: name, problem: "cannot write: \(error.reason)", errorNumber: nil)
                    }
                })
            }
        }
        if case .failure(let error) = result { throw CommandFailure(error.description) }
    }

    /// Writes `graph` in `format`; the failure, if any.
    static func write(_ graph: HeapSnapshot, as format: Format, to descriptor: Int32, name: String) -> SnapshotWriteError? {
        do {
            switch format {
            case .heapsnapshot: try graph.writeV8Snapshot(toDescriptor: descriptor, name: name)
            case .heapgraph: try writeHeapgraph(graph, to: descriptor, name: name)
            }
            return nil
        } catch {
            return error
        }
    }

    /// A `.heapgraph` file's header is written last, at its start, so it needs a file it can
    /// seek in from offset 0: a pipe (or a file open past its start) gets the file made in
    /// an unnamed temporary file first, then copied.
    static func writeHeapgraph(_ graph: HeapSnapshot, to descriptor: Int32, name: String) throws(SnapshotWriteError) {
        if lseek(descriptor, 0, SEEK_CUR) == 0 {
            try graph.writeHeapgraph(toDescriptor: descriptor, name: name)
            return
        }
        let base = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base + "/heapgraph-convert-XXXXXX").utf8CString)
        let temporary = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let start = buffer.baseAddress else { return -1 }
            let made = mkstemp(start)
            if made >= 0 { unlink(start) }
            return made
        }
        guard temporary >= 0 else { throw SnapshotWriteError(path: name, reason: "cannot make a temporary file in \(base): \(SystemCall.message(errno))") }
        defer { _ = close(temporary) }
        try graph.writeHeapgraph(toDescriptor: temporary, name: name)
        guard lseek(temporary, 0, SEEK_SET) == 0 else { throw SnapshotWriteError(path: name, reason: SystemCall.message(errno)) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { bytes in SystemCall.retrying { read(temporary, bytes.baseAddress, bytes.count) } }
            if count < 0 { throw SnapshotWriteError(path: name, reason: SystemCall.message(errno)) }
            if count == 0 { return }
            if let code = buffer.withUnsafeBytes({ SystemCall.writeAll(UnsafeRawBufferPointer(rebasing: $0[0..<count]), to: descriptor) }) {
                throw SnapshotWriteError(path: name, reason: SystemCall.message(code))
            }
        }
    }
}
