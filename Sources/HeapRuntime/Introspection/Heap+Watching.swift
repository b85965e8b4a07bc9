// LeakCanary's object watcher, and what a collection would free right now.

/// An object the host said should die soon (``Heap/watch(_:description:)``).
public struct WatchedObject {
    /// The object, borrowed; valid while it is alive.
    public var object: ObjectRef
    /// What the host said about it ("activity after onDestroy", "request 42").
    public var description: String
    /// Seconds since it was watched.
    public var secondsWatched: Double
}

/// What a collection would find unreachable now (``Heap/unreachableObjects()``).
public struct UnreachableObjects {
    /// Every object a full collection would find unreachable.
    public var objects: [ObjectRef]
    /// Those it could not free: objects with a legacy finalizer and all they reach.
    public var uncollectable: Set<ObjectRef>
}

struct WatchRecord {
    var description: String
    var since: Double
}

extension Heap {
    /// Says that `object` should die soon. If it is still alive after a full collection,
    /// ``retainedObjects(collectingFirst:)`` reports it. Watching takes no reference.
    /// Only containers can be watched: atoms cannot leak through cycles.
    public func watch(_ object: borrowing some ObjectReference & ~Copyable, description: String) throws(HeapError) {
        let object = object.ref
        check(object)
        guard object.typeInfo.pointee.isContainer else {
            throw .wrongType(expected: "a container (atoms cannot be watched)", got: typeName(of: object))
        }
        core.pointee.watches[object.pointer] = WatchRecord(description: description, since: monotonicSeconds())
        object.pointer.setGCPreviousRaw(object.pointer.gcPreviousRaw | GCFlags.hasWeakReferences)
    }

    /// Whether `object` is being watched.
    public func isWatched(_ object: borrowing some ObjectReference & ~Copyable) -> Bool {
        let object = object.ref
        check(object)
        return core.pointee.watches[object.pointer] != nil
    }

    /// Watched objects still alive, oldest first. By default a full collection runs first,
    /// as LeakCanary's watcher runs the garbage collector before it reports.
    public func retainedObjects(collectingFirst: Bool = true) -> [WatchedObject] {
        if collectingFirst { gc.collect() }
        let now = monotonicSeconds()
        // A watched object queued for teardown (count 0) is dead already.
        return core.pointee.watches
            .filter { $0.key.field(0, as: Int.self) > 0 }
            .map { WatchedObject(object: ObjectRef($0.key), description: $0.value.description, secondsWatched: now - $0.value.since) }
            .sorted { $0.secondsWatched > $1.secondsWatched }
    }

    /// What a full collection would find unreachable right now, without collecting or
    /// freeing anything; works with the collector disabled. The input of leak reports.
    /// - Complexity: O(tracked objects + references), with hash tables on the side: the
    ///   objects' collector heads are not touched.
    public func unreachableObjects() -> UnreachableObjects {
        var tracked: [UnsafeMutableRawPointer] = []
        for g in 0..<HeapCore.generationCount {
            let head = core.pointee.generationHeads[g]
            var object = GCList.next(head)
            while object != head { tracked.append(object); object = GCList.next(object) }
        }
        // gc_refs as the collector computes them, in a table instead of in the objects.
        var refs: [UnsafeMutableRawPointer: Int] = [:]
        refs.reserveCapacity(tracked.count)
        for object in tracked { refs[object] = object.field(0, as: Int.self) }
        for object in tracked {
            HeapCore.forEachReferent(object) { referent in
                if let r = refs[referent] { refs[referent] = r - 1 }
            }
        }
        var reachable = Set<UnsafeMutableRawPointer>()
        var work = tracked.filter { (refs[$0] ?? 0) > 0 }
        reachable.formUnion(work)
        while let object = work.popLast() {
            HeapCore.forEachReferent(object) { referent in
                if refs[referent] != nil && reachable.insert(referent).inserted { work.append(referent) }
            }
        }
        let unreachable = tracked.filter { !reachable.contains($0) }
        // Legacy finalizers make their objects, and all they reach, uncollectable.
        let unreachableSet = Set(unreachable)
        var uncollectable = Set(unreachable.filter { core.hasLegacyFinalizer($0) })
        work = Array(uncollectable)
        while let object = work.popLast() {
            HeapCore.forEachReferent(object) { referent in
                if unreachableSet.contains(referent) && uncollectable.insert(referent).inserted { work.append(referent) }
            }
        }
        return UnreachableObjects(objects: unreachable.map(ObjectRef.init), uncollectable: Set(uncollectable.map(ObjectRef.init)))
    }
}
