import HeapRuntime

// Attribute access, classes, super().
extension Interpreter {
    /// `object.name` (owned result). Functions found on the class are bound to the instance.
    func getAttribute(_ object: ObjectRef, _ key: ObjectRef) throws(PyException) -> ObjectRef {
        switch tag(object) {
        case .instance:
            if let value = heap.attribute(key, of: object) {
                if let cls = heap.classOf(object), tag(value) == .host, heap.attribute(key, of: cls) == value {
                    return try bind(value, to: object)
                }
                return newRef(value)
            }
            let text = heap.stringValue(of: key) ?? ""
            if text == "__class__", let cls = heap.classOf(object) { return newRef(cls) }
            if text == "__dict__" {
                let dict = own(heap.dict())
                for (name, value) in heap.attributes(of: object) { try? heap.setItem(name, to: value, in: dict) }
                return dict
            }
            throw raise("AttributeError", "'\(heap.typeName(of: object))' object has no attribute '\(text)'")
        case .class:
            let text = heap.stringValue(of: key) ?? ""
            if text == "__name__" {
                let qualified = heap.attribute(name("__qualname__"), of: object).flatMap { heap.stringValue(of: $0) } ?? ""
                return str(qualified.split(separator: ".").last.map(String.init) ?? qualified)
            }
            if text == "__base__" || text == "__bases__" {
                let base = heap.baseClass(of: object) ?? typeObjects[.object].unsafelyUnwrapped
                return text == "__base__" ? newRef(base) : own(heap.tuple([base]))
            }
            if let value = heap.attribute(key, of: object) {
                if let wrapper = heap.payload(of: value, as: wrapperType), let function = wrapper.function {
                    if wrapper.isClassMethod { return own(heap.makeHost(methodType, MethodPayload(function: function, instance: object))) }
                    return newRef(function)
                }
                return newRef(value)
            }
            throw raise("AttributeError", "type object '\(className(object).split(separator: ".").last.map(String.init) ?? "")' has no attribute '\(text)'")
        case .host:
            if let module = heap.payload(of: object, as: moduleType) {
                if let value = moduleAttribute(object, key) { return newRef(value) }
                throw raise("AttributeError", "module '\(module.name)' has no attribute '\(heap.stringValue(of: key) ?? "")'")
            }
            if let sup = heap.payload(of: object, as: superType), let cls = sup.cls, let instance = sup.instance {
                if let base = heap.baseClass(of: cls), let value = heap.attribute(key, of: base) {
                    return try bind(value, to: instance)
                }
                if heap.stringValue(of: key) == "__init__" {
                    return makeBuiltin("__init__") { (interp, _, _) throws(PyException) in interp.none }
                }
                throw raise("AttributeError", "'super' object has no attribute '\(heap.stringValue(of: key) ?? "")'")
            }
            if let function = heap.payload(of: object, as: functionType) {
                switch heap.stringValue(of: key) {
                case "__name__": return str(function.code.name)
                case "__qualname__": return str(function.code.qualifiedName)
                case "__defaults__": return newRef(function.defaults ?? heap.none)
                case "__closure__": return newRef(function.closure ?? heap.none)
                case "__globals__": return newRef(function.globals ?? heap.none)
                case "__module__": return str("__main__")
                default: break
                }
            }
            if let type = heap.payload(of: object, as: typeType), heap.stringValue(of: key) == "__name__" {
                return str(type.kind.rawValue)
            }
            if let method = heap.payload(of: object, as: methodType) {
                switch heap.stringValue(of: key) {
                case "__self__": return newRef(method.instance ?? heap.none)
                case "__func__": return newRef(method.function ?? heap.none)
                default: break
                }
            }
            if let cell = heap.payload(of: object, as: cellType), heap.stringValue(of: key) == "cell_contents" {
                guard let value = cell.value else { throw valueError("Cell is empty") }
                return newRef(value)
            }
        default:
            break
        }
        // Built-in methods of built-in types, bound.
        let text = heap.stringValue(of: key) ?? ""
        if let index = methodTables[tag(object)]?[text] {
            return own(heap.makeHost(builtinType, BuiltinPayload(index: index, bound: object)))
        }
        if text == "__class__" { return newRef(typeOf(object)) }
        throw raise("AttributeError", "'\(typeName(object))' object has no attribute '\(text)'")
    }

    /// A class attribute made ready for an instance: functions become bound methods.
    func bind(_ value: ObjectRef, to instance: ObjectRef) throws(PyException) -> ObjectRef {
        if heap.payload(of: value, as: functionType) != nil {
            return own(heap.makeHost(methodType, MethodPayload(function: value, instance: instance)))
        }
        if let wrapper = heap.payload(of: value, as: wrapperType), let function = wrapper.function {
            if wrapper.isClassMethod {
                let cls = tag(instance) == .class ? instance : typeOf(instance)
                return own(heap.makeHost(methodType, MethodPayload(function: function, instance: cls)))
            }
            return newRef(function)
        }
        if let builtin = heap.payload(of: value, as: builtinType), builtin.bound == nil {
            return own(heap.makeHost(builtinType, BuiltinPayload(index: builtin.index, bound: instance)))
        }
        return newRef(value)
    }

    /// `object.name(args)` without making a bound method where it can (LOAD_METHOD).
    func callAttribute(_ object: ObjectRef, _ key: ObjectRef, _ args: [ObjectRef], _ kwargs: [(String, ObjectRef)]) throws(PyException) -> ObjectRef {
        switch tag(object) {
        case .instance:
            if let value = heap.attribute(key, of: object) {
                if let cls = heap.classOf(object), tag(value) == .host, heap.attribute(key, of: cls) == value {
                    return try callMethod(value, object, args, kwargs, stealing: true)
                }
                return try call(value, args, kwargs, stealing: true)
            }
        case .list, .dict, .str, .set, .tuple, .int, .float:
            if let index = methodTables[tag(object)]?[heap.stringValue(of: key) ?? ""] {
                return try builtinImpls[index].impl(self, [object] + args, kwargs)
            }
        case .host:
            if heap.payload(of: object, as: moduleType) != nil, let value = moduleAttribute(object, key) {
                return try call(value, args, kwargs, stealing: true)
            }
        default: break
        }
        let attribute = try getAttribute(object, key)
        defer { drop(attribute) }
        return try call(attribute, args, kwargs, stealing: true)
    }

    /// A module's attribute, borrowed.
    func moduleAttribute(_ module: ObjectRef, _ key: ObjectRef) -> ObjectRef? {
        guard let payload = heap.payload(of: module, as: moduleType), let dict = payload.dict else { return nil }
        return try? heap.item(forKey: key, in: dict)
    }

    /// `object.name = value` (value borrowed).
    func setAttribute(_ object: ObjectRef, _ key: ObjectRef, _ value: ObjectRef) throws(PyException) {
        switch tag(object) {
        case .instance, .class:
            do throws(HeapError) { try heap.setAttribute(key, to: value, on: object) } catch { throw translate(error) }
        case .host:
            if let module = heap.payload(of: object, as: moduleType), let dict = module.dict {
                try? heap.setItem(key, to: value, in: dict)
                return
            }
            fallthrough
        default:
            throw raise("AttributeError", "'\(typeName(object))' object has no attribute '\(heap.stringValue(of: key) ?? "")'")
        }
    }

    func deleteAttribute(_ object: ObjectRef, _ name: String) throws(PyException) {
        switch tag(object) {
        case .instance:
            do throws(HeapError) { try heap.deleteAttribute(name, of: object) } catch {
                throw raise("AttributeError", "'\(heap.typeName(of: object))' object has no attribute '\(name)'")
            }
        case .class:
            guard let dict = heap.attribute(self.name("__dict__"), of: object) ?? nil else {
                throw raise("AttributeError", "cannot delete class attribute '\(name)'")
            }
            try? heap.removeItem(forKey: self.name(name), from: dict)
        default:
            throw raise("AttributeError", "'\(typeName(object))' object has no attribute '\(name)'")
        }
    }

    /// Makes a class from a class body's namespace (borrowed); returns it owned.
    func makeClass(_ name: String, bases: [ObjectRef], namespace: ObjectRef) throws(PyException) -> ObjectRef {
        var base: ObjectRef?
        if let first = bases.first {
            if let type = heap.payload(of: first, as: typeType) {
                if type.kind != .object { throw raise("TypeError", "not supported by minipy: subclassing the built-in type '\(type.kind.rawValue)'") }
            } else if tag(first) == .class {
                base = first
            } else {
                throw typeError("bases must be types")
            }
        }
        let hasFinalizer = (try? heap.item(forKey: self.name("__del__"), in: namespace)) != nil
        let finalizer: Finalizer? = hasFinalizer ? Finalizer.modern { [unowned(unsafe) self] _, object in self.runFinalizer(object) } : nil
        let cls: ObjectRef
        do throws(HeapError) { cls = own(try heap.makeClass(name, base: base, finalizer: finalizer)) } catch { throw translate(error) }
        for entry in (try? heap.entries(of: namespace)) ?? [] {
            try? heap.setAttribute(entry.key, to: entry.value, on: cls)
            if let function = heap.payload(of: entry.value, as: functionType), function.code.isMethod {
                _ = try? heap.updatePayload(of: entry.value, as: functionType) { $0.ownerClass = cls }
            }
        }
        return cls
    }

    /// Runs `__del__` for a dying instance; an exception is reported and ignored, as CPython does.
    func runFinalizer(_ object: ObjectRef) {
        guard let method = lookupSpecial(object, "__del__") else { return }
        do throws(PyException) {
            drop(try callMethod(method, object, []))
        } catch {
            stdout.flush()
            stderr.write("Exception ignored in: \((try? repr(method)) ?? "__del__")\n" + formatTraceback(error))
            drop(error.object)
        }
    }

    /// Zero-argument `super()` inside a method: the method's class and its first argument.
    func makeSuper(_ frame: Frame) throws(PyException) -> ObjectRef {
        guard let function = frame.function, let payload = heap.payload(of: function, as: functionType),
              let cls = payload.ownerClass, frame.slotCount > 0, let first = frame.slots[0] else {
            throw raise("RuntimeError", "super(): no arguments")
        }
        let instance = tag(first) == .host ? (cellValue(first) ?? first) : first
        return own(heap.makeHost(superType, SuperPayload(cls: cls, instance: instance)))
    }
}
