extension UnsafeMutablePointer where Pointee == HeapCore {
    /// Returns an object's block to its pool and marks its header freed, so later use of a
    /// stale reference is caught by `checkLive`.
    @inlinable @inline(__always)
    func freeBlock(_ object: UnsafeMutableRawPointer, size: Int, container: Bool) {
        let typeWord = object.field(8, as: UInt.self)
        object.setField(8, typeWord | Layout.freedBit)
        pointee.liveObjects &-= 1
        // After the first snapshot, a numbered object's serial goes with it, so a new object
        // at its address is a new object to the next snapshot too.
        if _slowPath(pointee.allocator.numbersObjects) {
            pointee.allocator.forgetSerial(ofBlock: container ? object - Layout.gcHeadSize : object,
                                           size: container ? size &+ Layout.gcHeadSize : size)
        }
        if container {
            if _slowPath(pointee.allocationSites.hasEntries) { pointee.allocationSites.forget(object) }
            pointee.allocator.deallocate(object - Layout.gcHeadSize, size: size &+ Layout.gcHeadSize, contents: .container)
        } else {
            pointee.allocator.deallocate(object, size: size, contents: .atom)
        }
    }

    /// Tears down an object whose count reached zero: untracks it, runs its finalizers
    /// (which may resurrect it), clears weak references to it and calls their callbacks,
    /// releases its referents and frees its block. Called only from `objectDied`, never
    /// recursively.
    ///
    /// The object is untracked before any code runs (CPython's `subtype_dealloc`): a
    /// callback, a finalizer or an allocation they make may start a collection, which would
    /// take a tracked object with count 0 for garbage and free it under our feet.
    @usableFromInline
    func deallocate(_ object: UnsafeMutableRawPointer) {
        let info = object.field(8, as: UnsafeMutablePointer<TypeInfo>.self)
        let kind = info.pointee.kind
        if info.pointee.isContainer {
            if object.isTracked { pointee.untrackDying(object) }
            if needsFinalizerOnDeath(object, kind: kind) {
                if finalizeOnDeath(object) { return }  // resurrected
            } else if object.gcPreviousRaw & GCFlags.hasWeakReferences != 0 {
                clearWeakReferences(to: object, runCallbacks: pointee.owner != nil)
            }
            // CPython 3.11 counts every container deallocation against generation 0.
            if pointee.collector.generations.0.count > 0 { pointee.collector.generations.0.count &-= 1 }
        }
        switch kind {
        case .int, .float, .str, .bytes:
            deallocateAtom(object, kind: kind)
        case .tuple:
            let count = object.field(Layout.tupleCount, as: Int.self)
            // Last item first, as CPython's tupledealloc does.
            for i in (0..<count).reversed() { HeapCore.release(object.field(Layout.tupleItems + 8 * i, as: UnsafeMutableRawPointer.self)) }
            freeBlock(object, size: Layout.tupleItems + 8 * count, container: true)
        case .list:
            clearList(object)
            freeBlock(object, size: Layout.listSize, container: true)
        case .dict, .set:
            clearTable(object)
            freeBlock(object, size: Layout.tableSize, container: true)
        case .class:
            clearClass(object, dropName: true)
            freeBlock(object, size: Layout.classSize, container: true)
        case .instance:
            releaseAttributesOfDyingInstance(object)
            HeapCore.release(object.field(Layout.instanceClass, as: UnsafeMutableRawPointer.self))
            freeBlock(object, size: Layout.instanceSize(of: object), container: true)
        case .weakref:
            deallocateWeakReference(object)
        case .host:
            deallocateHost(object, info: info)
        case .none, .bool:
            HeapCore.misuse(object, "deallocation of an immortal object")
        }
    }

    /// Drops every reference a container holds (CPython's `tp_clear`), leaving it empty but
    /// alive. Untracked containers (a dict holding only atoms) are reached through their
    /// owners.
    func clearReferences(_ object: UnsafeMutableRawPointer) {
        let info = object.field(8, as: UnsafeMutablePointer<TypeInfo>.self)
        switch info.pointee.kind {
        case .tuple:
            // Tuples have no `tp_clear` in CPython; at teardown, replace items by None so
            // cycles through them break.
            let count = object.field(Layout.tupleCount, as: Int.self)
            for i in 0..<count {
                let item = object.field(Layout.tupleItems + 8 * i, as: UnsafeMutableRawPointer.self)
                HeapCore.retain(pointee.noneObject)
                object.setField(Layout.tupleItems + 8 * i, pointee.noneObject)
                HeapCore.release(item)
            }
        case .list: clearList(object)
        case .dict, .set: clearTable(object)
        case .class: clearClass(object, dropName: false)
        case .instance: clearInstance(object)
        case .weakref: clearWeakReferenceCallback(object)
        case .host: clearHost(object, info: info)
        case .none, .bool, .int, .float, .str, .bytes: break
        }
    }
}

extension HeapCore {
    /// Python's `type(o).__name__`.
    func typeName(of object: UnsafeMutableRawPointer) -> String {
        let info = object.field(8, as: UnsafeMutablePointer<TypeInfo>.self)
        switch info.pointee.kind {
        case .instance:
            return className(object.field(Layout.instanceClass, as: UnsafeMutableRawPointer.self))
        default:
            return info.pointee.name
        }
    }

    func className(_ classObject: UnsafeMutableRawPointer) -> String {
        let index = classObject.field(Layout.classMeta, as: Int.self)
        return classMetadata[index]?.name ?? "?"
    }

    // MARK: - Teardown

    /// Frees every object and every byte the heap holds. Finalizers and weak-reference
    /// callbacks do not run: there is no heap left for them to act on.
    static func teardown(_ core: UnsafeMutablePointer<HeapCore>) {
        core.pointee.owner = nil
        core.pointee.isOrphaned = false
        if let garbage = core.pointee.collector.garbage {
            core.pointee.collector.garbage = nil
            release(garbage)
        }
        // Nothing will be snapshotted again: frees need not clear their ids.
        core.pointee.allocator.numbersObjects = false
        // Clearing every container breaks every cycle; reference counting frees the rest,
        // atoms and buffers included.
        var lists = (0...generationCount).map { core.pointee.generationHeads[$0] }
        lists.append(core.pointee.collector.scratchHead)
        for head in lists {
            while let first = head.gcNext, first != head {
                retain(first)
                core.clearReferences(first)
                if first.isTracked { core.pointee.unlink(first) }
                release(first)
            }
        }
        core.pointee.internTable.deallocate()
        core.pointee.allocator.releaseAll()
        for kind in 0..<14 {
            core.pointee.builtinTypes[kind].deinitialize(count: 1)
            core.pointee.builtinTypes[kind].deallocate()
        }
        for info in core.pointee.hostTypeInfos {
            info.deinitialize(count: 1)
            info.deallocate()
        }
        core.pointee.builtinTypes.deallocate()
        for g in 0...generationCount {
            (core.pointee.generationHeads[g] - Layout.gcHeadSize).deallocate()
        }
        core.pointee.generationHeads.deallocate()
        core.pointee.collector.deallocate()
        core.pointee.smallInts.deallocate()
        core.deinitialize(count: 1)
        core.deallocate()
    }

    @usableFromInline
    static func finishOrphanedTeardownIfIdle(_ core: UnsafeMutablePointer<HeapCore>) {
        if core.pointee.liveHandles == 0 && !core.pointee.isDraining { teardown(core) }
    }

}
