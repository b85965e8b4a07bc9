/// The heap's allocation-site record: site names, the site being allocated at now, and the
/// site of each live container allocated while recording was on, keyed by address (a
/// snapshot writes each object's serial id, ``Heap/snapshotID(of:)``, in its place).
///
/// Off (no current site, nothing recorded), it costs one load and a predictable branch per
/// container allocation and per container death. On, each container allocation inserts
/// into `sites` and each death of a recorded one removes from it: a hash-table insert and
/// removal, and about 40 bytes per live recorded object.
@usableFromInline
struct AllocationSiteTable {
    /// The site new containers get; 0 while recording is off.
    @usableFromInline var current: UInt32 = 0
    /// Whether any object may have a site: checked when a container dies.
    @usableFromInline var hasEntries = false
    /// Site names by index; index 0 is unused.
    var names: [String] = [""]
    var indexByName: [String: UInt32] = [:]
    @usableFromInline var sites: [UnsafeMutableRawPointer: UInt32] = [:]

    mutating func intern(_ name: String) -> UInt32 {
        if let index = indexByName[name] { return index }
        let index = UInt32(names.count)
        names.append(name)
        indexByName[name] = index
        return index
    }

    @usableFromInline @inline(never)
    mutating func record(_ object: UnsafeMutableRawPointer) {
        sites[object] = current
        hasEntries = true
    }

    @usableFromInline @inline(never)
    mutating func forget(_ object: UnsafeMutableRawPointer) {
        sites.removeValue(forKey: object)
    }
}
