import HeapRuntime

// Methods of the built-in types: list, dict, str, set, tuple. Each receives the object
// as its first argument.
extension Interpreter {
    func addMethod(_ type: ObjectTypeTag, _ name: String, _ impl: @escaping BuiltinImpl) {
        builtinImpls.append((name, impl))
        methodTables[type, default: [:]][name] = builtinImpls.count - 1
    }

    func setUpMethods() {
        setUpListMethods()
        setUpDictMethods()
        setUpStrMethods()
        setUpSetMethods()
        addMethod(.tuple, "index") { (interp, args, _) throws(PyException) in try interp.sequenceIndex(args) }
        addMethod(.tuple, "count") { (interp, args, _) throws(PyException) in try interp.sequenceCount(args) }
    }

    func sequenceIndex(_ args: [ObjectRef]) throws(PyException) -> ObjectRef {
        try checkArity("index", args, 2, 2)
        for (i, item) in ((try? heap.items(of: args[0])) ?? []).enumerated() where try equals(item, args[1]) { return int(i) }
        throw valueError(tag(args[0]) == .list ? "\((try? repr(args[1])) ?? "") is not in list" : "tuple.index(x): x not in tuple")
    }

    func sequenceCount(_ args: [ObjectRef]) throws(PyException) -> ObjectRef {
        try checkArity("count", args, 2, 2)
        var count = 0
        for item in (try? heap.items(of: args[0])) ?? [] where try equals(item, args[1]) { count += 1 }
        return int(count)
    }

    private func setUpListMethods() {
        addMethod(.list, "append") { (interp, args, _) throws(PyException) in
            try interp.checkArity("append", args, 2, 2)
            try? interp.heap.append(args[1], to: args[0])
            return interp.none
        }
        addMethod(.list, "pop") { (interp, args, _) throws(PyException) in
            try interp.checkArity("pop", args, 1, 2)
            let count = (try? interp.heap.count(of: args[0])) ?? 0
            if count == 0 { throw interp.raise("IndexError", "pop from empty list") }
            let index = args.count > 1 ? try interp.intArgument(args[1], "index") : -1
            let resolved = index < 0 ? index + count : index
            guard resolved >= 0 && resolved < count else { throw interp.raise("IndexError", "pop index out of range") }
            do throws(HeapError) { return interp.own(try interp.heap.pop(from: args[0], at: resolved)) } catch { throw interp.translate(error) }
        }
        addMethod(.list, "insert") { (interp, args, _) throws(PyException) in
            try interp.checkArity("insert", args, 3, 3)
            let count = (try? interp.heap.count(of: args[0])) ?? 0
            var index = try interp.intArgument(args[1], "index")
            if index < 0 { index = max(0, index + count) }
            try? interp.heap.insert(args[2], at: min(index, count), in: args[0])
            return interp.none
        }
        addMethod(.list, "remove") { (interp, args, _) throws(PyException) in
            try interp.checkArity("remove", args, 2, 2)
            for (i, item) in ((try? interp.heap.items(of: args[0])) ?? []).enumerated() where try interp.equals(item, args[1]) {
                try? interp.heap.remove(at: i, from: args[0])
                return interp.none
            }
            throw interp.valueError("list.remove(x): x not in list")
        }
        addMethod(.list, "extend") { (interp, args, _) throws(PyException) in
            try interp.checkArity("extend", args, 2, 2)
            let items = try interp.collectItems(args[1])
            defer { for item in items { interp.drop(item) } }
            for item in items { try? interp.heap.append(item, to: args[0]) }
            return interp.none
        }
        addMethod(.list, "index") { (interp, args, _) throws(PyException) in try interp.sequenceIndex(args) }
        addMethod(.list, "count") { (interp, args, _) throws(PyException) in try interp.sequenceCount(args) }
        addMethod(.list, "sort") { (interp, args, kwargs) throws(PyException) in
            try interp.checkArity("sort", args, 1, 1)
            try interp.sortList(args[0], key: interp.keyword(kwargs, "key"), reverse: interp.keyword(kwargs, "reverse"))
            return interp.none
        }
        addMethod(.list, "reverse") { (interp, args, _) throws(PyException) in
            let items = ((try? interp.heap.items(of: args[0])) ?? []).map { interp.newRef($0) }
            defer { for item in items { interp.drop(item) } }
            try? interp.heap.removeAll(from: args[0])
            for item in items.reversed() { try? interp.heap.append(item, to: args[0]) }
            return interp.none
        }
        addMethod(.list, "clear") { (interp, args, _) throws(PyException) in
            try? interp.heap.removeAll(from: args[0])
            return interp.none
        }
        addMethod(.list, "copy") { (interp, args, _) throws(PyException) in
            interp.own(interp.heap.list((try? interp.heap.items(of: args[0])) ?? []))
        }
    }

    private func setUpDictMethods() {
        addMethod(.dict, "get") { (interp, args, _) throws(PyException) in
            try interp.checkArity("get", args, 2, 3)
            let found: ObjectRef?
            do throws(HeapError) { found = try interp.heap.item(forKey: args[1], in: args[0]) } catch { throw interp.translate(error) }
            return interp.newRef(found ?? (args.count > 2 ? args[2] : interp.heap.none))
        }
        addMethod(.dict, "keys") { (interp, args, _) throws(PyException) in
            interp.own(interp.heap.list((try? interp.heap.keys(of: args[0])) ?? []))
        }
        addMethod(.dict, "values") { (interp, args, _) throws(PyException) in
            interp.own(interp.heap.list(((try? interp.heap.entries(of: args[0])) ?? []).map(\.value)))
        }
        addMethod(.dict, "items") { (interp, args, _) throws(PyException) in
            let pairs = ((try? interp.heap.entries(of: args[0])) ?? []).map { interp.heap.tuple([$0.key, $0.value]).unmanaged() }
            defer { for pair in pairs { interp.drop(pair) } }
            return interp.own(interp.heap.list(pairs))
        }
        addMethod(.dict, "pop") { (interp, args, _) throws(PyException) in
            try interp.checkArity("pop", args, 2, 3)
            let found: ObjectRef?
            do throws(HeapError) { found = try interp.heap.item(forKey: args[1], in: args[0]) } catch { throw interp.translate(error) }
            guard let found else {
                if args.count > 2 { return interp.newRef(args[2]) }
                throw PyException(object: try interp.keyError(args[1]))
            }
            let value = interp.newRef(found)
            try? interp.heap.removeItem(forKey: args[1], from: args[0])
            return value
        }
        addMethod(.dict, "setdefault") { (interp, args, _) throws(PyException) in
            try interp.checkArity("setdefault", args, 2, 3)
            let found: ObjectRef?
            do throws(HeapError) { found = try interp.heap.item(forKey: args[1], in: args[0]) } catch { throw interp.translate(error) }
            if let found { return interp.newRef(found) }
            let value = args.count > 2 ? args[2] : interp.heap.none
            try? interp.heap.setItem(args[1], to: value, in: args[0])
            return interp.newRef(value)
        }
        addMethod(.dict, "update") { (interp, args, kwargs) throws(PyException) in
            try interp.checkArity("update", args, 1, 2)
            if args.count > 1 { try interp.update(args[0], from: args[1]) }
            for (key, value) in kwargs { try? interp.heap.setItem(interp.heap.str(key), to: value, in: args[0]) }
            return interp.none
        }
        addMethod(.dict, "clear") { (interp, args, _) throws(PyException) in
            try? interp.heap.removeAll(fromTable: args[0])
            return interp.none
        }
        addMethod(.dict, "copy") { (interp, args, _) throws(PyException) in
            let dict = interp.own(interp.heap.dict())
            try interp.update(dict, from: args[0])
            return dict
        }
    }

    private func setUpSetMethods() {
        addMethod(.set, "add") { (interp, args, _) throws(PyException) in
            try interp.checkArity("add", args, 2, 2)
            do throws(HeapError) { try interp.heap.add(args[1], to: args[0]) } catch { throw interp.translate(error) }
            return interp.none
        }
        addMethod(.set, "remove") { (interp, args, _) throws(PyException) in
            try interp.checkArity("remove", args, 2, 2)
            guard (try? interp.heap.contains(args[1], in: args[0])) == true else { throw PyException(object: try interp.keyError(args[1])) }
            try? interp.heap.remove(args[1], fromSet: args[0])
            return interp.none
        }
        addMethod(.set, "discard") { (interp, args, _) throws(PyException) in
            try interp.checkArity("discard", args, 2, 2)
            if (try? interp.heap.contains(args[1], in: args[0])) == true { try? interp.heap.remove(args[1], fromSet: args[0]) }
            return interp.none
        }
        addMethod(.set, "clear") { (interp, args, _) throws(PyException) in
            try? interp.heap.removeAll(fromTable: args[0])
            return interp.none
        }
        addMethod(.set, "copy") { (interp, args, _) throws(PyException) in
            do throws(HeapError) { return interp.own(try interp.heap.set((try? interp.heap.keys(of: args[0])) ?? [])) } catch { throw interp.translate(error) }
        }
        for (name, op) in [("union", BinaryOp.bitOr), ("intersection", .bitAnd), ("difference", .sub)] {
            addMethod(.set, name) { (interp, args, _) throws(PyException) in
                try interp.checkArity(name, args, 2, 2)
                let other: ObjectRef
                if interp.tag(args[1]) == .set { other = interp.newRef(args[1]) } else {
                    let items = try interp.collectItems(args[1])
                    defer { for item in items { interp.drop(item) } }
                    do throws(HeapError) { other = interp.own(try interp.heap.set(items)) } catch { throw interp.translate(error) }
                }
                defer { interp.drop(other) }
                return try interp.binary(op, args[0], other, inPlace: false)
            }
        }
        addMethod(.set, "update") { (interp, args, _) throws(PyException) in
            try interp.checkArity("update", args, 2, 2)
            let items = try interp.collectItems(args[1])
            defer { for item in items { interp.drop(item) } }
            for item in items { do throws(HeapError) { try interp.heap.add(item, to: args[0]) } catch { throw interp.translate(error) } }
            return interp.none
        }
    }

    private func text(_ object: ObjectRef) -> String { heap.stringValue(of: object) ?? "" }

    private func setUpStrMethods() {
        addMethod(.str, "join") { (interp, args, _) throws(PyException) in
            try interp.checkArity("join", args, 2, 2)
            let items = try interp.collectItems(args[1])
            defer { for item in items { interp.drop(item) } }
            var parts: [String] = []
            for (i, item) in items.enumerated() {
                guard let part = interp.heap.stringValue(of: item) else {
                    throw interp.typeError("sequence item \(i): expected str instance, \(interp.typeName(item)) found")
                }
                parts.append(part)
            }
            return interp.str(parts.joined(separator: interp.text(args[0])))
        }
        addMethod(.str, "split") { (interp, args, _) throws(PyException) in
            try interp.checkArity("split", args, 1, 3)
            let text = interp.text(args[0])
            let separator = args.count > 1 && args[1] != interp.heap.none ? interp.text(args[1]) : nil
            let limit = args.count > 2 ? try interp.intArgument(args[2], "maxsplit") : -1
            var parts: [String]
            if let separator {
                if separator.isEmpty { throw interp.valueError("empty separator") }
                parts = text.splitting(by: separator, limit: limit)
            } else {
                parts = text.split(maxSplits: limit < 0 ? Int.max : limit, whereSeparator: { $0.isWhitespace }).map(String.init)
                if limit >= 0, parts.count > limit, let last = parts.last { parts[parts.count - 1] = last.trimmed() }
            }
            let objects = parts.map { interp.str($0) }
            defer { for object in objects { interp.drop(object) } }
            return interp.own(interp.heap.list(objects))
        }
        for (name, mode) in [("strip", 0), ("lstrip", 1), ("rstrip", 2)] {
            addMethod(.str, name) { (interp, args, _) throws(PyException) in
                try interp.checkArity(name, args, 1, 2)
                let chars: Set<Character>? = args.count > 1 && args[1] != interp.heap.none ? Set(interp.text(args[1])) : nil
                let strip: (Character) -> Bool = { chars?.contains($0) ?? $0.isWhitespace }
                var text = Substring(interp.text(args[0]))
                if mode != 2 { text = text.drop(while: strip) }
                if mode != 1 { while let last = text.last, strip(last) { text = text.dropLast() } }
                return interp.str(String(text))
            }
        }
        addMethod(.str, "upper") { (interp, args, _) throws(PyException) in interp.str(interp.text(args[0]).uppercased()) }
        addMethod(.str, "lower") { (interp, args, _) throws(PyException) in interp.str(interp.text(args[0]).lowercased()) }
        addMethod(.str, "capitalize") { (interp, args, _) throws(PyException) in
            let text = interp.text(args[0])
            return interp.str(text.prefix(1).uppercased() + text.dropFirst().lowercased())
        }
        addMethod(.str, "replace") { (interp, args, _) throws(PyException) in
            try interp.checkArity("replace", args, 3, 3)
            let old = interp.text(args[1])
            let text = interp.text(args[0])
            if old.isEmpty { return interp.newRef(args[0]) }
            return interp.str(text.splitting(by: old, limit: -1).joined(separator: interp.text(args[2])))
        }
        addMethod(.str, "startswith") { (interp, args, _) throws(PyException) in
            try interp.checkArity("startswith", args, 2, 2)
            return interp.bool(interp.text(args[0]).hasPrefix(interp.text(args[1])))
        }
        addMethod(.str, "endswith") { (interp, args, _) throws(PyException) in
            try interp.checkArity("endswith", args, 2, 2)
            return interp.bool(interp.text(args[0]).hasSuffix(interp.text(args[1])))
        }
        addMethod(.str, "find") { (interp, args, _) throws(PyException) in
            try interp.checkArity("find", args, 2, 2)
            let haystack = Array(interp.text(args[0])), needle = Array(interp.text(args[1]))
            if needle.isEmpty { return interp.int(0) }
            if needle.count <= haystack.count {
                for i in 0...(haystack.count - needle.count) where Array(haystack[i..<(i + needle.count)]) == needle { return interp.int(i) }
            }
            return interp.int(-1)
        }
        addMethod(.str, "count") { (interp, args, _) throws(PyException) in
            try interp.checkArity("count", args, 2, 2)
            let needle = interp.text(args[1])
            if needle.isEmpty { return interp.int(interp.text(args[0]).count + 1) }
            return interp.int(interp.text(args[0]).splitting(by: needle, limit: -1).count - 1)
        }
        addMethod(.str, "isdigit") { (interp, args, _) throws(PyException) in
            let text = interp.text(args[0])
            return interp.bool(!text.isEmpty && text.allSatisfy(\.isNumber))
        }
        addMethod(.str, "isalpha") { (interp, args, _) throws(PyException) in
            let text = interp.text(args[0])
            return interp.bool(!text.isEmpty && text.allSatisfy(\.isLetter))
        }
        for (name, align) in [("ljust", "<"), ("rjust", ">"), ("center", "^")] {
            addMethod(.str, name) { (interp, args, _) throws(PyException) in
                try interp.checkArity(name, args, 2, 3)
                let fill = args.count > 2 ? interp.text(args[2]) : " "
                return interp.str(try interp.applyFormatSpec(interp.text(args[0]), fill + align + String(try interp.intArgument(args[1], "width"))))
            }
        }
        addMethod(.str, "zfill") { (interp, args, _) throws(PyException) in
            try interp.checkArity("zfill", args, 2, 2)
            let text = interp.text(args[0])
            let width = try interp.intArgument(args[1], "width")
            let sign = text.hasPrefix("-") || text.hasPrefix("+") ? String(text.prefix(1)) : ""
            let digits = sign.isEmpty ? text : String(text.dropFirst())
            return interp.str(sign + String(repeating: "0", count: max(0, width - text.count)) + digits)
        }
        addMethod(.str, "splitlines") { (interp, args, _) throws(PyException) in
            let lines = interp.text(args[0]).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let trimmed = lines.last == "" ? Array(lines.dropLast()) : lines
            let objects = trimmed.map { interp.str($0) }
            defer { for object in objects { interp.drop(object) } }
            return interp.own(interp.heap.list(objects))
        }
        addMethod(.str, "format") { (interp, args, kwargs) throws(PyException) in
            try interp.strFormat(interp.text(args[0]), Array(args.dropFirst()), kwargs)
        }
    }

    /// `str.format(*args, **kwargs)`: `{}`, `{0}`, `{name}`, `{x.attr}`/`{x[0]}` not supported,
    /// with `!r`/`!s` and format specs.
    func strFormat(_ format: String, _ args: [ObjectRef], _ kwargs: [(String, ObjectRef)]) throws(PyException) -> ObjectRef {
        var out = ""
        let chars = Array(format)
        var i = 0
        var automatic = 0
        while i < chars.count {
            let c = chars[i]
            if c == "{" {
                if i + 1 < chars.count, chars[i + 1] == "{" { out.append("{"); i += 2; continue }
                guard let close = chars[i...].firstIndex(of: "}") else { throw valueError("Single '{' encountered in format string") }
                var field = String(chars[(i + 1)..<close])
                var spec = ""
                var conversion: Character?
                if let colon = field.firstIndex(of: ":") { spec = String(field[field.index(after: colon)...]); field = String(field[..<colon]) }
                if let bang = field.firstIndex(of: "!") { conversion = field[field.index(after: bang)...].first; field = String(field[..<bang]) }
                let value: ObjectRef
                if field.isEmpty {
                    guard automatic < args.count else { throw raise("IndexError", "Replacement index \(automatic) out of range for positional args tuple") }
                    value = args[automatic]; automatic += 1
                } else if let number = Int(field) {
                    guard number < args.count else { throw raise("IndexError", "Replacement index \(number) out of range for positional args tuple") }
                    value = args[number]
                } else if let found = keyword(kwargs, field) {
                    value = found
                } else {
                    let key = str(field)
                    defer { drop(key) }
                    throw PyException(object: try keyError(key))
                }
                if conversion == "r" { out += try applyFormatSpec(try repr(value), spec) } else { out += try self.format(value, spec: spec) }
                i = close + 1
            } else if c == "}" {
                if i + 1 < chars.count, chars[i + 1] == "}" { out.append("}"); i += 2; continue }
                throw valueError("Single '}' encountered in format string")
            } else {
                out.append(c)
                i += 1
            }
        }
        return str(out)
    }
}

extension String {
    /// Python's `str.split(sep, maxsplit)` for a non-empty separator.
    func splitting(by separator: String, limit: Int) -> [String] {
        let text = Array(unicodeScalars), needle = Array(separator.unicodeScalars)
        var parts: [String] = []
        var start = 0, i = 0
        while i + needle.count <= text.count, limit < 0 || parts.count < limit {
            if Array(text[i..<(i + needle.count)]) == needle {
                parts.append(String(String.UnicodeScalarView(text[start..<i])))
                i += needle.count
                start = i
            } else {
                i += 1
            }
        }
        parts.append(String(String.UnicodeScalarView(text[start...])))
        return parts
    }
}
