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

    /// The fast path of the number arrays: white space, then a non-negative integer of at
    /// most 19 digits followed by a byte that is not `.`, `e` or `E`, all inside the buffer
    /// (consumed, and its value returned). Anything else (a number across the buffer's end,
    /// a bad byte, a long number) consumes nothing and returns nil, for the careful path to
    /// read or report. It reads the buffer directly instead of a byte at a time through
    /// ``peek()`` and ``next()``, which check for a refill at every byte.
    @inline(__always)
    mutating func fastUnsignedInteger() -> UInt64? {
        var position = start
        var byte: UInt8 = 0
        while true {
            guard position < end else { return nil }
            byte = buffer.load(fromByteOffset: position, as: UInt8.self)
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { break }
            position += 1
        }
        var digit = byte &- 0x30
        guard digit < 10 else { return nil }
        let first = position
        var value: UInt64 = 0
        repeat {
            value = value &* 10 &+ UInt64(digit)
            position += 1
            guard position < end else { return nil }
            digit = buffer.load(fromByteOffset: position, as: UInt8.self) &- 0x30
        } while digit < 10
        guard position - first <= 19 else { return nil }
        let after = digit &+ 0x30
        if after == UInt8(ascii: ".") || after == UInt8(ascii: "e") || after == UInt8(ascii: "E") { return nil }
        start = position
        return value
    }

    /// The fast path of strings: white space, then a JSON string with no escape and no
    /// control character that ends inside the buffer (consumed, and its text returned, bad
    /// UTF-8 repaired as the careful path repairs it). Anything else consumes nothing and
    /// returns nil. Most of a snapshot's strings are plain, and this makes each one with one
    /// copy instead of a byte at a time into a temporary array.
    @inline(__always)
    mutating func fastString() -> String? {
        var position = start
        while position < end {
            let byte = buffer.load(fromByteOffset: position, as: UInt8.self)
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { break }
            position += 1
        }
        guard position < end, buffer.load(fromByteOffset: position, as: UInt8.self) == UInt8(ascii: "\"") else { return nil }
        let first = position + 1
        position = first
        while position < end {
            let byte = buffer.load(fromByteOffset: position, as: UInt8.self)
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeRawBufferPointer(start: buffer + first, count: position - first), as: UTF8.self)
                start = position + 1
                return text
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            position += 1
        }
        return nil
    }

    /// Consumes a `,` (or V8's `\n,` between rows) when it is next in the buffer.
    @inline(__always)
    mutating func consumeComma() -> Bool {
        guard start < end else { return false }
        let byte = buffer.load(fromByteOffset: start, as: UInt8.self)
        if byte == UInt8(ascii: ",") { start += 1; return true }
        if byte == 0x0A, start + 1 < end, buffer.load(fromByteOffset: start + 1, as: UInt8.self) == UInt8(ascii: ",") {
            start += 2
            return true
        }
        return false
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
