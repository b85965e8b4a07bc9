/// A managed object heap with CPython's memory model: reference counting, a pooled
/// allocator and a generational cycle collector.
///
/// A `Heap` owns all its objects. A process may have several heaps; objects of one heap
/// never refer to objects of another (storing one is caught as misuse).
///
/// ## Threads
/// A heap is used by one thread at a time, like a Python interpreter under its GIL. It is
/// not `Sendable`, and neither are ``ObjectRef`` and ``OwnedRef``, so Swift's concurrency
/// checking refuses to move them across tasks or threads. Counts are plain integers, not
/// atomics, which is what makes them cheap.
///
/// ## Ownership
/// Constructors return an ``OwnedRef`` with count 1 owned by the caller. Storing a reference
/// in a container takes a new count; removing it gives that count back. When the count
/// reaches zero the object releases what it refers to and its block goes straight back to
/// its pool.
///
/// ```swift
/// let heap = Heap()
/// let a = heap.list()                       // a = []
/// let b = heap.list()                       // b = []
/// try heap.append(a.ref, to: b.ref)         // b.append(a): a's count is 2
/// try heap.append(a.ref, to: b.ref)         // b.append(a): a's count is 3
/// _ = try heap.pop(from: b.ref)             // 2
/// ```
///
/// ## Snapshots
/// ``writeSnapshot(to:tag:)`` writes the heap's graph to a `.heapgraph` file. Without code
/// changes, `HEAPGRAPH_SNAPSHOT=PATH` makes every heap write one when it is freed or at exit,
/// and on SIGUSR2 at its next safe point (``safePoint()``, or the start of an automatic
/// collection); `docs/snapshot-format.md` gives the file names.
///
/// ## Allocation sites
/// A host that knows where it is (an interpreter's current line) sets
/// ``currentAllocationSite``; every container allocated meanwhile remembers it until it dies,
/// ``allocationSite(of:)`` answers, and snapshots carry it so that leak reports name the
/// line. Off by default, it costs one predictable branch per container allocation and death;
/// on, a hash-table insert per container allocated and a removal when a recorded one dies.
///
/// ## Misuse
/// Using a freed object, releasing below zero, or storing an object of another heap stops
/// the program with a precondition failure naming the object's type and id. These checks
/// are always on, in debug and release builds: each costs one load and a predictable branch
/// on memory the operation touches anyway. A freed block that has been reused by a new
/// object cannot be told from that object; the noncopyable ``OwnedRef`` is what prevents
/// most such mistakes at compile time.
public final class Heap {
    @usableFromInline let core: UnsafeMutablePointer<HeapCore>

    /// Makes an empty heap: the singletons (`None`, `True`, `False`, the small ints) and
    /// nothing else.
    public init() {
        core = .allocate(capacity: 1)
        core.initialize(to: HeapCore())
        HeapCore.bootstrap(core)
        core.pointee.owner = self
        registerForSnapshotAtExit()
    }

    deinit {
        unregisterForSnapshotAtExit()
        core.pointee.owner = nil
        // Closures the heap keeps (finalizers, weak-reference callbacks, collector hooks) may
        // capture owned references to its own objects; dropping them first releases those,
        // which would otherwise keep the heap's memory alive for ever.
        // They are moved out of the heap's tables before being dropped, because dropping one
        // may free objects and so touch those tables again.
        var dropped: [Any] = []
        for index in core.pointee.classMetadata.indices {
            if let finalizer = core.pointee.classMetadata[index]?.finalizer { dropped.append(finalizer) }
            core.pointee.classMetadata[index]?.finalizer = nil
        }
        for entry in core.pointee.hostTypes { if let finalizer = entry.dropFinalizer() { dropped.append(finalizer) } }
        dropped.append(core.pointee.weakCallbacks)
        core.pointee.weakCallbacks = [:]
        dropped.append(core.pointee.collector.callbacks)
        core.pointee.collector.callbacks = []
        dropped.append(core.pointee.collector.debugSink)
        core.pointee.collector.debugSink = { _ in }
        dropped.removeAll()
        if core.pointee.liveHandles == 0 {
            HeapCore.teardown(core)
        } else {
            // Owned references still exist; the last one to go finishes the teardown.
            core.pointee.isOrphaned = true
        }
    }

    // MARK: - Singletons

    /// `None`.
    @inlinable public var none: ObjectRef { ObjectRef(core.pointee.noneObject) }
    /// `True` or `False`.
    @inlinable public func bool(_ value: Bool) -> ObjectRef {
        ObjectRef(value ? core.pointee.trueObject : core.pointee.falseObject)
    }

    // MARK: - Reference counting

    /// The object's reference count. Unlike Python's `sys.getrefcount`, no temporary
    /// reference is added for the call, so it is one less than what CPython prints.
    @inlinable public func refcount(of object: borrowing some ObjectReference & ~Copyable) -> Int {
        let object = object.ref
        check(object)
        return object.pointer.field(0, as: Int.self)
    }

    /// The object's identity (Python's `id()`): its address, unique among live objects.
    @inlinable public func id(of object: borrowing some ObjectReference & ~Copyable) -> Int {
        let object = object.ref
        check(object)
        return object.id
    }

    /// Python's `a is b`.
    @inlinable public func isIdentical(_ a: borrowing some ObjectReference & ~Copyable, _ b: borrowing some ObjectReference & ~Copyable) -> Bool {
        let a = a.ref
        let b = b.ref
        return a == b
    }

    /// Takes a new owned reference to a borrowed object; its count goes up by one.
    @inlinable public func retain(_ object: borrowing some ObjectReference & ~Copyable) -> OwnedRef {
        let object = object.ref
        check(object)
        HeapCore.retain(object.pointer)
        return OwnedRef(adopting: object.pointer)
    }

    /// Gives back a count taken over with ``OwnedRef/unmanaged()``.
    @inlinable public func release(_ object: borrowing some ObjectReference & ~Copyable) {
        let object = object.ref
        check(object)
        HeapCore.release(object.pointer)
    }

    /// Whether the object is immortal (the singletons): its count never reaches zero.
    @inlinable public func isImmortal(_ object: borrowing some ObjectReference & ~Copyable) -> Bool {
        let object = object.ref
        return object.pointer.field(0, as: Int.self) >= HeapCore.immortalCount / 2
    }

    /// Number of objects alive in this heap, singletons included.
    public var objectCount: Int { core.pointee.liveObjects + 3 + (HeapCore.smallIntMax - HeapCore.smallIntMin + 1) }

    /// The pooled allocator's state, as `sys._debugmallocstats()` reports it.
    /// - Complexity: O(pools).
    public func allocatorStats() -> AllocatorStats { core.pointee.allocator.stats() }

    /// Checks that `object` is live and belongs to this heap.
    @inlinable @inline(__always)
    func check(_ object: ObjectRef) {
        HeapCore.checkLive(object.pointer)
        if _slowPath(object.core != core) { HeapCore.misuse(object.pointer, "object of another heap") }
    }

    /// The type name Python's `type(o).__name__` gives: the class name for instances,
    /// the registered name for host objects.
    public func typeName(of object: borrowing some ObjectReference & ~Copyable) -> String {
        let object = object.ref
        check(object)
        return core.pointee.typeName(of: object.pointer)
    }
}
