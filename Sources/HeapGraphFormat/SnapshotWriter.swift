#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An error writing a snapshot file.
public struct SnapshotWriteError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
    public var description: String { "cannot write snapshot \(path): \(reason)" }
}

/// One node record, as a producer hands it to ``SnapshotWriter`` (docs/snapshot-format.md
/// says what each field means). Strings are indexes from ``SnapshotWriter/intern(_:)``.
public struct SnapshotNodeRecord: Sendable, Equatable {
    public var id: UInt64
    public var referenceCount: Int64
    public var typeName: UInt32
    /// A string index, or ``SnapshotFormat/noString``.
    public var valueLabel: UInt32
    public var shallowSize: UInt32
    public var externalCount: Int32
    /// How many edge records this node's edges take; they follow the previous node's.
    public var edgeCount: UInt32
    /// 0...3, or 255 when untracked.
    public var generation: UInt8
    public var flags: NodeFlags
    /// What the node is (version 2; a version 1 file's nodes are guessed from type names).
    public var kind: NodeKind

    @inlinable
    public init(id: UInt64, referenceCount: Int64, typeName: UInt32, valueLabel: UInt32 = SnapshotFormat.noString,
                shallowSize: UInt32, externalCount: Int32, edgeCount: UInt32, generation: UInt8 = 255, flags: NodeFlags = [],
                kind: NodeKind = .object) {
        self.id = id
        self.referenceCount = referenceCount
        self.typeName = typeName
        self.valueLabel = valueLabel
        self.shallowSize = shallowSize
        self.externalCount = externalCount
        self.edgeCount = edgeCount
        self.generation = generation
        self.flags = flags
        self.kind = kind
    }
}

/// One root record (version 2): a node the program holds, under a name ("app.REGISTRY",
/// "thread 1: f (a.py:3)", "(Strong roots)") and a category.
public struct SnapshotRootRecord: Sendable, Equatable {
    public var node: UInt32
    /// A string index.
    public var name: UInt32
    public var category: RootCategory

    public init(node: UInt32, name: UInt32, category: RootCategory) {
        self.node = node
        self.name = name
        self.category = category
    }
}

/// A snapshot's string table as it is being made: each string once, in first-use order.
public struct SnapshotStrings: Sendable {
    /// The strings, indexed as ``intern(_:)`` numbered them.
    public private(set) var strings: [String] = []
    private var index: [String: UInt32] = [:]

    public init() {}

    /// The index of `text`, adding it when new.
    /// - Complexity: O(length of `text`), amortised.
    public mutating func intern(_ text: String) -> UInt32 {
        if let known = index[text] { return known }
        let new = UInt32(strings.count)
        index[text] = new
        strings.append(text)
        return new
    }
}

/// Streams a `.heapgraph` file: any producer (a runtime walking its heap, a converter, a
/// test's graph) hands it node records, then edge records, then the metadata, without
/// knowing the layout. Records go out through 1 MiB buffers written and checksummed on a
/// second thread (`SnapshotFileSink`), so the producer's walk and the `write` calls
/// overlap; the header is written last, in place.
///
/// ```swift
/// var writer = try SnapshotWriter(path: "g.heapgraph")
/// defer { writer.close() }
/// let type = writer.intern("Node")
/// try writer.appendNode(SnapshotNodeRecord(id: 1, referenceCount: 1, typeName: type, shallowSize: 32, externalCount: 1, edgeCount: 1))
/// try writer.appendNode(SnapshotNodeRecord(id: 2, referenceCount: 1, typeName: type, shallowSize: 32, externalCount: 0, edgeCount: 0))
/// try writer.appendEdge(target: 1, label: .named("next"), isWeak: false)
/// try writer.finish(metadata: { _, _ in "{}" })
/// ```
///
/// Every node must come before the first edge, and the edges must add up to the nodes'
/// edge counts (``finish(metadata:)`` throws otherwise).
public struct SnapshotWriter {
    @usableFromInline let fd: Int32
    public let path: String
    /// The size of each buffer; a ``reserveEdges(_:)`` larger than it returns false.
    public static let capacity = 1 << 20
    /// The buffer being filled; full ones go to `sink`, which writes them on its thread.
    @usableFromInline var buffer: UnsafeMutableRawPointer
    @usableFromInline var used = 0
    var written = 0   // bytes after the header
    let sink: SnapshotFileSink
    var finished = false
    /// The strings the records refer to.
    public var strings = SnapshotStrings()
    public private(set) var nodeCount = 0
    /// The root records, written at the end (a heap has few).
    var roots: [SnapshotRootRecord] = []
    @usableFromInline var declaredEdges: UInt64 = 0
    @usableFromInline var writtenEdges = 0
    /// Edge records appended so far.
    public var edgeCount: Int { writtenEdges }

    /// Whether ``close()`` closes the descriptor (the writer opened it).
    let ownsDescriptor: Bool

    /// How the checksum is computed (header bytes 112-115).
    public let checksumAlgorithm: SnapshotFormat.ChecksumAlgorithm

    /// Creates (or truncates) the file at `path` and starts the writing thread; the file's
    /// checksum is computed by `checksum` (FNV-1a unless asked otherwise).
    public init(path: String, checksum: SnapshotFormat.ChecksumAlgorithm = .fnv1a64) throws(SnapshotWriteError) {
        let fd = SystemCall.retrying { open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        guard fd >= 0 else { throw SnapshotWriteError(path: path, reason: SystemCall.message(errno)) }
        try self.init(fd: fd, path: path, owned: true, checksum: checksum)
    }

    /// Writes into an open, empty, seekable file (the header goes in at offset 0 at the
    /// end); `name` names it in errors. ``close()`` leaves the descriptor open.
    public init(descriptor: Int32, name: String, checksum: SnapshotFormat.ChecksumAlgorithm = .fnv1a64) throws(SnapshotWriteError) {
        try self.init(fd: descriptor, path: name, owned: false, checksum: checksum)
    }

    private init(fd: Int32, path: String, owned: Bool, checksum: SnapshotFormat.ChecksumAlgorithm) throws(SnapshotWriteError) {
        self.path = path
        self.fd = fd
        ownsDescriptor = owned
        checksumAlgorithm = checksum
        sink = SnapshotFileSink(fd: fd, capacity: Self.capacity, checksum: checksum)
        buffer = sink.first()
        let header = [UInt8](repeating: 0, count: SnapshotFormat.headerSize)
        let failure = header.withUnsafeBytes { SystemCall.writeAll(fd: fd, $0, at: nil) }
        guard failure == 0 else {
            if owned { _ = SnapshotWriter.closeFile(fd) }
            throw SnapshotWriteError(path: path, reason: SystemCall.message(failure))
        }
        guard sink.start() else {
            if owned { _ = SnapshotWriter.closeFile(fd) }
            throw SnapshotWriteError(path: path, reason: "cannot start the writing thread")
        }
    }

    static func closeFile(_ fd: Int32) -> Int32 {
        #if canImport(Glibc)
        Glibc.close(fd)
        #else
        Darwin.close(fd)
        #endif
    }

    /// The index of `text` in the file's string table.
    public mutating func intern(_ text: String) -> UInt32 { strings.intern(text) }

    /// Makes room for `count` bytes in the buffer (`count` ≤ ``capacity``).
    @inlinable @inline(__always)
    mutating func reserve(_ count: Int) throws(SnapshotWriteError) {
        if used + count > Self.capacity { try flush() }
    }

    @inlinable @inline(__always)
    mutating func append<T: FixedWidthInteger>(_ value: T) {
        buffer.storeBytes(of: value.littleEndian, toByteOffset: used, as: T.self)
        used += MemoryLayout<T>.size
    }

    /// Appends one node record. Nodes are numbered in the order they are appended.
    @inlinable
    public mutating func appendNode(_ node: SnapshotNodeRecord) throws(SnapshotWriteError) {
        precondition(writtenEdges == 0, "SnapshotWriter: a node after the first edge")
        try reserve(SnapshotFormat.nodeRecordSize)
        append(node.id)
        append(node.referenceCount)
        append(node.typeName)
        append(node.valueLabel)
        append(node.shallowSize)
        append(node.externalCount)
        append(node.edgeCount)
        append(node.generation)
        append(node.flags.rawValue)
        append(node.kind.rawValue)
        append(UInt8(0))
        append(UInt64(0))
        declaredEdges += UInt64(node.edgeCount)
        nodeCountIncrement()
    }

    @usableFromInline mutating func nodeCountIncrement() { nodeCount += 1 }

    /// Makes room for `count` edge records at once, so that they can be appended with
    /// ``appendReservedEdge(target:kind:value:)``; false (and nothing reserved) when they do
    /// not fit in one buffer, to be appended one by one with ``appendEdge(target:kind:value:)``.
    @inlinable
    public mutating func reserveEdges(_ count: Int) throws(SnapshotWriteError) -> Bool {
        let bytes = count * SnapshotFormat.edgeRecordSize
        guard bytes <= Self.capacity else { return false }
        try reserve(bytes)
        return true
    }

    /// Appends one edge record into room made by ``reserveEdges(_:)``: `kind` is the kind
    /// byte (``SnapshotFormat/EdgeKind`` raw value, with ``SnapshotFormat/weakBit`` for a
    /// weak edge).
    @inlinable @inline(__always)
    public mutating func appendReservedEdge(target: UInt32, kind: UInt8, value: UInt32) {
        append(target)
        append(value)
        append(UInt32(kind))   // kind byte, then three reserved zero bytes
        writtenEdges &+= 1
    }

    /// Appends one edge record (see ``appendReservedEdge(target:kind:value:)``).
    @inlinable
    public mutating func appendEdge(target: UInt32, kind: UInt8, value: UInt32) throws(SnapshotWriteError) {
        try reserve(SnapshotFormat.edgeRecordSize)
        appendReservedEdge(target: target, kind: kind, value: value)
    }

    /// Appends one edge record, its label given in the label model (strings interned here).
    public mutating func appendEdge(target: Int, label: EdgeLabelOf<LabelName>, isWeak: Bool) throws(SnapshotWriteError) {
        let (kind, value) = label.encoded { strings.intern($0) }
        try appendEdge(target: UInt32(truncatingIfNeeded: target), kind: kind | (isWeak ? SnapshotFormat.weakBit : 0), value: value)
    }

    /// Adds a root record: node `node` (an ordinal) is held under `name`. Roots may be added
    /// at any time before ``finish(metadata:)``; they are written after the edges.
    public mutating func appendRoot(node: Int, name: String, category: RootCategory) {
        roots.append(SnapshotRootRecord(node: UInt32(truncatingIfNeeded: node), name: strings.intern(name), category: category))
    }

    mutating func append(bytes: [UInt8]) throws(SnapshotWriteError) {
        var offset = 0
        while offset < bytes.count {
            if used == Self.capacity { try flush() }
            let chunk = min(bytes.count - offset, Self.capacity - used)
            bytes.withUnsafeBytes { (buffer + used).copyMemory(from: $0.baseAddress.unsafelyUnwrapped + offset, byteCount: chunk) }
            used += chunk
            offset += chunk
        }
    }

    /// Hands the filled buffer to the sink and continues in an empty one.
    @usableFromInline
    mutating func flush() throws(SnapshotWriteError) {
        guard used > 0 else { return }
        let (next, failure) = sink.next(after: buffer, count: used)
        written += used
        used = 0
        buffer = next
        if failure != 0 { throw SnapshotWriteError(path: path, reason: SystemCall.message(failure)) }
    }

    /// Writes the string table, the metadata `metadata(nodes, edges)` returns (a JSON
    /// object), and the header; then the file is complete (``close()`` still closes it).
    /// Returns the node and edge counts.
    @discardableResult
    public mutating func finish(metadata: (_ nodes: Int, _ edges: Int) -> String) throws(SnapshotWriteError) -> (nodes: Int, edges: Int) {
        let edgeCount = writtenEdges
        guard declaredEdges == UInt64(edgeCount) else {
            throw SnapshotWriteError(path: path, reason: "the nodes declare \(declaredEdges) edges, \(edgeCount) were written")
        }
        guard nodeCount < Int(UInt32.max) else { throw SnapshotWriteError(path: path, reason: "more than 4 billion nodes") }
        if let bad = roots.first(where: { Int($0.node) >= nodeCount }) {
            throw SnapshotWriteError(path: path, reason: "a root names node \(bad.node) of \(nodeCount)")
        }
        let nodesOffset = SnapshotFormat.headerSize
        let edgesOffset = nodesOffset + nodeCount * SnapshotFormat.nodeRecordSize
        let rootsOffset = edgesOffset + edgeCount * SnapshotFormat.edgeRecordSize
        let stringsOffset = rootsOffset + roots.count * SnapshotFormat.rootRecordSize
        for root in roots {
            try reserve(SnapshotFormat.rootRecordSize)
            append(root.node)
            append(root.name)
            append(UInt32(root.category.rawValue))   // category byte, then three reserved zero bytes
        }
        for text in strings.strings {
            let utf8 = Array(text.utf8)
            try reserve(4)
            append(UInt32(utf8.count))
            try append(bytes: utf8)
        }
        try flush()
        let metadataOffset = SnapshotFormat.headerSize + written
        let metadataBytes = Array(metadata(nodeCount, edgeCount).utf8)
        try append(bytes: metadataBytes)
        let (checksum, failure) = sink.finish(last: buffer, count: used)
        finished = true
        written += used
        used = 0
        if failure != 0 { throw SnapshotWriteError(path: path, reason: SystemCall.message(failure)) }
        let fileLength = SnapshotFormat.headerSize + written

        var header = [UInt8]()
        header.append(contentsOf: SnapshotFormat.magic)
        func put<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { header.append(contentsOf: $0) } }
        put(SnapshotFormat.version)
        put(UInt32(SnapshotFormat.headerSize))
        put(UInt64(nodeCount))
        put(UInt64(edgeCount))
        put(UInt64(strings.strings.count))
        put(UInt64(nodesOffset))
        put(UInt64(edgesOffset))
        put(UInt64(stringsOffset))
        put(UInt64(metadataOffset))
        put(UInt64(metadataBytes.count))
        put(UInt64(fileLength))
        put(checksum)
        put(UInt64(roots.count))
        put(UInt64(rootsOffset))
        put(checksumAlgorithm.rawValue)
        header.append(contentsOf: repeatElement(0, count: SnapshotFormat.headerSize - header.count))
        let headerFailure = header.withUnsafeBytes { SystemCall.writeAll(fd: fd, $0, at: 0) }
        if headerFailure != 0 { throw SnapshotWriteError(path: path, reason: SystemCall.message(headerFailure)) }
        return (nodeCount, edgeCount)
    }

    /// Closes the file; stops the writing thread first if writing ended early (an error).
    public mutating func close() {
        if !finished {
            _ = sink.finish(last: buffer, count: 0)
            finished = true
        }
        if ownsDescriptor { _ = Self.closeFile(fd) }
    }
}
