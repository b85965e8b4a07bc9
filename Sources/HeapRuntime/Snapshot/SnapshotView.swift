import HeapGraphFormat

/// A numbered, read-only view of every live object, for writing snapshots and building
/// compact graphs (see docs/snapshot-format.md). Made by ``Heap/withSnapshotView(_:)``.
///
/// Objects are numbered 0..<count ("ordinals"); edges name their targets by ordinal.
public struct SnapshotView {
    let core: UnsafeMutablePointer<HeapCore>
    let objects: [UnsafeMutableRawPointer]
    let counts: [Int]
    let generations: [UInt8]
    let heldInside: [UInt32]
    /// Outgoing edges per object, counted during the walk that opened the view.
    let edgeCounts: [UInt32]
    /// The objects in `gc.garbage`, so nodes can carry the in-garbage flag.
    let garbage: Set<UnsafeMutableRawPointer>

    /// Number of objects.
    public var count: Int { objects.count }

    /// Node flags, as the snapshot format stores them.
    public typealias Flags = NodeFlags

    /// Everything a snapshot records of one object.
    public struct Node {
        /// The object's serial number (``Heap/snapshotID(of:)``), not its address.
        public var id: UInt64
        public var shallowSize: Int
        public var referenceCount: Int
        /// References held from outside the heap: the count minus references from objects.
        public var externalCount: Int
        /// 0, 1, 2; 3 for the permanent generation; 255 when untracked.
        public var generation: UInt8
        public var flags: Flags
        /// For str, bytes, int, float, bool, None and classes: objgraph's short label
        /// (repr cut to 40 characters, or the class name); nil for the rest.
        public var valueLabel: String?
        /// What the object is, beside its type name.
        public var kind: NodeKind
    }

    /// How an edge is labelled, by ordinals where the label is itself an object.
    public typealias Label = EdgeLabelOf<LabelName>

    /// The ordinal of `gc.garbage`, when the heap has that list and it is in the view: a
    /// named root.
    public var garbageListOrdinal: Int? {
        guard let list = core.pointee.collector.garbage, objects.count > 0 else { return nil }
        let ordinal = Self.ordinal(of: list)
        return ordinal >= 0 && ordinal < objects.count && objects[ordinal] == list ? ordinal : nil
    }

    /// The object numbered `ordinal`.
    public func object(_ ordinal: Int) -> ObjectRef { ObjectRef(objects[ordinal]) }

    /// What a snapshot records of object `ordinal` (its type name: ``typeName(_:)``, or
    /// ``SnapshotTypeNames/typeIndex(of:in:strings:)`` to intern it by type).
    public func node(_ ordinal: Int) -> Node {
        let object = objects[ordinal]
        let info = object.field(8, as: UnsafeMutablePointer<TypeInfo>.self)
        let count = counts[ordinal]
        var flags: Flags = []
        if info.pointee.isContainer {
            let word = object.gcPreviousRaw
            if object.isTracked { flags.insert(.tracked) }
            if word & GCFlags.finalized != 0 { flags.insert(.finalized) }
            if let finalizer = core.finalizer(of: object) {
                flags.insert(.hasFinalizer)
                if finalizer.kind == .legacy { flags.insert(.legacyFinalizer) }
            }
            if !core.pointee.watches.isEmpty && core.pointee.watches[object] != nil { flags.insert(.watched) }
        }
        if info.pointee.kind == .weakref { flags.insert(.weakReference) }
        if !garbage.isEmpty && garbage.contains(object) { flags.insert(.inGarbage) }
        if count >= HeapCore.immortalCount / 2 { flags.insert(.immortal) }
        var label: String? = nil
        switch info.pointee.kind {
        case .str, .bytes, .int, .float, .bool, .none:
            label = String(ValueSemantics.atomRepr(object, core: core).prefix(40))
        case .class:
            label = core.pointee.className(object)
        case .host:
            // The host's repr, as objgraph labels any object it cannot count items of.
            label = String(core.hostRepr(object).prefix(40))
        default:
            break
        }
        return Node(id: core.snapshotSerial(of: object),
                    shallowSize: HeapCore.shallowSize(object), referenceCount: count,
                    externalCount: flags.contains(.immortal) ? 0 : count - Int(heldInside[ordinal]),
                    generation: generations[ordinal], flags: flags, valueLabel: label,
                    kind: Self.nodeKind(info.pointee.kind))
    }

    static func nodeKind(_ kind: ObjectKind) -> NodeKind {
        switch kind {
        case .tuple, .list, .set: .array
        case .str, .bytes: .string
        case .bool, .int, .float: .number
        case .dict: .dictionary
        case .class: .type
        case .none, .instance, .weakref, .host: .object
        }
    }

    /// A key identifying the object's type name cheaply: equal keys, equal names (the
    /// type's descriptor, or an instance's class). For caching names by type.
    public func typeKey(_ ordinal: Int) -> UInt {
        let object = objects[ordinal]
        let info = object.field(8, as: UnsafeMutablePointer<TypeInfo>.self)
        if info.pointee.kind == .instance { return UInt(bitPattern: object.field(Layout.instanceClass, as: UnsafeMutableRawPointer.self)) }
        return UInt(bitPattern: info)
    }

    /// The type name for `typeKey(ordinal)`.
    public func typeName(_ ordinal: Int) -> String { core.pointee.typeName(of: objects[ordinal]) }

    /// Number of outgoing edges of object `ordinal` (as `forEachEdge` gives them), without
    /// making labels.
    public func edgeCount(of ordinal: Int) -> Int { Int(edgeCounts[ordinal]) }

    /// Calls `body` for each outgoing edge of object `ordinal`: target ordinal, label (keys
    /// and attribute names by ordinal, a host's by text), whether it is weak. Weak edges
    /// point at objects that are always in the view.
    /// - Complexity: O(edges of the object).
    public func forEachEdge(of ordinal: Int, _ body: (Int, Label, Bool) -> Void) {
        let object = objects[ordinal]
        HeapCore.forEachLabelledReferent(object, core: core) { target, label, weak in
            let named: Label = label.map { name in
                switch name {
                case .object(let object): .node(Self.ordinal(of: object))
                case .text(let text): .text(text)
                }
            }
            body(Self.ordinal(of: target), named, weak)
        }
    }

    /// The edges of object `ordinal` already in the file's encoding (target ordinal, kind
    /// byte with the weak and text-name bits, label value), lists and tuples without
    /// building labels — the snapshot writer's inner loop.
    public func forEachEncodedEdge(of ordinal: Int, intern: (String) -> UInt32, _ body: (UInt32, UInt8, UInt32) -> Void) {
        let object = objects[ordinal]
        let kind = object.field(8, as: UnsafeMutablePointer<TypeInfo>.self).pointee.kind
        if kind == .list || kind == .tuple {
            let (items, count) = ValueSemantics.sequence(object)
            for i in 0..<count {
                body(UInt32(truncatingIfNeeded: Self.ordinal(of: items[i])), SnapshotFormat.EdgeKind.index.rawValue, UInt32(clamping: i))
            }
            return
        }
        forEachEdge(of: ordinal) { target, label, weak in
            let (kindByte, value) = label.encoded(intern)
            body(UInt32(truncatingIfNeeded: target), kindByte | (weak ? SnapshotFormat.weakBit : 0), value)
        }
    }

    /// While a view is open, every object's count field holds its ordinal.
    static func ordinal(of object: UnsafeMutableRawPointer) -> Int { object.field(0, as: Int.self) }

    /// Objects whose referents are touched together (see `touchReferents(of:)`).
    public static let touchBatch = 64

    /// Loads the first word of every referent of `objects`, before the real pass over them.
    ///
    /// The walks over every reference (counting references held inside, writing edge
    /// records) read each target's header at random: one cache miss per reference, and
    /// done one after another they serialise on memory latency. Loading a batch's targets
    /// first, in a loop whose loads do not depend on each other, lets the processor keep
    /// many misses in flight; the real pass then finds the lines in cache. (Swift has no
    /// prefetch instruction; independent loads are the portable way to get the overlap.)
    @inline(__always)
    static func touchReferents(of objects: ArraySlice<UnsafeMutableRawPointer>) {
        var sum = 0
        for object in objects {
            HeapCore.forEachReferent(object) { sum &+= $0.field(0, as: Int.self) }
        }
        keep(sum)
    }

    /// Keeps `value` alive so the loads that made it are not optimised away.
    @inline(never)
    static func keep(_ value: Int) { if value == 0x5EED_F00D_5EED { print("", terminator: "") } }

    /// `touchReferents(of:)` for the objects numbered `range`, for the snapshot writer.
    public func touchReferents(ofOrdinals range: Range<Int>) {
        SnapshotView.touchReferents(of: objects[range])
    }
}

extension Heap {
    /// Opens a numbered view of every live object for `body`: the ``objectCount`` objects
    /// minus the singletons (None, True, False, the small ints), which are in the view only
    /// when an object refers to them, flagged immortal.
    ///
    /// While `body` runs, the heap must not be used: each object's count field holds its
    /// ordinal (counts are saved and restored), which makes finding an edge's target O(1)
    /// without a table the size of the heap. Objects are in the order of ``allObjects()``
    /// (tracked objects generation by generation, then what they reach, breadth first),
    /// followed by the objects only the host holds, in the allocator's order (see
    /// `PoolAllocator.forEachObjectBlock`), and the singletons those refer to.
    ///
    /// - Complexity: O(objects + references) to open, plus 8 + 8 + 4 + 1 bytes per object;
    ///   when the host holds objects no tracked object reaches, O(pools + object blocks) more.
    public func withSnapshotView<Result>(_ body: (SnapshotView) throws -> Result) rethrows -> Result {
        // Tracked objects are numbered first, generation by generation: each one's ordinal is
        // written into its count field (counts saved first), so an edge's target is found in
        // O(1) with no table the size of the heap.
        var objects: [UnsafeMutableRawPointer] = []
        var counts: [Int] = []
        var generations: [UInt8] = []
        // Every object is an allocated block, so the blocks in use bound the count: reserving
        // that much spares the arrays their regrowth copies, and the pages never written are
        // never touched.
        let stats = allocatorStats()
        let bound = stats.blocksInUse + stats.largeBlocks + 1024
        objects.reserveCapacity(bound)
        var edgeCounts: [UInt32] = []
        edgeCounts.reserveCapacity(bound)
        counts.reserveCapacity(bound)
        generations.reserveCapacity(bound)
        for g in 0...HeapCore.generationCount {
            let head = core.pointee.generationHeads[g]
            var object = GCList.next(head)
            while object != head {
                counts.append(object.field(0, as: Int.self))
                object.setField(0, objects.count)
                objects.append(object)
                generations.append(UInt8(g))
                object = GCList.next(object)
            }
        }
        defer { for (i, object) in objects.enumerated() { object.setField(0, counts[i]) } }
        // One walk over every reference finds what the tracked objects reach outside the
        // lists (numbered after them, breadth first) and counts the references held inside
        // the heap. Both read the same cache line of each target, which is what the walk
        // costs at this size. The counters are a raw buffer: arrays captured by the
        // traversal's closure paid for uniqueness checks on every reference.
        var untracked = Set<UnsafeMutableRawPointer>()
        var heldCapacity = objects.count + objects.count / 8 + 16
        var held = UnsafeMutablePointer<UInt32>.allocate(capacity: heldCapacity)
        held.initialize(repeating: 0, count: heldCapacity)
        defer { held.deallocate() }
        var index = 0
        var touchedUpTo = 0
        // Singletons numbered so far: the only objects `liveObjects` does not count.
        var singletons = 0
        var walkedAllocator = false
        while true {
            if index == objects.count {
                // Objects that only the host holds (an untracked dict of atoms, an int in a
                // Swift variable) are on no list and reached by nothing numbered: when the
                // numbered objects fall short of the live count, the allocator's object
                // blocks give the rest. Their referents are numbered already, singletons
                // apart, which this loop picks up. (A static function with `inout`
                // arguments: a local function capturing these arrays made opening the view
                // 60% slower even when it never ran, 0.51 -> 0.82 s for 3M lists.)
                if walkedAllocator || objects.count - singletons == core.pointee.liveObjects { break }
                walkedAllocator = true
                SnapshotView.appendObjectsOnlyTheHostHolds(core, &objects, &counts, &generations, &untracked)
                if objects.count > heldCapacity {
                    let capacity = max(objects.count, heldCapacity * 2)
                    let grown = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
                    grown.moveInitialize(from: held, count: heldCapacity)
                    (grown + heldCapacity).initialize(repeating: 0, count: capacity - heldCapacity)
                    held.deallocate()
                    held = grown
                    heldCapacity = capacity
                }
                if index == objects.count { break }
            }
            if index >= touchedUpTo {
                touchedUpTo = min(objects.count, index + SnapshotView.touchBatch)
                // The targets' headers, and then their counters in `held` (another random
                // access into a table larger than the cache). A target not numbered yet
                // holds its count, not an ordinal: clamped, the load stays in bounds.
                var sum = 0
                let last = UInt(heldCapacity - 1)
                for object in objects[index..<touchedUpTo] {
                    HeapCore.forEachReferent(object) { referent in
                        sum &+= Int(held[Int(min(UInt(bitPattern: referent.field(0, as: Int.self)), last))])
                    }
                }
                SnapshotView.keep(sum)
            }
            var edges: UInt32 = 0
            HeapCore.forEachReferent(objects[index]) { referent in
                edges &+= 1
                if !referent.isTrackedContainer && untracked.insert(referent).inserted {
                    if referent.field(0, as: Int.self) >= HeapCore.immortalCount / 2 { singletons += 1 }
                    counts.append(referent.field(0, as: Int.self))
                    referent.setField(0, objects.count)
                    objects.append(referent)
                    generations.append(255)
                    if objects.count > heldCapacity {
                        let grown = UnsafeMutablePointer<UInt32>.allocate(capacity: heldCapacity * 2)
                        grown.moveInitialize(from: held, count: heldCapacity)
                        (grown + heldCapacity).initialize(repeating: 0, count: heldCapacity)
                        held.deallocate()
                        held = grown
                        heldCapacity *= 2
                    }
                }
                held[SnapshotView.ordinal(of: referent)] &+= 1
            }
            // A weak reference's referent is an edge too (a weak one, not counted as held).
            let object = objects[index]
            if object.field(8, as: UnsafeMutablePointer<TypeInfo>.self).pointee.kind == .weakref,
               object.field(Layout.weakReferent, as: UnsafeMutableRawPointer?.self) != nil {
                edges &+= 1
            }
            edgeCounts.append(edges)
            index += 1
        }
        let heldInside = Array(UnsafeBufferPointer(start: held, count: objects.count))
        var garbage = Set<UnsafeMutableRawPointer>()
        if let list = core.pointee.collector.garbage {
            let (items, count) = ValueSemantics.sequence(list)
            for i in 0..<count { garbage.insert(items[i]) }
        }
        return try body(SnapshotView(core: core, objects: objects, counts: counts, generations: generations,
                                     heldInside: heldInside, edgeCounts: edgeCounts, garbage: garbage))
    }
}

extension SnapshotView {
    /// Numbers the live objects no list holds and nothing numbered reaches, in the
    /// allocator's order (see `PoolAllocator.forEachObjectBlock`). Singletons that nothing
    /// refers to stay out. Numbered objects hold ordinals in their count field, so a tracked
    /// object (numbered from the lists) or one in `numbered` is skipped by those, not by it.
    static func appendObjectsOnlyTheHostHolds(_ core: UnsafeMutablePointer<HeapCore>,
                                               _ objects: inout [UnsafeMutableRawPointer], _ counts: inout [Int],
                                               _ generations: inout [UInt8],
                                               _ numbered: inout Set<UnsafeMutableRawPointer>) {
        core.pointee.allocator.forEachObjectBlock { block, contents in
            let object = contents == .container ? block + Layout.gcHeadSize : block
            if contents == .container && object.isTracked { return }
            if object.field(0, as: Int.self) >= HeapCore.immortalCount / 2 || !numbered.insert(object).inserted { return }
            counts.append(object.field(0, as: Int.self))
            object.setField(0, objects.count)
            objects.append(object)
            generations.append(255)
        }
    }
}

/// Type names of a snapshot's nodes, looked up by type rather than by text (most neighbours
/// share a type) and interned into the snapshot's string table.
public struct SnapshotTypeNames {
    private var typeIndexes: [UInt: UInt32] = [:]
    private var lastType: (key: UInt, index: UInt32)? = nil

    public init() {}

    /// The string index of object `ordinal`'s type name in `strings`.
    public mutating func typeIndex(of ordinal: Int, in view: SnapshotView, strings: inout SnapshotStrings) -> UInt32 {
        let key = view.typeKey(ordinal)
        if let last = lastType, last.key == key { return last.index }
        let found: UInt32
        if let known = typeIndexes[key] {
            found = known
        } else {
            found = strings.intern(view.typeName(ordinal))
            typeIndexes[key] = found
        }
        lastType = (key, found)
        return found
    }
}
