import Foundation
import HeapGraphFormat

extension HeapSnapshot {
    /// Reads a `.heapgraph` file, checking everything: magic, version, every count against
    /// the file's size (before allocating for it), every section's bounds, every string and
    /// edge target, and the checksum. Never traps on bad input; throws a `SnapshotError`
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
        let header = try SnapshotHeader.read(fd: fd, size: size)
        let (nodeCount64, edgeCount64, stringCount64) = (header.nodeCount, header.edgeCount, header.stringCount)
        let offsets = (nodes: header.nodesOffset, edges: header.edgesOffset, strings: header.stringsOffset,
                       metadata: header.metadataOffset)
        let metadataLength = header.metadataLength
        let expectedChecksum = header.checksum
        guard nodeCount64 <= UInt64(PackedEdgeLabel.maxValue) else { throw .tooLarge(reason: "\(nodeCount64) nodes (at most 2^32 - 1)") }
        let version = header.version
        guard edgeCount64 < UInt64(UInt32.max) else { throw .tooLarge(reason: "\(edgeCount64) edges (at most 2^32 - 1)") }
        let nodeCount = Int(nodeCount64), edgeCount = Int(edgeCount64), stringCount = Int(stringCount64)

        let recordsAreReal = SnapshotHeader.hasNoHole(fd: fd, from: offsets.nodes, to: offsets.strings)
        if !recordsAreReal {
            // A writer leaves no holes. Before anything is built from records that are not
            // there, the checksum must vouch for them: one pass through the buffer, which
            // costs reading holes (no disk), and no memory.
            let actual = try SnapshotHeader.checksumAfterHeader(fd: fd, path: path, algorithm: header.checksumAlgorithm)
            guard actual == expectedChecksum else { throw .checksumMismatch(expected: expectedChecksum, actual: actual) }
        }
        guard lseek(fd, off_t(SnapshotFormat.headerSize), SEEK_SET) == off_t(SnapshotFormat.headerSize) else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        var reader = ChunkedReader(fd: fd, position: SnapshotFormat.headerSize, checksum: header.checksumAlgorithm)
        defer { reader.deallocate() }
        // The columns are never filled ahead of the records: reserving capacity touches no
        // page, so resident memory follows the records read. Where the record sections are all
        // data, the full counts are reserved at once (no copies as they grow); where the file
        // has a hole there (sparse: the counts are not backed by real bytes), the columns
        // double from 64 Ki as records arrive, so address space is not claimed for them either.
        var ids: [UInt64] = [], referenceCounts: [UInt32] = [], typeIndices: [UInt32] = [], valueLabels: [UInt32] = []
        var shallowSizes: [UInt32] = [], externalCounts: [Int32] = [], generations: [UInt8] = [], nodeFlags: [UInt8] = []
        var nodeKinds: [UInt8] = []
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
                nodeKinds.reserveCapacity(nodeCapacity)
                edgeStart.reserveCapacity(nodeCapacity + 1)
            }
            guard reader.fill(SnapshotFormat.nodeRecordSize) else { throw reader.failure(reading: "node \(node)", fileSize: size) }
            let record = reader.nodeRecord()
            let typeIndex = record.typeName
            let valueLabel = record.valueLabel
            edgeSum += UInt64(record.edgeCount)
            guard edgeSum <= edgeCount64 else { throw .edgeCountMismatch(header: edgeCount64, sumOfNodes: edgeSum) }
            guard typeIndex < UInt32(clamping: stringCount) else {
                throw .stringIndexOutOfRange(node: node, index: typeIndex, strings: stringCount)
            }
            guard valueLabel == SnapshotFormat.noString || valueLabel < UInt32(clamping: stringCount) else {
                throw .stringIndexOutOfRange(node: node, index: valueLabel, strings: stringCount)
            }
            ids.append(record.id)
            referenceCounts.append(UInt32(clamping: record.referenceCount))
            typeIndices.append(typeIndex)
            valueLabels.append(valueLabel)
            shallowSizes.append(record.shallowSize)
            externalCounts.append(record.externalCount)
            generations.append(record.generation)
            nodeFlags.append(record.flags.rawValue)
            if version >= 2 {
                let kind = reader.nodeKindByte()
                guard NodeKind(rawValue: kind) != nil else { throw .badNode(node: node, reason: "has unknown kind \(kind)") }
                nodeKinds.append(kind)
            }
            edgeStart.append(UInt32(edgeSum))
            reader.consume(SnapshotFormat.nodeRecordSize)
        }
        guard edgeSum == edgeCount64 else { throw .edgeCountMismatch(header: edgeCount64, sumOfNodes: edgeSum) }

        // A file of ids: its edges and roots name nodes by id, resolved here; an id that is no
        // node's is dropped (with its edge or root), and the node's edge count shrinks.
        let byID = header.nodeReferences == .ids
        var idTable: NodeIDTable?
        if byID {
            switch NodeIDTable.build(ids) {
            case .success(let table): idTable = table
            case .failure(let duplicate):
                throw .badNode(node: duplicate.second, reason: "has the id of node \(duplicate.first)")
            }
        }
        let edgeRecordSize = header.nodeReferences.edgeRecordSize
        var dropped = 0
        // Files of ids: the source of the edge being read, and where its edges end in the file.
        var source = 0
        var sourceEnd = nodeCount > 0 ? Int(edgeStart[1]) : 0

        // Files of ids: the targets of the next batch of edges are looked up in a loop of their
        // own, before the batch is read, so that their cache misses (one a lookup) overlap.
        let batch = 64
        var batchOrdinals = [UInt32](repeating: 0, count: batch)
        var batchIsResolved = false

        var edgeTargets: [UInt32] = [], edgeCodes: [UInt8] = [], edgeValues: [UInt32] = []
        var edgeCapacity = 0
        for edge in 0..<edgeCount {
            if let idTable, edge % batch == 0 {
                let count = min(batch, edgeCount - edge)
                batchIsResolved = reader.fill(count * edgeRecordSize)
                if batchIsResolved {
                    for index in 0..<count {
                        let id = reader.load(index * edgeRecordSize, as: UInt64.self)
                        batchOrdinals[index] = idTable.ordinal(of: id) ?? Self.noOrdinal
                    }
                }
            }
            if edge == edgeCapacity {
                edgeCapacity = recordsAreReal ? edgeCount : Self.grownCapacity(edgeCapacity, limit: edgeCount)
                edgeTargets.reserveCapacity(edgeCapacity)
                edgeCodes.reserveCapacity(edgeCapacity)
                edgeValues.reserveCapacity(edgeCapacity)
            }
            guard reader.fill(edgeRecordSize) else { throw reader.failure(reading: "edge \(edge)", fileSize: size) }
            let target: UInt32, value: UInt32, kindByte: UInt8
            var targetID: UInt64 = 0
            if byID {
                // Past the end of a node's edges in the file: its kept edges end here.
                while edge == sourceEnd {
                    edgeStart[source + 1] = UInt32(edgeTargets.count)
                    source += 1
                    sourceEnd = Int(edgeStart[source + 1])
                }
                let record = reader.idEdgeRecord()
                (target, targetID, value, kindByte) = (0, record.target, record.value, record.kind)
            } else {
                (target, value, kindByte) = reader.edgeRecord()
                guard Int(target) < nodeCount else { throw .badEdge(edge: edge, reason: "points at node \(target) of \(nodeCount)") }
            }
            reader.consume(edgeRecordSize)
            let kindBits = kindByte & ~SnapshotFormat.weakBit
            guard let kind = SnapshotFormat.EdgeKind(rawValue: kindByte & SnapshotFormat.kindMask),
                  version >= 2 || (kindBits & SnapshotFormat.textNameBit == 0 && kind.rawValue <= SnapshotFormat.EdgeKind.named.rawValue),
                  var label = PackedEdgeLabel(kindByte: kindByte, value: value) else {
                throw .badEdge(edge: edge, reason: "has unknown kind \(kindBits)")
            }
            switch kind {
            case .key, .attribute:
                if label.nameIsText {
                    guard Int(value) < stringCount else { throw .badEdge(edge: edge, reason: "is labelled by string \(value) of \(stringCount)") }
                } else if byID {
                    // A 32-bit label cannot hold an id: a dict value is named by the key edge just
                    // before it (the same node's); without one (its key was dropped) it is unnamed.
                    guard kind == .key else { throw .badEdge(edge: edge, reason: "names its attribute by a node, which a file of ids cannot") }
                    let previous = edgeTargets.count - 1
                    if previous >= Int(edgeStart[source]),
                       PackedEdgeLabel(code: edgeCodes[previous], payload: 0).kind == .dictKey,
                       let keyed = PackedEdgeLabel(kindByte: kindByte, value: edgeTargets[previous]) {
                        label = keyed
                    } else if let unnamed = PackedEdgeLabel(kindByte: kindByte & ~SnapshotFormat.kindMask, value: 0) {
                        label = unnamed
                    }
                } else {
                    guard Int(value) < nodeCount else { throw .badEdge(edge: edge, reason: "is labelled by node \(value) of \(nodeCount)") }
                }
            case .named, .closureVariable, .shortcut:
                guard Int(value) < stringCount else { throw .badEdge(edge: edge, reason: "is labelled by string \(value) of \(stringCount)") }
            case .index, .none, .dictKey, .hidden:
                break
            }
            var resolved = target
            if let idTable {
                let ordinal = batchIsResolved ? batchOrdinals[edge % batch] : idTable.ordinal(of: targetID) ?? Self.noOrdinal
                guard ordinal != Self.noOrdinal else {
                    dropped += 1
                    continue
                }
                resolved = ordinal
            }
            edgeTargets.append(resolved)
            edgeCodes.append(label.code)
            edgeValues.append(label.payload)
        }
        if byID {
            while source < nodeCount {
                edgeStart[source + 1] = UInt32(edgeTargets.count)
                source += 1
            }
        }

        var rootRecords: [(node: Int, name: Int, category: RootCategory)] = []
        let rootRecordSize = header.nodeReferences.rootRecordSize
        for root in 0..<Int(header.rootCount) {
            guard reader.fill(rootRecordSize) else { throw reader.failure(reading: "root \(root)", fileSize: size) }
            let node: Int
            let name: UInt32, categoryByte: UInt8
            if let idTable {
                let record = reader.idRootRecord()
                reader.consume(rootRecordSize)
                guard let ordinal = idTable.ordinal(of: record.node) else {
                    dropped += 1
                    continue
                }
                (node, name, categoryByte) = (Int(ordinal), record.name, record.category)
            } else {
                let record = reader.rootRecord()
                reader.consume(rootRecordSize)
                (node, name, categoryByte) = (Int(record.node), record.name, record.category)
                guard node < nodeCount else { throw .badRoot(root: root, reason: "names node \(node) of \(nodeCount)") }
            }
            guard Int(name) < stringCount else { throw .badRoot(root: root, reason: "is named by string \(name) of \(stringCount)") }
            guard let category = RootCategory(rawValue: categoryByte) else {
                throw .badRoot(root: root, reason: "has unknown category \(categoryByte)")
            }
            rootRecords.append((node, Int(name), category))
        }
        idTable = nil

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
        if version < 2 {
            // Version 1 has no node kinds: HeapRuntime's type names say them.
            var kindOfType: [UInt32: UInt8] = [:]
            nodeKinds = typeIndices.map { type in
                if let known = kindOfType[type] { return known }
                let kind = NodeKind.guess(typeName: strings[Int(type)]).rawValue
                kindOfType[type] = kind
                return kind
            }
        }
        let roots = rootRecords.map { Root(node: $0.node, name: strings[$0.name], category: $0.category) }

        self.init(strings: strings, metadata: metadata, ids: ids, referenceCounts: referenceCounts, typeIndices: typeIndices,
                  valueLabels: valueLabels, shallowSizes: shallowSizes, externalCounts: externalCounts,
                  generations: generations, nodeFlags: nodeFlags, nodeKinds: nodeKinds, roots: roots,
                  edgeStart: edgeStart, edgeTargets: edgeTargets, edgeCodes: edgeCodes, edgeValues: edgeValues)
        unresolvedReferences = dropped
    }

    /// "No node has this id" in a batch of resolved targets (no ordinal reaches it: node
    /// counts are below 2³² − 1).
    static let noOrdinal = UInt32.max

    /// The next capacity for columns that grow as records prove real: doubling from 64 Ki,
    /// at most `limit`.
    static func grownCapacity(_ capacity: Int, limit: Int) -> Int {
        min(limit, max(1 << 16, capacity * 2))
    }

    /// Builds the reverse index (a counting sort of the edges by target) and stores all:
    /// the columns as every maker of a graph (the reader, the builder, a live heap's bridge)
    /// fills them.
    package init(strings: [String], metadata: SnapshotMetadata, ids: [UInt64], referenceCounts: [UInt32], typeIndices: [UInt32],
         valueLabels: [UInt32], shallowSizes: [UInt32], externalCounts: [Int32], generations: [UInt8], nodeFlags: [UInt8],
         nodeKinds: [UInt8], roots: [Root], edgeStart: [UInt32], edgeTargets: [UInt32], edgeCodes: [UInt8],
         edgeValues: [UInt32]) {
        let nodeCount = ids.count
        let reverse = Self.reverseIndex(nodeCount: nodeCount, edgeStart: edgeStart, edgeTargets: edgeTargets)
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
        self.nodeKinds = nodeKinds
        self.roots = roots
        var rootIndex: [Int32] = []
        if !roots.isEmpty {
            rootIndex = [Int32](repeating: -1, count: nodeCount)
            for (index, root) in roots.enumerated().reversed() { rootIndex[root.node] = Int32(index) }
        }
        self.rootIndex = rootIndex
        self.edgeStart = edgeStart
        self.edgeTargets = edgeTargets
        self.edgeCodes = edgeCodes
        self.edgeValues = edgeValues
        self.reverseStart = reverse.start
        self.reverseSources = reverse.sources
    }
}

extension SnapshotMetadata {
    /// Parses the metadata section (see ``MetadataParser``).
    init(parsing bytes: [UInt8]) throws(SnapshotError) {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .badMetadata(reason: "not UTF-8") }
        self = try MetadataParser.parse(text)
    }
}

