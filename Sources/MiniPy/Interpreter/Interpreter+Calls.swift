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

    /// Runs a Python function: binds the arguments to a new frame's slots as CPython's
    /// `_PyEval_MakeFrameVector` does (each parameter holds its own reference), runs the body,
    /// returns the result (owned).
    func invoke(_ functionObject: ObjectRef, _ function: FunctionPayload, _ args: [ObjectRef], _ kwargs: [(String, ObjectRef)],
                stealFrom: Int? = nil) throws(PyException) -> ObjectRef {
        let code = function.code
        callDepth += 1
        defer { callDepth -= 1 }
        if callDepth > recursionLimit { throw raise("RecursionError", "maximum recursion depth exceeded") }
        let frame = Frame(code: code, globals: function.globals ?? heap.none, interpreter: self)
        frame.function = functionObject
        let parameterCount = code.parameterNames.count
        let slots = frame.slots
        let positional = min(args.count, parameterCount)
        for i in 0..<positional { slots[i] = newRef(args[i]) }
        // Taking over the caller's references: each is given back before the frame goes,
        // so the caller's later release balances (the frame still holds its own then).
        var stolen: [ObjectRef] = []
        defer {
            for object in stolen { _ = newRef(object) }
            withExtendedLifetime(frame) {}
        }
        if let first = stealFrom, first < positional {
            for i in first..<positional {
                stolen.append(args[i])
                drop(args[i])
            }
        }
        var next = parameterCount
        if code.hasVarArgs {
            slots[next] = own(heap.tuple(args.count > parameterCount ? Array(args[parameterCount...]) : []))
            next += 1
        } else if args.count > parameterCount {
            throw typeError("\(code.name)() takes \(parameterCount) positional argument\(parameterCount == 1 ? "" : "s") but \(args.count) \(args.count == 1 ? "was" : "were") given")
        }
        if !kwargs.isEmpty {
            var extra: ObjectRef?
            if code.hasKwArgs { extra = own(heap.dict()); slots[next] = extra }
            for (key, value) in kwargs {
                if let index = code.parameterNames.firstIndex(of: key) {
                    if slots[index] != nil { throw typeError("\(code.name)() got multiple values for argument '\(key)'") }
                    slots[index] = newRef(value)
                    if stealFrom != nil {
                        stolen.append(value)
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
        for slot in code.cellSlots {
            let value = slots[slot]
            slots[slot] = own(heap.makeHost(cellType, CellPayload(value: value)))
            drop(value)
        }
        if !code.freeSlots.isEmpty, let closure = function.closure, let cells = try? heap.items(of: closure) {
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

