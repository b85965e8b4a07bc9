import HeapRuntime

extension Interpreter {
    /// `sys`: getrefcount, getsizeof, recursion limit, exit, argv, stdout/stderr markers.
    func makeSysModule() -> ObjectRef {
        let module = makeModule("sys")
        addFunction(module, "getrefcount") { (interp, args, _) throws(PyException) in
            try interp.checkArity("getrefcount", args, 1, 1)
            // The caller's argument list holds one reference, as CPython's stack does.
            return interp.int(interp.heap.refcount(of: args[0]))
        }
        addFunction(module, "getsizeof") { (interp, args, _) throws(PyException) in
            try interp.checkArity("getsizeof", args, 1, 2)
            return interp.int(interp.heap.shallowSize(of: args[0]))
        }
        addFunction(module, "getrecursionlimit") { (interp, _, _) throws(PyException) in interp.int(interp.recursionLimit) }
        addFunction(module, "setrecursionlimit") { (interp, args, _) throws(PyException) in
            try interp.checkArity("setrecursionlimit", args, 1, 1)
            let limit = try interp.intArgument(args[0], "limit")
            if limit < 1 { throw interp.valueError("recursion limit must be greater or equal than 1") }
            interp.recursionLimit = min(limit, Interpreter.maximumRecursionLimit)
            return interp.none
        }
        addFunction(module, "exit") { (interp, args, _) throws(PyException) in
            let cls = interp.exceptionClasses["SystemExit"].unsafelyUnwrapped
            throw PyException(object: try interp.instantiate(cls, args, []))
        }
        addFunction(module, "intern") { (interp, args, _) throws(PyException) in
            try interp.checkArity("intern", args, 1, 1)
            do throws(HeapError) { return interp.own(try interp.heap.intern(args[0])) } catch { throw interp.translate(error) }
        }
        for stream in ["stdout", "stderr"] {
            let marker = str("<\(stream)>")
            setModuleValue(module, stream, marker)
            drop(marker)
        }
        let argv = own(heap.list(arguments.map { heap.str($0).unmanaged() }))
        for item in (try? heap.items(of: argv)) ?? [] { drop(item) }
        setModuleValue(module, "argv", argv)
        drop(argv)
        let maxsize = int(Int.max)
        setModuleValue(module, "maxsize", maxsize)
        drop(maxsize)
        return module
    }

    /// The deepest recursion limit the interpreter's thread stack is sized for.
    static let maximumRecursionLimit = 20_000
}
