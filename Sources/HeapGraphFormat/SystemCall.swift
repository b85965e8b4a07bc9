#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The system calls the format's writers and readers (and the command line's outputs) make,
/// each retried when a signal interrupts it (EINTR): the one place those loops live.
public enum SystemCall {
    /// Runs `call` until it does not fail with EINTR; returns its result (errno is left as
    /// the call set it).
    @inline(__always)
    public static func retrying<T: FixedWidthInteger & SignedInteger>(_ call: () -> T) -> T {
        while true {
            let result = call()
            if result == -1 && errno == EINTR { continue }
            return result
        }
    }

    /// Writes all of `bytes` at the file's offset, or at `offset`; errno on failure, 0 on
    /// success. Retries short writes and interrupts.
    public static func writeAll(fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int?) -> Int32 {
        var done = 0
        while done < bytes.count {
            let base = bytes.baseAddress.unsafelyUnwrapped + done
            let remaining = bytes.count - done
            let result = retrying { offset.map { pwrite(fd, base, remaining, off_t($0 + done)) } ?? write(fd, base, remaining) }
            if result < 0 { return errno }
            if result == 0 { return EIO }
            done += result
        }
        return 0
    }

    /// One `read` into `buffer`, retried on EINTR: bytes read, 0 at the end of the file, or
    /// -1 with errno set.
    public static func read(fd: Int32, into buffer: UnsafeMutableRawPointer, count: Int) -> Int {
        #if canImport(Glibc)
        retrying { Glibc.read(fd, buffer, count) }
        #else
        retrying { Darwin.read(fd, buffer, count) }
        #endif
    }

    /// Writes all of `buffer` to `descriptor` at its offset (``writeAll(fd:_:at:)``): nil when
    /// everything was written, or the error number.
    public static func writeAll(_ buffer: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32? {
        let code = writeAll(fd: descriptor, buffer, at: nil)
        return code == 0 ? nil : code
    }

    /// The system's text for an error number (`No space left on device`).
    public static func message(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// A NUL-terminated copy of path bytes for a system call. A path with a NUL byte
    /// inside cannot name a file; it is cut there, as C would read it.
    public static func cString(_ path: [UInt8]) -> [CChar] {
        var bytes = path.prefix { $0 != 0 }.map { CChar(bitPattern: $0) }
        bytes.append(0)
        return bytes
    }

    /// Seconds on a clock that never goes back.
    public static func monotonicSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
