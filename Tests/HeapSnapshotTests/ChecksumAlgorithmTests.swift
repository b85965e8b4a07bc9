import Foundation
import Testing
import HeapGraphModel

/// The format's second checksum algorithm, CRC-32 (header bytes 112-115 = 1), which Python's
/// dumper writes because zlib gives it at native speed; FNV-1a files (0 there) still read.
@Suite("Format: checksum algorithms")
struct ChecksumAlgorithmTests {
    static func crc(_ text: String) -> UInt64 {
        var checksum = SnapshotFormat.Checksum(.crc32)
        Array(text.utf8).withUnsafeBytes { checksum.update($0) }
        return checksum.finish()
    }

    /// The standard check values (zlib.crc32(b"123456789") == 0xCBF43926), and any split of
    /// the input gives the same result.
    @Test func crc32MatchesZlib() {
        #expect(Self.crc("") == 0)
        #expect(Self.crc("123456789") == 0xCBF4_3926)
        #expect(Self.crc("The quick brown fox jumps over the lazy dog") == 0x414F_A339)
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var whole = SnapshotFormat.Checksum(.crc32)
        bytes.withUnsafeBytes { whole.update($0) }
        for split in [1, 7, 8, 9, 500, 999] {
            var parts = SnapshotFormat.Checksum(.crc32)
            bytes[..<split].withUnsafeBytes { parts.update($0) }
            bytes[split...].withUnsafeBytes { parts.update($0) }
            #expect(parts.finish() == whole.finish())
        }
        // Byte-at-a-time reference (the textbook loop) on the same bytes.
        var reference: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            reference ^= UInt32(byte)
            for _ in 0..<8 { reference = reference & 1 == 1 ? (reference >> 1) ^ 0xEDB8_8320 : reference >> 1 }
        }
        #expect(whole.finish() == UInt64(reference ^ 0xFFFF_FFFF))
    }

    static func graph() -> HeapGraphBuilder {
        var random = SplitMix(seed: 16)
        return FormatVersionTests.randomGraph(nodes: 2_000, using: &random)
    }

    static func bytes(of builder: HeapGraphBuilder, checksum: SnapshotFormat.ChecksumAlgorithm) throws -> [UInt8] {
        let path = temporaryPath("checksum-\(UUID().uuidString).heapgraph")
        defer { unlink(path) }
        try builder.write(to: path, checksum: checksum)
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test func aCRC32FileReadsAsTheSameGraph() throws {
        let builder = Self.graph()
        let bytes = try Self.bytes(of: builder, checksum: .crc32)
        #expect(bytes[112..<116] == [1, 0, 0, 0])
        let expected = bytes[128...].withUnsafeBytes { raw in
            var checksum = SnapshotFormat.Checksum(.crc32)
            checksum.update(raw)
            return checksum.finish()
        }
        let stored = bytes[88..<96].withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        #expect(stored == expected && stored <= 0xFFFF_FFFF)
        let path = try FormatVersionTests.write(bytes, name: "crc-\(UUID().uuidString).heapgraph")
        defer { unlink(path) }
        let read = try HeapSnapshot(contentsOf: path)
        #expect(Canonical(read) == Canonical(builder.build()))
        // The default stays FNV-1a, algorithm field 0.
        let fnv = try Self.bytes(of: builder, checksum: .fnv1a64)
        #expect(fnv[112..<116] == [0, 0, 0, 0])
    }

    @Test func aCorruptCRC32FileIsRefused() throws {
        var bytes = try Self.bytes(of: Self.graph(), checksum: .crc32)
        let stored = bytes[88..<96].withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        bytes[128 + 48 * 3] ^= 0x10   // a byte of the fourth node's id
        var checksum = SnapshotFormat.Checksum(.crc32)
        bytes[128...].withUnsafeBytes { checksum.update($0) }
        let path = try FormatVersionTests.write(bytes, name: "crc-bad-\(UUID().uuidString).heapgraph")
        defer { unlink(path) }
        #expect(throws: SnapshotError.checksumMismatch(expected: stored, actual: checksum.finish())) {
            try HeapSnapshot(contentsOf: path)
        }
    }

    /// A file that says CRC-32 but carries the FNV-1a value (or the reverse) is refused; an
    /// unknown algorithm is a header error.
    @Test func theAlgorithmFieldIsChecked() throws {
        var bytes = try Self.bytes(of: Self.graph(), checksum: .fnv1a64)
        bytes[112] = 1
        let path = try FormatVersionTests.write(bytes, name: "crc-wrong-\(UUID().uuidString).heapgraph")
        defer { unlink(path) }
        #expect(throws: SnapshotError.self) { try HeapSnapshot(contentsOf: path) }
        bytes[112] = 2
        let unknown = try FormatVersionTests.write(bytes, name: "crc-unknown-\(UUID().uuidString).heapgraph")
        defer { unlink(unknown) }
        #expect(throws: SnapshotError.badHeader(field: "checksum algorithm", reason: "is 2, not 0 (FNV-1a) or 1 (CRC-32)")) {
            try HeapSnapshot(contentsOf: unknown)
        }
    }
}
