import HeapRuntime

// Arithmetic, comparison and membership.
extension Interpreter {
    private nonisolated(unsafe) static let dunder: [BinaryOp: String] = [
        .add: "__add__", .sub: "__sub__", .mul: "__mul__", .div: "__truediv__", .floorDiv: "__floordiv__",
        .mod: "__mod__", .pow: "__pow__", .lshift: "__lshift__", .rshift: "__rshift__", .bitAnd: "__and__",
        .bitOr: "__or__", .bitXor: "__xor__",
    ]

    func overflow() -> PyException {
        raise("OverflowError", "not supported by minipy: integers beyond 64 bits")
    }

    /// `a op b` (operands borrowed, result owned). `inPlace` for `+=` and friends: a list
    /// extends itself.
    func binary(_ op: BinaryOp, _ a: ObjectRef, _ b: ObjectRef, inPlace: Bool) throws(PyException) -> ObjectRef {
        let ta = tag(a), tb = tag(b)
        if (ta == .int || ta == .bool) && (tb == .int || tb == .bool), let x = heap.intValue(of: a), let y = heap.intValue(of: b) {
            return try intBinary(op, x, y)
        }
        if (ta == .float || ta == .int || ta == .bool) && (tb == .float || tb == .int || tb == .bool) {
            let x = heap.floatValue(of: a) ?? Double(heap.intValue(of: a) ?? 0)
            let y = heap.floatValue(of: b) ?? Double(heap.intValue(of: b) ?? 0)
            return try floatBinary(op, x, y)
        }
        switch (ta, tb, op) {
        case (.str, .str, .add):
            return str((heap.stringValue(of: a) ?? "") + (heap.stringValue(of: b) ?? ""))
        case (.str, _, .mod):
            return str(try percentFormat(heap.stringValue(of: a) ?? "", b))
        case (.str, .int, .mul), (.int, .str, .mul):
            let text = heap.stringValue(of: ta == .str ? a : b) ?? ""
            let count = heap.intValue(of: ta == .str ? b : a) ?? 0
            return str(String(repeating: text, count: max(0, count)))
        case (.list, .list, .add):
            if inPlace {
                for item in (try? heap.items(of: b)) ?? [] { try? heap.append(item, to: a) }
                return newRef(a)
            }
            return own(heap.list(((try? heap.items(of: a)) ?? []) + ((try? heap.items(of: b)) ?? [])))
        case (.list, _, .add) where inPlace:
            let items = try collectItems(b)
            defer { for item in items { drop(item) } }
            for item in items { try? heap.append(item, to: a) }
            return newRef(a)
        case (.tuple, .tuple, .add):
            return own(heap.tuple(((try? heap.items(of: a)) ?? []) + ((try? heap.items(of: b)) ?? [])))
        case (.list, .int, .mul), (.tuple, .int, .mul), (.int, .list, .mul), (.int, .tuple, .mul):
            let sequence = ta == .int ? b : a
            let count = heap.intValue(of: ta == .int ? a : b) ?? 0
            let items = (try? heap.items(of: sequence)) ?? []
            var result: [ObjectRef] = []
            for _ in 0..<max(0, count) { result += items }
            if inPlace && tag(sequence) == .list && sequence == a {
                try? heap.removeAll(from: a)
                for item in result { try? heap.append(item, to: a) }
                return newRef(a)
            }
            return tag(sequence) == .list ? own(heap.list(result)) : own(heap.tuple(result))
        case (.set, .set, .bitOr), (.set, .set, .bitAnd), (.set, .set, .sub), (.set, .set, .bitXor):
            return try setOperation(op, a, b)
        case (.dict, .dict, .bitOr):
            let result = own(heap.dict())
            for source in [a, b] { for entry in (try? heap.entries(of: source)) ?? [] { try? heap.setItem(entry.key, to: entry.value, in: result) } }
            return result
        default: break
        }
        if ta == .instance, let name = Interpreter.dunder[op] {
            if inPlace, let method = lookupSpecial(a, "__i" + name.dropFirst(2)) {
                return try callMethod(method, a, [b])
            }
            if let method = lookupSpecial(a, name) {
                let result = try callMethod(method, a, [b])
                if result != notImplemented { return result }
            }
        }
        if tb == .instance, let name = Interpreter.dunder[op], let method = lookupSpecial(b, "__r" + name.dropFirst(2)) {
            let result = try callMethod(method, b, [a])
            if result != notImplemented { return result }
        }
        if op == .add, [.str, .list, .tuple].contains(ta), ta != tb {
            throw typeError("can only concatenate \(typeName(a)) (not \"\(typeName(b))\") to \(typeName(a))")
        }
        throw typeError("unsupported operand type(s) for \(op.rawValue)\(inPlace ? "=" : ""): '\(typeName(a))' and '\(typeName(b))'")
    }

    /// `a op b` when both are ints and the op is `+`, `-` or `*` without overflow (owned);
    /// nil for everything else, which ``binary(_:_:_:inPlace:)`` does. Inlined into the
    /// compiled expressions, so the commonest arithmetic costs no call.
    @inline(__always)
    func smallIntBinary(_ op: BinaryOp, _ a: ObjectRef, _ b: ObjectRef) -> ObjectRef? {
        guard tag(a) == .int, tag(b) == .int, let x = heap.intValue(of: a), let y = heap.intValue(of: b) else { return nil }
        let (result, overflow): (Int, Bool)
        switch op {
        case .add: (result, overflow) = x.addingReportingOverflow(y)
        case .sub: (result, overflow) = x.subtractingReportingOverflow(y)
        case .mul: (result, overflow) = x.multipliedReportingOverflow(by: y)
        default: return nil
        }
        return overflow ? nil : int(result)
    }

    /// `a op b` for two ints and an ordering or equality op, as a Bool; nil for everything
    /// else, which ``compare(_:_:_:)`` does.
    @inline(__always)
    func intComparison(_ op: CompareOp, _ a: ObjectRef, _ b: ObjectRef) -> Bool? {
        guard tag(a) == .int, tag(b) == .int, let x = heap.intValue(of: a), let y = heap.intValue(of: b) else { return nil }
        switch op {
        case .eq: return x == y
        case .ne: return x != y
        case .lt: return x < y
        case .le: return x <= y
        case .gt: return x > y
        case .ge: return x >= y
        default: return nil
        }
    }

    /// `NotImplemented` (the builtins' singleton), borrowed.
    var notImplemented: ObjectRef { (try? heap.item(forKey: name("NotImplemented"), in: builtinsDict)) ?? heap.none }

    func intBinary(_ op: BinaryOp, _ x: Int, _ y: Int) throws(PyException) -> ObjectRef {
        switch op {
        case .add:
            let (r, o) = x.addingReportingOverflow(y); if o { throw overflow() }; return int(r)
        case .sub:
            let (r, o) = x.subtractingReportingOverflow(y); if o { throw overflow() }; return int(r)
        case .mul:
            let (r, o) = x.multipliedReportingOverflow(by: y); if o { throw overflow() }; return int(r)
        case .div:
            if y == 0 { throw raise("ZeroDivisionError", "division by zero") }
            return float(Double(x) / Double(y))
        case .floorDiv:
            if y == 0 { throw raise("ZeroDivisionError", "integer division or modulo by zero") }
            if x == .min && y == -1 { throw overflow() }
            var q = x / y
            if (x % y != 0) && ((x < 0) != (y < 0)) { q -= 1 }
            return int(q)
        case .mod:
            if y == 0 { throw raise("ZeroDivisionError", "integer division or modulo by zero") }
            if y == -1 { return int(0) }
            var r = x % y
            if r != 0 && ((r < 0) != (y < 0)) { r += y }
            return int(r)
        case .pow:
            if y < 0 { return float(pow(Double(x), Double(y))) }
            var result = 1, base = x, exponent = y
            while exponent > 0 {
                if exponent & 1 == 1 {
                    let (r, o) = result.multipliedReportingOverflow(by: base); if o { throw overflow() }; result = r
                }
                exponent >>= 1
                if exponent > 0 {
                    let (b, o) = base.multipliedReportingOverflow(by: base); if o { throw overflow() }; base = b
                }
            }
            return int(result)
        case .lshift:
            if y < 0 { throw valueError("negative shift count") }
            if y >= 63 || (x != 0 && (x << y) >> y != x) { if x == 0 { return int(0) }; throw overflow() }
            return int(x << y)
        case .rshift:
            if y < 0 { throw valueError("negative shift count") }
            return int(x >> min(y, 63))
        case .bitAnd: return int(x & y)
        case .bitOr: return int(x | y)
        case .bitXor: return int(x ^ y)
        }
    }

    func floatBinary(_ op: BinaryOp, _ x: Double, _ y: Double) throws(PyException) -> ObjectRef {
        switch op {
        case .add: return float(x + y)
        case .sub: return float(x - y)
        case .mul: return float(x * y)
        case .div:
            if y == 0 { throw raise("ZeroDivisionError", "float division by zero") }
            return float(x / y)
        case .floorDiv:
            if y == 0 { throw raise("ZeroDivisionError", "float floor division by zero") }
            return float((x / y).rounded(.down))
        case .mod:
            if y == 0 { throw raise("ZeroDivisionError", "float modulo") }
            var r = x.truncatingRemainder(dividingBy: y)
            if r != 0 && ((r < 0) != (y < 0)) { r += y }
            return float(r)
        case .pow:
            return float(pow(x, y))
        default:
            throw typeError("unsupported operand type(s) for \(op.rawValue): 'float' and 'float'")
        }
    }

    private func setOperation(_ op: BinaryOp, _ a: ObjectRef, _ b: ObjectRef) throws(PyException) -> ObjectRef {
        let left = (try? heap.keys(of: a)) ?? []
        let right = (try? heap.keys(of: b)) ?? []
        var result: [ObjectRef] = []
        switch op {
        case .bitOr: result = left + right
        case .bitAnd: result = left.filter { (try? heap.contains($0, in: b)) ?? false }
        case .sub: result = left.filter { !((try? heap.contains($0, in: b)) ?? false) }
        default:
            result = left.filter { !((try? heap.contains($0, in: b)) ?? false) } + right.filter { !((try? heap.contains($0, in: a)) ?? false) }
        }
        do throws(HeapError) { return own(try heap.set(result)) } catch { throw translate(error) }
    }

    func unary(_ op: UnaryOp, _ value: ObjectRef) throws(PyException) -> ObjectRef {
        switch op {
        case .not: return bool(!(try truthy(value)))
        case .neg, .pos, .invert:
            switch tag(value) {
            case .int, .bool:
                let x = heap.intValue(of: value) ?? 0
                if op == .pos { return int(x) }
                if op == .invert { return int(~x) }
                if x == .min { throw overflow() }
                return int(-x)
            case .float:
                if op == .invert { break }
                let x = heap.floatValue(of: value) ?? 0
                return float(op == .neg ? -x : x)
            case .instance:
                let name = op == .neg ? "__neg__" : op == .pos ? "__pos__" : "__invert__"
                if let method = lookupSpecial(value, name) { return try callMethod(method, value, []) }
            default: break
            }
            let symbol = op == .neg ? "-" : op == .pos ? "+" : "~"
            throw typeError("bad operand type for unary \(symbol): '\(typeName(value))'")
        }
    }

    /// `a op b` for comparisons; result owned (True/False for the built-in types).
    func compare(_ op: CompareOp, _ a: ObjectRef, _ b: ObjectRef) throws(PyException) -> ObjectRef {
        if tag(a) == .int && tag(b) == .int, let x = heap.intValue(of: a), let y = heap.intValue(of: b) {
            switch op {
            case .eq: return bool(x == y)
            case .ne: return bool(x != y)
            case .lt: return bool(x < y)
            case .le: return bool(x <= y)
            case .gt: return bool(x > y)
            case .ge: return bool(x >= y)
            case .is: return bool(a == b)
            case .isNot: return bool(a != b)
            default: break
            }
        }
        switch op {
        case .is: return bool(a == b)
        case .isNot: return bool(a != b)
        case .in: return bool(try contains(b, a))
        case .notIn: return bool(!(try contains(b, a)))
        case .eq: return try richEquals(a, b, negate: false)
        case .ne: return try richEquals(a, b, negate: true)
        case .lt, .le, .gt, .ge:
            if tag(a) == .instance || tag(b) == .instance {
                let names: [CompareOp: (String, String)] = [.lt: ("__lt__", "__gt__"), .le: ("__le__", "__ge__"), .gt: ("__gt__", "__lt__"), .ge: ("__ge__", "__le__")]
                if let (mine, theirs) = names[op] {
                    if tag(a) == .instance, let method = lookupSpecial(a, mine) {
                        let result = try callMethod(method, a, [b])
                        if result != notImplemented { return result }
                    }
                    if tag(b) == .instance, let method = lookupSpecial(b, theirs) {
                        let result = try callMethod(method, b, [a])
                        if result != notImplemented { return result }
                    }
                }
                throw typeError("'\(op.rawValue)' not supported between instances of '\(typeName(a))' and '\(typeName(b))'")
            }
            let order = try ordering(a, b, op: op)
            switch op {
            case .lt: return bool(order < 0)
            case .le: return bool(order <= 0)
            case .gt: return bool(order > 0)
            default: return bool(order >= 0)
            }
        }
    }

    func richEquals(_ a: ObjectRef, _ b: ObjectRef, negate: Bool) throws(PyException) -> ObjectRef {
        if tag(a) == .instance, let method = lookupSpecial(a, negate ? "__ne__" : "__eq__") {
            let result = try callMethod(method, a, [b])
            if result != notImplemented { return result }
        } else if tag(a) == .instance, negate, let method = lookupSpecial(a, "__eq__") {
            let result = try callMethod(method, a, [b])
            if result != notImplemented { defer { drop(result) }; return bool(!(try truthy(result))) }
        }
        return bool(try equals(a, b) != negate)
    }

    /// Python's `==` for the built-in types (identity for others).
    func equals(_ a: ObjectRef, _ b: ObjectRef) throws(PyException) -> Bool {
        if a == b { return true }
        if tag(a) == .host, let x = heap.payload(of: a, as: rangeType), let y = heap.payload(of: b, as: rangeType) {
            return x.start == y.start && x.stop == y.stop && x.step == y.step
        }
        do throws(HeapError) { return try heap.equals(a, b) } catch { throw translate(error) }
    }

    /// -1, 0 or 1, for `<` and friends on numbers, strings, lists and tuples.
    func ordering(_ a: ObjectRef, _ b: ObjectRef, op: CompareOp) throws(PyException) -> Int {
        let ta = tag(a), tb = tag(b)
        let numeric: Set<ObjectTypeTag> = [.int, .bool, .float]
        if numeric.contains(ta) && numeric.contains(tb) {
            if ta != .float && tb != .float {
                let x = heap.intValue(of: a) ?? 0, y = heap.intValue(of: b) ?? 0
                return x < y ? -1 : x > y ? 1 : 0
            }
            let x = heap.floatValue(of: a) ?? Double(heap.intValue(of: a) ?? 0)
            let y = heap.floatValue(of: b) ?? Double(heap.intValue(of: b) ?? 0)
            return x < y ? -1 : x > y ? 1 : 0
        }
        if ta == .str && tb == .str {
            let x = heap.stringValue(of: a) ?? "", y = heap.stringValue(of: b) ?? ""
            // Python compares code points.
            let xs = Array(x.unicodeScalars), ys = Array(y.unicodeScalars)
            for i in 0..<min(xs.count, ys.count) where xs[i] != ys[i] { return xs[i].value < ys[i].value ? -1 : 1 }
            return xs.count < ys.count ? -1 : xs.count > ys.count ? 1 : 0
        }
        if (ta == .list && tb == .list) || (ta == .tuple && tb == .tuple) {
            let xs = (try? heap.items(of: a)) ?? [], ys = (try? heap.items(of: b)) ?? []
            for i in 0..<min(xs.count, ys.count) where !(try equals(xs[i], ys[i])) {
                return try ordering(xs[i], ys[i], op: op)
            }
            return xs.count < ys.count ? -1 : xs.count > ys.count ? 1 : 0
        }
        throw typeError("'\(op.rawValue)' not supported between instances of '\(typeName(a))' and '\(typeName(b))'")
    }

    /// `item in container`.
    func contains(_ container: ObjectRef, _ item: ObjectRef) throws(PyException) -> Bool {
        switch tag(container) {
        case .str:
            guard let needle = heap.stringValue(of: item) else { throw typeError("'in <string>' requires string as left operand, not \(typeName(item))") }
            let haystack = heap.stringValue(of: container) ?? ""
            return needle.isEmpty || haystack.contains(needle)
        case .list, .tuple:
            for element in (try? heap.items(of: container)) ?? [] where try equals(element, item) { return true }
            return false
        case .dict, .set:
            do throws(HeapError) { return try heap.contains(item, in: container) } catch { throw translate(error) }
        case .host:
            if let range = heap.payload(of: container, as: rangeType), let value = heap.intValue(of: item) {
                if range.step > 0 ? !(value >= range.start && value < range.stop) : !(value <= range.start && value > range.stop) { return false }
                return (value - range.start) % range.step == 0
            }
        case .instance:
            if let method = lookupSpecial(container, "__contains__") {
                let result = try callMethod(method, container, [item])
                defer { drop(result) }
                return try truthy(result)
            }
        default: break
        }
        throw typeError("argument of type '\(typeName(container))' is not iterable")
    }
}

#if canImport(Glibc)
import Glibc
#endif
