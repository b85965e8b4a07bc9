#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file through a fixed buffer, so memory stays proportional to what is kept,
/// not to the file; and checksums every byte after the header as it passes.
public struct ChunkedReader {
    @usableFromInline let fd: Int32
    public static let capacity = 4 << 20
    @usableFromInline let base: UnsafeMutableRawPointer
    @usableFromInline var start = 0
    @usableFromInline var end = 0
    @usableFromInline var offset: Int
    /// The file offset of the next byte to consume.
    public var position: Int { offset }
    /// The checksum of every byte read so far.
    public internal(set) var checksum: SnapshotFormat.Checksum
    /// The `errno` of a failed `read`, or 0 when `fill` failed at the end of the file.
    public internal(set) var readError: Int32 = 0

    /// A reader of `fd` from its current offset, which is `position` in the file, checksumming
    /// by `checksum` (the file's ``SnapshotHeader/checksumAlgorithm``).
    public init(fd: Int32, position: Int, checksum: SnapshotFormat.ChecksumAlgorithm = .fnv1a64) {
        self.fd = fd
        self.checksum = SnapshotFormat.Checksum(checksum)
        offset = position
        base = .allocate(byteCount: Self.capacity, alignment: 16)
    }

    public func deallocate() { base.deallocate() }

    /// The `count` bytes at the read position.
    @inlinable
    public func bytes(_ count: Int) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base + start, count: count) }

    /// Makes `count` bytes available at the read position; false at end of file.
    /// Requests larger than the buffer are refused (false), so a corrupt length can never
    /// make the reader allocate.
    @inlinable @inline(__always)
    public mutating func fill(_ count: Int) -> Bool {
        if end - start >= count { return true }
        return refill(count)
    }

    @usableFromInline
    mutating func refill(_ count: Int) -> Bool {
        guard count <= Self.capacity else { return false }
        if start > 0 {
            if end > start { memmove(base, base + start, end - start) }
            end -= start
            start = 0
        }
        while end - start < count {
            let n = SystemCall.read(fd: fd, into: base + end, count: Self.capacity - end)
            if n < 0 { readError = errno }
            if n <= 0 { return false }
            checksum.update(UnsafeRawBufferPointer(start: base + end, count: n))
            end += n
        }
        return true
    }

    /// Moves past `count` bytes made available by ``fill(_:)``.
    @inlinable @inline(__always)
    public mutating func consume(_ count: Int) {
        start += count
        offset += count
    }

    /// Consumes everything buffered (for a pass that only checksums).
    public mutating func consumeBuffered() { consume(end - start) }

    /// Appends the next `count` bytes to `bytes`, a buffer at a time, so that what is
    /// allocated follows what was read (a sparse file can declare anything its size allows);
    /// false when the file ends first.
    public mutating func gather(_ count: Int, appendingTo bytes: inout [UInt8]) -> Bool {
        var remaining = count
        while remaining > 0 {
            let chunk = min(remaining, Self.capacity)
            guard fill(chunk) else { return false }
            bytes.append(contentsOf: self.bytes(chunk))
            consume(chunk)
            remaining -= chunk
        }
        return true
    }

    /// Why `fill` failed, while reading `what`: the file was checked against its header's
    /// length before reading, so running out of bytes means it changed meanwhile.
    public func failure(reading what: String, fileSize: Int) -> SnapshotError {
        let reason = readError != 0
            ? SystemCall.message(readError)
            : "the file ended there, but it had \(fileSize) bytes when opened (it changed while being read)"
        return .readFailed(offset: position, what: what, reason: reason)
    }

    /// The little-endian integer `offset` bytes past the read position (within a ``fill(_:)``).
    @inlinable @inline(__always)
    public func load<T: FixedWidthInteger>(_ offset: Int, as: T.Type) -> T {
        T(littleEndian: base.loadUnaligned(fromByteOffset: start + offset, as: T.self))
    }

    /// The node record at the read position (within a ``fill(_:)`` of a record's size).
    @inlinable @inline(__always)
    public func nodeRecord() -> SnapshotNodeRecord {
        SnapshotNodeRecord(id: load(0, as: UInt64.self), referenceCount: load(8, as: Int64.self),
                           typeName: load(16, as: UInt32.self), valueLabel: load(20, as: UInt32.self),
                           shallowSize: load(24, as: UInt32.self), externalCount: load(28, as: Int32.self),
                           edgeCount: load(32, as: UInt32.self), generation: load(36, as: UInt8.self),
                           flags: NodeFlags(rawValue: load(37, as: UInt8.self)),
                           kind: NodeKind(rawValue: load(38, as: UInt8.self)) ?? .object)
    }

    /// The byte after a node record's flags: its kind in version 2 (zero in version 1).
    @inlinable @inline(__always)
    public func nodeKindByte() -> UInt8 { load(38, as: UInt8.self) }

    /// The root record at the read position: node, name (a string index), category byte.
    @inlinable @inline(__always)
    public func rootRecord() -> (node: UInt32, name: UInt32, category: UInt8) {
        (load(0, as: UInt32.self), load(4, as: UInt32.self), load(8, as: UInt8.self))
    }

    /// The edge record at the read position: target, label value, kind byte (weak bit included).
    @inlinable @inline(__always)
    public func edgeRecord() -> (target: UInt32, value: UInt32, kind: UInt8) {
        (load(0, as: UInt32.self), load(4, as: UInt32.self), load(8, as: UInt8.self))
    }

    /// The edge record of a file of ids (``SnapshotFormat/NodeReferences/ids``) at the read
    /// position: target id, label value, kind byte (weak bit included).
    @inlinable @inline(__always)
    public func idEdgeRecord() -> (target: UInt64, value: UInt32, kind: UInt8) {
        (load(0, as: UInt64.self), load(8, as: UInt32.self), load(12, as: UInt8.self))
    }

    /// The root record of a file of ids at the read position: node id, name, category byte.
    @inlinable @inline(__always)
    public func idRootRecord() -> (node: UInt64, name: UInt32, category: UInt8) {
        (load(0, as: UInt64.self), load(8, as: UInt32.self), load(12, as: UInt8.self))
    }
}

/// A snapshot file's header, checked against the file's size: the counts fit, the sections
/// follow each other as the counts say. See docs/snapshot-format.md.
public struct SnapshotHeader: Sendable, Equatable {
    public var version: UInt32
    public var nodeCount: UInt64
    public var edgeCount: UInt64
    public var stringCount: UInt64
    public var nodesOffset: UInt64
    public var edgesOffset: UInt64
    public var stringsOffset: UInt64
    public var metadataOffset: UInt64
    public var metadataLength: UInt64
    public var fileLength: UInt64
    public var checksum: UInt64
    /// Version 2: the root records (0 and the strings' offset in version 1).
    public var rootCount: UInt64
    public var rootsOffset: UInt64
    /// Version 2: how ``checksum`` was computed (bytes 112-115; FNV-1a in version 1).
    public var checksumAlgorithm: SnapshotFormat.ChecksumAlgorithm = .fnv1a64
    /// Version 2: how edges and roots name nodes (bytes 116-119; ordinals in version 1).
    public var nodeReferences: SnapshotFormat.NodeReferences = .ordinals

    /// Reads and checks the header of the open file `fd`, `size` bytes long, from offset 0.
    /// Throws the ``SnapshotError`` naming the first problem.
    public static func read(fd: Int32, size: Int) throws(SnapshotError) -> SnapshotHeader {
        guard size >= SnapshotFormat.headerSize else { throw .truncatedHeader(size: size) }
        var header = [UInt8](repeating: 0, count: SnapshotFormat.headerSize)
        let got = header.withUnsafeMutableBytes { raw in
            SystemCall.retrying { pread(fd, raw.baseAddress, SnapshotFormat.headerSize, 0) }
        }
        guard got == SnapshotFormat.headerSize else { throw .truncatedHeader(size: max(got, 0)) }
        return try parse(header, size: size)
    }

    /// Checks `header` (128 bytes) of a file of `size` bytes.
    public static func parse(_ header: [UInt8], size: Int) throws(SnapshotError) -> SnapshotHeader {
        guard header.count >= SnapshotFormat.headerSize else { throw .truncatedHeader(size: header.count) }
        func field<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
            header.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
        }
        guard Array(header[0..<8]) == SnapshotFormat.magic else { throw .notASnapshot }
        let version: UInt32 = field(8, UInt32.self)
        guard SnapshotFormat.readableVersions.contains(version) else { throw .unsupportedVersion(version) }
        guard field(12, UInt32.self) == UInt32(SnapshotFormat.headerSize) else {
            throw .badHeader(field: "header size", reason: "is \(field(12, UInt32.self)), not 128")
        }
        var parsed = SnapshotHeader(
            version: version, nodeCount: field(16, UInt64.self), edgeCount: field(24, UInt64.self),
            stringCount: field(32, UInt64.self), nodesOffset: field(40, UInt64.self), edgesOffset: field(48, UInt64.self),
            stringsOffset: field(56, UInt64.self), metadataOffset: field(64, UInt64.self),
            metadataLength: field(72, UInt64.self), fileLength: field(80, UInt64.self), checksum: field(88, UInt64.self),
            rootCount: version >= 2 ? field(96, UInt64.self) : 0,
            rootsOffset: version >= 2 ? field(104, UInt64.self) : field(56, UInt64.self))
        if version >= 2 {
            let raw: UInt32 = field(SnapshotFormat.checksumAlgorithmOffset, UInt32.self)
            guard let algorithm = SnapshotFormat.ChecksumAlgorithm(rawValue: raw) else {
                throw .badHeader(field: "checksum algorithm", reason: "is \(raw), not 0 (FNV-1a) or 1 (CRC-32)")
            }
            parsed.checksumAlgorithm = algorithm
            let references: UInt32 = field(SnapshotFormat.nodeReferencesOffset, UInt32.self)
            guard let nodeReferences = SnapshotFormat.NodeReferences(rawValue: references) else {
                throw .badHeader(field: "node references", reason: "is \(references), not 0 (ordinals) or 1 (ids)")
            }
            parsed.nodeReferences = nodeReferences
        }
        let reserved = version >= 2 ? SnapshotFormat.nodeReferencesOffset + 4 : 96
        guard header[reserved..<128].allSatisfy({ $0 == 0 }) else {
            throw .badHeader(field: "reserved bytes \(reserved)-127", reason: "are not zero")
        }
        try parsed.check(size: size)
        return parsed
    }

    func check(size: Int) throws(SnapshotError) {
        guard fileLength == UInt64(size) else { throw .lengthMismatch(expected: fileLength, actual: size) }
        // Every count must fit in the file before anything is allocated for it.
        let fileSize = UInt64(size)
        let edgeRecordSize = UInt64(nodeReferences.edgeRecordSize), rootRecordSize = UInt64(nodeReferences.rootRecordSize)
        guard nodeCount <= fileSize / UInt64(SnapshotFormat.nodeRecordSize) else {
            throw .countTooLarge(field: "node count", count: nodeCount, fileSize: size)
        }
        guard edgeCount <= fileSize / edgeRecordSize else {
            throw .countTooLarge(field: "edge count", count: edgeCount, fileSize: size)
        }
        guard stringCount <= fileSize / 4 else { throw .countTooLarge(field: "string count", count: stringCount, fileSize: size) }
        guard rootCount <= fileSize / rootRecordSize else {
            throw .countTooLarge(field: "root count", count: rootCount, fileSize: size)
        }
        let nodesEnd = UInt64(SnapshotFormat.headerSize) + nodeCount * UInt64(SnapshotFormat.nodeRecordSize)
        let edgesEnd = nodesEnd + edgeCount * edgeRecordSize
        let rootsEnd = edgesEnd + rootCount * rootRecordSize
        guard nodesOffset == UInt64(SnapshotFormat.headerSize) else { throw .badHeader(field: "nodes offset", reason: "is \(nodesOffset), not 128") }
        guard edgesOffset == nodesEnd else { throw .badHeader(field: "edges offset", reason: "is \(edgesOffset), the nodes end at \(nodesEnd)") }
        guard rootsOffset == edgesEnd else { throw .badHeader(field: "roots offset", reason: "is \(rootsOffset), the edges end at \(edgesEnd)") }
        guard stringsOffset == rootsEnd else {
            throw .badHeader(field: "strings offset", reason: "is \(stringsOffset), the \(version >= 2 ? "roots" : "edges") end at \(rootsEnd)")
        }
        guard metadataOffset >= stringsOffset, metadataOffset <= fileSize else {
            throw .badHeader(field: "metadata offset", reason: "\(metadataOffset) is outside \(stringsOffset)...\(fileSize)")
        }
        guard metadataLength == fileSize - metadataOffset else {
            throw .badHeader(field: "metadata length", reason: "\(metadataLength) does not reach the end of the file")
        }
        guard stringCount * 4 <= metadataOffset - stringsOffset else {
            throw .countTooLarge(field: "string count", count: stringCount, fileSize: size)
        }
    }

    /// False when the file has a hole between the two offsets (a sparse file); true when it has
    /// none, or when its file system cannot tell (`lseek` with `SEEK_HOLE` unsupported). Moves
    /// the file offset.
    public static func hasNoHole(fd: Int32, from start: UInt64, to end: UInt64) -> Bool {
        guard start < end else { return true }
        // SEEK_HOLE: the first hole at or after `start`, the end of the file when there is none.
        #if canImport(Darwin)
        let seekHole = SEEK_HOLE
        #else
        let seekHole: Int32 = 4                     // Linux's value; Swift's Glibc does not export it
        #endif
        let hole = lseek(fd, off_t(start), seekHole)
        return hole < 0 || UInt64(hole) >= end
    }

    /// The checksum (by `algorithm`) of the bytes after the header, read through a 4 MiB buffer.
    public static func checksumAfterHeader(fd: Int32, path: String,
                                           algorithm: SnapshotFormat.ChecksumAlgorithm = .fnv1a64) throws(SnapshotError) -> UInt64 {
        guard lseek(fd, off_t(SnapshotFormat.headerSize), SEEK_SET) == off_t(SnapshotFormat.headerSize) else {
            throw .unreadable(path: path, reason: SystemCall.message(errno))
        }
        var reader = ChunkedReader(fd: fd, position: SnapshotFormat.headerSize, checksum: algorithm)
        defer { reader.deallocate() }
        while reader.fill(1) { reader.consumeBuffered() }
        guard reader.readError == 0 else { throw .unreadable(path: path, reason: SystemCall.message(reader.readError)) }
        return reader.checksum.finish()
    }
}
