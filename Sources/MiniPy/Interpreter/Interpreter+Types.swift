import HeapRuntime

// The built-in types as callables: int(), str(), list(), range(), ….
extension Interpreter {
    func setUpTypes() {
        for kind in BuiltinType.allCases {
            typeObjects[kind] = own(heap.makeHost(typeType, TypePayload(kind: kind)))
        }
        for kind in [BuiltinType.object, .type, .int, .float, .str, .bool, .list, .tuple, .dict, .set, .range, .staticmethod, .classmethod] {
            if let object = typeObjects[kind] { try? heap.setItem(name(kind.rawValue), to: object, in: builtinsDict) }
        }
        rangeBuiltin = typeObjects[.range]
        if let cls = try? heap.makeClass("NotImplementedType").unmanaged() {
            try? heap.setAttribute(name("__qualname__"), to: name("NotImplementedType"), on: cls)
            try? heap.setAttribute(name("__module__"), to: name("builtins"), on: cls)
            if let instance = try? heap.instance(of: cls) { try? heap.setItem(name("NotImplemented"), to: instance, in: builtinsDict) }
            drop(cls)
        }
    }

    func checkArity(_ name: String, _ args: [ObjectRef], _ minimum: Int, _ maximum: Int) throws(PyException) {
        if args.count < minimum || args.count > maximum {
            if minimum == maximum {
                throw typeError("\(name)() takes exactly \(minimum == 1 ? "one argument" : "\(minimum) arguments") (\(args.count) given)")
            }
            if args.count < minimum { throw typeError("\(name) expected at least \(minimum) argument\(minimum == 1 ? "" : "s"), got \(args.count)") }
            throw typeError("\(name) expected at most \(maximum) argument\(maximum == 1 ? "" : "s"), got \(args.count)")
        }
    }

    func intArgument(_ value: ObjectRef, _ what: String) throws(PyException) -> Int {
        guard tag(value) == .int || tag(value) == .bool, let number = heap.intValue(of: value) else {
            throw typeError("'\(typeName(value))' object cannot be interpreted as an integer")
        }
        _ = what
        return number
    }

    /// Calling a built-in type.
    func construct(_ kind: BuiltinType, _ args: [ObjectRef], _ kwargs: [(String, ObjectRef)]) throws(PyException) -> ObjectRef {
        switch kind {
        case .int:
            try checkArity("int", args, 0, 2)
            guard let value = args.first else { return int(0) }
            switch tag(value) {
            case .int, .bool: return int(heap.intValue(of: value) ?? 0)
            case .float:
                let number = heap.floatValue(of: value) ?? 0
                guard number.isFinite, abs(number) < 9.2e18 else { throw number.isFinite ? overflow() : valueError("cannot convert float \(formatFloat(number)) to integer") }
                return int(Int(number.rounded(.towardZero)))
            case .str:
                let text = (heap.stringValue(of: value) ?? "").trimmed().filter { $0 != "_" }
                let base = args.count > 1 ? try intArgument(args[1], "base") : 10
                guard let number = Int(text, radix: base) else {
                    throw valueError("invalid literal for int() with base \(base): \(quote(heap.stringValue(of: value) ?? ""))")
                }
                return int(number)
            default:
                throw typeError("int() argument must be a string, a bytes-like object or a real number, not '\(typeName(value))'")
            }
        case .float:
            try checkArity("float", args, 0, 1)
            guard let value = args.first else { return float(0) }
            switch tag(value) {
            case .int, .bool: return float(Double(heap.intValue(of: value) ?? 0))
            case .float: return newRef(value)
            case .str:
                let text = (heap.stringValue(of: value) ?? "").trimmed().lowercased()
                let special: [String: Double] = ["inf": .infinity, "+inf": .infinity, "-inf": -.infinity, "infinity": .infinity, "-infinity": -.infinity, "nan": .nan]
                if let number = special[text] ?? Double(text) { return float(number) }
                throw valueError("could not convert string to float: \(quote(heap.stringValue(of: value) ?? ""))")
            default:
                throw typeError("float() argument must be a string or a real number, not '\(typeName(value))'")
            }
        case .str:
            try checkArity("str", args, 0, 1)
            guard let value = args.first else { return str("") }
            if tag(value) == .str { return newRef(value) }
            return str(try strOf(value))
        case .bool:
            try checkArity("bool", args, 0, 1)
            return bool(try args.first.map { (value) throws(PyException) -> Bool in try truthy(value) } ?? false)
        case .list:
            try checkArity("list", args, 0, 1)
            guard let value = args.first else { return own(heap.list()) }
            let items = try collectItems(value)
            defer { for item in items { drop(item) } }
            return own(heap.list(items))
        case .tuple:
            try checkArity("tuple", args, 0, 1)
            guard let value = args.first else { return own(heap.tuple([])) }
            if tag(value) == .tuple { return newRef(value) }
            let items = try collectItems(value)
            defer { for item in items { drop(item) } }
            return own(heap.tuple(items))
        case .set:
            try checkArity("set", args, 0, 1)
            guard let value = args.first else { return own(heap.set()) }
            let items = try collectItems(value)
            defer { for item in items { drop(item) } }
            do throws(HeapError) { return own(try heap.set(items)) } catch { throw translate(error) }
        case .dict:
            try checkArity("dict", args, 0, 1)
            let dict = own(heap.dict())
            do throws(PyException) {
                if let value = args.first { try update(dict, from: value) }
                for (key, value) in kwargs { try? heap.setItem(heap.str(key), to: value, in: dict) }
            } catch {
                drop(dict)
                throw error
            }
            return dict
        case .range:
            try checkArity("range", args, 1, 3)
            let numbers = try args.map { (value) throws(PyException) -> Int in try intArgument(value, "range") }
            let payload: RangePayload
            switch numbers.count {
            case 1: payload = RangePayload(start: 0, stop: numbers[0], step: 1)
            case 2: payload = RangePayload(start: numbers[0], stop: numbers[1], step: 1)
            default:
                if numbers[2] == 0 { throw valueError("range() arg 3 must not be zero") }
                payload = RangePayload(start: numbers[0], stop: numbers[1], step: numbers[2])
            }
            return own(heap.makeHost(rangeType, payload))
        case .type:
            if args.count == 1 { return newRef(typeOf(args[0])) }
            throw typeError("not supported by minipy: type() with three arguments")
        case .staticmethod, .classmethod:
            try checkArity(kind.rawValue, args, 1, 1)
            return own(heap.makeHost(wrapperType, MethodWrapperPayload(isClassMethod: kind == .classmethod, function: args[0])))
        case .object:
            throw typeError("not supported by minipy: object() instances")
        default:
            throw typeError("cannot create '\(kind.rawValue)' instances")
        }
    }

    /// `dict.update(other)`: from a dict or an iterable of pairs.
    func update(_ dict: ObjectRef, from value: ObjectRef) throws(PyException) {
        if tag(value) == .dict {
            for entry in (try? heap.entries(of: value)) ?? [] { try? heap.setItem(entry.key, to: entry.value, in: dict) }
            return
        }
        let pairs = try collectItems(value)
        defer { for pair in pairs { drop(pair) } }
        for pair in pairs {
            let parts = try collectItems(pair)
            defer { for part in parts { drop(part) } }
            guard parts.count == 2 else { throw valueError("dictionary update sequence element has length \(parts.count); 2 is required") }
            do throws(HeapError) { try heap.setItem(parts[0], to: parts[1], in: dict) } catch { throw translate(error) }
        }
    }
}

extension String {
    func trimmed() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
