import HeapRuntime

// Type queries, truth, repr and str.
extension Interpreter {
    /// The built-in type of a host object, if it is one of the interpreter's host types.
    func builtinKind(of object: ObjectRef) -> BuiltinType {
        switch tag(object) {
        case .none: return .NoneType
        case .bool: return .bool
        case .int: return .int
        case .float: return .float
        case .str: return .str
        case .bytes: return .str
        case .tuple: return .tuple
        case .list: return .list
        case .dict: return .dict
        case .set: return .set
        case .class: return .type
        case .instance: return .object
        case .weakref: return .weakref
        case .host:
            if heap.payload(of: object, as: functionType) != nil { return .function }
            if heap.payload(of: object, as: methodType) != nil { return .method }
            if heap.payload(of: object, as: builtinType) != nil { return .builtin_function_or_method }
            if heap.payload(of: object, as: typeType) != nil { return .type }
            if heap.payload(of: object, as: rangeType) != nil { return .range }
            if heap.payload(of: object, as: moduleType) != nil { return .module }
            if heap.payload(of: object, as: cellType) != nil { return .cell }
            if heap.payload(of: object, as: superType) != nil { return .super }
            if let wrapper = heap.payload(of: object, as: wrapperType) { return wrapper.isClassMethod ? .classmethod : .staticmethod }
            if heap.payload(of: object, as: codeType) != nil { return .code }
            return .object
        }
    }

    /// `type(object)`, borrowed: a class for instances, else a built-in type object.
    func typeOf(_ object: ObjectRef) -> ObjectRef {
        if tag(object) == .instance, let cls = heap.classOf(object) { return cls }
        return typeObjects[builtinKind(of: object)] ?? typeObjects[.object].unsafelyUnwrapped
    }

    /// `type(object).__name__`.
    func typeName(_ object: ObjectRef) -> String {
        switch tag(object) {
        case .instance: return heap.typeName(of: object)
        case .class: return "type"
        default: return builtinKind(of: object).rawValue
        }
    }

    /// `isinstance(object, cls)` for a user class (walks the bases).
    func isInstance(_ object: ObjectRef, of cls: ObjectRef?) -> Bool {
        guard let cls, tag(object) == .instance, var current = heap.classOf(object) else { return false }
        while true {
            if current == cls { return true }
            guard let base = heap.baseClass(of: current) else { return false }
            current = base
        }
    }

    /// Whether class `cls` is `base` or derives from it.
    func isSubclass(_ cls: ObjectRef, of base: ObjectRef) -> Bool {
        var current: ObjectRef? = cls
        while let c = current {
            if c == base { return true }
            current = heap.baseClass(of: c)
        }
        return false
    }

    /// `isinstance(object, classinfo)` for a class, a built-in type or a tuple of them.
    func isInstance(_ object: ObjectRef, classInfo: ObjectRef) throws(PyException) -> Bool {
        switch tag(classInfo) {
        case .tuple:
            for item in (try? heap.items(of: classInfo)) ?? [] where try isInstance(object, classInfo: item) { return true }
            return false
        case .class:
            if tag(object) == .class { return false }
            return isInstance(object, of: classInfo)
        default:
            guard let type = heap.payload(of: classInfo, as: typeType) else {
                throw typeError("isinstance() arg 2 must be a type or tuple of types")
            }
            let kind = builtinKind(of: object)
            switch type.kind {
            case .object: return true
            case .int: return kind == .int || kind == .bool
            case .type: return kind == .type
            default: return kind == type.kind
            }
        }
    }

    /// Python's truth value.
    func truthy(_ object: ObjectRef) throws(PyException) -> Bool {
        switch tag(object) {
        case .none: return false
        case .bool, .int: return heap.intValue(of: object) != 0
        case .float: return heap.floatValue(of: object) != 0
        case .str, .bytes, .tuple, .list, .dict, .set: return ((try? heap.count(of: object)) ?? 0) != 0
        case .instance:
            if let method = lookupSpecial(object, "__bool__") {
                let result = try callMethod(method, object, [])
                defer { drop(result) }
                return result == heap.bool(true)
            }
            if let method = lookupSpecial(object, "__len__") {
                let result = try callMethod(method, object, [])
                defer { drop(result) }
                return (heap.intValue(of: result) ?? 0) != 0
            }
            return true
        case .host:
            if let range = heap.payload(of: object, as: rangeType) { return range.count != 0 }
            return true
        default: return true
        }
    }

    /// A class attribute (through the bases) of an instance's class: `__repr__`, `__len__`, ….
    func lookupSpecial(_ object: ObjectRef, _ name: String) -> ObjectRef? {
        guard let cls = heap.classOf(object) else { return nil }
        return heap.attribute(self.name(name), of: cls)
    }

    /// `repr(object)`.
    func repr(_ object: ObjectRef) throws(PyException) -> String {
        var active: Set<ObjectRef> = []
        return try repr(object, active: &active, depth: 0)
    }

    private func repr(_ object: ObjectRef, active: inout Set<ObjectRef>, depth: Int) throws(PyException) -> String {
        if depth > recursionLimit { throw raise("RecursionError", "maximum recursion depth exceeded while getting the repr of an object") }
        switch tag(object) {
        case .none: return "None"
        case .bool: return object == heap.bool(true) ? "True" : "False"
        case .int: return String(heap.intValue(of: object) ?? 0)
        case .float: return formatFloat(heap.floatValue(of: object) ?? 0)
        case .str: return quote(heap.stringValue(of: object) ?? "")
        case .list, .tuple, .set, .dict:
            let kind = tag(object)
            if active.contains(object) { return kind == .list ? "[...]" : kind == .dict ? "{...}" : "..." }
            active.insert(object)
            defer { active.remove(object) }
            switch kind {
            case .list, .tuple:
                // Every item held first: a __repr__ may change the list while it is shown.
                let items = ((try? heap.items(of: object)) ?? []).map { newRef($0) }
                defer { for item in items { drop(item) } }
                var parts: [String] = []
                for item in items { parts.append(try repr(item, active: &active, depth: depth + 1)) }
                if kind == .list { return "[" + parts.joined(separator: ", ") + "]" }
                return parts.count == 1 ? "(" + parts[0] + ",)" : "(" + parts.joined(separator: ", ") + ")"
            case .set:
                let items = ((try? heap.keys(of: object)) ?? []).map { newRef($0) }
                defer { for item in items { drop(item) } }
                if items.isEmpty { return "set()" }
                var parts: [String] = []
                for item in items { parts.append(try repr(item, active: &active, depth: depth + 1)) }
                return "{" + parts.joined(separator: ", ") + "}"
            default:
                let entries = ((try? heap.entries(of: object)) ?? []).map { (key: newRef($0.key), value: newRef($0.value)) }
                defer { for entry in entries { drop(entry.key); drop(entry.value) } }
                var parts: [String] = []
                for entry in entries {
                    parts.append(try repr(entry.key, active: &active, depth: depth + 1) + ": " + repr(entry.value, active: &active, depth: depth + 1))
                }
                return "{" + parts.joined(separator: ", ") + "}"
            }
        case .class:
            return "<class '\(className(object))'>"
        case .instance:
            if let method = lookupSpecial(object, "__repr__") {
                if active.contains(object) { return "..." }
                let result = try callMethod(method, object, [])
                defer { drop(result) }
                guard let text = heap.stringValue(of: result) else {
                    throw typeError("__repr__ returned non-string (type \(typeName(result)))")
                }
                return text
            }
            if isException(object) {
                let args = argsOf(object)
                let inner = args.count == 1 ? try repr(args[0], active: &active, depth: depth + 1)
                    : args.isEmpty ? "" : try args.map { (item) throws(PyException) -> String in try repr(item) }.joined(separator: ", ")
                return "\(heap.typeName(of: object))(\(inner))"
            }
            return "<\(className(typeOf(object))) object at \(hexAddress(object))>"
        case .weakref:
            if let target = try? heap.referent(of: object) {
                return "<weakref at \(hexAddress(object)); to '\(typeName(target.ref))' at \(hexAddress(target.ref))>"
            }
            return "<weakref at \(hexAddress(object)); dead>"
        case .bytes: return "b''"
        case .host:
            if let function = heap.payload(of: object, as: functionType) { return "<function \(function.code.qualifiedName) at \(hexAddress(object))>" }
            if let type = heap.payload(of: object, as: typeType) { return "<class '\(type.kind.rawValue)'>" }
            if let range = heap.payload(of: object, as: rangeType) { return (try? range.repr()) ?? "range" }
            if let module = heap.payload(of: object, as: moduleType) { return "<module '\(module.name)'>" }
            if let builtin = heap.payload(of: object, as: builtinType) {
                let name = builtinImpls[builtin.index].name
                if let bound = builtin.bound { return "<built-in method \(name) of \(typeName(bound)) object at \(hexAddress(bound))>" }
                return "<built-in function \(name)>"
            }
            if let method = heap.payload(of: object, as: methodType), let function = method.function, let instance = method.instance,
               let payload = heap.payload(of: function, as: functionType) {
                return "<bound method \(payload.code.qualifiedName) of \(try repr(instance, active: &active, depth: depth + 1))>"
            }
            if let holder = heap.payload(of: object, as: codeType) {
                let code = holder.code
                return "<code object \(code.name) at \(hexAddress(object)), file \"\(code.filename)\", line \(code.firstLine)>"
            }
            return "<\(typeName(object)) object at \(hexAddress(object))>"
        }
    }

    /// `__main__.Name` for a user class, the bare name for built-in exception classes.
    func className(_ cls: ObjectRef) -> String {
        if let type = heap.payload(of: cls, as: typeType) { return type.kind.rawValue }
        let name = heap.stringValue(of: heap.attribute(self.name("__qualname__"), of: cls) ?? heap.none) ?? heap.repr(cls)
        let module = heap.attribute(self.name("__module__"), of: cls).flatMap { heap.stringValue(of: $0) } ?? "__main__"
        return module == "builtins" ? name : "\(module).\(name)"
    }

    func hexAddress(_ object: ObjectRef) -> String { "0x" + String(UInt(bitPattern: object.id), radix: 16).leftPadded(to: 12) }

    /// `str(object)`.
    func strOf(_ object: ObjectRef) throws(PyException) -> String {
        switch tag(object) {
        case .str: return heap.stringValue(of: object) ?? ""
        case .instance:
            if let method = lookupSpecial(object, "__str__") {
                let result = try callMethod(method, object, [])
                defer { drop(result) }
                guard let text = heap.stringValue(of: result) else { throw typeError("__str__ returned non-string (type \(typeName(result)))") }
                return text
            }
            if isException(object), lookupSpecial(object, "__repr__") == nil {
                let args = argsOf(object)
                if args.isEmpty { return "" }
                if args.count == 1 {
                    if isInstance(object, of: exceptionClasses["KeyError"]) { return try repr(args[0]) }
                    return try strOf(args[0])
                }
                return try repr(heap.attribute("args", of: object) ?? heap.none)
            }
            return try repr(object)
        default:
            return try repr(object)
        }
    }

    /// What `print` shows.
    func display(_ object: ObjectRef) -> String { (try? strOf(object)) ?? "<unprintable object>" }

    /// A Python string literal for `text`, quoted as repr does.
    func quote(_ text: String) -> String {
        let useDouble = text.contains("'") && !text.contains("\"")
        let q: Character = useDouble ? "\"" : "'"
        var out = String(q)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if Character(scalar) == q { out += "\\" + String(q) } else if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2)
                } else { out.unicodeScalars.append(scalar) }
            }
        }
        out.append(q)
        return out
    }

    /// Python's `repr(float)`: the shortest round-tripping digits, in exponent form below
    /// 1e-4 and from 1e16.
    func formatFloat(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        let text = value.description
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else {
            return text.contains(".") ? text : text + ".0"
        }
        let mantissa = String(text[..<e])
        guard let exponent = Int(text[text.index(after: e)...]) else { return text }
        if exponent >= 16 || exponent < -4 {
            let sign = exponent < 0 ? "-" : "+"
            let digits = abs(exponent) < 10 ? "0\(abs(exponent))" : "\(abs(exponent))"
            let m = mantissa.hasSuffix(".0") ? String(mantissa.dropLast(2)) : mantissa
            return "\(m)e\(sign)\(digits)"
        }
        // Expand d.ddd × 10^exponent.
        let negative = mantissa.hasPrefix("-")
        let unsigned = negative ? String(mantissa.dropFirst()) : mantissa
        let parts = unsigned.split(separator: ".", omittingEmptySubsequences: false)
        let intPart = String(parts[0])
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        var digits = intPart + fraction
        var point = intPart.count + exponent
        if point <= 0 {
            digits = String(repeating: "0", count: 1 - point) + digits
            point = 1
        }
        if digits.count < point { digits += String(repeating: "0", count: point - digits.count) }
        let whole = String(digits.prefix(point))
        var frac = String(digits.dropFirst(point))
        while frac.hasSuffix("0") { frac.removeLast() }
        return (negative ? "-" : "") + whole + "." + (frac.isEmpty ? "0" : frac)
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
