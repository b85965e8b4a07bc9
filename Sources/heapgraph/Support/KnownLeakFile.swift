import HeapAnalysis
import HeapGraphFormat
#if canImport(Glibc)
import Glibc
#endif

/// The known-leak list for `leaks`: `--ignore FILE`, or else `.heapgraph-ignore` beside the
/// snapshot, or else in the current directory (docs/cli.md has the syntax).
enum KnownLeakFile {
    static let defaultName = ".heapgraph-ignore"
    /// A list is a text file a person writes; anything larger is refused.
    static let sizeLimit = 16 << 20

    /// The list, or nil when none is named and none is found. Warns on stderr (unless
    /// `quiet`) about entries that give no reason.
    /// - Throws: a ``CommandFailure`` naming the file (and line) when a named list cannot
    ///   be read, or any list is malformed.
    static func load(explicit: PathArgument?, snapshot: PathArgument, quiet: Bool) throws(CommandFailure) -> KnownLeakList? {
        let path: PathArgument
        if let explicit {
            path = explicit
        } else {
            var candidates: [PathArgument] = []
            if !snapshot.isStandardStream, let slash = snapshot.bytes.lastIndex(of: UInt8(ascii: "/")) {
                let directory = Array(snapshot.bytes[...slash])
                candidates.append(PathArgument(bytes: directory + Array(defaultName.utf8),
                                               display: RawArguments.display(RawArguments.decode(directory)) + defaultName))
            }
            candidates.append(PathArgument(bytes: Array(defaultName.utf8), display: defaultName))
            guard let found = candidates.first(where: { access(cString($0.bytes), F_OK) == 0 }) else { return nil }
            path = found
        }
        let text = try readText(path)
        let list: KnownLeakList
        do { list = try KnownLeakList(parsing: text, file: path.display) } catch {
            throw CommandFailure(error.description)
        }
        if !quiet {
            for entry in list.entriesWithoutReason {
                Terminal.standardError.write("heapgraph: \(path.display):\(entry.line): warning: \(entry.text) gives no reason (add '# why this leak is accepted')\n")
            }
        }
        return list
    }

    /// The file's text (invalid UTF-8 repaired).
    private static func readText(_ path: PathArgument) throws(CommandFailure) -> String {
        let descriptor = SystemCall.retrying { open(cString(path.bytes), O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else { throw CommandFailure("\(path.display): \(SystemCall.message(errno))") }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { raw in SystemCall.retrying { Glibc.read(descriptor, raw.baseAddress, raw.count) } }
            if count < 0 { throw CommandFailure("\(path.display): \(SystemCall.message(errno))") }
            if count == 0 { break }
            bytes += buffer[..<count]
            guard bytes.count <= sizeLimit else { throw CommandFailure("\(path.display): larger than 16 MiB; not a known-leak list") }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
