/// Debug flags of the collector, as Python's `gc.set_debug` takes them.
public struct CollectorDebugFlags: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// `gc.DEBUG_STATS`: a summary of each collection.
    public static let stats = CollectorDebugFlags(rawValue: 1)
    /// `gc.DEBUG_COLLECTABLE`: each collectable object found.
    public static let collectable = CollectorDebugFlags(rawValue: 2)
    /// `gc.DEBUG_UNCOLLECTABLE`: each uncollectable object found.
    public static let uncollectable = CollectorDebugFlags(rawValue: 4)
    /// `gc.DEBUG_SAVEALL`: unreachable objects go to `garbage` instead of being freed.
    public static let saveAll = CollectorDebugFlags(rawValue: 32)
    /// `gc.DEBUG_LEAK`: collectable, uncollectable and save-all.
    public static let leak: CollectorDebugFlags = [.collectable, .uncollectable, .saveAll]
}

/// When a collector callback is called (the `phase` argument of Python's `gc.callbacks`).
public enum CollectorPhase: String, Sendable { case start, stop }

/// What a collector callback is told (the `info` argument of Python's `gc.callbacks`).
public struct CollectionInfo: Sendable, Equatable {
    /// The oldest generation collected.
    public var generation: Int
    /// Unreachable objects found and freed (0 at `start`).
    public var collected: Int
    /// Unreachable objects that could not be freed (0 at `start`).
    public var uncollectable: Int
    /// Objects examined: those in the collected generations when it started.
    public var candidates: Int
    /// Seconds the collection took (0 at `start`).
    public var duration: Double
}

/// One generation's counters (Python's `gc.get_stats()` entries).
public struct GenerationStats: Sendable, Equatable {
    public var collections: Int
    public var collected: Int
    public var uncollectable: Int
}

/// The controls of a heap's cycle collector, one to one with Python's `gc` module
/// (see docs/gc.md for the table).
///
/// ```swift
/// let heap = Heap()
/// heap.gc.disable()                  // gc.disable()
/// heap.gc.thresholds = (700, 10, 5)  // gc.set_threshold(700, 10, 5)
/// let found = heap.gc.collect()      // gc.collect()
/// ```
public struct GarbageCollector {
    let heap: Heap
    var core: UnsafeMutablePointer<HeapCore> { heap.core }

    /// `gc.enable()`: collections start again on allocation.
    public func enable() { core.pointee.collector.isEnabled = true }
    /// `gc.disable()`: no automatic collections; `collect()` still works.
    public func disable() { core.pointee.collector.isEnabled = false }
    /// `gc.isenabled()`.
    public var isEnabled: Bool { core.pointee.collector.isEnabled }

    /// `gc.collect(generation)`: collects `generation` (0, 1 or 2) and the younger ones;
    /// returns the number of unreachable objects found, collected plus uncollectable.
    /// Returns 0 when called while a collection is running (from a finalizer or callback).
    /// - Complexity: O(objects and references in the collected generations).
    @discardableResult
    public func collect(generation: Int = 2) -> Int {
        precondition((0...2).contains(generation), "HeapRuntime: generation must be 0, 1 or 2, got \(generation)")
        return core.collect(generation: generation)
    }

    /// `gc.get_threshold()` / `gc.set_threshold(...)`. Threshold 0 of generation 0
    /// disables automatic collection, as in CPython.
    public var thresholds: (Int, Int, Int) {
        get {
            let c = core.pointee.collector
            return (c.generations.0.threshold, c.generations.1.threshold, c.generations.2.threshold)
        }
        nonmutating set {
            core.pointee.collector.generations.0.threshold = newValue.0
            core.pointee.collector.generations.1.threshold = newValue.1
            core.pointee.collector.generations.2.threshold = newValue.2
            core.pointee.collector.updateTrigger()
        }
    }

    /// `gc.get_count()`: generation 0's allocations minus deallocations, and the
    /// collections of each younger generation since the older one's last.
    public var counts: (Int, Int, Int) {
        let c = core.pointee.collector
        return (c.generations.0.count, c.generations.1.count, c.generations.2.count)
    }

    /// `gc.get_stats()`.
    public var stats: [GenerationStats] {
        (0..<3).map {
            let g = core.pointee.collector[$0]
            return GenerationStats(collections: g.collections, collected: g.collected, uncollectable: g.uncollectable)
        }
    }

    /// `gc.freeze()`: moves every tracked object to the permanent generation, which no
    /// collection examines, and sets every generation's count to 0 (CPython's
    /// `gc_freeze_impl`).
    /// - Complexity: O(tracked objects): each is marked frozen, which lets full collections
    ///   tell the permanent generation from the rest without a list walk.
    public func freeze() {
        for g in 0..<HeapCore.generationCount {
            let head = core.pointee.generationHeads[g]
            var object = GCList.next(head)
            while object != head {
                object.setGCPreviousRaw(object.gcPreviousRaw | GCFlags.frozen)
                object = GCList.next(object)
            }
            GCList.merge(head, into: core.pointee.generationHeads[3])
            core.pointee.collector[g].count = 0
        }
    }

    /// `gc.unfreeze()`: moves the permanent generation back into the oldest one.
    public func unfreeze() {
        let head = core.pointee.generationHeads[3]
        var object = GCList.next(head)
        while object != head {
            object.setGCPreviousRaw(object.gcPreviousRaw & ~GCFlags.frozen)
            object = GCList.next(object)
        }
        GCList.merge(head, into: core.pointee.generationHeads[2])
    }

    /// `gc.get_freeze_count()`.
    public var freezeCount: Int { GCList.count(core.pointee.generationHeads[3]) }

    /// `gc.get_objects(generation)`: the tracked objects, borrowed; all three generations
    /// when `generation` is nil (the permanent one is not included, as in CPython).
    /// - Complexity: O(tracked objects).
    public func objects(generation: Int? = nil) -> [ObjectRef] {
        var result: [ObjectRef] = []
        for g in generation.map({ [$0] }) ?? [0, 1, 2] {
            let head = core.pointee.generationHeads[g]
            var object = GCList.next(head)
            while object != head {
                result.append(ObjectRef(object))
                object = GCList.next(object)
            }
        }
        return result
    }

    /// `gc.garbage`: objects the collector found unreachable but could not free (those
    /// with legacy finalizers and what they reach), or all unreachable ones with
    /// ``CollectorDebugFlags/saveAll``. A list owned by the collector; clear it with
    /// ``Heap/removeAll(from:)`` once handled.
    public var garbage: ObjectRef { ObjectRef(core.garbageList()) }

    /// The id of the `gc.garbage` list if it exists yet; unlike ``garbage``, asking does not
    /// create it (snapshots use this).
    public var garbageID: Int? { core.pointee.collector.garbage.map { Int(bitPattern: $0) } }

    /// `gc.set_debug(flags)` / `gc.get_debug()`.
    public var debugFlags: CollectorDebugFlags {
        get { core.pointee.collector.debugFlags }
        nonmutating set { core.pointee.collector.debugFlags = newValue }
    }

    /// Where debug lines go (one call per line, no newline); standard error by default,
    /// as in CPython.
    public func setDebugSink(_ sink: @escaping (String) -> Void) { core.pointee.collector.debugSink = sink }

    /// `gc.callbacks.append(cb)`: called at the start and stop of every collection.
    public func addCallback(_ callback: @escaping (CollectorPhase, CollectionInfo) -> Void) {
        core.pointee.collector.callbacks.append(callback)
    }

    /// `gc.callbacks.clear()`.
    public func removeAllCallbacks() { core.pointee.collector.callbacks.removeAll() }

    /// `gc.is_tracked(obj)`.
    public func isTracked(_ object: borrowing some ObjectReference & ~Copyable) -> Bool {
        let object = object.ref
        heap.check(object)
        return HeapCore.isContainer(object.pointer) && object.pointer.isTracked
    }

    /// `gc.is_finalized(obj)`: whether its modern finalizer has run.
    public func isFinalized(_ object: borrowing some ObjectReference & ~Copyable) -> Bool {
        let object = object.ref
        heap.check(object)
        return HeapCore.isContainer(object.pointer) && object.pointer.gcPreviousRaw & GCFlags.finalized != 0
    }

    /// The generation a tracked object is in (0, 1, 2, or 3 for permanent), or nil.
    /// - Complexity: O(tracked objects): it walks the lists.
    public func generation(of object: borrowing some ObjectReference & ~Copyable) -> Int? {
        let object = object.ref
        heap.check(object)
        guard isTracked(object) else { return nil }
        for g in 0...HeapCore.generationCount {
            let head = core.pointee.generationHeads[g]
            var current = GCList.next(head)
            while current != head {
                if current == object.pointer { return g }
                current = GCList.next(current)
            }
        }
        return nil
    }
}

extension Heap {
    /// The cycle collector's controls (Python's `gc` module).
    public var gc: GarbageCollector { GarbageCollector(heap: self) }
}
