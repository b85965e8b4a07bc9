/// The state of one heap, kept in memory of its own and reached through a pointer.
///
/// Hot paths reach it as `UnsafeMutablePointer<HeapCore>`: a stored property of a class or
/// a global `var` would pay for dynamic exclusivity checks on every access (measured at
/// about 16 ns here), a pointer's `pointee` pays nothing. Every object's type points back
/// here, so an `OwnedRef` can release itself without carrying its heap.
@usableFromInline
struct HeapCore {
    @usableFromInline var allocator = PoolAllocator()

    /// Built-in types, indexed by `ObjectKind.rawValue`.
    @usableFromInline var builtinTypes: UnsafeMutablePointer<UnsafeMutablePointer<TypeInfo>>
    /// Registered host types, in registration order; they stay for the heap's life.
    var hostTypes: [HostTypeEntry] = []
    var hostTypeInfos: [UnsafeMutablePointer<TypeInfo>] = []

    // Singletons.
    @usableFromInline var noneObject: UnsafeMutableRawPointer
    @usableFromInline var trueObject: UnsafeMutableRawPointer
    @usableFromInline var falseObject: UnsafeMutableRawPointer
    /// −5…256, indexed by value + 5.
    @usableFromInline var smallInts: UnsafeMutablePointer<UnsafeMutableRawPointer>
    @inlinable static var smallIntMin: Int { -5 }
    @inlinable static var smallIntMax: Int { 256 }
    var internTable = InternTable()
    /// Per-class data that has no place in heap memory (finalizer closures, names).
    var classMetadata: [ClassMetadata?] = []
    var freeClassMetadata: [Int] = []
    /// First weak reference to each object that has any (the object's collector head has
    /// `GCFlags.hasWeakReferences` set), and the callbacks of weak references.
    var weakLists: [UnsafeMutableRawPointer: UnsafeMutableRawPointer] = [:]
    var weakCallbacks: [UnsafeMutableRawPointer: WeakReferenceCallback] = [:]
    /// Objects the host watches (they also carry `GCFlags.hasWeakReferences`, so their
    /// death is noticed on the path weak references already take).
    var watches: [UnsafeMutableRawPointer: WatchRecord] = [:]

    // The collector's lists: circular, doubly linked through the collector heads, each with
    // a sentinel. 0…2 are the generations, 3 the permanent generation.
    @usableFromInline var generationHeads: UnsafeMutablePointer<UnsafeMutableRawPointer>
    @inlinable static var generationCount: Int { 3 }
    @usableFromInline var collector = CollectorState()

    /// Containers whose count reached zero, waiting to be torn down, untracked and linked
    /// through the `prev` word of their collector heads. See `objectDied`.
    @usableFromInline static var deallocationNestingLimit: Int { 16 }
    @usableFromInline var pendingDeallocation: UnsafeMutableRawPointer? = nil
    /// How many deallocations are running, one inside another.
    @usableFromInline var deallocationDepth = 0
    @usableFromInline var isDraining: Bool { deallocationDepth > 0 }

    /// Owned handles alive now. When the `Heap` goes away while some remain, teardown waits
    /// for the last one, so a handle never touches freed memory.
    @usableFromInline var liveHandles = 0
    @usableFromInline var isOrphaned = false
    /// The `Heap` that owns this core, for finalizers; nil once it is gone.
    unowned(unsafe) var owner: Heap? = nil

    /// Snapshot requests (SIGUSR2) this heap has seen at a safe point; see SnapshotAtExit.swift.
    var snapshotRequestsServed = 0
    /// This heap's identity in snapshot metadata (`heap`), random so that two heaps, in one
    /// process or two, are never taken for one; and how many snapshots it has written
    /// (`sequence`), which orders snapshots taken within one second.
    let snapshotIdentity = UInt64.random(in: 1...UInt64.max)
    var snapshotsWritten = 0

    /// Count of live objects by kind, for quick totals and teardown checks.
    @usableFromInline var liveObjects = 0

    /// Where containers were allocated, when the host records it (Heap+AllocationSites.swift).
    @usableFromInline var allocationSites = AllocationSiteTable()

    init() {
        builtinTypes = .allocate(capacity: 16)
        generationHeads = .allocate(capacity: 4)
        smallInts = .allocate(capacity: Self.smallIntMax - Self.smallIntMin + 1)
        // Placeholders until `bootstrap` runs with a stable address for the core.
        noneObject = UnsafeMutableRawPointer(bitPattern: 16).unsafelyUnwrapped
        trueObject = noneObject
        falseObject = noneObject
    }

    /// Second phase of construction: needs `self`'s final address, which types point at.
    static func bootstrap(_ core: UnsafeMutablePointer<HeapCore>) {
        func makeType(_ kind: ObjectKind, _ name: String, container: Bool) -> UnsafeMutablePointer<TypeInfo> {
            let info = UnsafeMutablePointer<TypeInfo>.allocate(capacity: 1)
            info.initialize(to: TypeInfo(kind: kind, isContainer: container, heap: core, hostIndex: -1, name: name))
            return info
        }
        let names: [(ObjectKind, String, Bool)] = [
            (.none, "NoneType", false), (.bool, "bool", false), (.int, "int", false), (.float, "float", false),
            (.str, "str", false), (.bytes, "bytes", false), (.tuple, "tuple", true), (.list, "list", true),
            (.dict, "dict", true), (.set, "set", true), (.class, "type", true), (.instance, "object", true),
            (.weakref, "weakref", true), (.host, "host", true),
        ]
        for (kind, name, container) in names {
            (core.pointee.builtinTypes + Int(kind.rawValue)).initialize(to: makeType(kind, name, container: container))
        }
        for g in 0...Self.generationCount {
            let head = UnsafeMutableRawPointer.allocate(byteCount: Layout.sentinelBlockSize, alignment: 16)
            let sentinel = head + Layout.gcHeadSize  // an "object" address whose collector head is `head`
            (core.pointee.generationHeads + g).initialize(to: sentinel)
            sentinel.setGCNext(sentinel)
            sentinel.setGCPrevious(sentinel)
        }
        core.pointee.noneObject = core.pointee.allocateImmortal(.none, size: Layout.headerSize)
        core.pointee.trueObject = core.pointee.allocateImmortal(.bool, size: Layout.scalarSize)
        core.pointee.trueObject.setField(Layout.scalarValue, 1)
        core.pointee.falseObject = core.pointee.allocateImmortal(.bool, size: Layout.scalarSize)
        core.pointee.falseObject.setField(Layout.scalarValue, 0)
        for value in Self.smallIntMin...Self.smallIntMax {
            let object = core.pointee.allocateImmortal(.int, size: Layout.scalarSize)
            object.setField(Layout.scalarValue, value)
            (core.pointee.smallInts + (value - Self.smallIntMin)).initialize(to: object)
        }
    }

    /// Reference count given to singletons: far above anything a program reaches, so they
    /// never die, and recognisable to introspection as immortal (as in CPython 3.12).
    @inlinable static var immortalCount: Int { 1 << 40 }
    mutating func allocateImmortal(_ kind: ObjectKind, size: Int) -> UnsafeMutableRawPointer {
        let object = allocator.allocate(size, contents: .atom)
        object.setField(0, Self.immortalCount)
        object.setField(8, builtinTypes[Int(kind.rawValue)])
        return object
    }

    @inlinable @inline(__always)
    func type(_ kind: ObjectKind) -> UnsafeMutablePointer<TypeInfo> { builtinTypes[Int(kind.rawValue)] }

    @inlinable @inline(__always)
    func link(_ object: UnsafeMutableRawPointer, into head: UnsafeMutableRawPointer) {
        let last = head.gcPrevious
        object.setGCPreviousKeepingFlags(last)
        object.setGCNext(head)
        last.setGCNext(object)
        head.setGCPreviousKeepingFlags(object)
    }

    /// Takes a dying object out of its generation. Besides unlinking it drops the flags that
    /// only mean something inside a list (being collected, frozen), so an object a finalizer
    /// tracks again starts clean.
    @inline(__always)
    func untrackDying(_ object: UnsafeMutableRawPointer) {
        let next = object.gcNext.unsafelyUnwrapped
        let word = object.gcPreviousRaw
        let previous = UnsafeMutableRawPointer(bitPattern: word & ~UnsafeMutableRawPointer.gcFlagMask).unsafelyUnwrapped
        previous.setGCNext(next)
        next.setGCPreviousKeepingFlags(previous)
        object.setGCNext(nil)
        object.setGCPreviousRaw(word & (GCFlags.finalized | GCFlags.hasWeakReferences))
    }

    @inlinable @inline(__always)
    func unlink(_ object: UnsafeMutableRawPointer) {
        let next = object.gcNext.unsafelyUnwrapped
        let previous = object.gcPrevious
        previous.setGCNext(next)
        next.setGCPreviousKeepingFlags(previous)
        object.setGCNext(nil)
        object.setGCPreviousKeepingFlags(nil)
    }

    // MARK: - Reference counting

    @inlinable @inline(__always)
    static func checkLive(_ object: UnsafeMutableRawPointer) {
        let typeWord = object.field(8, as: UInt.self)
        if _slowPath(typeWord & Layout.freedBit != 0) { misuse(object, "use of a freed object") }
    }

    @inlinable @inline(__always)
    static func retain(_ object: UnsafeMutableRawPointer) {
        checkLive(object)
        object.setField(0, object.field(0, as: Int.self) &+ 1)
    }

    /// Drops one reference; at zero the object and whatever only it kept alive are freed.
    @inlinable @inline(__always)
    static func release(_ object: UnsafeMutableRawPointer) {
        checkLive(object)
        let count = object.field(0, as: Int.self) &- 1
        object.setField(0, count)
        if count == 0 {
            let core = object.field(8, as: UnsafeMutablePointer<TypeInfo>.self).pointee.heap
            core.objectDied(object)
        } else if _slowPath(count < 0) {
            misuse(object, "over-release (reference count below zero)")
        }
    }

    // MARK: - Misuse

    @usableFromInline @inline(never)
    static func misuse(_ object: UnsafeMutableRawPointer, _ what: String) -> Never {
        let typeWord = object.field(8, as: UInt.self)
        let name: String
        if let info = UnsafeMutablePointer<TypeInfo>(bitPattern: typeWord & ~Layout.freedBit) {
            name = info.pointee.name
        } else {
            name = "?"
        }
        preconditionFailure("HeapRuntime: \(what): \(name) object at id 0x\(String(UInt(bitPattern: object), radix: 16))")
    }
}

/// What the heap keeps per class outside heap memory.
struct ClassMetadata {
    var name: String
    var finalizer: Finalizer?
}

// MARK: - Collector head access

extension UnsafeMutableRawPointer {
    /// Low bits of the collector head's `prev` word used as flags.
    @inlinable static var gcFlagMask: UInt { 0b1111 }
    @inlinable var gcNext: UnsafeMutableRawPointer? {
        @inline(__always) get { load(fromByteOffset: -16, as: UnsafeMutableRawPointer?.self) }
    }
    @inlinable @inline(__always)
    func setGCNext(_ value: UnsafeMutableRawPointer?) {
        storeBytes(of: value, toByteOffset: -16, as: UnsafeMutableRawPointer?.self)
    }
    @inlinable var gcPreviousRaw: UInt {
        @inline(__always) get { load(fromByteOffset: -8, as: UInt.self) }
    }
    @inlinable @inline(__always)
    func setGCPreviousRaw(_ value: UInt) { storeBytes(of: value, toByteOffset: -8, as: UInt.self) }
    @inlinable var gcPrevious: UnsafeMutableRawPointer {
        @inline(__always) get { UnsafeMutableRawPointer(bitPattern: gcPreviousRaw & ~Self.gcFlagMask).unsafelyUnwrapped }
    }
    @inlinable @inline(__always)
    func setGCPrevious(_ value: UnsafeMutableRawPointer) { setGCPreviousRaw(UInt(bitPattern: value)) }
    @inlinable @inline(__always)
    func setGCPreviousKeepingFlags(_ value: UnsafeMutableRawPointer?) {
        setGCPreviousRaw((gcPreviousRaw & Self.gcFlagMask) | UInt(bitPattern: value))
    }
    @inlinable var isTracked: Bool { @inline(__always) get { gcNext != nil } }
}

/// Operations that may run code which touches the heap again (releases, finalizers,
/// collections) are written on the core's pointer rather than as `mutating` methods: a
/// `mutating` method promises exclusive access to `self`, which a release that re-enters
/// the heap would break.
@usableFromInline
typealias CorePointer = UnsafeMutablePointer<HeapCore>

extension UnsafeMutablePointer where Pointee == HeapCore {
    // MARK: - Allocation

    /// A new object of a non-container type with count 1.
    @inlinable @inline(__always)
    func allocateAtom(_ type: UnsafeMutablePointer<TypeInfo>, size: Int) -> UnsafeMutableRawPointer {
        let object = pointee.allocator.allocate(size, contents: .atom)
        object.setField(0, 1)
        object.setField(8, type)
        pointee.liveObjects &+= 1
        return object
    }

    /// A new container with count 1, tracked in generation 0 when `track` is set. Every
    /// container allocation counts towards generation 0, tracked or not, as in CPython 3.11.
    @inlinable @inline(__always)
    func allocateContainer(_ type: UnsafeMutablePointer<TypeInfo>, size: Int, track: Bool = true) -> UnsafeMutableRawPointer {
        // Count the allocation first: it may start a collection (CPython 3.11 does this in
        // `_PyObject_GC_Alloc`), which must not see the new object half made.
        pointee.collector.generations.0.count &+= 1
        if _slowPath(pointee.collector.generations.0.count > pointee.collector.trigger) {
            serveSnapshotRequest()      // a safe point, as a collection's start is
            allocationCrossedThreshold()
        }
        let object = pointee.allocator.allocate(size &+ Layout.gcHeadSize, contents: .container) + Layout.gcHeadSize
        object.setField(0, 1)
        object.setField(8, type)
        object.setGCNext(nil)
        object.setGCPreviousRaw(0)
        pointee.liveObjects &+= 1
        if track { pointee.link(object, into: pointee.generationHeads[0]) }
        if _slowPath(pointee.allocationSites.current != 0) { pointee.allocationSites.record(object) }
        return object
    }

    /// Tears down an object whose count reached zero, now or, past a nesting depth, later.
    ///
    /// An object's death releases what it holds, which may die in turn: a list's items, an
    /// instance's values. Those are torn down at once, inside the first deallocation, while
    /// the dying container's memory is still in cache: freeing a list of ten million
    /// instances is then one pass over memory, in the order CPython frees them. Past
    /// `deallocationNestingLimit` deaths one inside another, a container's death is queued
    /// instead, and the outermost deallocation drains the queue in a loop, so a chain of ten
    /// million nested lists frees in linear time with a bounded stack (CPython's "trashcan",
    /// which nests 50 deep; the limit here is lower because debug builds' frames are large).
    /// An atom's teardown releases nothing, so atoms are never queued.
    ///
    /// A queued container is untracked first and keeps its count at 0, as CPython's trashcan
    /// does: a collection that runs while it waits (from a finalizer or callback, or an
    /// allocation) cannot see it, and a weak reference to it reads as dead. Its collector
    /// head, unused while untracked, holds the queue link.
    @usableFromInline
    func objectDied(_ object: UnsafeMutableRawPointer) {
        let depth = pointee.deallocationDepth
        if depth >= HeapCore.deallocationNestingLimit
            && object.field(8, as: UnsafeMutablePointer<TypeInfo>.self).pointee.isContainer {
            if object.isTracked { pointee.untrackDying(object) }
            let flags = object.gcPreviousRaw & UnsafeMutableRawPointer.gcFlagMask
            object.setGCPreviousRaw(flags | UInt(bitPattern: pointee.pendingDeallocation))
            pointee.pendingDeallocation = object
            return
        }
        pointee.deallocationDepth = depth &+ 1
        deallocate(object)
        if depth == 0 {
            while let next = pointee.pendingDeallocation {
                let word = next.gcPreviousRaw
                pointee.pendingDeallocation = UnsafeMutableRawPointer(bitPattern: word & ~UnsafeMutableRawPointer.gcFlagMask)
                next.setGCPreviousRaw(word & UnsafeMutableRawPointer.gcFlagMask)
                deallocate(next)
            }
        }
        pointee.deallocationDepth = depth
    }

}

extension Layout {
    /// Bytes of a list sentinel's block: a collector head and a header's worth after it.
    /// A sentinel's address is its block plus `gcHeadSize`; with a 16-byte block that is one
    /// past its end, which LeakSanitizer does not count as a pointer to the block, so it
    /// reported every sentinel as leaked when a sanitized program exited with a heap alive.
    /// With room after the head, the sentinel points inside its block.
    @inlinable static var sentinelBlockSize: Int { gcHeadSize + 16 }
}
