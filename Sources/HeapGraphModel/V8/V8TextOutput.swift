import HeapGraphFormat

#if canImport(Glibc)
import Glibc
#endif

/// Buffered text written to a file descriptor, a megabyte at a time: what the V8 exporter
/// writes through, so no document is ever held whole. A failed `write` is remembered and
/// ends the writing (later appends only fill the buffer again); ``finish()`` reports it.
struct V8TextOutput: ~Copyable {
    let descriptor: Int32
    private let buffer: UnsafeMutablePointer<UInt8>
    private var used = 0
    /// errno of the first failed write, 0 while none failed.
    private(set) var failure: Int32 = 0
    /// Bytes handed to the file so far.
    private(set) var written = 0
    static let capacity = 1 << 20

    init(descriptor: Int32) {
        self.descriptor = descriptor
        buffer = .allocate(capacity: Self.capacity)
    }

    deinit { buffer.deallocate() }

    /// Makes room for `count` bytes (at most ``capacity``).
    @inline(__always)
    mutating func reserve(_ count: Int) {
        if used + count > Self.capacity { flush() }
    }

    mutating func flush() {
        guard used > 0 else { return }
        if failure == 0 {
            let code = SystemCall.writeAll(UnsafeRawBufferPointer(start: buffer, count: used), to: descriptor)
            if let code { failure = code }
        }
        written += used
        used = 0
    }

    /// Writes what is buffered; errno of the first failed write, or nil.
    mutating func finish() -> Int32? {
        flush()
        return failure == 0 ? nil : failure
    }

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        reserve(1)
        buffer[used] = value
        used += 1
    }

    /// ASCII text the writer composes itself (keys, punctuation), written as it is.
    mutating func raw(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                if used == Self.capacity { flush() }
                let chunk = min(bytes.count - offset, Self.capacity - used)
                (buffer + used).update(from: bytes.baseAddress.unsafelyUnwrapped + offset, count: chunk)
                used += chunk
                offset += chunk
            }
        }
    }

    /// A non-negative integer in decimal; the caller has reserved 20 bytes.
    @inline(__always)
    mutating func reservedNumber(_ value: UInt64) {
        if value < 10 {
            buffer[used] = 0x30 &+ UInt8(truncatingIfNeeded: value)
            used += 1
            return
        }
        var digits = 0
        var rest = value
        repeat { digits += 1; rest /= 10 } while rest != 0
        var position = used + digits
        rest = value
        repeat {
            position -= 1
            buffer[position] = 0x30 &+ UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        } while rest != 0
        used += digits
    }

    mutating func number(_ value: UInt64) {
        reserve(20)
        reservedNumber(value)
    }

    /// `text` as a JSON string literal: quotes, backslashes and control characters escaped,
    /// everything else as its UTF-8 bytes.
    mutating func jsonString(_ text: String) {
        byte(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            for byte in bytes {
                reserve(6)
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                    buffer[used] = UInt8(ascii: "\\")
                    buffer[used + 1] = byte
                    used += 2
                case UInt8(ascii: "\n"):
                    buffer[used] = UInt8(ascii: "\\")
                    buffer[used + 1] = UInt8(ascii: "n")
                    used += 2
                case 0..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    for (offset, digit) in [UInt8(ascii: "\\"), UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 15)]].enumerated() {
                        buffer[used + offset] = digit
                    }
                    used += 6
                default:
                    buffer[used] = byte
                    used += 1
                }
            }
        }
        byte(UInt8(ascii: "\""))
    }
}
