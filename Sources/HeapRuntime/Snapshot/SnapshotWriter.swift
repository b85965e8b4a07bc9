#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `.heapgraph` file format, version 1. docs/snapshot-format.md specifies it; this is
/// the one place its numbers live on the writing side.
public enum SnapshotFormat {
    public static let magic: [UInt8] = Array("HEAPGRPH".utf8)
    public static let version: UInt32 = 1
    public static let headerSize = 128
    public static let nodeRecordSize = 48
    public static let edgeRecordSize = 12
    /// "No string" in a node's value-label field.
    public static let noString: UInt32 = 0xFFFF_FFFF

    /// Edge kinds (the low 7 bits of an edge's kind byte; bit 7 marks a weak edge).
    public enum EdgeKind: UInt8, Sendable {
        case none = 0, index = 1, dictKey = 2, key = 3, attribute = 4, named = 5
    }
    public static let weakBit: UInt8 = 0x80

    /// The checksum of the bytes after the header: FNV-1a over 64-bit little-endian words
    /// (the last word zero-padded), then `h ^ (h >> 29)`.
    public struct Checksum: Sendable {
        public private(set) var state: UInt64 = 0xcbf2_9ce4_8422_2325
        var pending: UInt64 = 0
        var pendingBytes = 0

        public init() {}

        public mutating func update(_ bytes: UnsafeRawBufferPointer) {
            var index = 0
            let count = bytes.count
            // Finish a partial word first.
            while pendingBytes != 0 && index < count {
                pending |= UInt64(bytes[index]) << (8 * UInt64(pendingBytes))
                pendingBytes += 1
                index += 1
                if pendingBytes == 8 { mix(pending); pending = 0; pendingBytes = 0 }
            }
            while index + 8 <= count {
                mix(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
                index += 8
            }
            while index < count {
                pending |= UInt64(bytes[index]) << (8 * UInt64(pendingBytes))
                pendingBytes += 1
                index += 1
            }
        }

        @inline(__always) mutating func mix(_ word: UInt64) { state = (state ^ word) &* 0x100_0000_01b3 }

        /// The final value; the checksum can still be updated afterwards.
        public func finish() -> UInt64 {
            var copy = self
            if copy.pendingBytes != 0 { copy.mix(copy.pending) }
            return copy.state ^ (copy.state >> 29)
        }
    }
}

/// An error writing a snapshot file.
public struct SnapshotWriteError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String
    public var description: String { "cannot write snapshot \(path): \(reason)" }
}

/// Buffered output with a running checksum; the header is written last, in place.
struct SnapshotFileWriter {
    let fd: Int32
    let path: String
    static let capacity = 1 << 20
    /// The buffer being filled; full ones go to `sink`, which writes them on its thread.
    var buffer: UnsafeMutableRawPointer
    var used = 0
    var written = 0   // bytes after the header
    let sink: SnapshotFileSink
    var finished = false

    init(path: String) throws(SnapshotWriteError) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw SnapshotWriteError(path: path, reason: String(cString: strerror(errno))) }
        sink = SnapshotFileSink(fd: fd, capacity: Self.capacity)
        buffer = sink.first()
        do {
            try Self.writeAll(fd: fd, path: path, [UInt8](repeating: 0, count: SnapshotFormat.headerSize), at: nil)
        } catch {
            _ = Glibc.close(fd)
            throw error
        }
        guard sink.start() else {
            _ = Glibc.close(fd)
            throw SnapshotWriteError(path: path, reason: "cannot start the writing thread")
        }
    }

    /// Makes room for `count` bytes in the buffer (`count` ≤ ``capacity``).
    @inline(__always)
    mutating func reserve(_ count: Int) throws(SnapshotWriteError) {
        if used + count > Self.capacity { try flush() }
    }

    @inline(__always)
    mutating func append<T: FixedWidthInteger>(_ value: T) {
        buffer.storeBytes(of: value.littleEndian, toByteOffset: used, as: T.self)
        used += MemoryLayout<T>.size
    }

    mutating func appendZeros(_ count: Int) {
        (buffer + used).initializeMemory(as: UInt8.self, repeating: 0, count: count)
        used += count
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
    mutating func flush() throws(SnapshotWriteError) {
        guard used > 0 else { return }
        let (next, failure) = sink.next(after: buffer, count: used)
        written += used
        used = 0
        buffer = next
        if failure != 0 { throw SnapshotWriteError(path: path, reason: String(cString: strerror(failure))) }
    }

    /// Writes what is left, waits for the sink, and returns the checksum of every byte
    /// after the header.
    mutating func finishData() throws(SnapshotWriteError) -> UInt64 {
        let (checksum, failure) = sink.finish(last: buffer, count: used)
        finished = true
        written += used
        used = 0
        if failure != 0 { throw SnapshotWriteError(path: path, reason: String(cString: strerror(failure))) }
        return checksum
    }

    static func writeAll(fd: Int32, path: String, _ bytes: UnsafeRawBufferPointer, at offset: Int?) throws(SnapshotWriteError) {
        let failure = SnapshotFileSink.writeAll(fd: fd, bytes, at: offset)
        if failure != 0 { throw SnapshotWriteError(path: path, reason: String(cString: strerror(failure))) }
    }

    static func writeAll(fd: Int32, path: String, _ bytes: [UInt8], at offset: Int?) throws(SnapshotWriteError) {
        let result: Result<Void, SnapshotWriteError> = bytes.withUnsafeBytes { raw in
            do throws(SnapshotWriteError) {
                try writeAll(fd: fd, path: path, raw, at: offset)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// Closes the file; stops the sink first if writing ended early (an error).
    mutating func close() {
        if !finished {
            _ = sink.finish(last: buffer, count: 0)
            finished = true
        }
        _ = Glibc.close(fd)
    }
}

extension Heap {
    /// Writes the whole object graph to a `.heapgraph` file (docs/snapshot-format.md):
    /// every visible object with its type, sizes, counts, generation and flags; every edge
    /// with its label and kind; a string table; and metadata (time, `tag`, the collector's
    /// thresholds, counts and statistics, the allocator's counters).
    ///
    /// Writing streams: records go out through a 1 MiB buffer as the heap is walked, and
    /// no copy of the heap is built. The heap must not be used by another call meanwhile.
    ///
    /// - Complexity: O(objects + references); about 16 bytes per object of side tables.
    public func writeSnapshot(to path: String, tag: String = "") throws(SnapshotWriteError) {
        var file = try SnapshotFileWriter(path: path)
        defer { file.close() }
        let stats = allocatorStats()
        let collector = gc
        let (thresholds, counts, generationStats) = (collector.thresholds, collector.counts, collector.stats)
        var strings = SnapshotStringTable()

        let result: Result<(nodes: Int, edges: Int), SnapshotWriteError> = withSnapshotView { view in
            do throws(SnapshotWriteError) {
                guard view.count < Int(UInt32.max) else {
                    throw SnapshotWriteError(path: path, reason: "more than 4 billion objects")
                }
                var edges = 0
                var edgeCounts: [UInt32] = []
                edgeCounts.reserveCapacity(view.count)
                for ordinal in 0..<view.count {
                    let typeIndex = strings.typeIndex(of: ordinal, in: view)
                    let node = view.node(ordinal)
                    let edgeCount = view.edgeCount(of: ordinal)
                    edgeCounts.append(UInt32(edgeCount))
                    edges += edgeCount
                    try file.reserve(SnapshotFormat.nodeRecordSize)
                    file.append(node.id)
                    file.append(Int64(node.referenceCount))
                    file.append(typeIndex)
                    file.append(node.valueLabel.map { strings.intern($0) } ?? SnapshotFormat.noString)
                    file.append(UInt32(clamping: node.shallowSize))
                    file.append(Int32(clamping: node.externalCount))
                    file.append(UInt32(edgeCount))
                    file.append(node.generation)
                    file.append(node.flags.rawValue)
                    file.appendZeros(10)
                }
                for ordinal in 0..<view.count {
                    if ordinal % SnapshotView.touchBatch == 0 {
                        view.touchReferents(ofOrdinals: ordinal..<min(view.count, ordinal + SnapshotView.touchBatch))
                    }
                    // Room for all of a node's edges at once when they fit in the buffer;
                    // otherwise edge by edge.
                    let bytes = Int(edgeCounts[ordinal]) * SnapshotFormat.edgeRecordSize
                    let whole = bytes <= SnapshotFileWriter.capacity
                    if whole { try file.reserve(bytes) }
                    var failure: SnapshotWriteError? = nil
                    view.forEachEncodedEdge(of: ordinal, intern: { strings.intern($0) }) { target, kind, value in
                        if !whole {
                            if failure == nil { do throws(SnapshotWriteError) { try file.reserve(SnapshotFormat.edgeRecordSize) } catch { failure = error } }
                            guard failure == nil else { return }
                        }
                        file.append(target)
                        file.append(value)
                        file.append(UInt32(kind))   // kind byte, then three reserved zero bytes
                    }
                    if let failure { throw failure }
                }
                return .success((view.count, edges))
            } catch {
                return .failure(error)
            }
        }
        let (nodeCount, edgeCount) = try result.get()
        let nodesOffset = SnapshotFormat.headerSize
        let edgesOffset = nodesOffset + nodeCount * SnapshotFormat.nodeRecordSize
        let stringsOffset = edgesOffset + edgeCount * SnapshotFormat.edgeRecordSize
        for text in strings.strings {
            let utf8 = Array(text.utf8)
            try file.reserve(4)
            file.append(UInt32(utf8.count))
            try file.append(bytes: utf8)
        }
        try file.flush()
        let metadataOffset = SnapshotFormat.headerSize + file.written
        let metadata = Array(snapshotMetadataJSON(
            tag: tag, objects: nodeCount, edges: edgeCount, thresholds: thresholds, counts: counts,
            generations: generationStats, allocator: stats).utf8)
        try file.append(bytes: metadata)
        let checksum = try file.finishData()
        let fileLength = SnapshotFormat.headerSize + file.written

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
        put(UInt64(metadata.count))
        put(UInt64(fileLength))
        put(checksum)
        header.append(contentsOf: repeatElement(0, count: SnapshotFormat.headerSize - header.count))
        try SnapshotFileWriter.writeAll(fd: file.fd, path: path, header, at: 0)
    }

    func snapshotMetadataJSON(tag: String, objects: Int, edges: Int, thresholds: (Int, Int, Int), counts: (Int, Int, Int),
                              generations: [GenerationStats], allocator: AllocatorStats) -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var seconds = time_t(spec.tv_sec)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let time = "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
        let stats = generations.map { "{\"collections\":\($0.collections),\"collected\":\($0.collected),\"uncollectable\":\($0.uncollectable)}" }
        // What the host said of each watched object, so a leak report can repeat it.
        let watched = core.pointee.watches
            .map { (id: UInt64(UInt(bitPattern: $0.key)), description: $0.value.description) }
            .sorted { $0.id < $1.id }
            .map { "{\"id\":\($0.id),\"description\":\(jsonString($0.description))}" }
        // Which list is gc.garbage, so a report can name that root (only once it exists:
        // writing a snapshot must not create it).
        let garbage = core.pointee.collector.garbage.map { ",\"garbageList\":\(UInt64(UInt(bitPattern: $0)))" } ?? ""
        return """
        {"format":"heapgraph","version":1,"producer":"HeapRuntime","time":"\(time)","tag":\(jsonString(tag)),\
        "objects":\(objects),"edges":\(edges),\
        "collector":{"enabled":\(gc.isEnabled),"thresholds":[\(thresholds.0),\(thresholds.1),\(thresholds.2)],\
        "counts":[\(counts.0),\(counts.1),\(counts.2)],"generations":[\(stats.joined(separator: ","))]},\
        "allocator":{"arenasAllocatedTotal":\(allocator.arenasAllocatedTotal),"arenasReclaimed":\(allocator.arenasReclaimed),\
        "arenasHighWater":\(allocator.arenasHighWater),"arenasCurrent":\(allocator.arenasCurrent),\
        "blocksInUse":\(allocator.blocksInUse),"bytesInAllocatedBlocks":\(allocator.bytesInAllocatedBlocks),\
        "largeBlocks":\(allocator.largeBlocks),"largeBytes":\(allocator.largeBytes)},\
        "watched":[\(watched.joined(separator: ","))]\(garbage)}
        """
    }

    func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += "\\u00" + ValueSemantics.hex2(UInt8(scalar.value)) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
