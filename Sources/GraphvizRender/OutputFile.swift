#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HeapGraphFormat

/// Where rendered bytes or a report go: standard output, or a file named by its path's
/// bytes, written without harming what the path names.
///
/// ```swift
/// try OutputFile(path: "leaks.json").write(Array(report.utf8))
/// try OutputFile.standardOutput.write(Array("done\n".utf8))
/// ```
///
/// What ``write(_:)-(String)`` does depends on what the path names when it writes:
/// - a regular file, or nothing yet: the bytes go to a temporary file in the same
///   directory, which is then renamed over the path, so readers see the old file or the
///   new one, never half of one, and a failed write leaves the old file as it was;
/// - a symbolic link: the link is followed (up to 40 links) and its target written as
///   above; the link stays a link;
/// - a character or block device, or a FIFO: opened for writing and written directly,
///   never created, truncated, replaced or renamed (`/dev/null` stays a device, a FIFO's
///   reader receives the bytes);
/// - a directory or a socket: refused.
///
/// ``check()`` asks the same questions without writing, so a command can refuse a bad
/// output before it starts long work.
///
/// It lives in GraphvizRender because ``GraphvizRenderer/render(dot:toFile:engine:)``
/// writes files; the `heapgraph` command writes its text reports through it too, so
/// there is one set of rules for every output.
public struct OutputFile: Sendable, Hashable {
    /// Standard output (file descriptor 1), or the bytes of a path.
    public enum Destination: Sendable, Hashable {
        case standardOutput
        case path([UInt8])
    }

    /// Where the bytes go.
    public var destination: Destination
    /// How messages name it: the path as the user wrote it, or "standard output".
    public var displayName: String

    /// Standard output.
    public static let standardOutput = OutputFile(destination: .standardOutput, displayName: "standard output")

    /// A file named by `path`'s UTF-8 bytes. `"-"` is a file named `-` here; command lines
    /// that mean standard output by it say so with ``standardOutput``.
    public init(path: String) {
        self.init(destination: .path(Array(path.utf8)), displayName: path)
    }

    /// A file named by raw path bytes (which need not be UTF-8), shown as `displayName`.
    public init(pathBytes: [UInt8], displayName: String) {
        self.init(destination: .path(pathBytes), displayName: displayName)
    }

    init(destination: Destination, displayName: String) {
        self.destination = destination
        self.displayName = displayName
    }

    /// How ``write(_:)-(String)`` would write, found by ``check()``.
    public enum Plan: Sendable, Hashable {
        /// To an open file descriptor (standard output).
        case descriptor(Int32)
        /// Directly into a device or FIFO at this path (links resolved).
        case direct(path: [UInt8])
        /// Through a temporary file renamed over this path (links resolved).
        case replace(path: [UInt8])
    }

    /// Checks, without writing anything, that ``write(_:)-(String)`` could write here: the path's
    /// directory exists and is writable, it names no directory or socket, a device or
    /// FIFO is writable, standard output is open.
    /// - Returns: how it would write.
    /// - Throws: ``OutputFileError`` saying in one line what is wrong.
    public func check() throws(OutputFileError) -> Plan {
        switch destination {
        case .standardOutput: return try checkDescriptor(1)
        case .path(let path):
            let target = try resolvedTarget(path)
            var info = stat()
            let found = SystemCall.retrying { lstat(cString(target), &info) }
            if found != 0 {
                let code = errno
                guard code == ENOENT else { throw failure(code) }
                try checkDirectory(of: target)
                return .replace(path: target)
            }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: throw OutputFileError(displayName: displayName, problem: "is a directory", errorNumber: EISDIR)
            case S_IFSOCK: throw OutputFileError(displayName: displayName, problem: "is a socket, which cannot be written as a file", errorNumber: nil)
            case S_IFCHR, S_IFBLK, S_IFIFO:
                guard SystemCall.retrying({ access(cString(target), W_OK) }) == 0 else { throw failure(errno) }
                return .direct(path: target)
            default:
                try checkDirectory(of: target)
                return .replace(path: target)
            }
        }
    }

    /// The device and inode of the file ``write(_:)-(String)`` would write into (links followed), or
    /// nil when there is none yet. Commands compare it with their inputs' to refuse writing
    /// over what they read.
    public func existingIdentity() -> FileIdentity? {
        switch destination {
        case .standardOutput: return FileIdentity(descriptor: 1)
        case .path(let path): return FileIdentity(path: path)
        }
    }

    /// Writes all of `bytes` as the type's rules say.
    /// - Throws: ``OutputFileError`` with one line naming the file and the system's reason
    ///   (`No space left on device`, `Broken pipe`, …). A failed replace leaves the old file
    ///   and no temporary file behind.
    /// - Complexity: O(bytes).
    public func write(_ bytes: [UInt8]) throws(OutputFileError) {
        try write { (descriptor: Int32) throws(OutputFileError) in try writeAll(bytes, to: descriptor) }
    }

    /// Writes what `produce` writes into the descriptor it is given, by the same rules as
    /// ``write(_:)-(String)``: a temporary file renamed over the path only once `produce` returns
    /// (a failure, thrown by `produce` or by the system, leaves the old file as it was), a
    /// device or FIFO written directly, standard output as it is. For outputs too large to
    /// hold in memory first (a converted snapshot).
    /// - Throws: ``OutputFileError``, one line; `produce` says what failed through it.
    public func write(streaming produce: (_ descriptor: Int32) throws(OutputFileError) -> Void) throws(OutputFileError) {
        switch try check() {
        case .descriptor(let descriptor):
            try produce(descriptor)
        case .direct(let path):
            let descriptor = try openDirect(path)
            defer { _ = close(descriptor) }
            // Replaced by a regular file since the check: writing into it would leave the
            // old file's tail behind, so it is replaced as a regular file is.
            var info = stat()
            if fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG {
                try replace(path, producing: produce)
                return
            }
            try produce(descriptor)
        case .replace(let path):
            try replace(path, producing: produce)
        }
    }

    /// Writes `text` as UTF-8.
    public func write(_ text: String) throws(OutputFileError) {
        try write(Array(text.utf8))
    }

    // MARK: - Steps

    private func checkDescriptor(_ descriptor: Int32) throws(OutputFileError) -> Plan {
        let flags = SystemCall.retrying { fcntl(descriptor, F_GETFL) }
        guard flags >= 0 else { throw OutputFileError(displayName: displayName, problem: "is closed", errorNumber: errno) }
        guard flags & O_ACCMODE != O_RDONLY else {
            throw OutputFileError(displayName: displayName, problem: "is open for reading only", errorNumber: EBADF)
        }
        return .descriptor(descriptor)
    }

    /// Follows symbolic links from `path` to what they finally name (which may not exist
    /// yet). Relative link targets are relative to the link's directory.
    private func resolvedTarget(_ path: [UInt8]) throws(OutputFileError) -> [UInt8] {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard SystemCall.retrying({ lstat(cString(current), &info) }) == 0, info.st_mode & S_IFMT == S_IFLNK else {
                return current
            }
            var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
            let link = cString(current)
            let length = buffer.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return -1 }
                return SystemCall.retrying { readlink(link, base.assumingMemoryBound(to: CChar.self), buffer.count - 1) }
            }
            guard length > 0 else { throw failure(errno) }
            let target = Array(buffer[0..<length])
            if target.first == UInt8(ascii: "/") {
                current = target
            } else {
                current = directory(of: current) + [UInt8(ascii: "/")] + target
            }
        }
        throw failure(ELOOP)
    }

    /// The directory part of `path` ("." when it has none).
    private func directory(of path: [UInt8]) -> [UInt8] {
        guard let slash = path.lastIndex(of: UInt8(ascii: "/")) else { return Array(".".utf8) }
        return slash == 0 ? [UInt8(ascii: "/")] : Array(path[..<slash])
    }

    /// The directory a new or replaced file goes into must exist and take new files.
    private func checkDirectory(of path: [UInt8]) throws(OutputFileError) {
        let parent = directory(of: path)
        var info = stat()
        guard SystemCall.retrying({ stat(cString(parent), &info) }) == 0 else {
            let code = errno
            if code == ENOENT {
                throw OutputFileError(displayName: displayName, problem: "cannot write: its directory does not exist", errorNumber: code)
            }
            throw failure(code)
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw OutputFileError(displayName: displayName, problem: "cannot write: its directory is not a directory", errorNumber: ENOTDIR)
        }
        guard SystemCall.retrying({ access(cString(parent), W_OK | X_OK) }) == 0 else {
            let code = errno
            throw OutputFileError(displayName: displayName, problem: "cannot write into its directory: \(SystemCall.message(code))", errorNumber: code)
        }
    }

    /// Opens a device or FIFO for writing, without creating or truncating it. A FIFO with
    /// no reader is waited for, up to ``fifoReaderWait`` seconds, rather than for ever.
    private func openDirect(_ path: [UInt8]) throws(OutputFileError) -> Int32 {
        let deadline = SystemCall.monotonicSeconds() + Self.fifoReaderWait
        while true {
            let descriptor = SystemCall.retrying { open(cString(path), O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC) }
            if descriptor >= 0 {
                // Writes block as usual from here on; O_NONBLOCK was only for the open.
                let flags = fcntl(descriptor, F_GETFL)
                if flags >= 0 { _ = fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) }
                return descriptor
            }
            let code = errno
            guard code == ENXIO else { throw failure(code) }
            guard SystemCall.monotonicSeconds() < deadline else {
                throw OutputFileError(displayName: displayName,
                                      problem: "cannot write: no process opened the FIFO for reading within \(Int(Self.fifoReaderWait)) s",
                                      errorNumber: code)
            }
            usleep(50_000)
        }
    }

    /// How long a write to a FIFO waits for a reader.
    public static let fifoReaderWait: Double = 10

    /// Writes to a temporary file beside `path`, then renames it over `path`. An existing
    /// file's permission bits carry over to the new one.
    private func replace(_ path: [UInt8], producing produce: (Int32) throws(OutputFileError) -> Void) throws(OutputFileError) {
        var existing = stat()
        let replacing = SystemCall.retrying { stat(cString(path), &existing) } == 0
        var temporary: [UInt8] = []
        var descriptor: Int32 = -1
        for attempt in 0..<100 {
            // Not derived from the file's name, which may already be as long as names get.
            let name = ".heapgraph-\(getpid())-\(attempt)-\(UInt32.random(in: 0...UInt32.max)).tmp"
            temporary = directory(of: path) + [UInt8(ascii: "/")] + Array(name.utf8)
            descriptor = SystemCall.retrying { open(cString(temporary), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666) }
            if descriptor >= 0 || errno != EEXIST { break }
        }
        guard descriptor >= 0 else { throw failure(errno) }
        var closed = false
        var renamed = false
        defer {
            if !closed { _ = close(descriptor) }
            if !renamed { _ = unlink(cString(temporary)) }
        }
        if replacing {
            _ = fchmod(descriptor, existing.st_mode & 0o7777)
            _ = fchown(descriptor, existing.st_uid, existing.st_gid)   // as root; fails harmlessly otherwise
        }
        try produce(descriptor)
        guard SystemCall.retrying({ fsync(descriptor) }) == 0 || errno == EINVAL else { throw failure(errno) }
        closed = true
        guard close(descriptor) == 0 else { throw failure(errno) }
        guard SystemCall.retrying({ rename(cString(temporary), cString(path)) }) == 0 else { throw failure(errno) }
        renamed = true
    }

    func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws(OutputFileError) {
        let code = bytes.withUnsafeBytes { SystemCall.writeAll($0, to: descriptor) }
        if let code { throw failure(code) }
    }

    private func failure(_ code: Int32) -> OutputFileError {
        OutputFileError(displayName: displayName, problem: "cannot write: \(SystemCall.message(code))", errorNumber: code)
    }
}

/// Why an ``OutputFile`` cannot be written: one line, `NAME: problem`.
public struct OutputFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The output as the user named it.
    public var displayName: String
    /// What is wrong, e.g. `is a directory`, `cannot write: No space left on device`.
    public var problem: String
    /// The system's error number, when the problem came from a system call.
    public var errorNumber: Int32?

    public init(displayName: String, problem: String, errorNumber: Int32?) {
        self.displayName = displayName
        self.problem = problem
        self.errorNumber = errorNumber
    }

    public var description: String { "\(displayName): \(problem)" }
}

/// Which file an open descriptor or a path refers to: its device and inode numbers.
public struct FileIdentity: Sendable, Hashable {
    public var device: UInt64
    public var inode: UInt64

    /// What `descriptor` refers to, or nil when it is not open.
    public init?(descriptor: Int32) {
        var info = stat()
        guard SystemCall.retrying({ fstat(descriptor, &info) }) == 0 else { return nil }
        self.init(info)
    }

    /// What `path` names after following links, or nil when it names nothing.
    public init?(path: [UInt8]) {
        var info = stat()
        guard SystemCall.retrying({ stat(cString(path), &info) }) == 0 else { return nil }
        self.init(info)
    }

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}

func cString(_ path: [UInt8]) -> [CChar] { SystemCall.cString(path) }
