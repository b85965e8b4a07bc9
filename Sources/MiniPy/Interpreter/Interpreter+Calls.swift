import HeapRuntime

// Calling: functions, bound methods, built-ins, classes, types and weak references.
extension Interpreter {
    /// A new built-in function object (owned) running `impl`.
    func makeBuiltin(_ name: String, bound: ObjectRef? = nil, _ impl: @escaping BuiltinImpl) -> ObjectRef {
        builtinImpls.append((name, impl))
        return own(heap.makeHost(builtinType, BuiltinPayload(index: builtinImpls.count - 1, bound: bound)))
    }

    /// `callee(*args, **kwargs)`: arguments borrowed, result owned.
    ///
    /// `stealing`: the arguments are references the caller's evaluation owns, and a Python
    /// function takes them over for its parameters, as CPython 3.11's CALL moves them from
    /// the value stack into the new frame (so a parameter's count has no extra reference
    /// from the caller). Calls from Swift (built-ins, `__init__` through a class) do not.
    func call(_ callee: ObjectRef, _ args: [ObjectRef], _ kwargs: [(String, ObjectRef)] = [], stealing: Bool = false) throws(PyException) -> ObjectRef {
        switch tag(callee) {
        case .host:
            if let function = heap.payload(of: callee, as: functionType) {
                return try invoke(callee, function, args, kwargs, stealFrom: stealing ? 0 : nil)
            }
            if let builtin = heap.payload(of: callee, as: builtinType) {
                if let bound = builtin.bound { return try builtinImpls[builtin.index].impl(self, [bound] + args, kwargs) }
                return try builtinImpls[builtin.index].impl(self, args, kwargs)
            }
            if let method = heap.payload(of: callee, as: methodType), let function = method.function, let instance = method.instance {
                if let payload = heap.payload(of: function, as: functionType) {
                    return try invoke(function, payload, [instance] + args, kwargs, stealFrom: stealing ? 1 : nil)
                }
                return try call(function, [instance] + args, kwargs)
            }
            if let type = heap.payload(of: callee, as: typeType) {
                return try construct(type.kind, args, kwargs)
            }
            if let wrapper = heap.payload(of: callee, as: wrapperType), let function = wrapper.function, !wrapper.isClassMethod {
                return try call(function, args, kwargs)
            }
        case .class:
            return try instantiate(callee, args, kwargs)
        case .weakref:
            if !args.isEmpty { throw typeError("weakref() takes no arguments") }
            guard let target = try? heap.referent(of: callee) else { return none }
            return own(target)
        case .instance:
            if let method = lookupSpecial(callee, "__call__") { return try callMethod(method, callee, args, kwargs) }
        default: break
        }
        throw typeError("'\(typeName(callee))' object is not callable")
    }

    /// Calls a class attribute found for `instance`: a function gets the instance first.
    func callMethod(_ attribute: ObjectRef, _ instance: ObjectRef, _ args: [ObjectRef], _ kwargs: [(String, ObjectRef)] = [], stealing: Bool = false) throws(PyException) -> ObjectRef {
        if let function = heap.payload(of: attribute, as: functionType) {
            return try invoke(attribute, function, [instance] + args, kwargs, stealFrom: stealing ? 0 : nil)
        }
        if let wrapper = heap.payload(of: attribute, as: wrapperType), let function = wrapper.function {
            if wrapper.isClassMethod { return try call(function, [tag(instance) == .class ? instance : typeOf(instance)] + args, kwargs) }
            return try call(function, args, kwargs)
        }
        if let builtin = heap.payload(of: attribute, as: builtinType), builtin.bound == nil {
            return try builtinImpls[builtin.index].impl(self, [instance] + args, kwargs)
        }
        return try call(attribute, args, kwargs)
    }

    /// A frame for a call of `code`, from its pool when one is free, with one count the
    /// caller hands to ``recycle(_:_:)``.
    @inline(__always)
    func makeFrame(_ code: CodeObject, _ functionObject: ObjectRef, _ function: FunctionPayload) -> Unmanaged<Frame> {
        let globals = function.globals ?? heap.none
        guard let reused = code.takePooledFrame() else {
            let frame = Frame(code: code, globals: globals, interpreter: self)
            frame.function = functionObject
            return .passRetained(frame)
        }
        reused._withUnsafeGuaranteedRef { frame in
            frame.globals = globals
            frame.line = code.firstLine
            frame.function = functionObject
        }
        return reused
    }

    /// Gives a finished call's frame back to its code's pool, its locals released.
    @inline(__always)
    func recycle(_ frame: Unmanaged<Frame>, _ code: CodeObject) {
        frame._withUnsafeGuaranteedRef { $0.clear() }
        code.poolFrame(frame)
    }

    /// Runs a Python function: binds the arguments to a new frame's slots as CPython's
    /// `_PyEval_MakeFrameVector` does (each parameter holds its own reference), runs the body,
    /// returns the result (owned).
    func invoke(_ functionObject: ObjectRef, _ function: FunctionPayload, _ args: [ObjectRef], _ kwargs: [(String, ObjectRef)],
                stealFrom: Int? = nil) throws(PyException) -> ObjectRef {
        let code = function.code
        callDepth += 1
        defer { callDepth -= 1 }
        if callDepth > recursionLimit { throw raise("RecursionError", "maximum recursion depth exceeded") }
        let pooledFrame = makeFrame(code, functionObject, function)
        let frame = pooledFrame.takeUnretainedValue()
        let parameterCount = code.parameterCount
        let slots = frame.slots
        let positional = min(args.count, parameterCount)
        for i in 0..<positional { slots[i] = newRef(args[i]) }
        // Taking over the caller's references: each is given back before the frame goes,
        // so the caller's later release balances (the frame still holds its own then).
        var stolenKeywords: [ObjectRef] = []
        let stolenRange = stealFrom.map { min($0, positional)..<positional } ?? 0..<0
        defer {
            for i in stolenRange { _ = newRef(args[i]) }
            for object in stolenKeywords { _ = newRef(object) }
            recycle(pooledFrame, code)
        }
        for i in stolenRange { drop(args[i]) }
        var next = parameterCount
        if code.hasVarArgs {
            slots[next] = own(heap.tuple(args.count > parameterCount ? Array(args[parameterCount...]) : []))
            next += 1
        } else if args.count > parameterCount {
            throw tooManyArguments(code, args.count)
        }
        if !kwargs.isEmpty {
            var extra: ObjectRef?
            if code.hasKwArgs { extra = own(heap.dict()); slots[next] = extra }
            for (key, value) in kwargs {
                if let index = code.parameterNames.firstIndex(of: key) {
                    if slots[index] != nil { throw typeError("\(code.name)() got multiple values for argument '\(key)'") }
                    slots[index] = newRef(value)
                    if stealFrom != nil {
                        stolenKeywords.append(value)
                        drop(value)
                    }
                } else if let extra {
                    try? heap.setItem(heap.str(key), to: value, in: extra)
                } else {
                    throw typeError("\(code.name)() got an unexpected keyword argument '\(key)'")
                }
            }
        } else if code.hasKwArgs {
            slots[next] = own(heap.dict())
        }
        return try run(frame, code, function, positional: positional)
    }

    func tooManyArguments(_ code: CodeObject, _ given: Int) -> PyException {
        let count = code.parameterCount
        return typeError("\(code.name)() takes \(count) positional argument\(count == 1 ? "" : "s") but \(given) \(given == 1 ? "was" : "were") given")
    }

    /// The rest of a call once the given arguments are in the frame's slots: defaults,
    /// cells, the closure, the body. The caller recycles the frame.
    func run(_ frame: Frame, _ code: CodeObject, _ function: FunctionPayload, positional: Int) throws(PyException) -> ObjectRef {
        let slots = frame.slots
        let parameterCount = code.parameterCount
        if positional < parameterCount {
            let defaults = function.defaults.flatMap { try? heap.items(of: $0) } ?? []
            let firstDefault = parameterCount - defaults.count
            var missing: [String] = []
            for i in positional..<parameterCount where slots[i] == nil {
                if i >= firstDefault { slots[i] = newRef(defaults[i - firstDefault]) } else { missing.append(code.parameterNames[i]) }
            }
            if !missing.isEmpty {
                let names = missing.map { "'\($0)'" }
                let list = names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " and " + names[names.count - 1]
                throw typeError("\(code.name)() missing \(missing.count) required positional argument\(missing.count == 1 ? "" : "s"): \(list)")
            }
        }
        if code.hasCells {
            for slot in code.cellSlots {
                let value = slots[slot]
                slots[slot] = own(heap.makeHost(cellType, CellPayload(value: value)))
                drop(value)
            }
        }
        if code.hasFreeVariables, let closure = function.closure, let cells = try? heap.items(of: closure) {
            for (i, slot) in code.freeSlots.enumerated() where i < cells.count { slots[slot] = newRef(cells[i]) }
        }
        let profile = tracing ? profiles[ObjectIdentifier(code)] : nil
        profile?.call(line: code.sourceLines?.lowerBound ?? code.firstLine)
        do throws(PyException) {
            _ = try code.body(frame)
        } catch {
            profile?.finish(memory: heapBytes)
            var error = error
            error.traceback.append((code, frame.line))
            throw error
        }
        profile?.finish(memory: heapBytes)
        if let result = frame.returnValue {
            frame.returnValue = nil
            return result
        }
        return none
    }

    /// A call from compiled code with `count` positional arguments and no others: the
    /// arguments are evaluated straight into the new frame's parameter slots (CPython's
    /// CALL moves them from its stack the same way), so no argument list is made. `first`,
    /// when given, is the instance of a method call, handed over owned.
    func callDirect(_ callee: ObjectRef, _ function: FunctionPayload, count: Int, first: ObjectRef?,
                    _ caller: Frame, _ fill: ArgumentFill) throws(PyException) -> ObjectRef {
        // The code object borrowed for the call without a reference count of its own: the
        // interpreter keeps every code object alive.
        var failure: PyException?
        let result = function.codeReference._withUnsafeGuaranteedRef { code -> ObjectRef? in
            do throws(PyException) {
                return try callDirect(callee, function, code, count: count, first: first, caller, fill)
            } catch {
                failure = error
                return nil
            }
        }
        if let failure { throw failure }
        return result.unsafelyUnwrapped
    }

    private func callDirect(_ callee: ObjectRef, _ function: FunctionPayload, _ code: CodeObject, count: Int, first: ObjectRef?,
                            _ caller: Frame, _ fill: ArgumentFill) throws(PyException) -> ObjectRef {
        let total = count + (first == nil ? 0 : 1)
        callDepth += 1
        defer { callDepth -= 1 }
        if callDepth > recursionLimit {
            drop(first)
            throw raise("RecursionError", "maximum recursion depth exceeded")
        }
        let pooledFrame = makeFrame(code, callee, function)
        defer { recycle(pooledFrame, code) }
        // The frame borrowed for the call: the count ``makeFrame`` handed over keeps it.
        var failure: PyException?
        let result = pooledFrame._withUnsafeGuaranteedRef { frame -> ObjectRef? in
            do throws(PyException) {
                var slots = frame.slots
                if let first {
                    slots[0] = first
                    slots += 1
                }
                try fill(caller, slots)
                if total > code.parameterCount { throw tooManyArguments(code, total) }
                return try run(frame, code, function, positional: total)
            } catch {
                failure = error
                return nil
            }
        }
        if let failure { throw failure }
        return result.unsafelyUnwrapped
    }
}

/// Evaluates a call's arguments into the slots given (owned references).
typealias ArgumentFill = (Frame, UnsafeMutablePointer<ObjectRef?>) throws(PyException) -> Void

extension Interpreter {
    /// `cls(*args, **kwargs)`: a new instance, then `__init__`.
    func instantiate(_ cls: ObjectRef, _ args: [ObjectRef], _ kwargs: [(String, ObjectRef)]) throws(PyException) -> ObjectRef {
        let instance: ObjectRef
        do throws(HeapError) { instance = own(try heap.instance(of: cls)) } catch { throw translate(error) }
        if let initializer = heap.attribute(name("__init__"), of: cls) {
            let result: ObjectRef
            do throws(PyException) {
                result = try callMethod(initializer, instance, args, kwargs)
            } catch {
                drop(instance)
                throw error
            }
            defer { drop(result) }
            if result != heap.none { drop(instance); throw typeError("__init__() should return None, not '\(typeName(result))'") }
        } else if !args.isEmpty || !kwargs.isEmpty {
            drop(instance)
            throw typeError("\(heap.typeName(of: cls))() takes no arguments")
        }
        return instance
    }

    /// The value of a cell (borrowed), nil when empty.
    @inline(__always) func cellValue(_ cell: ObjectRef) -> ObjectRef? {
        heap.payload(of: cell, as: cellType)?.value
    }

    func setCell(_ cell: ObjectRef, _ value: ObjectRef?) {
        _ = try? heap.updatePayload(of: cell, as: cellType) { $0.value = value }
    }
}

