import HeapRuntime

// Built-in functions.
extension Interpreter {
    func addBuiltin(_ name: String, _ impl: @escaping BuiltinImpl) {
        let function = makeBuiltin(name, impl)
        try? heap.setItem(self.name(name), to: function, in: builtinsDict)
        drop(function)
    }

    /// The keyword argument `name`, borrowed, if given.
    func keyword(_ kwargs: [(String, ObjectRef)], _ name: String) -> ObjectRef? {
        kwargs.first { $0.0 == name }?.1
    }

    func rejectKeywords(_ function: String, _ kwargs: [(String, ObjectRef)], allowing allowed: Set<String> = []) throws(PyException) {
        if let bad = kwargs.first(where: { !allowed.contains($0.0) }) {
            throw typeError("'\(bad.0)' is an invalid keyword argument for \(function)()")
        }
    }

    func setUpBuiltins() {
        addBuiltin("print") { (interp, args, kwargs) throws(PyException) in
            try interp.rejectKeywords("print", kwargs, allowing: ["sep", "end", "file", "flush"])
            let sep = try interp.keyword(kwargs, "sep").map { (value) throws(PyException) -> String in value == interp.heap.none ? " " : try interp.strOf(value) } ?? " "
            let end = try interp.keyword(kwargs, "end").map { (value) throws(PyException) -> String in value == interp.heap.none ? "\n" : try interp.strOf(value) } ?? "\n"
            var parts: [String] = []
            for arg in args { parts.append(try interp.strOf(arg)) }
            let text = parts.joined(separator: sep) + end
            if let file = interp.keyword(kwargs, "file"), file != interp.heap.none, interp.isStderr(file) {
                interp.stdout.flush()
                interp.stderr.write(text)
                interp.stderr.flush()
            } else {
                interp.stdout.write(text)
            }
            return interp.none
        }
        addBuiltin("len") { (interp, args, _) throws(PyException) in
            try interp.checkArity("len", args, 1, 1)
            return interp.int(try interp.length(args[0]))
        }
        addBuiltin("id") { (interp, args, _) throws(PyException) in
            try interp.checkArity("id", args, 1, 1)
            return interp.int(args[0].id)
        }
        addBuiltin("hex") { (interp, args, _) throws(PyException) in
            try interp.checkArity("hex", args, 1, 1)
            let value = try interp.intArgument(args[0], "hex")
            return interp.str((value < 0 ? "-0x" : "0x") + String(value.magnitude, radix: 16))
        }
        addBuiltin("repr") { (interp, args, _) throws(PyException) in
            try interp.checkArity("repr", args, 1, 1)
            return interp.str(try interp.repr(args[0]))
        }
        addBuiltin("isinstance") { (interp, args, _) throws(PyException) in
            try interp.checkArity("isinstance", args, 2, 2)
            return interp.bool(try interp.isInstance(args[0], classInfo: args[1]))
        }
        addBuiltin("issubclass") { (interp, args, _) throws(PyException) in
            try interp.checkArity("issubclass", args, 2, 2)
            guard interp.tag(args[0]) == .class else { return interp.bool(false) }
            if interp.tag(args[1]) == .class { return interp.bool(interp.isSubclass(args[0], of: args[1])) }
            return interp.bool(interp.heap.payload(of: args[1], as: interp.typeType)?.kind == .object)
        }
        addBuiltin("globals") { (interp, _, _) throws(PyException) in
            interp.newRef(interp.mainGlobals ?? interp.heap.none)
        }
        addBuiltin("sorted") { (interp, args, kwargs) throws(PyException) in
            try interp.checkArity("sorted", args, 1, 1)
            try interp.rejectKeywords("sorted", kwargs, allowing: ["key", "reverse"])
            let items = try interp.collectItems(args[0])
            defer { for item in items { interp.drop(item) } }
            let list = interp.own(interp.heap.list(items))
            do throws(PyException) { try interp.sortList(list, key: interp.keyword(kwargs, "key"), reverse: interp.keyword(kwargs, "reverse")) } catch {
                interp.drop(list)
                throw error
            }
            return list
        }
        for (name, wantMax) in [("min", false), ("max", true)] {
            addBuiltin(name) { (interp, args, kwargs) throws(PyException) in
                try interp.rejectKeywords(name, kwargs, allowing: ["key", "default"])
                let items = args.count == 1 ? try interp.collectItems(args[0]) : args.map { interp.newRef($0) }
                defer { for item in items { interp.drop(item) } }
                guard !items.isEmpty else {
                    if let fallback = interp.keyword(kwargs, "default") { return interp.newRef(fallback) }
                    throw interp.valueError("\(name)() arg is an empty sequence")
                }
                let key = interp.keyword(kwargs, "key")
                var best = items[0]
                var bestKey = try key.map { (key) throws(PyException) -> ObjectRef in try interp.call(key, [items[0]]) } ?? interp.newRef(items[0])
                defer { interp.drop(bestKey) }
                for item in items.dropFirst() {
                    let itemKey = try key.map { (key) throws(PyException) -> ObjectRef in try interp.call(key, [item]) } ?? interp.newRef(item)
                    let better = try interp.compare(wantMax ? .gt : .lt, itemKey, bestKey)
                    defer { interp.drop(better) }
                    if try interp.truthy(better) {
                        interp.drop(bestKey)
                        bestKey = itemKey
                        best = item
                    } else {
                        interp.drop(itemKey)
                    }
                }
                return interp.newRef(best)
            }
        }
        addBuiltin("sum") { (interp, args, _) throws(PyException) in
            try interp.checkArity("sum", args, 1, 2)
            let items = try interp.collectItems(args[0])
            defer { for item in items { interp.drop(item) } }
            var total = args.count > 1 ? interp.newRef(args[1]) : interp.int(0)
            for item in items {
                let next: ObjectRef
                do throws(PyException) { next = try interp.binary(.add, total, item, inPlace: false) } catch { interp.drop(total); throw error }
                interp.drop(total)
                total = next
            }
            return total
        }
        addBuiltin("enumerate") { (interp, args, _) throws(PyException) in
            try interp.checkArity("enumerate", args, 1, 2)
            let start = args.count > 1 ? try interp.intArgument(args[1], "start") : 0
            let items = try interp.collectItems(args[0])
            defer { for item in items { interp.drop(item) } }
            var pairs: [ObjectRef] = []
            defer { for pair in pairs { interp.drop(pair) } }
            for (i, item) in items.enumerated() {
                let number = interp.int(start + i)
                pairs.append(interp.own(interp.heap.tuple([number, item])))
                interp.drop(number)
            }
            return interp.own(interp.heap.list(pairs))
        }
        addBuiltin("zip") { (interp, args, _) throws(PyException) in
            var columns: [[ObjectRef]] = []
            defer { for column in columns { for item in column { interp.drop(item) } } }
            for arg in args { columns.append(try interp.collectItems(arg)) }
            let count = columns.map(\.count).min() ?? 0
            let rows = (0..<count).map { i in interp.heap.tuple(columns.map { $0[i] }).unmanaged() }
            defer { for row in rows { interp.drop(row) } }
            return interp.own(interp.heap.list(rows))
        }
        addBuiltin("reversed") { (interp, args, _) throws(PyException) in
            try interp.checkArity("reversed", args, 1, 1)
            let items = try interp.collectItems(args[0])
            defer { for item in items { interp.drop(item) } }
            return interp.own(interp.heap.list(items.reversed()))
        }
        addBuiltin("map") { (interp, args, _) throws(PyException) in
            try interp.checkArity("map", args, 2, 2)
            let items = try interp.collectItems(args[1])
            defer { for item in items { interp.drop(item) } }
            let list = interp.own(interp.heap.list())
            for item in items {
                let value: ObjectRef
                do throws(PyException) { value = try interp.call(args[0], [item]) } catch { interp.drop(list); throw error }
                try? interp.heap.append(value, to: list)
                interp.drop(value)
            }
            return list
        }
        addBuiltin("filter") { (interp, args, _) throws(PyException) in
            try interp.checkArity("filter", args, 2, 2)
            let items = try interp.collectItems(args[1])
            defer { for item in items { interp.drop(item) } }
            let list = interp.own(interp.heap.list())
            for item in items {
                do throws(PyException) {
                    let keep: Bool
                    if args[0] == interp.heap.none { keep = try interp.truthy(item) } else {
                        let value = try interp.call(args[0], [item])
                        defer { interp.drop(value) }
                        keep = try interp.truthy(value)
                    }
                    if keep { try? interp.heap.append(item, to: list) }
                } catch { interp.drop(list); throw error }
            }
            return list
        }
        addBuiltin("abs") { (interp, args, _) throws(PyException) in
            try interp.checkArity("abs", args, 1, 1)
            if let value = interp.heap.floatValue(of: args[0]) { return interp.float(abs(value)) }
            let value = try interp.intArgument(args[0], "abs")
            if value == .min { throw interp.overflow() }
            return interp.int(abs(value))
        }
        addBuiltin("round") { (interp, args, _) throws(PyException) in
            try interp.checkArity("round", args, 1, 2)
            let digits = args.count > 1 && args[1] != interp.heap.none ? try interp.intArgument(args[1], "ndigits") : nil
            if let value = interp.heap.floatValue(of: args[0]) {
                guard let digits else {
                    guard value.isFinite, abs(value) < 9.2e18 else { throw interp.overflow() }
                    return interp.int(Int(value.rounded(.toNearestOrEven)))
                }
                let text = interp.cFormat("%.\(max(0, digits))f", value)
                return interp.float(Double(text) ?? value)
            }
            return interp.int(try interp.intArgument(args[0], "round"))
        }
        addBuiltin("any") { (interp, args, _) throws(PyException) in
            try interp.checkArity("any", args, 1, 1)
            let items = try interp.collectItems(args[0])
            defer { for item in items { interp.drop(item) } }
            for item in items where try interp.truthy(item) { return interp.bool(true) }
            return interp.bool(false)
        }
        addBuiltin("all") { (interp, args, _) throws(PyException) in
            try interp.checkArity("all", args, 1, 1)
            let items = try interp.collectItems(args[0])
            defer { for item in items { interp.drop(item) } }
            for item in items where !(try interp.truthy(item)) { return interp.bool(false) }
            return interp.bool(true)
        }
        addBuiltin("callable") { (interp, args, _) throws(PyException) in
            try interp.checkArity("callable", args, 1, 1)
            let kind = interp.builtinKind(of: args[0])
            let callable = [.function, .method, .builtin_function_or_method, .type, .weakref].contains(kind)
                || (interp.tag(args[0]) == .instance && interp.lookupSpecial(args[0], "__call__") != nil)
            return interp.bool(callable)
        }
        addBuiltin("getattr") { (interp, args, _) throws(PyException) in
            try interp.checkArity("getattr", args, 2, 3)
            guard let text = interp.heap.stringValue(of: args[1]) else { throw interp.typeError("attribute name must be string") }
            do throws(PyException) { return try interp.getAttribute(args[0], interp.name(text)) } catch {
                if args.count == 3, interp.isInstance(error.object, of: interp.exceptionClasses["AttributeError"]) {
                    interp.drop(error.object)
                    return interp.newRef(args[2])
                }
                throw error
            }
        }
        addBuiltin("hasattr") { (interp, args, _) throws(PyException) in
            try interp.checkArity("hasattr", args, 2, 2)
            guard let text = interp.heap.stringValue(of: args[1]) else { throw interp.typeError("attribute name must be string") }
            do throws(PyException) { interp.drop(try interp.getAttribute(args[0], interp.name(text))); return interp.bool(true) } catch {
                interp.drop(error.object)
                return interp.bool(false)
            }
        }
        addBuiltin("setattr") { (interp, args, _) throws(PyException) in
            try interp.checkArity("setattr", args, 3, 3)
            guard let text = interp.heap.stringValue(of: args[1]) else { throw interp.typeError("attribute name must be string") }
            try interp.setAttribute(args[0], interp.name(text), args[2])
            return interp.none
        }
        addBuiltin("delattr") { (interp, args, _) throws(PyException) in
            try interp.checkArity("delattr", args, 2, 2)
            guard let text = interp.heap.stringValue(of: args[1]) else { throw interp.typeError("attribute name must be string") }
            try interp.deleteAttribute(args[0], text)
            return interp.none
        }
        addBuiltin("chr") { (interp, args, _) throws(PyException) in
            try interp.checkArity("chr", args, 1, 1)
            guard let scalar = UnicodeScalar(UInt32(clamping: try interp.intArgument(args[0], "chr"))) else { throw interp.valueError("chr() arg not in range(0x110000)") }
            return interp.str(String(Character(scalar)))
        }
        addBuiltin("ord") { (interp, args, _) throws(PyException) in
            try interp.checkArity("ord", args, 1, 1)
            guard let text = interp.heap.stringValue(of: args[0]), text.unicodeScalars.count == 1, let scalar = text.unicodeScalars.first else {
                throw interp.typeError("ord() expected a character")
            }
            return interp.int(Int(scalar.value))
        }
        addBuiltin("divmod") { (interp, args, _) throws(PyException) in
            try interp.checkArity("divmod", args, 2, 2)
            let q = try interp.binary(.floorDiv, args[0], args[1], inPlace: false)
            let r = try interp.binary(.mod, args[0], args[1], inPlace: false)
            defer { interp.drop(q); interp.drop(r) }
            return interp.own(interp.heap.tuple([q, r]))
        }
        addBuiltin("hash") { (interp, args, _) throws(PyException) in
            try interp.checkArity("hash", args, 1, 1)
            do throws(HeapError) { return interp.int(try interp.heap.hashValue(of: args[0])) } catch { throw interp.translate(error) }
        }
        addBuiltin("iter") { (interp, args, _) throws(PyException) in
            try interp.checkArity("iter", args, 1, 1)
            let items = try interp.collectItems(args[0])
            defer { for item in items { interp.drop(item) } }
            return interp.own(interp.heap.list(items))
        }
        addBuiltin("super") { (interp, args, _) throws(PyException) in
            guard args.count == 2, interp.tag(args[0]) == .class else { throw interp.raise("RuntimeError", "super(): no arguments") }
            return interp.own(interp.heap.makeHost(interp.superType, SuperPayload(cls: args[0], instance: args[1])))
        }
        superBuiltin = try? heap.item(forKey: name("super"), in: builtinsDict)
        addBuiltin("vars") { (interp, args, _) throws(PyException) in
            try interp.checkArity("vars", args, 0, 1)
            guard let object = args.first else { return interp.newRef(interp.mainGlobals ?? interp.heap.none) }
            return try interp.getAttribute(object, interp.name("__dict__"))
        }
        addBuiltin("exit") { (interp, args, _) throws(PyException) in
            let cls = interp.exceptionClasses["SystemExit"].unsafelyUnwrapped
            throw PyException(object: try interp.instantiate(cls, args, []))
        }
    }

    /// `len(value)`.
    func length(_ value: ObjectRef) throws(PyException) -> Int {
        switch tag(value) {
        case .str: return (heap.stringValue(of: value) ?? "").count
        case .list, .tuple, .dict, .set: return (try? heap.count(of: value)) ?? 0
        case .host:
            if let range = heap.payload(of: value, as: rangeType) { return range.count }
        case .instance:
            if let method = lookupSpecial(value, "__len__") {
                let result = try callMethod(method, value, [])
                defer { drop(result) }
                return try intArgument(result, "__len__")
            }
        default: break
        }
        throw typeError("object of type '\(typeName(value))' has no len()")
    }

    func isStderr(_ object: ObjectRef) -> Bool {
        guard let sys = modules["sys"], let value = moduleAttribute(sys, name("stderr")) else { return false }
        return value == object
    }

    /// Sorts a list in place, stably, with an optional key function and reverse flag.
    func sortList(_ list: ObjectRef, key: ObjectRef?, reverse: ObjectRef?) throws(PyException) {
        let items = ((try? heap.items(of: list)) ?? []).map { newRef($0) }
        defer { for item in items { drop(item) } }
        var keys: [ObjectRef] = []
        defer { for k in keys { drop(k) } }
        for item in items {
            if let key, key != heap.none { keys.append(try call(key, [item])) } else { keys.append(newRef(item)) }
        }
        let descending = try reverse.map { (value) throws(PyException) -> Bool in try truthy(value) } ?? false
        var failure: PyException?
        var order = Array(items.indices)
        if descending { order.reverse() }
        order.sort { a, b in
            if failure != nil { return false }
            do throws(PyException) { return try ordering(keys[a], keys[b], op: .lt) < 0 } catch { failure = error; return false }
        }
        if descending { order.reverse() }
        if let failure { throw failure }
        try? heap.removeAll(from: list)
        for index in order { try? heap.append(items[index], to: list) }
    }
}
