import Foundation

/// A PNG file read far enough to trust it is a whole picture: the 8-byte signature, the
/// IHDR chunk that must come first (width and height, big-endian), and the IEND chunk that
/// must close the file.
struct PNGFile {
    let byteCount: Int
    let width: Int
    let height: Int

    private static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// IEND's length (0), type and CRC: the same twelve bytes at the end of every PNG.
    private static let end: [UInt8] = [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]

    init(contentsOf path: String) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        guard bytes.count >= 33 + Self.end.count, Array(bytes[0..<8]) == Self.signature else {
            throw HarnessError("\(path) is not a PNG (\(bytes.count) bytes)")
        }
        // The first chunk: length 13, type IHDR, then width and height.
        guard Array(bytes[8..<16]) == [0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52] else {
            throw HarnessError("\(path) has no IHDR chunk first")
        }
        guard Array(bytes.suffix(Self.end.count)) == Self.end else {
            throw HarnessError("\(path) does not end with IEND (cut short?)")
        }
        func bigEndian(at offset: Int) -> Int {
            bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
        }
        byteCount = bytes.count
        width = bigEndian(at: 16)
        height = bigEndian(at: 20)
    }
}
