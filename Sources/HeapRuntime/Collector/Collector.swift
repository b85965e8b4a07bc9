#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One generation's scheduling state.
@usableFromInline
struct GenerationState {
    /// For generation 0: tracked allocations minus deallocations since its last
    /// collection. For older ones: collections of the next younger generation since theirs.
    @usableFromInline var count = 0
    @usableFromInline var threshold: Int
    var collections = 0
    var collected = 0
    var uncollectable = 0
}

/// The collector's state inside the heap core.
@usableFromInline
struct CollectorState {
    @usableFromInline var generations = (GenerationState(threshold: 700), GenerationState(threshold: 10), GenerationState(threshold: 10))
    var isEnabled = true {
        didSet { updateTrigger() }
    }
    /// The generation-0 count past which an allocation calls into the collector: threshold 0
    /// while enabled with a non-zero threshold, else never. Folding the checks into one
    /// compare keeps them off the allocation path.
    @usableFromInline var trigger = 700

    mutating func updateTrigger() {
        trigger = isEnabled && generations.0.threshold > 0 ? generations.0.threshold : Int.max
    }
    /// A collection is running; allocations do not start another and `collect` returns 0.
    var isCollecting = false
    /// Survivors of generation-1 collections since the last full one, and the survivors
    /// of that full one (CPython's long-lived heuristic, issue #4074).
    var longLivedPending = 0
    var longLivedTotal = 0
    var debugFlags: CollectorDebugFlags = []
    var debugSink: (String) -> Void = { line in
        var text = line + "\n"
        text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
    var callbacks: [(CollectorPhase, CollectionInfo) -> Void] = []
    /// Sentinel used for the transient lists a collection and teardown build.
    var scratchHead: UnsafeMutableRawPointer
    /// The `garbage` list (a heap list owned by the collector), made on first use.
    var garbage: UnsafeMutableRawPointer? = nil

    init() {
        let head = UnsafeMutableRawPointer.allocate(byteCount: Layout.sentinelBlockSize, alignment: 16)
        scratchHead = head + Layout.gcHeadSize
        scratchHead.setGCNext(scratchHead)
        scratchHead.setGCPrevious(scratchHead)
    }

    func deallocate() { (scratchHead - Layout.gcHeadSize).deallocate() }

    subscript(generation: Int) -> GenerationState {
        get {
            switch generation {
            case 0: generations.0
            case 1: generations.1
            default: generations.2
            }
        }
        set {
            switch generation {
            case 0: generations.0 = newValue
            case 1: generations.1 = newValue
            default: generations.2 = newValue
            }
        }
    }
}

/// A list sentinel made for the length of one collection.
struct TransientList: ~Copyable {
    let head: UnsafeMutableRawPointer
    init() {
        head = UnsafeMutableRawPointer.allocate(byteCount: Layout.sentinelBlockSize, alignment: 16) + Layout.gcHeadSize
        head.setGCNext(head)
        head.setGCPrevious(head)
    }
    deinit { (head - Layout.gcHeadSize).deallocate() }
}

// MARK: - List primitives (CPython's gc_list_*)

enum GCList {
    /// Bit set in `next` while an object sits in the tentatively unreachable list.
    static var unreachableMark: UInt { 1 }
    @inline(__always) static func next(_ object: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(bitPattern: object.load(fromByteOffset: -16, as: UInt.self) & ~unreachableMark).unsafelyUnwrapped
    }
    @inline(__always) static func nextRaw(_ object: UnsafeMutableRawPointer) -> UInt { object.load(fromByteOffset: -16, as: UInt.self) }
    @inline(__always) static func setNextRaw(_ object: UnsafeMutableRawPointer, _ value: UInt) {
        object.storeBytes(of: value, toByteOffset: -16, as: UInt.self)
    }

    static func isEmpty(_ head: UnsafeMutableRawPointer) -> Bool { next(head) == head }

    static func append(_ object: UnsafeMutableRawPointer, to head: UnsafeMutableRawPointer) {
        let last = head.gcPrevious
        last.setGCNext(object)
        object.setGCPreviousKeepingFlags(last)
        object.setGCNext(head)
        head.setGCPreviousKeepingFlags(object)
    }

    static func remove(_ object: UnsafeMutableRawPointer) {
        let previous = object.gcPrevious
        let nextObject = next(object)
        previous.setGCNext(nextObject)
        nextObject.setGCPreviousKeepingFlags(previous)
        object.setGCNext(nil)
    }

    static func move(_ object: UnsafeMutableRawPointer, to head: UnsafeMutableRawPointer) {
        let previous = object.gcPrevious
        let nextObject = next(object)
        previous.setGCNext(nextObject)
        nextObject.setGCPreviousKeepingFlags(previous)
        append(object, to: head)
    }

    /// Moves all of `from` to the end of `to`.
    static func merge(_ from: UnsafeMutableRawPointer, into to: UnsafeMutableRawPointer) {
        guard !isEmpty(from) else { return }
        let toLast = to.gcPrevious
        let fromFirst = next(from)
        let fromLast = from.gcPrevious
        toLast.setGCNext(fromFirst)
        fromFirst.setGCPreviousKeepingFlags(toLast)
        fromLast.setGCNext(to)
        to.setGCPreviousKeepingFlags(fromLast)
        from.setGCNext(from)
        from.setGCPrevious(from)
    }

    static func count(_ head: UnsafeMutableRawPointer) -> Int {
        var n = 0
        var object = next(head)
        while object != head { n &+= 1; object = next(object) }
        return n
    }

    // gc_refs live in the `prev` word while a collection examines an object, shifted past
    // the flag bits, exactly as CPython keeps them in `_gc_prev`.
    static var refsShift: UInt { 4 }
    @inline(__always) static func refs(_ object: UnsafeMutableRawPointer) -> Int {
        Int(bitPattern: object.gcPreviousRaw >> refsShift)
    }
    @inline(__always) static func setRefs(_ object: UnsafeMutableRawPointer, _ refs: Int) {
        object.setGCPreviousRaw((object.gcPreviousRaw & UnsafeMutableRawPointer.gcFlagMask) | (UInt(bitPattern: refs) << refsShift))
    }
    @inline(__always) static func isCollecting(_ object: UnsafeMutableRawPointer) -> Bool {
        object.gcPreviousRaw & GCFlags.collecting != 0
    }
    @inline(__always) static func clearCollecting(_ object: UnsafeMutableRawPointer) {
        object.setGCPreviousRaw(object.gcPreviousRaw & ~GCFlags.collecting)
    }
}

// MARK: - The collection

extension UnsafeMutablePointer where Pointee == HeapCore {
    /// Generation 0 passed its threshold on an allocation: collect the oldest generation
    /// whose count is over its threshold, with the long-lived rule for generation 2.
    @usableFromInline
    func allocationCrossedThreshold() {
        let state = pointee.collector
        guard state.isEnabled, !state.isCollecting, state.generations.0.threshold > 0, pointee.owner != nil else { return }
        for generation in stride(from: 2, through: 0, by: -1) where state[generation].count > state[generation].threshold {
            // A full collection only when the objects that survived since the last one are
            // a quarter of those that survived it: building a large structure stays linear.
            if generation == 2 && state.longLivedPending < state.longLivedTotal / 4 { continue }
            _ = collect(generation: generation)
            break
        }
    }

    /// One collection of `generation` and every younger one, CPython's
    /// `gc_collect_main`. Returns the number of unreachable objects found (collected plus
    /// uncollectable).
    ///
    /// - Complexity: O(objects and references in the collected generations), with no
    ///   recursion: every walk is over a linked list.
    func collect(generation: Int) -> Int {
        guard !pointee.collector.isCollecting, pointee.owner != nil else { return 0 }
        pointee.collector.isCollecting = true
        defer { pointee.collector.isCollecting = false }
        let start = monotonicSeconds()
        let debug = pointee.collector.debugFlags

        let callbacks = !pointee.collector.callbacks.isEmpty
        // Counting the candidates is a walk of its own; only pay for it when someone listens.
        let candidates = callbacks ? (0...generation).reduce(0) { $0 + GCList.count(pointee.generationHeads[$1]) } : 0
        if callbacks {
            runCallbacks(.start, CollectionInfo(generation: generation, collected: 0, uncollectable: 0,
                                                candidates: candidates, duration: 0))
        }
        if debug.contains(.stats) {
            let sizes = (0..<HeapCore.generationCount).map { String(GCList.count(pointee.generationHeads[$0])) }
            emit("gc: collecting generation \(generation)...")
            emit("gc: objects in each generation: \(sizes.joined(separator: " "))")
            emit("gc: objects in permanent generation: \(GCList.count(pointee.generationHeads[3]))")
        }

        // Counts: this collection counts once against the next generation; the collected
        // ones start over.
        if generation + 1 < HeapCore.generationCount { pointee.collector[generation + 1].count += 1 }
        for g in 0...generation { pointee.collector[g].count = 0 }
        for g in 0..<generation { GCList.merge(pointee.generationHeads[g], into: pointee.generationHeads[generation]) }
        let young = pointee.generationHeads[generation]
        let old = generation + 1 < HeapCore.generationCount ? pointee.generationHeads[generation + 1] : young
        let isFull = young == old

        // Three passes over the generation find the unreachable; the third also untracks
        // tuples (and, on full collections, dicts) that hold only atoms, and counts the
        // survivors, so no further pass over the survivors is needed.
        let unreachableList = TransientList()
        let unreachable = unreachableList.head
        if isFull {
            HeapCore.updateAndSubtractRefs(young)
        } else {
            HeapCore.updateRefs(young)
            HeapCore.subtractRefs(young)
        }
        let survivors = HeapCore.moveUnreachable(young, into: unreachable, untrackAtomDicts: isFull, clearingMarks: false)

        // Survivors move to the next generation.
        if !isFull {
            if generation == 1 { pointee.collector.longLivedPending += survivors }
            GCList.merge(young, into: old)
        } else {
            pointee.collector.longLivedPending = 0
            pointee.collector.longLivedTotal = survivors
        }

        // One pass over the unreachable: clear the marks moveUnreachable left in their
        // `next` links, count them, set aside those with legacy finalizers (they and all
        // they reach cannot be collected safely), and note whether any weak references or
        // modern finalizers are involved, so the phases for them run only when needed.
        // Clearing the marks here rather than in a pass of their own saves a sweep over
        // the garbage, as CPython's move_legacy_finalizers does.
        let finalizersList = TransientList()
        let finalizers = finalizersList.head
        var collected = 0
        var weakReferencesInvolved = false
        var finalizersPending = false
        GCList.setNextRaw(unreachable, GCList.nextRaw(unreachable) & ~GCList.unreachableMark)
        var object = GCList.next(unreachable)
        while object != unreachable {
            let nextRaw = GCList.nextRaw(object) & ~GCList.unreachableMark
            GCList.setNextRaw(object, nextRaw)
            let next = UnsafeMutableRawPointer(bitPattern: nextRaw).unsafelyUnwrapped
            let word = object.gcPreviousRaw
            if word & GCFlags.hasWeakReferences != 0 || ValueSemantics.kind(object) == .weakref { weakReferencesInvolved = true }
            if let finalizer = finalizer(of: object) {
                if finalizer.kind == .legacy {
                    GCList.clearCollecting(object)
                    GCList.move(object, to: finalizers)
                    object = next
                    continue
                }
                if word & GCFlags.finalized == 0 { finalizersPending = true }
            }
            collected += 1
            object = next
        }
        if !GCList.isEmpty(finalizers) { collected -= moveLegacyFinalizerReachable(finalizers) }
        // What counts as collected is what is still unreachable after finalizers ran
        // (CPython 3.9+, bpo-38379): a resurrected object was not collected.
        if debug.contains(.collectable) {
            object = GCList.next(unreachable)
            while object != unreachable {
                emit("gc: collectable <\(pointee.typeName(of: object)) \(hexID(object))>")
                object = GCList.next(object)
            }
        }

        let weakReferencesFreed = weakReferencesInvolved ? handleWeakReferences(unreachable, old: old) : 0
        collected += weakReferencesFreed

        let stillUnreachableList = TransientList()
        let stillUnreachable = stillUnreachableList.head
        if finalizersPending && pointee.owner != nil {
            finalizeGarbage(unreachable)
            // Finalizers may have resurrected objects: look again, and keep what is reachable now.
            handleResurrectedObjects(unreachable, stillUnreachable: stillUnreachable, old: old)
            collected = GCList.count(stillUnreachable) + weakReferencesFreed
        } else {
            // No finalizer ran, so nothing can have been resurrected.
            GCList.merge(unreachable, into: stillUnreachable)
        }
        deleteGarbage(stillUnreachable, old: old)

        var uncollectable = 0
        object = GCList.next(finalizers)
        while object != finalizers {
            uncollectable += 1
            if debug.contains(.uncollectable) { emit("gc: uncollectable <\(pointee.typeName(of: object)) \(hexID(object))>") }
            object = GCList.next(object)
        }
        handleLegacyFinalizers(finalizers, old: old)

        let elapsed = monotonicSeconds() - start
        if debug.contains(.stats) {
            emit("gc: done, \(collected) unreachable, \(uncollectable) uncollectable, \(formatSeconds(elapsed))s elapsed")
        }
        // A full collection also gives back the empty pools the allocator keeps per class.
        if generation == HeapCore.generationCount - 1 { pointee.allocator.trim() }
        pointee.collector[generation].collections += 1
        pointee.collector[generation].collected += collected
        pointee.collector[generation].uncollectable += uncollectable
        if callbacks {
            runCallbacks(.stop, CollectionInfo(generation: generation, collected: collected, uncollectable: uncollectable,
                                               candidates: candidates, duration: elapsed))
        }
        return collected + uncollectable
    }

    /// Leaves in `unreachable` the objects of `base` that nothing outside `base` reaches;
    /// the rest stay in `base`. Those moved keep the collecting flag.
    func deduceUnreachable(_ base: UnsafeMutableRawPointer, into unreachable: UnsafeMutableRawPointer) {
        HeapCore.updateRefs(base)
        HeapCore.subtractRefs(base)
        _ = HeapCore.moveUnreachable(base, into: unreachable, untrackAtomDicts: false)
    }

    func hasLegacyFinalizer(_ object: UnsafeMutableRawPointer) -> Bool {
        finalizer(of: object)?.kind == .legacy
    }

    /// Moves everything reachable from the legacy-finalizer objects into their list too.
    /// The list grows while it is walked, which makes this a breadth-first search.
    /// Returns how many objects it moved out of the unreachable set.
    func moveLegacyFinalizerReachable(_ finalizers: UnsafeMutableRawPointer) -> Int {
        var moved = 0
        var object = GCList.next(finalizers)
        while object != finalizers {
            HeapCore.forEachReferent(object) { referent in
                if HeapCore.isContainer(referent) && GCList.isCollecting(referent) {
                    GCList.clearCollecting(referent)
                    GCList.move(referent, to: finalizers)
                    moved += 1
                }
            }
            object = GCList.next(object)
        }
        return moved
    }

    /// Clears weak references to unreachable objects before any finalizer runs, then calls
    /// the callbacks of the weak references that are themselves reachable. Returns how
    /// many of those weak references the callbacks freed.
    func handleWeakReferences(_ unreachable: UnsafeMutableRawPointer, old: UnsafeMutableRawPointer) -> Int {
        let toCallList = TransientList()
        let toCall = toCallList.head
        var object = GCList.next(unreachable)
        while object != unreachable {
            let next = GCList.next(object)
            if ValueSemantics.kind(object) == .weakref {
                // A weak reference that is itself trash is cleared; its callback never runs,
                // since it could see objects already cleared.
                clearWeakReference(object)
            }
            if object.gcPreviousRaw & GCFlags.hasWeakReferences != 0 {
                while let wr = pointee.weakLists[object] {
                    clearWeakReference(wr)
                    if pointee.weakCallbacks[wr] == nil { continue }
                    if GCList.isCollecting(wr) { continue }  // the weak reference is trash too
                    HeapCore.retain(wr)
                    GCList.move(wr, to: toCall)
                }
            }
            object = next
        }
        var freed = 0
        while !GCList.isEmpty(toCall) {
            let wr = GCList.next(toCall)
            callWeakCallback(wr)
            HeapCore.release(wr)
            if GCList.next(toCall) == wr {
                GCList.move(wr, to: old)  // still alive
            } else {
                freed += 1
            }
        }
        return freed
    }

    /// Runs each modern finalizer once (PEP 442), with a reference held around the call.
    func finalizeGarbage(_ collectable: UnsafeMutableRawPointer) {
        let seenList = TransientList()
        let seen = seenList.head
        while !GCList.isEmpty(collectable) {
            let object = GCList.next(collectable)
            GCList.move(object, to: seen)
            guard object.gcPreviousRaw & GCFlags.finalized == 0, let finalizer = finalizer(of: object),
                  finalizer.kind == .modern, let heap = pointee.owner
            else { continue }
            object.setGCPreviousRaw(object.gcPreviousRaw | GCFlags.finalized)
            HeapCore.retain(object)
            finalizer.body(heap, ObjectRef(object))
            HeapCore.release(object)
        }
        GCList.merge(seen, into: collectable)
    }

    /// After finalizers ran: what is reachable now (resurrected, and what it reaches) goes
    /// to the older generation; the rest is left in `stillUnreachable`.
    func handleResurrectedObjects(_ unreachable: UnsafeMutableRawPointer, stillUnreachable: UnsafeMutableRawPointer,
                                  old: UnsafeMutableRawPointer) {
        var object = GCList.next(unreachable)
        while object != unreachable {
            GCList.clearCollecting(object)
            object = GCList.next(object)
        }
        deduceUnreachable(unreachable, into: stillUnreachable)
        GCList.merge(unreachable, into: old)
    }

    /// Breaks the remaining cycles by clearing each object (`tp_clear`); reference counting
    /// frees them. With save-all they go to `garbage` instead.
    func deleteGarbage(_ collectable: UnsafeMutableRawPointer, old: UnsafeMutableRawPointer) {
        let saveAll = pointee.collector.debugFlags.contains(.saveAll)
        while !GCList.isEmpty(collectable) {
            let object = GCList.next(collectable)
            if saveAll {
                listAppend(garbageList(), object)
            } else {
                HeapCore.retain(object)
                clearReferences(object)
                HeapCore.release(object)
            }
            if GCList.next(collectable) == object {
                GCList.clearCollecting(object)
                GCList.move(object, to: old)  // still alive; it may die later
            }
        }
    }

    func handleLegacyFinalizers(_ finalizers: UnsafeMutableRawPointer, old: UnsafeMutableRawPointer) {
        let saveAll = pointee.collector.debugFlags.contains(.saveAll)
        var object = GCList.next(finalizers)
        while object != finalizers {
            if saveAll || hasLegacyFinalizer(object) { listAppend(garbageList(), object) }
            object = GCList.next(object)
        }
        GCList.merge(finalizers, into: old)
    }

    /// The `garbage` list, made on first use and owned by the collector.
    func garbageList() -> UnsafeMutableRawPointer {
        if let garbage = pointee.collector.garbage { return garbage }
        // Tracked like any list; the collector's own count keeps it (and what it holds) alive.
        let object = allocateContainer(pointee.type(.list), size: Layout.listSize, track: false)
        object.setField(Layout.listCount, 0)
        object.setField(Layout.listCapacity, 0)
        object.setField(Layout.listItems, UnsafeMutableRawPointer?.none)
        pointee.link(object, into: pointee.generationHeads[0])
        pointee.collector.garbage = object
        return object
    }

    func runCallbacks(_ phase: CollectorPhase, _ info: CollectionInfo) {
        for callback in pointee.collector.callbacks { callback(phase, info) }
    }

    func emit(_ line: String) { pointee.collector.debugSink(line) }

    func hexID(_ object: UnsafeMutableRawPointer) -> String { "0x" + String(UInt(bitPattern: object), radix: 16) }
}

extension HeapCore {
    /// gc_refs := reference count, and mark every object as being examined.
    static func updateRefs(_ list: UnsafeMutableRawPointer) {
        var object = GCList.next(list)
        while object != list {
            let keep = object.gcPreviousRaw & (GCFlags.finalized | GCFlags.hasWeakReferences | GCFlags.frozen)
            let count = object.field(0, as: Int.self)
            object.setGCPreviousRaw(keep | GCFlags.collecting | (UInt(bitPattern: count) << GCList.refsShift))
            object = GCList.next(object)
        }
    }

    /// `updateRefs` and `subtractRefs` in one pass, for full collections, where every
    /// tracked container that is not frozen is in the set: an object's gc_refs is set from
    /// its count the first time it is met, as the object walked or as a referent. Saves a
    /// whole pass over memory on the largest collections (measured: 28 to 20 ns per
    /// object on a heap of a million lists).
    static func updateAndSubtractRefs(_ list: UnsafeMutableRawPointer) {
        let keepMask = GCFlags.finalized | GCFlags.hasWeakReferences
        var object = GCList.next(list)
        while object != list {
            let word = object.gcPreviousRaw
            if word & GCFlags.collecting == 0 {
                let count = object.field(0, as: Int.self)
                object.setGCPreviousRaw((word & keepMask) | GCFlags.collecting | (UInt(bitPattern: count) << GCList.refsShift))
            }
            forEachReferent(object) { referent in
                guard isContainer(referent), referent.isTracked else { return }
                var word = referent.gcPreviousRaw
                if word & GCFlags.collecting == 0 {
                    if word & GCFlags.frozen != 0 { return }
                    let count = referent.field(0, as: Int.self)
                    word = (word & keepMask) | GCFlags.collecting | (UInt(bitPattern: count) << GCList.refsShift)
                }
                referent.setGCPreviousRaw(word &- (1 << GCList.refsShift))
            }
            object = GCList.next(object)
        }
    }

    /// Subtracts every reference held inside the set: what remains of gc_refs counts the
    /// references from outside it.
    static func subtractRefs(_ list: UnsafeMutableRawPointer) {
        var object = GCList.next(list)
        while object != list {
            forEachReferent(object) { referent in
                if isContainer(referent) {
                    let word = referent.gcPreviousRaw
                    if word & GCFlags.collecting != 0 {
                        referent.setGCPreviousRaw(word &- (1 << GCList.refsShift))
                    }
                }
            }
            object = GCList.next(object)
        }
    }

    /// One pass over `young`: an object with gc_refs > 0 is reachable and makes its
    /// referents reachable (moving back any moved too early); one with gc_refs == 0 moves,
    /// tentatively, to `unreachable`. Reachable objects are never moved, so the pass is
    /// linear. `prev` pointers, overwritten by gc_refs, are restored as the pass goes.
    ///
    /// Objects in `unreachable` are linked through marked `next` words; with
    /// `clearingMarks: false` the caller must clear them (head first, then object by object
    /// in list order) before anything else touches the list.
    static func moveUnreachable(_ young: UnsafeMutableRawPointer, into unreachable: UnsafeMutableRawPointer,
                                untrackAtomDicts: Bool, clearingMarks: Bool = true) -> Int {
        var previous = young
        var survivors = 0
        var object = GCList.next(young)
        while object != young {
            if GCList.refs(object) > 0 {
                // Reachable. Its referents are reachable too; note whether any of them could
                // be part of a cycle, which decides whether a tuple stays tracked.
                let kind = ValueSemantics.kind(object)
                let mayUntrack = kind == .tuple || (untrackAtomDicts && kind == .dict)
                var holdsContainer = false
                forEachReferent(object) { referent in
                    guard isContainer(referent) else { return }
                    let word = referent.gcPreviousRaw
                    if mayUntrack && !holdsContainer && mayBeTracked(referent) { holdsContainer = true }
                    guard word & GCFlags.collecting != 0 else { return }
                    let nextRaw = GCList.nextRaw(referent)
                    if nextRaw & GCList.unreachableMark != 0 {
                        // Moved too early: unlink from `unreachable` (singly marked list with
                        // valid prev pointers) and append to `young`, to be scanned in turn.
                        let before = referent.gcPrevious
                        let after = UnsafeMutableRawPointer(bitPattern: nextRaw & ~GCList.unreachableMark).unsafelyUnwrapped
                        GCList.setNextRaw(before, nextRaw)
                        after.setGCPreviousKeepingFlags(before)
                        let last = young.gcPrevious
                        GCList.setNextRaw(last, UInt(bitPattern: referent))
                        referent.setGCNext(young)
                        young.setGCPreviousKeepingFlags(referent)
                        GCList.setRefs(referent, 1)
                    } else if word >> GCList.refsShift == 0 {
                        GCList.setRefs(referent, 1)
                    }
                }
                let flags = object.gcPreviousRaw & (GCFlags.finalized | GCFlags.hasWeakReferences)
                if mayUntrack && !holdsContainer {
                    // A tuple of atoms can never be part of a cycle: stop tracking it (CPython's
                    // untrack_tuples; a full collection does the same for dicts).
                    GCList.setNextRaw(previous, GCList.nextRaw(object))
                    object.setGCNext(nil)
                    object.setGCPreviousRaw(flags)
                } else {
                    // Restore `prev`; the object is no longer being examined.
                    object.setGCPreviousRaw(flags | UInt(bitPattern: previous))
                    previous = object
                    survivors &+= 1
                }
        } else {
                // Tentatively unreachable. `young` stays singly linked until the pass ends.
                GCList.setNextRaw(previous, GCList.nextRaw(object))
                let last = unreachable.gcPrevious
                GCList.setNextRaw(last, GCList.unreachableMark | UInt(bitPattern: object))
                object.setGCPreviousKeepingFlags(last)
                GCList.setNextRaw(object, GCList.unreachableMark | UInt(bitPattern: unreachable))
                unreachable.setGCPreviousKeepingFlags(object)
            }
            object = GCList.next(previous)
        }
        young.setGCPreviousKeepingFlags(previous)
        if clearingMarks { clearUnreachableMarks(unreachable) }
        return survivors
    }

    /// Clears the marks: `unreachable` becomes an ordinary list whose objects still carry
    /// the collecting flag.
    static func clearUnreachableMarks(_ unreachable: UnsafeMutableRawPointer) {
        // Clear the marks: `unreachable` becomes an ordinary list whose objects still carry
        // the collecting flag.
        var before = unreachable
        var current = GCList.next(unreachable)
        while current != unreachable {
            GCList.setNextRaw(before, UInt(bitPattern: current))
            before = current
            current = GCList.next(current)
        }
        GCList.setNextRaw(before, UInt(bitPattern: unreachable))
    }
}

func monotonicSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

func formatSeconds(_ seconds: Double) -> String {
    let scaled = Int((seconds * 10_000).rounded())
    let whole = scaled / 10_000
    let fraction = String(scaled % 10_000)
    return "\(whole)." + String(repeating: "0", count: 4 - fraction.count) + fraction
}
