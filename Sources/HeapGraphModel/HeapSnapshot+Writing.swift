import HeapGraphFormat

extension HeapSnapshot {
    /// Writes the graph as a `.heapgraph` file at `path` (created, or truncated), through the
    /// format's `SnapshotWriter`: what ``init(contentsOf:)`` reads back as the same graph,
    /// whatever the graph came from (a V8 snapshot, a live heap, the builder).
    /// - Complexity: O(nodes + edges + strings); the records stream through the writer's
    ///   buffers, with 4 bytes per string (their indexes in the file) beside the graph.
    public func writeHeapgraph(to path: String) throws(SnapshotWriteError) {
        var writer = try SnapshotWriter(path: path)
        defer { writer.close() }
        try write(into: &writer)
    }

    /// Writes the graph as a `.heapgraph` file into an open, empty, seekable file (the
    /// header goes in at offset 0 last); `name` names it in errors. The descriptor stays open.
    public func writeHeapgraph(toDescriptor descriptor: Int32, name: String) throws(SnapshotWriteError) {
        var writer = try SnapshotWriter(descriptor: descriptor, name: name)
        defer { writer.close() }
        try write(into: &writer)
    }

    private func write(into writer: inout SnapshotWriter) throws(SnapshotWriteError) {
        // The file's string table is the graph's, each string once.
        var fileIndex = [UInt32]()
        fileIndex.reserveCapacity(strings.count)
        for text in strings { fileIndex.append(writer.intern(text)) }
        for node in 0..<nodeCount {
            try writer.appendNode(SnapshotNodeRecord(
                id: ids[node], referenceCount: Int64(referenceCounts[node]), typeName: fileIndex[Int(typeIndices[node])],
                valueLabel: valueLabels[node] == SnapshotFormat.noString ? SnapshotFormat.noString : fileIndex[Int(valueLabels[node])],
                shallowSize: shallowSizes[node], externalCount: externalCounts[node],
                edgeCount: edgeStart[node + 1] - edgeStart[node], generation: generations[node],
                flags: NodeFlags(rawValue: nodeFlags[node]), kind: NodeKind(rawValue: nodeKinds[node]) ?? .object))
        }
        for edge in 0..<edgeCount {
            let label = PackedEdgeLabel(code: edgeCodes[edge], payload: edgeValues[edge])
            let namedByString = switch label.kind {
            case .named, .closureVariable, .shortcut: true
            case .key, .attribute: label.nameIsText
            case .none, .index, .dictKey, .hidden: false
            }
            try writer.appendEdge(target: edgeTargets[edge], kind: label.kindByte,
                                  value: namedByString ? fileIndex[Int(label.payload)] : label.payload)
        }
        for root in roots { writer.appendRoot(node: root.node, name: root.name, category: root.category) }
        // A .heapgraph file's own metadata is kept as it was (its counts are the same);
        // any other source's is written afresh with what the graph knows.
        let metadata = self.metadata
        try writer.finish { nodes, edges in
            if metadata.json.contains("\"format\":\"heapgraph\"") { return metadata.json }
            return HeapGraphBuilder.metadataJSON(metadata, nodes: nodes, edges: edges, producer: metadata.producer ?? "HeapGraphModel")
        }
    }
}
