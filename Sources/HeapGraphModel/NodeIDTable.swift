/// Node id → ordinal, for files whose edges and roots name nodes by id
/// (`SnapshotFormat.NodeReferences.ids`): an open-addressing table with linear probing.
///
/// Ids are addresses in the CPython dumper's files (multiples of 16, clustered), so they are
/// mixed by a Fibonacci multiply before taking the top bits. The table is at most half full:
/// 2 slots a node, 12 bytes each (24 bytes a node while the file is read).
struct NodeIDTable {
    private var keys: [UInt64]
    /// The ordinal + 1 in each slot; 0 marks an empty slot.
    private var slots: [UInt32]
    private let shift: UInt64
    private let mask: Int

    /// A table for `ids`, or the first two nodes that share an id.
    /// - Complexity: O(n) expected.
    static func build(_ ids: [UInt64]) -> Result<NodeIDTable, DuplicateNodeID> {
        var table = NodeIDTable(capacityFor: ids.count)
        for (ordinal, id) in ids.enumerated() {
            if let earlier = table.insert(id, ordinal: UInt32(ordinal)) {
                return .failure(DuplicateNodeID(first: Int(earlier), second: ordinal))
            }
        }
        return .success(table)
    }

    private init(capacityFor count: Int) {
        var bits = 4
        while (1 << bits) < 2 * count { bits += 1 }
        keys = [UInt64](repeating: 0, count: 1 << bits)
        slots = [UInt32](repeating: 0, count: 1 << bits)
        shift = UInt64(64 - bits)
        mask = (1 << bits) - 1
    }

    @inline(__always)
    private func home(_ id: UInt64) -> Int { Int(truncatingIfNeeded: (id &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// Inserts `id`; returns the ordinal already there when it was present.
    private mutating func insert(_ id: UInt64, ordinal: UInt32) -> UInt32? {
        var slot = home(id)
        while slots[slot] != 0 {
            if keys[slot] == id { return slots[slot] - 1 }
            slot = (slot + 1) & mask
        }
        keys[slot] = id
        slots[slot] = ordinal + 1
        return nil
    }

    /// The ordinal of the node with `id`, or nil when no node has it.
    @inline(__always)
    func ordinal(of id: UInt64) -> UInt32? {
        var slot = home(id)
        while slots[slot] != 0 {
            if keys[slot] == id { return slots[slot] - 1 }
            slot = (slot + 1) & mask
        }
        return nil
    }
}

/// Two nodes of a file of ids with the same id.
struct DuplicateNodeID: Error {
    var first: Int
    var second: Int
}
