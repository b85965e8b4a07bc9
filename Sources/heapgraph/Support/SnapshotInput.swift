import HeapGraphFormat
import ArgumentParser
import GraphvizRender
import HeapAnalysis
import HeapGraphModel

#if canImport(Glibc)
import Glibc
#endif

/// Options every command shares.
struct CommonOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "No progress on stderr, even on a terminal.")
    var quiet = false
}

/// A snapshot named on the command line, opened: a regular file as it is, a stream (a
/// pipe, a FIFO, `-` for standard input, `/dev/stdin`) copied into an anonymous temporary
/// file first, since the reader needs to know the size and read from the start.
///
/// Opening never blocks for ever: a FIFO is opened without waiting for a writer, and the
/// first bytes of any stream are waited for at most ``streamWait`` seconds.
final class SnapshotSource {
    let argument: PathArgument
    /// A descriptor for a regular file holding the snapshot.
    private let descriptor: Int32
    /// Which file the user named (for a stream: the FIFO or pipe itself).
    let identity: FileIdentity?

    private init(argument: PathArgument, descriptor: Int32, identity: FileIdentity?) {
        self.argument = argument
        self.descriptor = descriptor
        self.identity = identity
    }

    deinit { _ = close(descriptor) }

    #if os(Linux)
    private static let descriptorDirectory = "/proc/self/fd/"
    #else
    private static let descriptorDirectory = "/dev/fd/"
    #endif

    /// Seconds to wait for the first bytes of a stream: `HEAPGRAPH_INPUT_WAIT`, default 10.
    static let streamWait: Double = getenv("HEAPGRAPH_INPUT_WAIT").flatMap { Double(String(cString: $0)) } ?? 10

    /// Opens what `argument` names (`-`: standard input).
    /// - Complexity: O(1) for a file; O(size) time and memory for a stream.
    static func open(_ argument: PathArgument) throws(CommandFailure) -> SnapshotSource {
        let name = argument.isStandardStream ? "standard input" : argument.display
        func failure(_ code: Int32) -> CommandFailure {
            CommandFailure("\(name): cannot read: \(SystemCall.message(code))")
        }
        let descriptor: Int32
        if argument.isStandardStream {
            guard isatty(0) == 0 else {
                throw CommandFailure("standard input is a terminal; pipe a snapshot into it (heapgraph summary - < app.heapgraph) or name a file")
            }
            descriptor = SystemCall.retrying { fcntl(0, F_DUPFD_CLOEXEC, 0) }
        } else {
            // O_NONBLOCK: opening a FIFO with no writer would otherwise wait for one for ever.
            descriptor = SystemCall.retrying { Glibc.open(cString(argument.bytes), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC) }
        }
        guard descriptor >= 0 else { throw failure(errno) }
        var info = stat()
        guard SystemCall.retrying({ fstat(descriptor, &info) }) == 0 else {
            let code = errno
            _ = close(descriptor)
            throw failure(code)
        }
        let identity = FileIdentity(descriptor: descriptor)
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            return SnapshotSource(argument: argument, descriptor: descriptor, identity: identity)
        case S_IFDIR:
            _ = close(descriptor)
            throw CommandFailure("\(name): cannot read: is a directory")
        default:
            defer { _ = close(descriptor) }
            let copy = try copyStream(descriptor, name: name)
            return SnapshotSource(argument: argument, descriptor: copy, identity: identity)
        }
    }

    /// A file with no name: made in a fresh temporary directory, then unlinked with its
    /// directory at once, so nothing is left behind whatever happens next; the descriptor
    /// keeps it until the process exits.
    private static func anonymousFile(name: String) throws(CommandFailure) -> Int32 {
        let base = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = cString(Array((base + "/heapgraph-input-XXXXXX").utf8))
        let made = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        guard made else {
            throw CommandFailure("\(name): cannot make a temporary directory for the stream in \(base): \(SystemCall.message(errno))")
        }
        let directoryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let filePath = directoryPath + "/stream.heapgraph"
        let descriptor = SystemCall.retrying { Glibc.open(filePath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600) }
        let code = errno
        _ = unlink(filePath)
        _ = rmdir(directoryPath)
        guard descriptor >= 0 else {
            throw CommandFailure("\(name): cannot make a temporary file for the stream: \(SystemCall.message(code))")
        }
        return descriptor
    }

    /// Copies a stream into an anonymous file and returns its descriptor. Reads
    /// no more than the snapshot header's file length (and one byte more, so the reader
    /// can tell the stream was longer), so an endless stream (`/dev/zero`) cannot fill
    /// memory.
    private static func copyStream(_ source: Int32, name: String) throws(CommandFailure) -> Int32 {
        var ready = pollfd(fd: source, events: Int16(POLLIN), revents: 0)
        let waited = SystemCall.retrying { poll(&ready, 1, Int32(streamWait * 1000)) }
        guard waited != 0 else {
            throw CommandFailure("\(name): no data arrived within \(formatSeconds(streamWait)) (a FIFO nobody writes to?)")
        }
        // From here reads may block: the writer is there.
        let flags = fcntl(source, F_GETFL)
        if flags >= 0, flags & O_NONBLOCK != 0 { _ = fcntl(source, F_SETFL, flags & ~O_NONBLOCK) }

        let copy = try anonymousFile(name: name)
        var limit = Int.max
        var total = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var header: [UInt8] = []
        while total < limit {
            let count = buffer.withUnsafeMutableBytes { buffer in
                SystemCall.retrying { read(source, buffer.baseAddress, min(buffer.count, limit - total)) }
            }
            if count < 0 {
                let code = errno
                _ = close(copy)
                throw CommandFailure("\(name): cannot read: \(SystemCall.message(code))")
            }
            if count == 0 { break }
            let failed = buffer.withUnsafeBytes { SystemCall.writeAll(UnsafeRawBufferPointer(rebasing: $0[0..<count]), to: copy) }
            if let failed {
                _ = close(copy)
                throw CommandFailure("\(name): cannot copy the stream: \(SystemCall.message(failed))")
            }
            if header.count < snapshotHeaderSize {
                header += buffer[0..<min(count, snapshotHeaderSize - header.count)]
                if header.count == snapshotHeaderSize {
                    // A V8 snapshot (JSON) has no length up front: copy it all.
                    if HeapSnapshot.looksLikeV8HeapSnapshot(prefix: header) { total += count; continue }
                    // Not a snapshot: stop here, the reader says so from the header alone.
                    guard header.starts(with: Array("HEAPGRPH".utf8)) else { break }
                    let declared = header[80..<88].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                    limit = declared < UInt64(Int.max) ? Int(declared) + 1 : Int.max
                }
            }
            total += count
        }
        return copy
    }

    /// A path that opens the file already open, whatever bytes the user's path was made of
    /// (and an unlinked copy of a stream).
    var readablePath: String { Self.descriptorDirectory + String(descriptor) }

    /// Reads the snapshot, turning every way it can fail into one line that names the file.
    /// - Complexity: O(file size); progress on stderr after a second when it is a terminal.
    func load(quiet: Bool) throws(CommandFailure) -> HeapSnapshot {
        let name = argument.isStandardStream ? "standard input" : argument.display
        // The reader opens a path; this one reaches the descriptor already open, whatever
        // bytes the user's path was made of (and an unlinked copy of a stream).
        let path = readablePath
        if isV8HeapSnapshot() {
            let result = Progress.run("loading \(argument.isStandardStream ? name : argument.name)", quiet: quiet) {
                Result { () throws(V8SnapshotError) -> HeapSnapshot in try HeapSnapshot(v8ContentsOf: path) }
            }
            switch result {
            case .success(let graph): return graph
            case .failure(.unreadable(_, let reason)): throw CommandFailure("\(name): cannot read: \(reason)")
            case .failure(let error): throw CommandFailure("\(name): \(error)")
            }
        }
        let result = Progress.run("loading \(argument.isStandardStream ? name : argument.name)", quiet: quiet) {
            Result { () throws(SnapshotError) -> HeapSnapshot in try HeapSnapshot(contentsOf: path) }
        }
        switch result {
        case .success(let graph): return graph
        case .failure(.unreadable(_, let reason)): throw CommandFailure("\(name): cannot read: \(reason)")
        case .failure(let error): throw CommandFailure("\(name): \(error)")
        }
    }
}

extension SnapshotSource {
    /// Whether the file holds a V8 `.heapsnapshot` (JSON) rather than a `.heapgraph`: by its
    /// first bytes, whatever its name.
    func isV8HeapSnapshot() -> Bool {
        var prefix = [UInt8](repeating: 0, count: 64)
        let count = prefix.withUnsafeMutableBytes { buffer in
            SystemCall.retrying { pread(descriptor, buffer.baseAddress, buffer.count, 0) }
        }
        guard count > 0 else { return false }
        return HeapSnapshot.looksLikeV8HeapSnapshot(prefix: prefix[0..<count])
    }
}

/// The size of a `.heapgraph` header; its bytes 80..<88 hold the file's length
/// (docs/snapshot-format.md).
private let snapshotHeaderSize = 128

/// "10 s", "0.5 s".
func formatSeconds(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
}

/// Opens every input first (so a bad one fails before any work), then reads them.
func loadSnapshots(_ sources: [SnapshotSource], quiet: Bool) throws(CommandFailure) -> [HeapSnapshot] {
    var graphs: [HeapSnapshot] = []
    for source in sources { graphs.append(try source.load(quiet: quiet)) }
    return graphs
}

/// An object id as the user writes it: `@12345` as reports print it, plain decimal, or
/// hexadecimal with `0x` (as objgraph and `repr` print addresses).
struct ObjectID: ExpressibleByArgument, CustomStringConvertible {
    var value: UInt64

    init?(argument: String) {
        let text = argument.lowercased()
        if text.hasPrefix("0x") {
            guard let value = UInt64(text.dropFirst(2), radix: 16) else { return nil }
            self.value = value
        } else {
            guard let value = UInt64(text.hasPrefix("@") ? String(text.dropFirst()) : text) else { return nil }
            self.value = value
        }
    }

    var description: String { ReportStyle.objectID(value) }
}

extension HeapSnapshot {
    /// The node with `id`, or a failure naming the file.
    func requireNode(withID id: ObjectID, file: String) throws(CommandFailure) -> Int {
        guard let node = node(withID: id.value) else {
            throw CommandFailure("\(file): no object with id \(id) in this snapshot (ids are printed @12345 by every command)")
        }
        return node
    }

    /// The `nth` (1-based) object of a type, or a failure naming the file.
    func requireNode(ofType type: String, nth: Int, file: String) throws(CommandFailure) -> Int {
        let nodes = nodes(ofType: type, scope: .all)
        guard !nodes.isEmpty else { throw noObjects(ofType: type, file: file) }
        guard nth >= 1, nth <= nodes.count else {
            throw CommandFailure("\(file): --nth \(nth) is out of range: there are \(nodes.count) objects of type \(type)")
        }
        return nodes[nth - 1]
    }

    /// "no objects of type session; did you mean service.Session?": the types whose name,
    /// or last component, matches ignoring case, or ends with what was typed, are offered
    /// (at most three, the most numerous first), under names that select them.
    /// - Complexity: O(nodes), once, on a failure.
    func noObjects(ofType type: String, file: String) -> CommandFailure {
        let typed = type.lowercased()
        var suggestions: [String] = []
        for row in mostCommonTypes(limit: nil, style: .qualified, scope: .all) {
            let name = row.name.hasPrefix("builtins.") ? String(row.name.dropFirst("builtins.".count)) : row.name
            let lowered = name.lowercased()
            let short = HeapSnapshot.styledTypeName(name, style: .short).lowercased()
            if lowered == typed || short == typed || (typed.count >= 3 && lowered.hasSuffix(typed)) {
                suggestions.append(name)
            }
        }
        var message = "\(file): no objects of type \(type)"
        if !suggestions.isEmpty {
            let shown = suggestions.prefix(3)
            message += "; did you mean " + (shown.count == 1 ? (shown.first ?? "")
                : shown.dropLast().joined(separator: ", ") + " or " + (shown.last ?? "")) + "?"
        }
        return CommandFailure(message)
    }
}
