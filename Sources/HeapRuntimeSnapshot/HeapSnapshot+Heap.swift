#if canImport(Glibc)
import Glibc
#endif
import HeapGraphFormat
import HeapGraphModel
import HeapRuntime

// The bridge between a live HeapRuntime heap and the compact graph: the one module that
// depends on both, so that the graph (and the command line, which only reads files) never
// links the runtime.

extension HeapSnapshot {
    /// The same compact graph, taken from a live heap without going through a file.
    /// - Complexity: O(objects + references).
    public init(heap: Heap, tag: String = "") {
        var strings = SnapshotStrings()
        var typeNames = SnapshotTypeNames()
        var ids: [UInt64] = [], referenceCounts: [UInt32] = [], typeIndices: [UInt32] = [], valueLabels: [UInt32] = []
        var shallowSizes: [UInt32] = [], externalCounts: [Int32] = [], generations: [UInt8] = [], nodeFlags: [UInt8] = []
        var edgeStart: [UInt32] = [0], edgeTargets: [UInt32] = [], edgeCodes: [UInt8] = [], edgeValues: [UInt32] = []
        var nodeKinds: [UInt8] = []
        var roots: [Root] = []
        heap.withSnapshotView { view in
            for ordinal in 0..<view.count {
                let node = view.node(ordinal)
                ids.append(node.id)
                referenceCounts.append(UInt32(clamping: node.referenceCount))
                typeIndices.append(typeNames.typeIndex(of: ordinal, in: view, strings: &strings))
                valueLabels.append(node.valueLabel.map { strings.intern($0) } ?? SnapshotFormat.noString)
                shallowSizes.append(UInt32(clamping: node.shallowSize))
                externalCounts.append(Int32(clamping: node.externalCount))
                generations.append(node.generation)
                nodeFlags.append(node.flags.rawValue)
                nodeKinds.append(node.kind.rawValue)
                view.forEachEncodedEdge(of: ordinal, intern: { strings.intern($0) }) { target, kind, value in
                    edgeTargets.append(target)
                    let label = PackedEdgeLabel(kindByte: kind, value: value)
                    edgeCodes.append(label?.code ?? 0)
                    edgeValues.append(label?.payload ?? 0)
                }
                edgeStart.append(UInt32(edgeTargets.count))
            }
            if let garbage = view.garbageListOrdinal { roots.append(Root(node: garbage, name: "gc.garbage", category: .garbage)) }
        }
        var metadata = SnapshotMetadata()
        metadata.tag = tag
        metadata.producer = "HeapRuntime (live)"
        metadata.runtime = "HeapRuntime"
        // Which heap: a report compares it object by object only with snapshots of this heap.
        metadata.pid = Int(getpid())
        metadata.heapIdentity = heap.snapshotIdentity
        metadata.garbageListID = heap.garbageListSnapshotID
        metadata.watched = Dictionary(heap.retainedObjects(collectingFirst: false).map {
            (heap.snapshotID(of: $0.object), $0.description)
        }, uniquingKeysWith: { first, _ in first })
        var siteIndexByName: [String: Int] = [:]
        for (id, site) in heap.allocationSitesByObjectID() {
            let index = siteIndexByName[site] ?? {
                metadata.allocationSiteNames.append(site)
                siteIndexByName[site] = metadata.allocationSiteNames.count - 1
                return metadata.allocationSiteNames.count - 1
            }()
            metadata.allocationSiteIndexes[id] = index
        }
        self.init(strings: strings.strings, metadata: metadata, ids: ids, referenceCounts: referenceCounts, typeIndices: typeIndices,
                  valueLabels: valueLabels, shallowSizes: shallowSizes, externalCounts: externalCounts,
                  generations: generations, nodeFlags: nodeFlags, nodeKinds: nodeKinds, roots: roots,
                  edgeStart: edgeStart, edgeTargets: edgeTargets, edgeCodes: edgeCodes, edgeValues: edgeValues)
    }
}
