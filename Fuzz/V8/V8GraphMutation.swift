// Graph-aware mutations of a V8 snapshot's text: edits of the `nodes` and `edges` arrays that
// keep the file valid (counts add up, targets are node offsets), so most mutated inputs reach
// graph building and DevTools' rules instead of stopping at the reader's checks. They assume
// the usual field order (type, name, id, self_size, edge_count first; edges as type,
// name_or_index, to_node), which every seed has.

/// A number array of the text: where it is and the values in it.
struct NumberArray {
    var range: Range<Int>          // from after `[` to `]`
    var values: [UInt64]

    /// The array after `"key"`, or nil when the text has none that parses.
    init?(key: String, in bytes: [UInt8]) {
        guard let keyStart = find(Array("\"\(key)\"".utf8), in: bytes),
              let open = bytes[keyStart...].firstIndex(of: UInt8(ascii: "[")),
              let close = bytes[open...].firstIndex(of: UInt8(ascii: "]")) else { return nil }
        var values: [UInt64] = []
        var current: UInt64?
        for byte in bytes[(open + 1)..<close] {
            if byte >= 0x30, byte <= 0x39 {
                current = (current ?? 0) &* 10 &+ UInt64(byte - 0x30)
            } else if byte == UInt8(ascii: ",") || byte == 0x20 || byte == 0x0A {
                if let value = current { values.append(value) }
                current = nil
            } else {
                return nil
            }
        }
        if let value = current { values.append(value) }
        range = (open + 1)..<close
        self.values = values
    }

    /// The array as text, one row of `width` numbers a line.
    func text(width: Int) -> [UInt8] {
        var out: [UInt8] = []
        for (index, value) in values.enumerated() {
            if index > 0 { out += Array((index % max(width, 1) == 0 ? ",\n" : ",").utf8) }
            out += Array(String(value).utf8)
        }
        return out
    }
}

private func find(_ needle: [UInt8], in bytes: [UInt8]) -> Int? {
    guard needle.count <= bytes.count else { return nil }
    for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
        if bytes[start..<(start + needle.count)].elementsEqual(needle) { return start }
    }
    return nil
}

/// Applies one to three graph edits to `bytes`; false when the text has no arrays to edit.
func mutateGraph(_ bytes: inout [UInt8], next random: (Int) -> Int) -> Bool {
    guard let fieldsStart = find(Array("\"node_fields\"".utf8), in: bytes),
          let fieldsEnd = bytes[fieldsStart...].firstIndex(of: UInt8(ascii: "]")),
          var nodes = NumberArray(key: "nodes", in: bytes), var edges = NumberArray(key: "edges", in: bytes) else { return false }
    let quotes = bytes[fieldsStart..<fieldsEnd].filter { $0 == UInt8(ascii: "\"") }.count
    let fields = quotes / 2 - 1   // the key's own quotes
    guard fields >= 5, nodes.values.count % fields == 0, edges.values.count % 3 == 0 else { return false }
    let nodeCount = nodes.values.count / fields, edgeCount = edges.values.count / 3
    guard nodeCount > 0 else { return false }
    for _ in 0...random(3) {
        switch random(7) {
        case 0 where edgeCount > 0:   // retarget an edge
            edges.values[random(edgeCount) * 3 + 2] = UInt64(random(nodeCount) * fields)
        case 1 where edgeCount > 0:   // another edge type (of the seeds' seven)
            edges.values[random(edgeCount) * 3] = UInt64(random(7))
        case 2 where edgeCount > 0:   // another name or index (the seeds have 34 strings)
            edges.values[random(edgeCount) * 3 + 1] = UInt64(random(34))
        case 3:                        // move one edge from a node to the next (the sum stays)
            let node = random(nodeCount)
            guard node + 1 < nodeCount, nodes.values[node * fields + 4] > 0 else { continue }
            nodes.values[node * fields + 4] -= 1
            nodes.values[(node + 1) * fields + 4] += 1
        case 4:                        // another node type (of the seeds' fifteen)
            nodes.values[random(nodeCount) * fields] = UInt64(random(15))
        case 5:                        // another name, or another id
            nodes.values[random(nodeCount) * fields + 1 + random(2)] = UInt64(random(34))
        default:                       // another size
            nodes.values[random(nodeCount) * fields + 3] = UInt64(random(3) == 0 ? Int(UInt32.max) : random(300))
        }
    }
    // The later array first, so the earlier range stays valid.
    let (first, second) = nodes.range.lowerBound < edges.range.lowerBound ? (nodes, edges) : (edges, nodes)
    bytes.replaceSubrange(second.range, with: second.text(width: second.range == nodes.range ? fields : 3))
    bytes.replaceSubrange(first.range, with: first.text(width: first.range == nodes.range ? fields : 3))
    return true
}
