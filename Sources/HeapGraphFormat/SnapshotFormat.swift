/// The `.heapgraph` file format. docs/snapshot-format.md specifies it; this is the one place
/// its numbers live, for every writer and the reader.
public enum SnapshotFormat {
    public static let magic: [UInt8] = Array("HEAPGRPH".utf8)
    /// The version writers write.
    public static let version: UInt32 = 2
    /// The versions the reader reads.
    public static let readableVersions: ClosedRange<UInt32> = 1...2
    public static let headerSize = 128
    public static let nodeRecordSize = 48
    public static let edgeRecordSize = 12
    /// Version 2: one root record (node, name, category).
    public static let rootRecordSize = 12
    /// An edge record of a file whose ``NodeReferences`` are ``NodeReferences/ids``: a 64-bit
    /// target id, the label value, the kind byte, three reserved bytes.
    public static let idEdgeRecordSize = 16
    /// A root record of a file whose ``NodeReferences`` are ``NodeReferences/ids``: a 64-bit
    /// node id, the name, the category byte, three reserved bytes.
    public static let idRootRecordSize = 16
    /// "No string" in a node's value-label field.
    public static let noString: UInt32 = 0xFFFF_FFFF

    /// Edge kinds (the low 6 bits of an edge's kind byte; bit 6 marks a key or attribute
    /// named by a string, bit 7 a weak edge). What the label value means depends on the kind;
    /// ``EdgeLabelOf`` is the same model with its values. Kinds 6 and up are version 2's.
    public enum EdgeKind: UInt8, Sendable, CaseIterable {
        /// Nothing to say (a set element); value 0.
        case none = 0
        /// A list, tuple or array item; value: the index.
        case index = 1
        /// From a dict (or an attribute table) to a key object; value 0.
        case dictKey = 2
        /// From a dict to a value; value: the key node's ordinal, or with the text-name bit a
        /// string index (the key's repr).
        case key = 3
        /// From an object to an attribute's value; value: the name's str node, or with the
        /// text-name bit a string index.
        case attribute = 4
        /// An internal or fixed field (`__class__`, a host label, V8's internal edges); value:
        /// a string index.
        case named = 5
        /// From a closure (or its context) to a captured variable; value: a string index.
        case closureVariable = 6
        /// A reference the program cannot see (V8's hidden edges); value: an index.
        case hidden = 7
        /// A shortcut past intermediate objects (V8's shortcut edges); value: a string index.
        case shortcut = 8
    }
    /// The weak-edge bit of an edge record's kind byte.
    public static let weakBit: UInt8 = 0x80
    /// The bit of an edge record's kind byte saying a key or attribute is named by a string
    /// index rather than a node (version 2).
    public static let textNameBit: UInt8 = 0x40
    /// The kind in an edge record's kind byte.
    public static let kindMask: UInt8 = 0x3F

    /// Header bytes 112-115 (version 2): which ``ChecksumAlgorithm`` made the checksum at 88.
    public static let checksumAlgorithmOffset = 112
    /// Header bytes 116-119 (version 2): how edges and roots name nodes (``NodeReferences``).
    public static let nodeReferencesOffset = 116

    /// How edge targets and root records name their nodes (header bytes 116-119, version 2).
    public enum NodeReferences: UInt32, Sendable, CaseIterable {
        /// By ordinal (12-byte edge and root records): what every writer but the CPython
        /// dumper writes, and every version 1 file.
        case ordinals = 0
        /// By the node's id (16-byte edge and root records), for producers that cannot number
        /// their objects cheaply (the CPython dumper writes `id()`s). The reader resolves them:
        /// an id that is no node's is dropped with its edge or root; a dict value's edge (kind 3
        /// without the text bit) is named by the key edge just before it.
        case ids = 1

        /// The size of one edge record.
        public var edgeRecordSize: Int { self == .ids ? SnapshotFormat.idEdgeRecordSize : SnapshotFormat.edgeRecordSize }
        /// The size of one root record.
        public var rootRecordSize: Int { self == .ids ? SnapshotFormat.idRootRecordSize : SnapshotFormat.rootRecordSize }
    }

    /// How the checksum of the bytes after the header is computed (header bytes 112-115 in
    /// version 2; version 1 files, and version 2 files with 0 there, use FNV-1a).
    public enum ChecksumAlgorithm: UInt32, Sendable, CaseIterable {
        /// FNV-1a over 64-bit little-endian words (the last zero-padded), then `h ^ (h >> 29)`.
        case fnv1a64 = 0
        /// CRC-32 as zlib's `crc32` computes it (reflected polynomial 0xEDB88320), zero-extended
        /// to 64 bits. For producers that cannot run FNV-1a at native speed (Python's `zlib`
        /// has CRC-32 in C; FNV-1a in pure Python costs about 1 s per 10M words).
        case crc32 = 1
    }

    /// The checksum of the bytes after the header, by the file's ``ChecksumAlgorithm``.
    public struct Checksum: Sendable {
        public let algorithm: ChecksumAlgorithm
        public private(set) var state: UInt64
        var pending: UInt64 = 0
        var pendingBytes = 0

        public init(_ algorithm: ChecksumAlgorithm = .fnv1a64) {
            self.algorithm = algorithm
            state = algorithm == .fnv1a64 ? 0xcbf2_9ce4_8422_2325 : 0xFFFF_FFFF
        }

        /// Adds `bytes` (any length: a partial word waits for the next call).
        /// - Complexity: O(bytes).
        public mutating func update(_ bytes: UnsafeRawBufferPointer) {
            if algorithm == .crc32 {
                state = UInt64(CRC32.update(UInt32(truncatingIfNeeded: state), bytes))
                return
            }
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
            if algorithm == .crc32 { return state ^ 0xFFFF_FFFF }
            var copy = self
            if copy.pendingBytes != 0 { copy.mix(copy.pending) }
            return copy.state ^ (copy.state >> 29)
        }
    }
}

/// Node flags, as the snapshot format stores them (docs/snapshot-format.md).
public struct NodeFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Tracked by a cycle collector.
    public static let tracked = NodeFlags(rawValue: 1)
    /// Its PEP 442 finalizer has run.
    public static let finalized = NodeFlags(rawValue: 2)
    public static let hasFinalizer = NodeFlags(rawValue: 4)
    /// The finalizer is a legacy one (`tp_del`).
    public static let legacyFinalizer = NodeFlags(rawValue: 8)
    /// In `gc.garbage`.
    public static let inGarbage = NodeFlags(rawValue: 16)
    /// The host said it should die soon.
    public static let watched = NodeFlags(rawValue: 32)
    /// A weak reference object.
    public static let weakReference = NodeFlags(rawValue: 64)
    public static let immortal = NodeFlags(rawValue: 128)
}

/// What a node is, beside its type name, so that analyses and pictures can treat heaps of
/// different runtimes alike (version 2's node byte 38; version 1 files get it from the type
/// name, see ``guess(typeName:)``).
public enum NodeKind: UInt8, Sendable, CaseIterable {
    /// An ordinary object (an instance, a host object), and anything not more specific.
    case object = 0
    /// A list, tuple or array.
    case array = 1
    case string = 2
    /// An int, float, bool or other number.
    case number = 3
    /// A dict or other mapping.
    case dictionary = 4
    /// A class or type.
    case type = 5
    /// A function or closure.
    case closure = 6
    /// Compiled code.
    case code = 7
    /// Memory outside the managed heap (native buffers, V8's native nodes).
    case native = 8
    /// A node standing for a group or a root, not an object (V8's synthetic nodes).
    case synthetic = 9
    /// An object the program cannot see (V8's hidden nodes).
    case hidden = 10

    /// The kind of a node of a version 1 file (written by HeapRuntime), from its type name.
    public static func guess(typeName: String) -> NodeKind {
        switch typeName {
        case "list", "tuple", "set", "frozenset": .array
        case "str", "bytes": .string
        case "int", "float", "bool": .number
        case "dict": .dictionary
        case "type": .type
        default: .object
        }
    }
}

/// What kind of root a root record names (version 2).
public enum RootCategory: UInt8, Sendable, CaseIterable {
    /// A root the producer does not classify.
    case other = 0
    /// A module global (`app.REGISTRY`).
    case global = 1
    /// A frame's local variable (`thread 1: f (a.py:3)`).
    case local = 2
    /// A handle the host program holds (outside any frame).
    case handle = 3
    /// A runtime's own root, such as a collector's root category (V8's "(Strong roots)").
    case runtime = 4
    /// The list of objects the collector found but cannot free (CPython's `gc.garbage`).
    case garbage = 5

    /// How a report names the category ("module global").
    public var description: String {
        switch self {
        case .other: "root"
        case .global: "module global"
        case .local: "local variable"
        case .handle: "held by the host program"
        case .runtime: "runtime root"
        case .garbage: "gc.garbage"
        }
    }
}
