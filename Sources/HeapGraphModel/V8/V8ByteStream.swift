import HeapGraphFormat

#if canImport(Glibc)
import Glibc
#endif

/// A file read front to back through one fixed buffer, a byte at a time: what the V8 reader's
/// tokenizer reads from. It never holds more of the file than the buffer.
struct V8ByteStream: ~Copyable {
    private let descriptor: Int32
    private let buffer: UnsafeMutableRawPointer
    private let capacity: Int
    private var start = 0
    private var end = 0
    /// Bytes consumed before the buffer's start (for error positions).
    private var consumedBefore = 0
    /// Set when a `read` fails; the stream then ends.
    private(set) var readError: Int32?

    init(descriptor: Int32, capacity: Int = 1 << 22) {
        self.descriptor = descriptor
        self.capacity = capacity
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// The offset in the file of the next byte.
    var position: Int { consumedBefore + start }

    /// Refills the buffer; false at the end of the file (or on a failed read).
    private mutating func refill() -> Bool {
        guard readError == nil else { return false }
        consumedBefore += end
        start = 0
        end = 0
        let count = SystemCall.read(fd: descriptor, into: buffer, count: capacity)
        if count < 0 {
            readError = errno
            return false
        }
        end = count
        return count > 0
    }

    /// The next byte without consuming it, or nil at the end.
    @inline(__always)
    mutating func peek() -> UInt8? {
        if start == end, !refill() { return nil }
        return buffer.load(fromByteOffset: start, as: UInt8.self)
    }

    /// The next byte, consumed, or nil at the end.
    @inline(__always)
    mutating func next() -> UInt8? {
        if start == end, !refill() { return nil }
        let byte = buffer.load(fromByteOffset: start, as: UInt8.self)
        start += 1
        return byte
    }

    /// Skips JSON white space; the next byte after it, not consumed, or nil at the end.
    @inline(__always)
    mutating func peekSkippingSpace() -> UInt8? {
        while let byte = peek() {
            switch byte {
            case 0x20, 0x0A, 0x0D, 0x09: start += 1
            default: return byte
            }
        }
        return nil
    }
}
