import HeapRuntime

extension Heap {
    /// LeakCanary's `ObjectWatcher.expectWeaklyReachable`: says `object` should be freed
    /// by the end of the check. If a leak check (``LeakChecker``) finds it alive after its
    /// collection, the check fails with a `watched` group naming `description` and the
    /// path that holds the object. Takes no reference. Only containers can be watched.
    /// - Throws: `HeapError` for an atom (an int, a str), which cannot leak through cycles.
    public func expectWeaklyReachable(_ object: borrowing some ObjectReference & ~Copyable,
                                      description: String) throws(HeapError) {
        try watch(object, description: description)
    }
}
