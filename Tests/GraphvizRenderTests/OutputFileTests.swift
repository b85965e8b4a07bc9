import XCTest
@testable import GraphvizRender
#if canImport(Glibc)
import Glibc
#endif

/// OutputFile writes into what a path names without replacing devices, FIFOs or links.
/// Devices are made inside the test's own directory (never /dev's); the tests that need
/// them skip when mknod is not permitted.
final class OutputFileTests: XCTestCase {
    var directory = ""

    override func setUpWithError() throws {
        directory = try makeTemporaryDirectory().path
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func fileType(_ path: String) -> mode_t? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return info.st_mode & S_IFMT
    }

    /// A character device node in the test directory, or a skip.
    func makeDevice(_ name: String, minor: UInt32) throws -> String {
        let path = directory + "/" + name
        // Linux encodes small device numbers as major << 8 | minor (memory devices are major 1).
        guard mknod(path, S_IFCHR | 0o666, dev_t((1 << 8) | minor)) == 0 else {
            throw XCTSkip("mknod \(path) failed (\(String(cString: strerror(errno)))); device tests need root")
        }
        return path
    }

    func testRegularFileIsReplacedKeepingItsModeAndNoTemporaryFile() throws {
        let path = directory + "/report.txt"
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        XCTAssertEqual(chmod(path, 0o640), 0)
        try OutputFile(path: path).write("new\n")
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "new\n")
        var info = stat()
        XCTAssertEqual(stat(path, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o640)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["report.txt"])
    }

    func testSymbolicLinkStaysALinkAndItsTargetIsReplaced() throws {
        let target = directory + "/target.json"
        try "old".write(toFile: target, atomically: false, encoding: .utf8)
        let link = directory + "/link.json"
        XCTAssertEqual(symlink("target.json", link), 0)   // relative, as `ln -s` makes them
        try OutputFile(path: link).write("{}\n")
        XCTAssertEqual(fileType(link), S_IFLNK)
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "{}\n")
        // A link to nothing yet: the target is created, the link kept.
        let dangling = directory + "/dangling.svg"
        XCTAssertEqual(symlink(directory + "/made.svg", dangling), 0)
        try GraphvizRenderer().render(dot: backrefsDOT, toFile: dangling)
        XCTAssertEqual(fileType(dangling), S_IFLNK)
        XCTAssertTrue(try String(contentsOfFile: directory + "/made.svg", encoding: .utf8).contains("<svg"))
    }

    func testDevicesAreWrittenIntoNotReplaced() throws {
        let null = try makeDevice("null", minor: 3)
        try OutputFile(path: null).write("discarded\n")
        XCTAssertEqual(fileType(null), S_IFCHR)
        try GraphvizRenderer().render(dot: backrefsDOT, to: OutputFile(path: null), format: .png)
        XCTAssertEqual(fileType(null), S_IFCHR)

        let full = try makeDevice("full", minor: 7)
        XCTAssertThrowsError(try OutputFile(path: full).write("x\n")) { error in
            let failure = error as? OutputFileError
            XCTAssertEqual(failure?.errorNumber, ENOSPC)
            XCTAssertEqual(failure?.description, "\(full): cannot write: No space left on device")
        }
        XCTAssertEqual(fileType(full), S_IFCHR)
    }

    func testAFIFOsReaderReceivesTheBytesAndTheFIFOStays() throws {
        let fifo = directory + "/fifo"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let received = expectation(description: "reader got everything")
        nonisolated(unsafe) var bytes = Data()
        let reader = Thread {
            if let handle = FileHandle(forReadingAtPath: fifo) {   // blocks until the writer opens
                bytes = handle.readDataToEndOfFile()
                try? handle.close()
            }
            received.fulfill()
        }
        reader.start()
        let report = String(repeating: "leak trace line\n", count: 20_000)   // more than a pipe buffer
        try OutputFile(path: fifo).write(report)
        wait(for: [received], timeout: 10)
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), report)
        XCTAssertEqual(fileType(fifo), S_IFIFO)
    }

    func testDirectoriesAndMissingDirectoriesGiveOneClearLine() throws {
        XCTAssertThrowsError(try OutputFile(path: directory).check()) { error in
            XCTAssertEqual((error as? OutputFileError)?.description, "\(directory): is a directory")
        }
        let orphan = directory + "/missing/report.txt"
        XCTAssertThrowsError(try OutputFile(path: orphan).write("x")) { error in
            XCTAssertEqual((error as? OutputFileError)?.description, "\(orphan): cannot write: its directory does not exist")
        }
        XCTAssertThrowsError(try GraphvizRenderer().render(dot: backrefsDOT, toFile: directory + "/sub.svg/x.svg"))
        // A directory named like a picture is refused before any rendering.
        let named = directory + "/pictures.svg"
        try FileManager.default.createDirectory(atPath: named, withIntermediateDirectories: false)
        XCTAssertThrowsError(try GraphvizRenderer().render(dot: backrefsDOT, toFile: named)) { error in
            XCTAssertEqual((error as? GraphvizError)?.description, "\(named): is a directory")
        }
    }

    func testPathsNeedNotBeUTF8() throws {
        let name: [UInt8] = Array("caf".utf8) + [0xE9] + Array(".txt".utf8)   // Latin-1 "café.txt"
        let path = Array(directory.utf8) + [UInt8(ascii: "/")] + name
        try OutputFile(pathBytes: path, displayName: "café?.txt").write("ok\n")
        let listed = try XCTUnwrap(opendir(directory))
        defer { closedir(listed) }
        var names: [[UInt8]] = []
        while let entry = readdir(listed) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if bytes != [46], bytes != [46, 46] { names.append(bytes) }
        }
        XCTAssertEqual(names, [name])
    }

    func testANameAsLongAsNamesGetIsWritten() throws {
        // 255 bytes, NAME_MAX: a temporary name derived from it would be too long.
        let path = directory + "/" + String(repeating: "n", count: 251) + ".txt"
        try OutputFile(path: path).write("ok\n")
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "ok\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory).count, 1)
    }
}
