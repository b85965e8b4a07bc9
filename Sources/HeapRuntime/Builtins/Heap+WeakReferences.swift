// Weak references (Python's `weakref.ref`).

/// Code called when a weak reference's referent dies, given the heap, the (now cleared)
/// weak reference and the callback's context object.
///
/// The context is a heap object the weak reference holds strongly, so the collector sees
/// what the callback will use — Python's callback object, which is itself in the heap.
public struct WeakReferenceCallback {
    public var body: (Heap, ObjectRef, ObjectRef?) -> Void
    public init(_ body: @escaping (Heap, ObjectRef, ObjectRef?) -> Void) { self.body = body }
}

extension Heap {
    /// A weak reference to `target`, which must be an instance, a class, a set or a host
    /// object (Python refuses weak references to int, str, tuple, list and dict too).
    ///
    /// When the referent dies the reference is cleared and, if given, `callback` is called
    /// with the heap, the weak reference and `context`. In a collection, weak references to
    /// unreachable objects are cleared before any finalizer runs, and the callback runs
    /// only when the weak reference itself is reachable, so a callback never sees a
    /// cleared or half-destroyed object.
    ///
    /// Without callback and context, the weak reference is the target's basic one: asking
    /// again while it lives hands back the same object, as CPython's `weakref.ref(o)` does.
    public func weakReference(to target: borrowing some ObjectReference & ~Copyable, callback: WeakReferenceCallback? = nil,
                              context: ObjectRef? = nil) throws(HeapError) -> OwnedRef {
        let target = target.ref
        check(target)
        if let context { check(context) }
        switch target.kind {
        case .instance, .class, .set, .host: break
        default: throw .wrongType(expected: "an object that supports weak references", got: typeName(of: target))
        }
        // The basic weak reference, if there is one, is first in the target's list. One whose
        // count is 0 is queued for teardown: handing it out would resurrect it.
        let head = core.pointee.weakLists[target.pointer]
        let basic = head.flatMap { core.isBasicWeakReference($0) ? $0 : nil }
        let isBasic = callback == nil && context == nil
        if isBasic, let basic, basic.field(0, as: Int.self) > 0 { return retain(ObjectRef(basic)) }
        let object = core.allocateContainer(core.pointee.type(.weakref), size: Layout.weakSize)
        object.setField(Layout.weakReferent, target.pointer as UnsafeMutableRawPointer?)
        if let context { HeapCore.retain(context.pointer) }
        object.setField(Layout.weakCallback, context?.pointer)
        if let callback { core.pointee.weakCallbacks[object] = callback }
        // A basic reference goes first; one with a callback right after the basic one, so
        // callbacks run newest first (CPython's list order). The table may have changed
        // while allocating (a collection may clear references), so read it again.
        let first = core.pointee.weakLists[target.pointer]
        let after = isBasic ? nil : first.flatMap { core.isBasicWeakReference($0) ? $0 : nil }
        let next = after.map { $0.field(Layout.weakNext, as: UnsafeMutableRawPointer?.self) } ?? first
        object.setField(Layout.weakNext, next)
        object.setField(Layout.weakPrevious, after)
        next?.setField(Layout.weakPrevious, object as UnsafeMutableRawPointer?)
        if let after { after.setField(Layout.weakNext, object as UnsafeMutableRawPointer?) } else {
            core.pointee.weakLists[target.pointer] = object
        }
        target.pointer.setGCPreviousRaw(target.pointer.gcPreviousRaw | GCFlags.hasWeakReferences)
        return OwnedRef(adopting: object)
    }

    /// Calls the weak reference (Python's `wr()`): a new owned reference to the referent,
    /// or nil once it has died. A referent whose count is 0 is dying (queued for teardown,
    /// or in it) and reads as dead too, as in CPython (bpo-16602): taking a reference to it
    /// would resurrect an object already on its way out.
    public func referent(of weakReference: borrowing some ObjectReference & ~Copyable) throws(HeapError) -> OwnedRef? {
        let weakReference = weakReference.ref
        check(weakReference)
        guard weakReference.kind == .weakref else { throw .wrongType(expected: "weakref", got: typeName(of: weakReference)) }
        guard let target = HeapCore.liveReferent(of: weakReference.pointer) else { return nil }
        return retain(ObjectRef(target))
    }

    /// Whether the weak reference reads as dead (Python's `wr() is None`).
    public func isCleared(_ weakReference: borrowing some ObjectReference & ~Copyable) throws(HeapError) -> Bool {
        let weakReference = weakReference.ref
        check(weakReference)
        guard weakReference.kind == .weakref else { throw .wrongType(expected: "weakref", got: typeName(of: weakReference)) }
        return HeapCore.liveReferent(of: weakReference.pointer) == nil
    }

    /// Number of weak references to `object` (Python's `weakref.getweakrefcount`). As in
    /// CPython, every weak reference made without callback and context is one and the
    /// same object (see ``weakReference(to:callback:context:)``), counted once.
    public func weakReferenceCount(of object: borrowing some ObjectReference & ~Copyable) -> Int {
        let object = object.ref
        check(object)
        var count = 0
        var next = core.pointee.weakLists[object.pointer]
        while let wr = next {
            count += 1
            next = wr.field(Layout.weakNext, as: UnsafeMutableRawPointer?.self)
        }
        return count
    }
}

extension HeapCore {
    /// The referent of a weak reference, or nil when it is cleared or its referent's count
    /// is 0 (dying: queued for teardown, or being torn down).
    static func liveReferent(of wr: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
        guard let target = wr.field(Layout.weakReferent, as: UnsafeMutableRawPointer?.self),
              target.field(0, as: Int.self) > 0 else { return nil }
        return target
    }
}

extension UnsafeMutablePointer where Pointee == HeapCore {
    /// A weak reference with neither callback nor context: the one `weakref.ref(o)` shares.
    func isBasicWeakReference(_ wr: UnsafeMutableRawPointer) -> Bool {
        wr.field(Layout.weakCallback, as: UnsafeMutableRawPointer?.self) == nil && pointee.weakCallbacks[wr] == nil
    }

    /// Detaches a weak reference from its referent's list and clears it; the callback
    /// stays (CPython's `_PyWeakref_ClearRef`).
    func clearWeakReference(_ wr: UnsafeMutableRawPointer) {
        guard let target = wr.field(Layout.weakReferent, as: UnsafeMutableRawPointer?.self) else { return }
        let next = wr.field(Layout.weakNext, as: UnsafeMutableRawPointer?.self)
        let previous = wr.field(Layout.weakPrevious, as: UnsafeMutableRawPointer?.self)
        if let previous { previous.setField(Layout.weakNext, next) } else {
            if let next { pointee.weakLists[target] = next } else {
                pointee.weakLists[target] = nil
                if pointee.watches[target] == nil {
                    target.setGCPreviousRaw(target.gcPreviousRaw & ~GCFlags.hasWeakReferences)
                }
            }
        }
        next?.setField(Layout.weakPrevious, previous)
        wr.setField(Layout.weakReferent, UnsafeMutableRawPointer?.none)
        wr.setField(Layout.weakNext, UnsafeMutableRawPointer?.none)
        wr.setField(Layout.weakPrevious, UnsafeMutableRawPointer?.none)
    }

    /// The referent is dying by reference count: clear every weak reference to it first,
    /// then call the callbacks, each with a reference held on its weak reference.
    func clearWeakReferences(to object: UnsafeMutableRawPointer, runCallbacks: Bool) {
        pointee.watches.removeValue(forKey: object)
        var withCallbacks: [UnsafeMutableRawPointer] = []
        while let wr = pointee.weakLists[object] {
            clearWeakReference(wr)
            if runCallbacks && pointee.weakCallbacks[wr] != nil {
                HeapCore.retain(wr)
                withCallbacks.append(wr)
            }
        }
        for wr in withCallbacks {
            callWeakCallback(wr)
            HeapCore.release(wr)
        }
    }

    func callWeakCallback(_ wr: UnsafeMutableRawPointer) {
        guard let heap = pointee.owner, let callback = pointee.weakCallbacks[wr] else { return }
        let context = wr.field(Layout.weakCallback, as: UnsafeMutableRawPointer?.self)
        callback.body(heap, ObjectRef(wr), context.map(ObjectRef.init))
    }

    func deallocateWeakReference(_ wr: UnsafeMutableRawPointer) {
        clearWeakReference(wr)
        clearWeakReferenceCallback(wr)
        freeBlock(wr, size: Layout.weakSize, container: true)
    }

    /// Drops the callback and its context (the weak reference's `tp_clear`).
    func clearWeakReferenceCallback(_ wr: UnsafeMutableRawPointer) {
        // Dropped after the table write: the closure's captures may free objects.
        let callback = pointee.weakCallbacks.removeValue(forKey: wr)
        withExtendedLifetime(callback) {}
        if let context = wr.field(Layout.weakCallback, as: UnsafeMutableRawPointer?.self) {
            wr.setField(Layout.weakCallback, UnsafeMutableRawPointer?.none)
            HeapCore.release(context)
        }
    }
}
