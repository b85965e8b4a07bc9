/// Node id → ordinal, for files whose edges and roots name nodes by id
/// (`SnapshotFormat.NodeReferences.ids`): an open-addressing table with linear probing.
///
/// Ids are addresses in the CPython dumper's files (multiples of 16, clustered), so they are
/// mixed by a Fibonacci multiply, then mapped onto the slots by the high half of a full-width
/// multiply (no power-of-two rounding). 1.5 slots a node, 16 bytes each: 24 bytes a node while
/// the file is read; a hit costs about one cache miss, since a slot's id and ordinal share it.
///
/// The ids come from a file, so they could be chosen to collide: each table xors them with a
/// random key before mixing, so no file's ids can be made to pile up in one run of slots (which
/// would make reading it quadratic).
struct NodeIDTable {
    /// Slot i is `entries[2i]` (the id) and `entries[2i + 1]` (the ordinal + 1; 0 marks an
    /// empty slot): both in one cache line, so a lookup that hits costs one miss.
    private var entries: [UInt64]
    private let capacity: Int
    private let key = UInt64.random(in: .min ... .max)

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
        capacity = max(16, count + count / 2 + 1)
        entries = [UInt64](repeating: 0, count: 2 * capacity)
    }

    @inline(__always)
    private func home(_ id: UInt64) -> Int {
        Int(truncatingIfNeeded: ((id ^ key) &* 0x9E37_79B9_7F4A_7C15).multipliedFullWidth(by: UInt64(capacity)).high)
    }

    @inline(__always)
    private func next(_ slot: Int) -> Int { slot + 1 == capacity ? 0 : slot + 1 }

    /// Inserts `id`; returns the ordinal already there when it was present.
    private mutating func insert(_ id: UInt64, ordinal: UInt32) -> UInt32? {
        var slot = home(id)
        while entries[2 * slot + 1] != 0 {
            if entries[2 * slot] == id { return UInt32(truncatingIfNeeded: entries[2 * slot + 1] - 1) }
            slot = next(slot)
        }
        entries[2 * slot] = id
        entries[2 * slot + 1] = UInt64(ordinal) + 1
        return nil
    }

    /// The ordinal of the node with `id`, or nil when no node has it.
    @inline(__always)
    func ordinal(of id: UInt64) -> UInt32? {
        entries.withUnsafeBufferPointer { table in
            var slot = home(id)
            while table[2 * slot + 1] != 0 {
                if table[2 * slot] == id { return UInt32(truncatingIfNeeded: table[2 * slot + 1] - 1) }
                slot = next(slot)
            }
            return nil
        }
    }
}

/// Two nodes of a file of ids with the same id.
struct DuplicateNodeID: Error {
    var first: Int
    var second: Int
}
