extension HeapSnapshot {
    /// The bytes the graph holds in memory: every column at its capacity, the root index,
    /// and the string table (each `String`'s 16 bytes, plus its UTF-8 bytes and a 32-byte
    /// allocation header when they do not fit inline). What benchmarks compare a reader's
    /// peak memory with.
    /// - Complexity: O(strings).
    public var memoryBytes: Int {
        func bytes<T>(_ column: [T]) -> Int { column.capacity * MemoryLayout<T>.stride }
        var total = bytes(ids) + bytes(referenceCounts) + bytes(typeIndices) + bytes(valueLabels) + bytes(shallowSizes)
        total += bytes(externalCounts) + bytes(generations) + bytes(nodeFlags) + bytes(nodeKinds) + bytes(rootIndex)
        total += bytes(edgeStart) + bytes(edgeTargets) + bytes(edgeCodes) + bytes(edgeValues)
        total += bytes(reverseStart) + bytes(reverseSources)
        total += bytes(strings)
        for text in strings where text.utf8.count > 15 { total += text.utf8.count + 32 }
        return total
    }
}
