/// Leaks of one category with the same fingerprint: a thousand identical rings are one
/// group whose ``count`` is a thousand.
public struct LeakGroup: Sendable {
    public var category: LeakCategory
    /// 16 hex digits: FNV-1a 64 of what makes two leaks the same (docs/leak-report.md).
    public var fingerprint: String
    /// Leaks in the group: rings, watched objects, or new objects of a growing type (not
    /// the number of objects they hold).
    public var count: Int
    /// Type names involved, sorted.
    public var types: [String]
    /// Total shallow size of the leaks themselves (for growth: the bytes the type gained).
    public var bytes: Int
    /// Total size the leaks keep alive, themselves included.
    public var retainedBytes: Int
    /// One example cycle as text (`Node.next → Node.prev → Node`), for cycles.
    public var exampleCycle: String?
    /// The shortest strong path from a root to an example, when a root reaches it.
    public var trace: LeakTrace?
    /// The nodes of one example leak (its ring, or its trace), for drawing.
    public var exampleNodes: [Int]
    /// Ids of a few of the group's leaks, one per leak (a ring's first member, the watched
    /// object, a new object of a growing type), at most ``LeakGroup/exampleIDLimit``: what
    /// `heapgraph show --id` and `backrefs --id` take to follow one up.
    public var exampleIDs: [UInt64] = []
    /// What the host said of a watched object.
    public var description: String?
    /// Anything else worth saying (a watched object found in cyclic garbage, how much a
    /// type grew per step).
    public var note: String?
    /// Other categories the group's objects also fit; they are counted in this group only
    /// (``LeakCategory`` gives the precedence).
    public var alsoFits: [LeakCategory] = []
    /// For a cycle: the reference in ``exampleCycle`` that closes it (`app.Socket.connection`),
    /// LeakCanary's suspect reference.
    public var suspectReference: String?
    /// Where the example object was allocated ("leaky.py:12"), when the snapshot recorded
    /// it (`SnapshotMetadata.allocationSite(of:)`).
    public var allocationSite: String?

    public init(category: LeakCategory, fingerprint: String, count: Int, types: [String], bytes: Int,
                retainedBytes: Int, exampleCycle: String? = nil, trace: LeakTrace? = nil,
                exampleNodes: [Int] = [], description: String? = nil, note: String? = nil,
                allocationSite: String? = nil) {
        self.category = category
        self.fingerprint = fingerprint
        self.count = count
        self.types = types
        self.bytes = bytes
        self.retainedBytes = retainedBytes
        self.exampleCycle = exampleCycle
        self.trace = trace
        self.exampleNodes = exampleNodes
        self.description = description
        self.note = note
        self.allocationSite = allocationSite
    }
}

extension LeakGroup {
    /// At most this many example ids per group.
    public static let exampleIDLimit = 5

    /// Adds `id` to ``exampleIDs`` unless it already has ``exampleIDLimit``.
    mutating func addExample(id: UInt64) {
        if exampleIDs.count < Self.exampleIDLimit { exampleIDs.append(id) }
    }

    /// Counts one more leak of this group: its example id (``addExample(id:)``), its bytes
    /// and the bytes it retains.
    mutating func addMember(id: UInt64, bytes: Int, retainedBytes: Int) {
        addExample(id: id)
        count += 1
        self.bytes += bytes
        self.retainedBytes += retainedBytes
    }
}
