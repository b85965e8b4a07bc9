import HeapRuntime

extension Interpreter {
    /// `gc`, over the heap's collector (docs/gc.md maps each function).
    func makeGCModule() -> ObjectRef {
        let module = makeModule("gc")
        addFunction(module, "collect") { (interp, args, kwargs) throws(PyException) in
            try interp.checkArity("collect", args, 0, 1)
            let given = args.first ?? interp.keyword(kwargs, "generation")
            let generation = try given.map { (value) throws(PyException) -> Int in try interp.intArgument(value, "generation") } ?? 2
            guard (0...2).contains(generation) else { throw interp.valueError("invalid generation") }
            return interp.int(interp.heap.gc.collect(generation: generation))
        }
        addFunction(module, "enable") { (interp, _, _) throws(PyException) in interp.heap.gc.enable(); return interp.none }
        addFunction(module, "disable") { (interp, _, _) throws(PyException) in interp.heap.gc.disable(); return interp.none }
        addFunction(module, "isenabled") { (interp, _, _) throws(PyException) in interp.bool(interp.heap.gc.isEnabled) }
        addFunction(module, "get_threshold") { (interp, _, _) throws(PyException) in
            let (a, b, c) = interp.heap.gc.thresholds
            return interp.intTuple([a, b, c])
        }
        addFunction(module, "set_threshold") { (interp, args, _) throws(PyException) in
            try interp.checkArity("set_threshold", args, 1, 3)
            var (a, b, c) = interp.heap.gc.thresholds
            a = try interp.intArgument(args[0], "threshold0")
            if args.count > 1 { b = try interp.intArgument(args[1], "threshold1") }
            if args.count > 2 { c = try interp.intArgument(args[2], "threshold2") }
            interp.heap.gc.thresholds = (a, b, c)
            return interp.none
        }
        addFunction(module, "get_count") { (interp, _, _) throws(PyException) in
            let (a, b, c) = interp.heap.gc.counts
            return interp.intTuple([a, b, c])
        }
        addFunction(module, "get_stats") { (interp, _, _) throws(PyException) in
            let list = interp.own(interp.heap.list())
            for stats in interp.heap.gc.stats {
                let dict = interp.own(interp.heap.dict())
                for (key, value) in [("collections", stats.collections), ("collected", stats.collected), ("uncollectable", stats.uncollectable)] {
                    try? interp.heap.setItem(interp.name(key), to: interp.heap.int(value), in: dict)
                }
                try? interp.heap.append(dict, to: list)
                interp.drop(dict)
            }
            return list
        }
        addFunction(module, "get_objects") { (interp, args, kwargs) throws(PyException) in
            let given = args.first ?? interp.keyword(kwargs, "generation")
            let generation = try given.flatMap { (value) throws(PyException) -> Int? in value == interp.heap.none ? nil : try interp.intArgument(value, "generation") }
            if let generation, !(0...2).contains(generation) { throw interp.valueError("generation parameter must be less than the number of available generations (3)") }
            return interp.own(interp.heap.list(interp.heap.gc.objects(generation: generation)))
        }
        addFunction(module, "get_referrers") { (interp, args, _) throws(PyException) in
            var found: [ObjectRef] = []
            var seen: Set<ObjectRef> = []
            for arg in args {
                for referrer in interp.heap.referrers(of: arg) where interp.heap.gc.isTracked(referrer) && seen.insert(referrer).inserted {
                    found.append(referrer)
                }
            }
            return interp.own(interp.heap.list(found))
        }
        addFunction(module, "get_referents") { (interp, args, _) throws(PyException) in
            var found: [ObjectRef] = []
            for arg in args { found += interp.heap.referents(of: arg).filter { !$0.isWeak }.map(\.target) }
            return interp.own(interp.heap.list(found))
        }
        addFunction(module, "is_tracked") { (interp, args, _) throws(PyException) in
            try interp.checkArity("is_tracked", args, 1, 1)
            return interp.bool(interp.heap.gc.isTracked(args[0]))
        }
        addFunction(module, "is_finalized") { (interp, args, _) throws(PyException) in
            try interp.checkArity("is_finalized", args, 1, 1)
            return interp.bool(interp.heap.gc.isFinalized(args[0]))
        }
        addFunction(module, "freeze") { (interp, _, _) throws(PyException) in interp.heap.gc.freeze(); return interp.none }
        addFunction(module, "unfreeze") { (interp, _, _) throws(PyException) in interp.heap.gc.unfreeze(); return interp.none }
        addFunction(module, "get_freeze_count") { (interp, _, _) throws(PyException) in interp.int(interp.heap.gc.freezeCount) }
        addFunction(module, "set_debug") { (interp, args, _) throws(PyException) in
            try interp.checkArity("set_debug", args, 1, 1)
            interp.heap.gc.debugFlags = CollectorDebugFlags(rawValue: try interp.intArgument(args[0], "flags"))
            return interp.none
        }
        addFunction(module, "get_debug") { (interp, _, _) throws(PyException) in interp.int(interp.heap.gc.debugFlags.rawValue) }
        for (flag, value) in [("DEBUG_STATS", 1), ("DEBUG_COLLECTABLE", 2), ("DEBUG_UNCOLLECTABLE", 4), ("DEBUG_SAVEALL", 32), ("DEBUG_LEAK", 38)] {
            let number = int(value)
            setModuleValue(module, flag, number)
            drop(number)
        }
        setModuleValue(module, "garbage", heap.gc.garbage)
        // Debug lines go to stderr, after what the program printed so far.
        heap.gc.setDebugSink { [unowned(unsafe) self] line in
            self.stdout.flush()
            self.stderr.write(line.hasSuffix("\n") ? line : line + "\n")
            self.stderr.flush()
        }
        let callbacks = own(heap.list())
        setModuleValue(module, "callbacks", callbacks)
        gcCallbacksList = callbacks
        drop(callbacks)
        heap.gc.addCallback { [unowned(unsafe) self] phase, info in self.runCollectorCallbacks(phase, info) }
        return module
    }

    func intTuple(_ values: [Int]) -> ObjectRef {
        let items = values.map { int($0) }
        defer { for item in items { drop(item) } }
        return own(heap.tuple(items))
    }

    /// Calls each callable in `gc.callbacks` with the phase and an info dict.
    func runCollectorCallbacks(_ phase: CollectorPhase, _ info: CollectionInfo) {
        guard let list = gcCallbacksList, let callbacks = try? heap.items(of: list), !callbacks.isEmpty else { return }
        let held = callbacks.map { newRef($0) }
        defer { for callback in held { drop(callback) } }
        let phaseObject = str(phase.rawValue)
        let dict = own(heap.dict())
        defer { drop(phaseObject); drop(dict) }
        for (key, value) in [("generation", info.generation), ("collected", info.collected), ("uncollectable", info.uncollectable)] {
            try? heap.setItem(name(key), to: heap.int(value), in: dict)
        }
        for callback in held {
            do throws(PyException) { drop(try call(callback, [phaseObject, dict])) } catch { reportUnraisable(error, in: callback) }
        }
    }

    /// "Exception ignored in: …" and the traceback, on stderr, as CPython reports errors in
    /// callbacks and finalizers.
    func reportUnraisable(_ error: PyException, in object: ObjectRef) {
        stdout.flush()
        stderr.write("Exception ignored in: \((try? repr(object)) ?? "<object>")\n" + formatTraceback(error))
        stderr.flush()
        drop(error.object)
    }
}
