import HeapGraphFormat
import ArgumentParser
import GraphvizRender

#if canImport(Glibc)
import Glibc
#endif

/// Command-line arguments as bytes, so that file names that are not UTF-8 survive parsing.
///
/// `CommandLine.arguments` decodes each argument lossily (an invalid byte becomes U+FFFD),
/// so such a file could never be found and `-o` would write a different name. Instead the
/// arguments are decoded here without loss: every byte that is not part of valid UTF-8
/// becomes one scalar of the last 128 code points of Unicode (U+10FF80 + byte − 0x80), a
/// private-use range; a real scalar from that range is escaped as its own four bytes, so
/// decoding is a bijection. ``bytes(of:)`` turns a decoded argument back into the exact
/// bytes, ``display(_:)`` into text for messages (`\xE9` for an escaped byte).
enum RawArguments {
    private static let escapeBase: UInt32 = 0x10FF00
    private static let escaped: ClosedRange<UInt32> = 0x10FF80...0x10FFFF

    /// The process's arguments after the program name, decoded without loss.
    static func commandLine() -> [String] {
        var arguments: [String] = []
        for index in 1..<Int(max(CommandLine.argc, 1)) {
            guard let pointer = CommandLine.unsafeArgv[index] else { continue }
            let length = strlen(pointer)
            let bytes = UnsafeRawBufferPointer(start: pointer, count: length)
            arguments.append(decode(Array(bytes)))
        }
        return arguments
    }

    /// `bytes` as a String from which ``bytes(of:)`` gives them back exactly.
    static func decode(_ bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < bytes.count {
            let length = validSequenceLength(bytes, at: index)
            if length == 0 {
                scalars.append(escape(bytes[index]))
                index += 1
                continue
            }
            let sequence = bytes[index..<index + length]
            let scalar = String(decoding: sequence, as: UTF8.self).unicodeScalars.first
            if let scalar, !escaped.contains(scalar.value) {
                scalars.append(scalar)
            } else {
                for byte in sequence { scalars.append(escape(byte)) }
            }
            index += length
        }
        return String(scalars)
    }

    /// The bytes `text` (from ``decode(_:)``) stands for.
    static func bytes(of text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if escaped.contains(scalar.value) {
                bytes.append(UInt8(scalar.value - escapeBase))
            } else {
                bytes.append(contentsOf: String(scalar).utf8)
            }
        }
        return bytes
    }

    /// `text` for people: escaped bytes written `\xNN`, everything else as it is.
    static func display(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { escaped.contains($0.value) }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if escaped.contains(scalar.value) {
                let hex = String(scalar.value - escapeBase, radix: 16, uppercase: true)
                out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func escape(_ byte: UInt8) -> Unicode.Scalar {
        // Only bytes 0x80...0xFF are ever escaped: ASCII is always valid UTF-8.
        Unicode.Scalar(escapeBase + UInt32(byte)) ?? "\u{FFFD}"
    }

    /// The length of the valid UTF-8 sequence starting at `index` (RFC 3629: no overlong
    /// forms, no surrogates, nothing above U+10FFFF), or 0 when there is none.
    private static func validSequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF   // the second byte's range
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return 0
        }
        guard index + length <= bytes.count else { return 0 }
        guard (low...high).contains(bytes[index + 1]) else { return 0 }
        for offset in 2..<length where !(0x80...0xBF).contains(bytes[index + offset]) { return 0 }
        return length
    }
}

/// A file named on the command line: its exact bytes, and how messages show it.
/// `-` means standard input or output, as the option says.
struct PathArgument: ExpressibleByArgument, Hashable, CustomStringConvertible {
    /// The path's bytes, exactly as they were on the command line.
    var bytes: [UInt8]
    /// The path for messages and reports (`\xNN` for bytes that are not UTF-8).
    var display: String

    init?(argument: String) {
        guard !argument.isEmpty else { return nil }
        bytes = RawArguments.bytes(of: argument)
        display = RawArguments.display(argument)
    }

    init(bytes: [UInt8], display: String) {
        self.bytes = bytes
        self.display = display
    }

    /// `-`: standard input for an input, standard output for an output.
    var isStandardStream: Bool { bytes == [UInt8(ascii: "-")] }

    /// The last component, for progress lines.
    var name: String { display.split(separator: "/").last.map(String.init) ?? display }

    var description: String { display }

    /// This path with `/name` appended.
    func appending(_ name: String) -> PathArgument {
        PathArgument(bytes: bytes + [UInt8(ascii: "/")] + Array(name.utf8), display: display + "/" + name)
    }
}

/// Path bytes as a C string for a system call.
func cString(_ path: [UInt8]) -> [CChar] { SystemCall.cString(path) }
