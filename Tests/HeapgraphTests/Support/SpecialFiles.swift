import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Devices, FIFOs and links for the output tests, always made inside the test's own
/// directory: the tests never name /dev/null or /dev/full themselves.
enum SpecialFiles {
    /// Whether this process may make device nodes (root, outside a restricted container).
    static let canMakeDevices: Bool = {
        guard let directory = try? scratchDirectory("mknod-probe") else { return false }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return mknod(directory + "/null", S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0
    }()

    /// `DIR/null` (1, 3) or `DIR/full` (1, 7): Linux encodes small device numbers as
    /// major << 8 | minor.
    static func makeDevice(_ name: String, minor: UInt32, in directory: String) throws -> String {
        let path = directory + "/" + name
        guard mknod(path, S_IFCHR | 0o666, dev_t((1 << 8) | minor)) == 0 else {
            throw HarnessError("mknod \(path): \(String(cString: strerror(errno)))")
        }
        return path
    }

    static func makeFIFO(_ name: String, in directory: String) throws -> String {
        let path = directory + "/" + name
        guard mkfifo(path, 0o600) == 0 else { throw HarnessError("mkfifo \(path): \(String(cString: strerror(errno)))") }
        return path
    }

    /// The file type bits of what `path` names, without following a link.
    static func type(_ path: String) -> mode_t? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return info.st_mode & S_IFMT
    }
}

/// Reads a FIFO to its end on another thread (opening blocks until a writer comes).
final class FIFOReader: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()

    init(_ path: String) {
        Thread { [self] in
            if let handle = FileHandle(forReadingAtPath: path) {
                data = handle.readDataToEndOfFile()
                try? handle.close()
            }
            done.signal()
        }.start()
    }

    /// What was read, once the writer closed; nil if that took more than `seconds`.
    func text(within seconds: Double = 20) -> String? {
        guard done.wait(timeout: .now() + seconds) == .success else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Writes `data` into a FIFO on another thread (opening blocks until a reader comes).
final class FIFOWriter: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)

    init(_ path: String, data: Data) {
        Thread { [self] in
            if let handle = FileHandle(forWritingAtPath: path) {
                try? handle.write(contentsOf: data)
                try? handle.close()
            }
            done.signal()
        }.start()
    }

    func wait(seconds: Double = 20) -> Bool { done.wait(timeout: .now() + seconds) == .success }
}
