import Foundation
import Synchronization
import Testing

/// The devices a test could destroy by writing to them by rename, run as root, with the
/// major and minor numbers Linux gives them.
let guardedDevices: [(path: String, major: UInt32, minor: UInt32)] = [
    ("/dev/null", 1, 3), ("/dev/full", 1, 7), ("/dev/zero", 1, 5),
]

/// One line for each guarded device that is not the character device it should be.
func damagedDevices(_ devices: [(path: String, major: UInt32, minor: UInt32)] = guardedDevices) -> [String] {
    devices.compactMap { device in
        var info = stat()
        guard lstat(device.path, &info) == 0 else { return "\(device.path) is missing" }
        let isCharacterDevice = info.st_mode & S_IFMT == S_IFCHR
        let numbers = (major: UInt32((info.st_rdev >> 8) & 0xfff), minor: UInt32((info.st_rdev & 0xff) | ((info.st_rdev >> 12) & 0xfff00)))
        guard isCharacterDevice, numbers.major == device.major, numbers.minor == device.minor else {
            return "\(device.path) is no longer the character device \(device.major):\(device.minor); restore it as root: rm -f \(device.path) && mknod -m 666 \(device.path) c \(device.major) \(device.minor)"
        }
        return nil
    }
}

private let exitCheckInstalled = Atomic<Bool>(false)

@Suite("The suite leaves the machine as it found it")
struct MachineStateTests {
    /// Swift Testing runs tests in parallel and in no fixed order, so "at the end of the
    /// suite" is not a place a test can be. This test checks the devices whenever it runs,
    /// and installs a check at the exit of the test process, after every test of this
    /// process has run, which fails the process (exit status 1) if a device was replaced
    /// meanwhile. `scripts/test` checks again from outside, around the whole run.
    @Test func devicesAreStillCharacterDevices() {
        #expect(damagedDevices() == [])
        if !exitCheckInstalled.exchange(true, ordering: .relaxed) {
            atexit {
                let damaged = damagedDevices()
                guard !damaged.isEmpty else { return }
                var text = damaged.map { "MachineStateTests: \($0)\n" }.joined()
                text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
                _exit(1)
            }
        }
    }

    /// The check tells a device from a file, and one device from another: a check that
    /// cannot fail would guard nothing.
    @Test func theCheckSeesAReplacedDevice() throws {
        let scratch = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let file = scratch.appendingPathComponent("null").path
        #expect(FileManager.default.createFile(atPath: file, contents: Data("report".utf8)))
        #expect(damagedDevices([(file, 1, 3)]).count == 1)
        #expect(damagedDevices([(scratch.appendingPathComponent("absent").path, 1, 3)]) == ["\(scratch.path)/absent is missing"])
        // A real character device with other numbers than expected is reported too.
        #expect(damagedDevices([("/dev/zero", 1, 3)]).count == 1)
        #expect(damagedDevices([("/dev/zero", 1, 5)]) == [])
    }
}
