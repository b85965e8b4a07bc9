/// Why a snapshot file could not be read. Every case names what is wrong and where (a
/// byte offset in the file, or the record concerned), so a user can tell a truncated
/// download from a file that is not a snapshot at all.
public enum SnapshotError: Error, Equatable, Sendable {
    /// The file could not be opened or read.
    case unreadable(path: String, reason: String)
    /// Shorter than the 128-byte header.
    case truncatedHeader(size: Int)
    /// The first 8 bytes are not "HEAPGRPH".
    case notASnapshot
    /// A format version this reader does not know.
    case unsupportedVersion(UInt32)
    /// A header field is inconsistent: the field and what is wrong with it.
    case badHeader(field: String, reason: String)
    /// The file is not as long as its header says (truncated or padded).
    case lengthMismatch(expected: UInt64, actual: Int)
    /// Reading failed part way, at `offset` while reading `what`: an I/O error, or the file
    /// changed length after it was checked against its header.
    case readFailed(offset: Int, what: String, reason: String)
    /// A count that the file's size cannot hold.
    case countTooLarge(field: String, count: UInt64, fileSize: Int)
    /// The bytes after the header do not match the header's checksum.
    case checksumMismatch(expected: UInt64, actual: UInt64)
    /// A node refers to a string that does not exist.
    case stringIndexOutOfRange(node: Int, index: UInt32, strings: Int)
    /// The nodes' edge counts do not add up to the header's edge count.
    case edgeCountMismatch(header: UInt64, sumOfNodes: UInt64)
    /// An edge points past the last node, or its label refers to something missing.
    case badEdge(edge: Int, reason: String)
    /// A string's length runs past its section, or the bytes are not UTF-8.
    case badString(index: Int, offset: Int, reason: String)
    /// The metadata is not a JSON object.
    case badMetadata(reason: String)
    /// Valid, but larger than this reader's compact graph can index.
    case tooLarge(reason: String)
}

extension SnapshotError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .unreadable(path, reason): "cannot read \(path): \(reason)"
        case let .truncatedHeader(size): "not a snapshot: \(size) bytes, shorter than the 128-byte header"
        case .notASnapshot: "not a snapshot: the file does not start with \"HEAPGRPH\""
        case let .unsupportedVersion(version): "snapshot format version \(version) is not supported (this reader reads version 1)"
        case let .badHeader(field, reason): "corrupt snapshot header: \(field) \(reason)"
        case let .lengthMismatch(expected, actual): "truncated or corrupt snapshot: the header says \(expected) bytes, the file has \(actual)"
        case let .readFailed(offset, what, reason): "cannot read the snapshot at byte \(offset) (\(what)): \(reason)"
        case let .countTooLarge(field, count, fileSize): "corrupt snapshot: \(field) \(count) cannot fit in a file of \(fileSize) bytes"
        case let .checksumMismatch(expected, actual):
            "corrupt snapshot: checksum 0x\(String(actual, radix: 16)) does not match the header's 0x\(String(expected, radix: 16))"
        case let .stringIndexOutOfRange(node, index, strings): "corrupt snapshot: node \(node) names string \(index), but there are \(strings)"
        case let .edgeCountMismatch(header, sum): "corrupt snapshot: the header counts \(header) edges, the nodes \(sum)"
        case let .badEdge(edge, reason): "corrupt snapshot: edge \(edge) \(reason)"
        case let .badString(index, offset, reason): "corrupt snapshot: string \(index) at byte \(offset) \(reason)"
        case let .badMetadata(reason): "corrupt snapshot metadata: \(reason)"
        case let .tooLarge(reason): "snapshot too large for this reader: \(reason)"
        }
    }
}
