import Foundation
import HeapRuntime

/// Reads a file through a fixed buffer, so memory stays proportional to what is kept,
/// not to the file; and checksums every byte after the header as it passes.
struct ChunkedReader {
    let fd: Int32
    static let capacity = 4 << 20
    let base: UnsafeMutableRawPointer
    var start = 0
    var end = 0
    var position: Int          // file offset of buffer[start]
    var checksum = SnapshotFormat.Checksum()
    /// The `errno` of a failed `read`, or 0 when `fill` failed at the end of the file.
    var readError: Int32 = 0

    init(fd: Int32, position: Int) {
        self.fd = fd
        self.position = position
        base = .allocate(byteCount: Self.capacity, alignment: 16)
    }

    func deallocate() { base.deallocate() }

    /// The `count` bytes at the read position.
    func bytes(_ count: Int) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base + start, count: count) }

    /// Makes `count` bytes available at `buffer[start...]`; false at end of file.
    /// Requests larger than the buffer are refused (false), so a corrupt length can never
    /// make the reader allocate.
    @inline(__always)
    mutating func fill(_ count: Int) -> Bool {
        if end - start >= count { return true }
        return refill(count)
    }

    mutating func refill(_ count: Int) -> Bool {
        guard count <= Self.capacity else { return false }
        if start > 0 {
            if end > start { memmove(base, base + start, end - start) }
            end -= start
            start = 0
        }
        while end - start < count {
            let n = read(fd, base + end, Self.capacity - end)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { readError = errno }
            if n <= 0 { return false }
            checksum.update(UnsafeRawBufferPointer(start: base + end, count: n))
            end += n
        }
        return true
    }

    mutating func consume(_ count: Int) {
        start += count
        position += count
    }

    /// Appends the next `count` bytes to `bytes`, a buffer at a time, so that what is
    /// allocated follows what was read (a sparse file can declare anything its size allows);
    /// false when the file ends first.
    mutating func gather(_ count: Int, appendingTo bytes: inout [UInt8]) -> Bool {
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
    func failure(reading what: String, fileSize: Int) -> SnapshotError {
        let reason = readError != 0
            ? String(cString: strerror(readError))
            : "the file ended there, but it had \(fileSize) bytes when opened (it changed while being read)"
        return .readFailed(offset: position, what: what, reason: reason)
    }

    @inline(__always)
    func load<T: FixedWidthInteger>(_ offset: Int, as: T.Type) -> T {
        T(littleEndian: base.loadUnaligned(fromByteOffset: start + offset, as: T.self))
    }
}

extension HeapSnapshot {
    /// Reads a `.heapgraph` file, checking everything: magic, version, every count against
    /// the file's size (before allocating for it), every section's bounds, every string and
    /// edge target, and the checksum. Never traps on bad input; throws a ``SnapshotError``
    /// that names the problem and where.
    ///
    /// Memory grows with the records read, never ahead of them from a count the header
    /// claims: a sparse file can claim millions of nodes from a few real bytes.
    ///
    /// - Complexity: O(file size) time; memory ``HeapSnapshot`` describes plus a 4 MiB buffer
    ///   (and, while reading, the metadata's bytes and a string longer than the buffer).
    public init(contentsOf path: String) throws(SnapshotError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .unreadable(path: path, reason: "not a regular file") }
        let size = Int(info.st_size)
        guard size >= SnapshotFormat.headerSize else { throw .truncatedHeader(size: size) }

        var header = [UInt8](repeating: 0, count: SnapshotFormat.headerSize)
        let got = header.withUnsafeMutableBytes { read(fd, $0.baseAddress, SnapshotFormat.headerSize) }
        guard got == SnapshotFormat.headerSize else { throw .truncatedHeader(size: max(got, 0)) }
        func field<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
            header.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
        }
        guard Array(header[0..<8]) == SnapshotFormat.magic else { throw .notASnapshot }
        let version: UInt32 = field(8, UInt32.self)
        guard version == SnapshotFormat.version else { throw .unsupportedVersion(version) }
        guard field(12, UInt32.self) == UInt32(SnapshotFormat.headerSize) else {
            throw .badHeader(field: "header size", reason: "is \(field(12, UInt32.self)), not 128")
        }
        let nodeCount64: UInt64 = field(16, UInt64.self)
        let edgeCount64: UInt64 = field(24, UInt64.self)
        let stringCount64: UInt64 = field(32, UInt64.self)
        let offsets = (nodes: field(40, UInt64.self), edges: field(48, UInt64.self), strings: field(56, UInt64.self),
                       metadata: field(64, UInt64.self))
        let metadataLength: UInt64 = field(72, UInt64.self)
        let fileLength: UInt64 = field(80, UInt64.self)
        let expectedChecksum: UInt64 = field(88, UInt64.self)

        guard header[96..<128].allSatisfy({ $0 == 0 }) else { throw .badHeader(field: "reserved bytes 96-127", reason: "are not zero") }
        guard fileLength == UInt64(size) else { throw .lengthMismatch(expected: fileLength, actual: size) }
        // Every count must fit in the file before anything is allocated for it.
        let fileSize = UInt64(size)
        guard nodeCount64 <= fileSize / UInt64(SnapshotFormat.nodeRecordSize) else {
            throw .countTooLarge(field: "node count", count: nodeCount64, fileSize: size)
        }
        guard edgeCount64 <= fileSize / UInt64(SnapshotFormat.edgeRecordSize) else {
            throw .countTooLarge(field: "edge count", count: edgeCount64, fileSize: size)
        }
        guard stringCount64 <= fileSize / 4 else { throw .countTooLarge(field: "string count", count: stringCount64, fileSize: size) }
        let nodesEnd = UInt64(SnapshotFormat.headerSize) + nodeCount64 * UInt64(SnapshotFormat.nodeRecordSize)
        let edgesEnd = nodesEnd + edgeCount64 * UInt64(SnapshotFormat.edgeRecordSize)
        guard offsets.nodes == UInt64(SnapshotFormat.headerSize) else { throw .badHeader(field: "nodes offset", reason: "is \(offsets.nodes), not 128") }
        guard offsets.edges == nodesEnd else { throw .badHeader(field: "edges offset", reason: "is \(offsets.edges), the nodes end at \(nodesEnd)") }
        guard offsets.strings == edgesEnd else { throw .badHeader(field: "strings offset", reason: "is \(offsets.strings), the edges end at \(edgesEnd)") }
        guard offsets.metadata >= offsets.strings, offsets.metadata <= fileSize else {
            throw .badHeader(field: "metadata offset", reason: "\(offsets.metadata) is outside \(offsets.strings)...\(fileSize)")
        }
        guard metadataLength == fileSize - offsets.metadata else {
            throw .badHeader(field: "metadata length", reason: "\(metadataLength) does not reach the end of the file")
        }
        guard stringCount64 * 4 <= offsets.metadata - offsets.strings else {
            throw .countTooLarge(field: "string count", count: stringCount64, fileSize: size)
        }
        guard nodeCount64 < UInt64(HeapSnapshot.valueMask) else { throw .tooLarge(reason: "\(nodeCount64) nodes (at most 2^28)") }
        guard edgeCount64 < UInt64(UInt32.max) else { throw .tooLarge(reason: "\(edgeCount64) edges (at most 2^32 - 1)") }
        let nodeCount = Int(nodeCount64), edgeCount = Int(edgeCount64), stringCount = Int(stringCount64)

        let recordsAreReal = Self.hasNoHole(fd: fd, from: offsets.nodes, to: offsets.strings)
        if !recordsAreReal {
            // A writer leaves no holes. Before anything is built from records that are not
            // there, the checksum must vouch for them: one pass through the buffer, which
            // costs reading holes (no disk), and no memory.
            let actual = try Self.checksumAfterHeader(fd: fd, path: path)
            guard actual == expectedChecksum else { throw .checksumMismatch(expected: expectedChecksum, actual: actual) }
        }
        guard lseek(fd, off_t(SnapshotFormat.headerSize), SEEK_SET) == off_t(SnapshotFormat.headerSize) else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        var reader = ChunkedReader(fd: fd, position: SnapshotFormat.headerSize)
        defer { reader.deallocate() }
        // The columns are never filled ahead of the records: reserving capacity touches no
        // page, so resident memory follows the records read. Where the record sections are all
        // data, the full counts are reserved at once (no copies as they grow); where the file
        // has a hole there (sparse: the counts are not backed by real bytes), the columns
        // double from 64 Ki as records arrive, so address space is not claimed for them either.
        var ids: [UInt64] = [], referenceCounts: [UInt32] = [], typeIndices: [UInt32] = [], valueLabels: [UInt32] = []
        var shallowSizes: [UInt32] = [], externalCounts: [Int32] = [], generations: [UInt8] = [], nodeFlags: [UInt8] = []
        var edgeStart: [UInt32] = [0]
        var nodeCapacity = 0
        var edgeSum: UInt64 = 0
        for node in 0..<nodeCount {
            if node == nodeCapacity {
                nodeCapacity = recordsAreReal ? nodeCount : Self.grownCapacity(nodeCapacity, limit: nodeCount)
                ids.reserveCapacity(nodeCapacity); referenceCounts.reserveCapacity(nodeCapacity)
                typeIndices.reserveCapacity(nodeCapacity); valueLabels.reserveCapacity(nodeCapacity)
                shallowSizes.reserveCapacity(nodeCapacity); externalCounts.reserveCapacity(nodeCapacity)
                generations.reserveCapacity(nodeCapacity); nodeFlags.reserveCapacity(nodeCapacity)
                edgeStart.reserveCapacity(nodeCapacity + 1)
            }
            guard reader.fill(SnapshotFormat.nodeRecordSize) else { throw reader.failure(reading: "node \(node)", fileSize: size) }
            let typeIndex = reader.load(16, as: UInt32.self)
            let valueLabel = reader.load(20, as: UInt32.self)
            edgeSum += UInt64(reader.load(32, as: UInt32.self))
            guard edgeSum <= edgeCount64 else { throw .edgeCountMismatch(header: edgeCount64, sumOfNodes: edgeSum) }
            guard typeIndex < UInt32(clamping: stringCount) else {
                throw .stringIndexOutOfRange(node: node, index: typeIndex, strings: stringCount)
            }
            guard valueLabel == SnapshotFormat.noString || valueLabel < UInt32(clamping: stringCount) else {
                throw .stringIndexOutOfRange(node: node, index: valueLabel, strings: stringCount)
            }
            ids.append(reader.load(0, as: UInt64.self))
            referenceCounts.append(UInt32(clamping: reader.load(8, as: Int64.self)))
            typeIndices.append(typeIndex)
            valueLabels.append(valueLabel)
            shallowSizes.append(reader.load(24, as: UInt32.self))
            externalCounts.append(reader.load(28, as: Int32.self))
            generations.append(reader.load(36, as: UInt8.self))
            nodeFlags.append(reader.load(37, as: UInt8.self))
            edgeStart.append(UInt32(edgeSum))
            reader.consume(SnapshotFormat.nodeRecordSize)
        }
        guard edgeSum == edgeCount64 else { throw .edgeCountMismatch(header: edgeCount64, sumOfNodes: edgeSum) }

        var edgeTargets: [UInt32] = [], edgeLabels: [UInt32] = []
        var edgeCapacity = 0
        for edge in 0..<edgeCount {
            if edge == edgeCapacity {
                edgeCapacity = recordsAreReal ? edgeCount : Self.grownCapacity(edgeCapacity, limit: edgeCount)
                edgeTargets.reserveCapacity(edgeCapacity)
                edgeLabels.reserveCapacity(edgeCapacity)
            }
            guard reader.fill(SnapshotFormat.edgeRecordSize) else { throw reader.failure(reading: "edge \(edge)", fileSize: size) }
            let target = reader.load(0, as: UInt32.self)
            let value = reader.load(4, as: UInt32.self)
            let kindByte = reader.load(8, as: UInt8.self)
            reader.consume(SnapshotFormat.edgeRecordSize)
            guard Int(target) < nodeCount else { throw .badEdge(edge: edge, reason: "points at node \(target) of \(nodeCount)") }
            guard let kind = SnapshotFormat.EdgeKind(rawValue: kindByte & ~SnapshotFormat.weakBit) else {
                throw .badEdge(edge: edge, reason: "has unknown kind \(kindByte & ~SnapshotFormat.weakBit)")
            }
            switch kind {
            case .key, .attribute:
                guard Int(value) < nodeCount else { throw .badEdge(edge: edge, reason: "is labelled by node \(value) of \(nodeCount)") }
            case .named:
                guard Int(value) < stringCount else { throw .badEdge(edge: edge, reason: "is labelled by string \(value) of \(stringCount)") }
            case .index, .none, .dictKey:
                break
            }
            edgeTargets.append(target)
            edgeLabels.append(HeapSnapshot.packLabel(kind: kind.rawValue, value: min(value, HeapSnapshot.valueMask),
                                                     weak: kindByte & SnapshotFormat.weakBit != 0))
        }

        var strings: [String] = []
        strings.reserveCapacity(min(stringCount, 1 << 16))
        let stringsEnd = Int(offsets.metadata)
        for index in 0..<stringCount {
            let offset = reader.position
            guard offset + 4 <= stringsEnd else { throw .badString(index: index, offset: offset, reason: "runs past its section") }
            guard reader.fill(4) else { throw reader.failure(reading: "string \(index)", fileSize: size) }
            let length = Int(reader.load(0, as: UInt32.self))
            guard offset + 4 + length <= stringsEnd else { throw .badString(index: index, offset: offset, reason: "of \(length) bytes runs past its section") }
            reader.consume(4)
            let text: String?
            if length <= ChunkedReader.capacity {
                guard reader.fill(length) else { throw reader.failure(reading: "string \(index)", fileSize: size) }
                text = String(validating: reader.bytes(length), as: UTF8.self)
                reader.consume(length)
            } else {
                // Longer than the buffer: gathered a buffer at a time.
                var bytes: [UInt8] = []
                guard reader.gather(length, appendingTo: &bytes) else { throw reader.failure(reading: "string \(index)", fileSize: size) }
                text = String(validating: bytes, as: UTF8.self)
            }
            guard let text else { throw .badString(index: index, offset: offset, reason: "is not UTF-8") }
            strings.append(text)
        }
        guard reader.position == stringsEnd else {
            throw .badHeader(field: "metadata offset", reason: "\(stringsEnd) is not where the strings end (\(reader.position))")
        }
        // Reserved (not touched) up to 64 MiB, so that the usual metadata is gathered without
        // doubling; a larger one grows as it is read.
        var metadataBytes: [UInt8] = []
        metadataBytes.reserveCapacity(min(Int(metadataLength), 64 << 20))
        guard reader.gather(Int(metadataLength), appendingTo: &metadataBytes) else {
            throw reader.failure(reading: "the metadata", fileSize: size)
        }
        // Nothing may follow; the checksum covers every byte after the header.
        if reader.fill(1) {
            throw .readFailed(offset: reader.position, what: "the end of the file",
                              reason: "more bytes follow, but the file had \(size) when opened (it changed while being read)")
        }
        let actualChecksum = reader.checksum.finish()
        guard actualChecksum == expectedChecksum else { throw .checksumMismatch(expected: expectedChecksum, actual: actualChecksum) }
        let metadata = try SnapshotMetadata(parsing: metadataBytes)

        self.init(strings: strings, metadata: metadata, ids: ids, referenceCounts: referenceCounts, typeIndices: typeIndices,
                  valueLabels: valueLabels, shallowSizes: shallowSizes, externalCounts: externalCounts,
                  generations: generations, nodeFlags: nodeFlags, edgeStart: edgeStart, edgeTargets: edgeTargets,
                  edgeLabels: edgeLabels)
    }

    /// False when the file has a hole between the two offsets (a sparse file); true when it has
    /// none, or when its file system cannot tell (`lseek` with `SEEK_HOLE` unsupported). Moves
    /// the file offset.
    static func hasNoHole(fd: Int32, from start: UInt64, to end: UInt64) -> Bool {
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

    /// The checksum of the bytes after the header, read through a 4 MiB buffer.
    static func checksumAfterHeader(fd: Int32, path: String) throws(SnapshotError) -> UInt64 {
        guard lseek(fd, off_t(SnapshotFormat.headerSize), SEEK_SET) == off_t(SnapshotFormat.headerSize) else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        var reader = ChunkedReader(fd: fd, position: SnapshotFormat.headerSize)
        defer { reader.deallocate() }
        while reader.fill(1) { reader.consume(reader.end - reader.start) }
        guard reader.readError == 0 else { throw .unreadable(path: path, reason: String(cString: strerror(reader.readError))) }
        return reader.checksum.finish()
    }

    /// The next capacity for columns that grow as records prove real: doubling from 64 Ki,
    /// at most `limit`.
    static func grownCapacity(_ capacity: Int, limit: Int) -> Int {
        min(limit, max(1 << 16, capacity * 2))
    }

    /// Builds the reverse index (a counting sort of the edges by target) and stores all.
    init(strings: [String], metadata: SnapshotMetadata, ids: [UInt64], referenceCounts: [UInt32], typeIndices: [UInt32],
         valueLabels: [UInt32], shallowSizes: [UInt32], externalCounts: [Int32], generations: [UInt8], nodeFlags: [UInt8],
         edgeStart: [UInt32], edgeTargets: [UInt32], edgeLabels: [UInt32]) {
        let nodeCount = ids.count
        var reverseStart = [UInt32](repeating: 0, count: nodeCount + 1)
        for target in edgeTargets { reverseStart[Int(target) + 1] &+= 1 }
        for node in 0..<nodeCount { reverseStart[node + 1] &+= reverseStart[node] }
        var reverseSources = [UInt32](repeating: 0, count: edgeTargets.count)
        var fill = reverseStart
        for source in 0..<nodeCount {
            for edge in Int(edgeStart[source])..<Int(edgeStart[source + 1]) {
                let target = Int(edgeTargets[edge])
                reverseSources[Int(fill[target])] = UInt32(source)
                fill[target] &+= 1
            }
        }
        self.nodeCount = nodeCount
        self.edgeCount = edgeTargets.count
        self.strings = strings
        self.metadata = metadata
        self.ids = ids
        self.referenceCounts = referenceCounts
        self.typeIndices = typeIndices
        self.valueLabels = valueLabels
        self.shallowSizes = shallowSizes
        self.externalCounts = externalCounts
        self.generations = generations
        self.nodeFlags = nodeFlags
        self.edgeStart = edgeStart
        self.edgeTargets = edgeTargets
        self.edgeLabels = edgeLabels
        self.reverseStart = reverseStart
        self.reverseSources = reverseSources
    }
}

extension SnapshotMetadata {
    /// Parses the metadata section (see ``MetadataParser``).
    init(parsing bytes: [UInt8]) throws(SnapshotError) {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .badMetadata(reason: "not UTF-8") }
        self = try MetadataParser.parse(text)
    }
}

extension HeapSnapshot {
    /// The same compact graph, taken from a live heap without going through a file.
    /// - Complexity: O(objects + references).
    public init(heap: Heap, tag: String = "") {
        var strings = SnapshotStringTable()
        var ids: [UInt64] = [], referenceCounts: [UInt32] = [], typeIndices: [UInt32] = [], valueLabels: [UInt32] = []
        var shallowSizes: [UInt32] = [], externalCounts: [Int32] = [], generations: [UInt8] = [], nodeFlags: [UInt8] = []
        var edgeStart: [UInt32] = [0], edgeTargets: [UInt32] = [], edgeLabels: [UInt32] = []
        heap.withSnapshotView { view in
            for ordinal in 0..<view.count {
                let node = view.node(ordinal)
                ids.append(node.id)
                referenceCounts.append(UInt32(clamping: node.referenceCount))
                typeIndices.append(strings.typeIndex(of: ordinal, in: view))
                valueLabels.append(node.valueLabel.map { strings.intern($0) } ?? SnapshotFormat.noString)
                shallowSizes.append(UInt32(clamping: node.shallowSize))
                externalCounts.append(Int32(clamping: node.externalCount))
                generations.append(node.generation)
                nodeFlags.append(node.flags.rawValue)
                view.forEachEncodedEdge(of: ordinal, intern: { strings.intern($0) }) { target, kind, value in
                    edgeTargets.append(target)
                    edgeLabels.append(HeapSnapshot.packLabel(kind: kind & ~SnapshotFormat.weakBit, value: min(value, HeapSnapshot.valueMask),
                                                             weak: kind & SnapshotFormat.weakBit != 0))
                }
                edgeStart.append(UInt32(edgeTargets.count))
            }
        }
        var metadata = SnapshotMetadata()
        metadata.tag = tag
        metadata.producer = "HeapRuntime (live)"
        metadata.garbageListID = heap.gc.garbageID.map { UInt64(UInt(bitPattern: $0)) }
        metadata.watched = Dictionary(heap.retainedObjects(collectingFirst: false).map {
            (UInt64(UInt(bitPattern: $0.object.id)), $0.description)
        }, uniquingKeysWith: { first, _ in first })
        self.init(strings: strings.strings, metadata: metadata, ids: ids, referenceCounts: referenceCounts, typeIndices: typeIndices,
                  valueLabels: valueLabels, shallowSizes: shallowSizes, externalCounts: externalCounts,
                  generations: generations, nodeFlags: nodeFlags, edgeStart: edgeStart, edgeTargets: edgeTargets,
                  edgeLabels: edgeLabels)
    }
}
