/// The `.heapgraph` file format. docs/snapshot-format.md specifies it; this is the one place
/// its numbers live, for every writer and the reader.
public enum SnapshotFormat {
    public static let magic: [UInt8] = Array("HEAPGRPH".utf8)
    /// The version writers write.
    public static let version: UInt32 = 1
    /// The versions the reader reads.
    public static let readableVersions: ClosedRange<UInt32> = 1...1
    public static let headerSize = 128
    public static let nodeRecordSize = 48
    public static let edgeRecordSize = 12
    /// "No string" in a node's value-label field.
    public static let noString: UInt32 = 0xFFFF_FFFF

    /// Edge kinds (the low 7 bits of an edge's kind byte; bit 7 marks a weak edge). What the
    /// label value means depends on the kind; ``EdgeLabelOf`` is the same model with its values.
    public enum EdgeKind: UInt8, Sendable, CaseIterable {
        /// Nothing to say (a set element); value 0.
        case none = 0
        /// A list or tuple item; value: the index.
        case index = 1
        /// From a dict (or an attribute table) to a key object; value 0.
        case dictKey = 2
        /// From a dict to a value; value: the key node's ordinal.
        case key = 3
        /// From an object to an attribute's value; value: the name's str node.
        case attribute = 4
        /// A fixed or host-given name (`__class__`, a host label); value: a string index.
        case named = 5
    }
    /// The weak-edge bit of an edge record's kind byte.
    public static let weakBit: UInt8 = 0x80

    /// The checksum of the bytes after the header: FNV-1a over 64-bit little-endian words
    /// (the last word zero-padded), then `h ^ (h >> 29)`.
    public struct Checksum: Sendable {
        public private(set) var state: UInt64 = 0xcbf2_9ce4_8422_2325
        var pending: UInt64 = 0
        var pendingBytes = 0

        public init() {}

        /// Adds `bytes` (any length: a partial word waits for the next call).
        /// - Complexity: O(bytes).
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
