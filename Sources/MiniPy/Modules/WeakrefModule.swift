import HeapRuntime

extension Interpreter {
    /// `weakref`: ref (with a callback) and getweakrefcount.
    func makeWeakrefModule() -> ObjectRef {
        let module = makeModule("weakref")
        addFunction(module, "ref") { (interp, args, _) throws(PyException) in
            try interp.checkArity("ref", args, 1, 2)
            let target = args[0]
            let callback = args.count > 1 && args[1] != interp.heap.none ? args[1] : nil
            do throws(HeapError) {
                if let callback {
                    let body = WeakReferenceCallback { [unowned(unsafe) interp] _, reference, context in
                        guard let context else { return }
                        do throws(PyException) { interp.drop(try interp.call(context, [reference])) } catch { interp.reportUnraisable(error, in: context) }
                    }
                    return interp.own(try interp.heap.weakReference(to: target, callback: body, context: callback))
                }
                return interp.own(try interp.heap.weakReference(to: target))
            } catch {
                throw interp.typeError("cannot create weak reference to '\(interp.typeName(target))' object")
            }
        }
        addFunction(module, "getweakrefcount") { (interp, args, _) throws(PyException) in
            try interp.checkArity("getweakrefcount", args, 1, 1)
            return interp.int(interp.heap.weakReferenceCount(of: args[0]))
        }
        return module
    }
}
