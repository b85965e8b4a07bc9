#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HeapGraphFormat

extension Heap {
    /// Writes the whole object graph to a `.heapgraph` file (docs/snapshot-format.md):
    /// every visible object with its type, sizes, counts, generation and flags; every edge
    /// with its label and kind; a string table; and metadata (time, `tag`, the collector's
    /// thresholds, counts and statistics, the allocator's counters).
    ///
    /// Writing streams through the format's `SnapshotWriter` as the heap is walked, and
    /// no copy of the heap is built. The heap must not be used by another call meanwhile.
    ///
    /// - Complexity: O(objects + references); about 16 bytes per object of side tables.
    public func writeSnapshot(to path: String, tag: String = "") throws(SnapshotWriteError) {
        var file = try SnapshotWriter(path: path)
        defer { file.close() }
        let stats = allocatorStats()
        let collector = gc
        let (thresholds, counts, generationStats) = (collector.thresholds, collector.counts, collector.stats)
        var typeNames = SnapshotTypeNames()

        let result: Result<Void, SnapshotWriteError> = withSnapshotView { view in
            do throws(SnapshotWriteError) {
                guard view.count < Int(UInt32.max) else {
                    throw SnapshotWriteError(path: path, reason: "more than 4 billion objects")
                }
                for ordinal in 0..<view.count {
                    let typeIndex = typeNames.typeIndex(of: ordinal, in: view, strings: &file.strings)
                    let node = view.node(ordinal)
                    try file.appendNode(SnapshotNodeRecord(
                        id: node.id, referenceCount: Int64(node.referenceCount), typeName: typeIndex,
                        valueLabel: node.valueLabel.map { file.intern($0) } ?? SnapshotFormat.noString,
                        shallowSize: UInt32(clamping: node.shallowSize), externalCount: Int32(clamping: node.externalCount),
                        edgeCount: UInt32(view.edgeCount(of: ordinal)), generation: node.generation, flags: node.flags,
                        kind: node.kind))
                }
                if let garbage = view.garbageListOrdinal { file.appendRoot(node: garbage, name: "gc.garbage", category: .garbage) }
                for ordinal in 0..<view.count {
                    if ordinal % SnapshotView.touchBatch == 0 {
                        view.touchReferents(ofOrdinals: ordinal..<min(view.count, ordinal + SnapshotView.touchBatch))
                    }
                    // Room for all of a node's edges at once when they fit in the buffer;
                    // otherwise edge by edge.
                    let whole = try file.reserveEdges(view.edgeCount(of: ordinal))
                    var failure: SnapshotWriteError? = nil
                    view.forEachEncodedEdge(of: ordinal, intern: { file.intern($0) }) { target, kind, value in
                        if whole {
                            file.appendReservedEdge(target: target, kind: kind, value: value)
                        } else if failure == nil {
                            do throws(SnapshotWriteError) { try file.appendEdge(target: target, kind: kind, value: value) } catch { failure = error }
                        }
                    }
                    if let failure { throw failure }
                }
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
        try file.finish { nodes, edges in
            snapshotMetadataJSON(tag: tag, objects: nodes, edges: edges, thresholds: thresholds, counts: counts,
                                 generations: generationStats, allocator: stats)
        }
    }

    /// `,"allocationSites":{"sites":[NAME…],"objects":[ID,SITE,ID,SITE…]}` when some live
    /// object has a recorded site (SITE indexes `sites`), else nothing.
    func allocationSitesJSON() -> String {
        let table = core.pointee.allocationSites
        guard !table.sites.isEmpty else { return "" }
        let names = table.names.dropFirst().map { JSONText.quoted($0) }.joined(separator: ",")
        var objects = table.sites.map { (id: core.snapshotSerial(of: $0.key), site: $0.value - 1) }
        objects.sort { $0.id < $1.id }
        let pairs = objects.map { "\($0.id),\($0.site)" }.joined(separator: ",")
        return ",\"allocationSites\":{\"sites\":[\(names)],\"objects\":[\(pairs)]}"
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
            .map { (id: core.snapshotSerial(of: $0.key), description: $0.value.description) }
            .sorted { $0.id < $1.id }
            .map { "{\"id\":\($0.id),\"description\":\(JSONText.quoted($0.description))}" }
        // Which list is gc.garbage, so a report can name that root (only once it exists:
        // writing a snapshot must not create it).
        let garbage = core.pointee.collector.garbage.map { ",\"garbageList\":\(core.snapshotSerial(of: $0))" } ?? ""
        // Which process and heap wrote it, and the how-manyth snapshot of that heap it is:
        // a reader compares snapshots of one heap by object, of others by type only.
        core.pointee.snapshotsWritten += 1
        let origin = ",\"pid\":\(getpid()),\"heap\":\"\(snapshotIdentity)\",\"sequence\":\(core.pointee.snapshotsWritten)"
        return """
        {"format":"heapgraph","version":\(SnapshotFormat.version),"producer":"HeapRuntime","runtime":"HeapRuntime","time":"\(time)","tag":\(JSONText.quoted(tag)),\
        "objects":\(objects),"edges":\(edges),\
        "collector":{"enabled":\(gc.isEnabled),"thresholds":[\(thresholds.0),\(thresholds.1),\(thresholds.2)],\
        "counts":[\(counts.0),\(counts.1),\(counts.2)],"generations":[\(stats.joined(separator: ","))]},\
        "allocator":{"arenasAllocatedTotal":\(allocator.arenasAllocatedTotal),"arenasReclaimed":\(allocator.arenasReclaimed),\
        "arenasHighWater":\(allocator.arenasHighWater),"arenasCurrent":\(allocator.arenasCurrent),\
        "blocksInUse":\(allocator.blocksInUse),"bytesInAllocatedBlocks":\(allocator.bytesInAllocatedBlocks),\
        "largeBlocks":\(allocator.largeBlocks),"largeBytes":\(allocator.largeBytes)},\
        "watched":[\(watched.joined(separator: ","))]\(garbage)\(origin)\(allocationSitesJSON())}
        """
    }
}
