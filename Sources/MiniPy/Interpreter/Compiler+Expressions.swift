import HeapRuntime

// Expressions: each compiles to a closure returning an owned reference.
extension Compiler {
    func expression(_ expr: Expr) throws(SyntaxError) -> Eval {
        let interp = self.interp
        switch expr {
        case .name(let name, _):
            return loadName(name)
        case .int(let value):
            let constant = interp.int(value)
            return { _ throws(PyException) in interp.newRef(constant) }
        case .float(let value):
            let constant = interp.float(value)
            return { _ throws(PyException) in interp.newRef(constant) }
        case .string(let text):
            // String constants are interned, as CPython interns those of a code object.
            let constant = interp.internedConstant(text)
            return { _ throws(PyException) in interp.newRef(constant) }
        case .constant(let kind):
            let constant: ObjectRef = kind == .none ? interp.heap.none : interp.heap.bool(kind == .true)
            return { _ throws(PyException) in constant }
        case .formatted(let pieces, _):
            return try formatted(pieces)
        case .tuple(let items, _) where !items.isEmpty && items.allSatisfy(\.isConstant):
            // A tuple of constants is one constant, made once (CPython folds them too).
            let constant = constantValue(expr)
            return { _ throws(PyException) in interp.newRef(constant) }
        case .tuple(let items, _):
            let compiled = try items.map { (item) throws(SyntaxError) -> EvalBox in EvalBox(run: try expression(item)) }
            if compiled.count == 2 {
                // `(a, b)`, the common case: the two values go into the tuple as they are,
                // with no array made and no counts added and given back.
                let first = compiled[0].run, second = compiled[1].run
                return { f throws(PyException) in
                    let x = try first(f)
                    let y: ObjectRef
                    do throws(PyException) { y = try second(f) } catch { interp.drop(x); throw error }
                    return interp.tuple(taking: x, y)
                }
            }
            let evals = evaluator(compiled)
            return { f throws(PyException) in
                let values = try evals(f)
                defer { for value in values { interp.drop(value) } }
                return interp.own(interp.heap.tuple(values))
            }
        case .list(let items, _):
            if items.isEmpty { return { _ throws(PyException) in interp.own(interp.heap.list()) } }
            let evals = evaluator(try items.map { (item) throws(SyntaxError) -> EvalBox in EvalBox(run: try expression(item)) })
            return { f throws(PyException) in
                let values = try evals(f)
                defer { for value in values { interp.drop(value) } }
                return interp.own(interp.heap.list(values))
            }
        case .set(let items, _):
            let evals = try items.map { (item) throws(SyntaxError) -> EvalBox in EvalBox(run: try expression(item)) }
            return { f throws(PyException) in
                let values = try interp.evaluateAll(evals, f)
                defer { for value in values { interp.drop(value) } }
                do throws(HeapError) { return interp.own(try interp.heap.set(values)) } catch { throw interp.translate(error) }
            }
        case .dict(let pairs, _):
            let evals = try pairs.map { (pair) throws(SyntaxError) -> (Eval, Eval) in (try expression(pair.key), try expression(pair.value)) }
            return { f throws(PyException) in
                let dict = interp.own(interp.heap.dict())
                for (keyEval, valueEval) in evals {
                    do throws(PyException) {
                        let key = try keyEval(f)
                        defer { interp.drop(key) }
                        let value = try valueEval(f)
                        defer { interp.drop(value) }
                        do throws(HeapError) { try interp.heap.setItem(key, to: value, in: dict) } catch { throw interp.translate(error) }
                    } catch {
                        interp.drop(dict)
                        throw error
                    }
                }
                return dict
            }
        case .binary(let op, let left, let right, _):
            let leftEval = try expression(left)
            let rightEval = try expression(right)
            return { f throws(PyException) in
                let a = try leftEval(f)
                let b: ObjectRef
                do throws(PyException) { b = try rightEval(f) } catch { interp.drop(a); throw error }
                defer { interp.drop(a); interp.drop(b) }
                if let result = interp.smallIntBinary(op, a, b) { return result }
                return try interp.binary(op, a, b, inPlace: false)
            }
        case .unary(let op, let operand, _):
            let eval = try expression(operand)
            return { f throws(PyException) in
                let value = try eval(f)
                defer { interp.drop(value) }
                return try interp.unary(op, value)
            }
        case .boolOp(let isAnd, let left, let right):
            let leftEval = try expression(left)
            let rightEval = try expression(right)
            return { f throws(PyException) in
                let a = try leftEval(f)
                let truth: Bool
                do throws(PyException) { truth = try interp.truthy(a) } catch { interp.drop(a); throw error }
                if truth != isAnd { return a }
                interp.drop(a)
                return try rightEval(f)
            }
        case .compare(let left, let rest, _):
            let leftEval = try expression(left)
            let ops = rest.map(\.0)
            let evals = try rest.map { (pair) throws(SyntaxError) -> EvalBox in EvalBox(run: try expression(pair.1)) }
            if ops.count == 1, ops[0] == .is || ops[0] == .isNot {
                // Identity needs no dispatch on the operands' types.
                let negate = ops[0] == .isNot, rightEval = evals[0].run
                return { f throws(PyException) in
                    let a = try leftEval(f)
                    let b: ObjectRef
                    do throws(PyException) { b = try rightEval(f) } catch { interp.drop(a); throw error }
                    let identical = a == b
                    interp.drop(a)
                    interp.drop(b)
                    return interp.bool(identical != negate)
                }
            }
            if ops.count == 1 {
                let op = ops[0], rightEval = evals[0].run
                return { f throws(PyException) in
                    let a = try leftEval(f)
                    let b: ObjectRef
                    do throws(PyException) { b = try rightEval(f) } catch { interp.drop(a); throw error }
                    defer { interp.drop(a); interp.drop(b) }
                    if let result = interp.intComparison(op, a, b) { return interp.bool(result) }
                    return try interp.compare(op, a, b)
                }
            }
            return { f throws(PyException) in
                var a = try leftEval(f)
                for (i, op) in ops.enumerated() {
                    let b: ObjectRef
                    do throws(PyException) { b = try evals[i].run(f) } catch { interp.drop(a); throw error }
                    let result: ObjectRef
                    do throws(PyException) { result = try interp.compare(op, a, b) } catch { interp.drop(a); interp.drop(b); throw error }
                    interp.drop(a)
                    if i == ops.count - 1 { interp.drop(b); return result }
                    let truth: Bool
                    do throws(PyException) { truth = try interp.truthy(result) } catch { interp.drop(result); interp.drop(b); throw error }
                    if !truth { interp.drop(b); return result }
                    interp.drop(result)
                    a = b
                }
                return a
            }
        case .call(let function, let arguments, let line):
            return try call(function, arguments, line: line)
        case .attribute(let object, let name, _):
            let objectEval = try expression(object)
            let key = interp.name(name)
            return { f throws(PyException) in
                let target = try objectEval(f)
                defer { interp.drop(target) }
                return try interp.getAttribute(target, key)
            }
        case .index(let object, let index, _):
            let objectEval = try expression(object)
            let indexEval = try expression(index)
            return { f throws(PyException) in
                let target = try objectEval(f)
                defer { interp.drop(target) }
                let key = try indexEval(f)
                defer { interp.drop(key) }
                return try interp.getItem(target, key)
            }
        case .slice(let lower, let upper, let step):
            let evals = try [lower, upper, step].map { (part) throws(SyntaxError) -> Eval? in try part.map { (value) throws(SyntaxError) -> Eval in try expression(value) } }
            return { f throws(PyException) in
                var parts: [ObjectRef?] = []
                for eval in evals { parts.append(try eval.map { (eval) throws(PyException) -> ObjectRef in try eval(f) }) }
                defer { for part in parts { interp.drop(part) } }
                return interp.own(interp.heap.makeHost(interp.sliceType, SlicePayload(start: parts[0], stop: parts[1], step: parts[2])))
            }
        case .conditional(let test, let body, let orElse):
            let testEval = try condition(test)
            let bodyEval = try expression(body)
            let elseEval = try expression(orElse)
            return { f throws(PyException) in try testEval(f) ? try bodyEval(f) : try elseEval(f) }
        case .lambda(let definition):
            return try functionMaker(definition)
        case .comprehension(let comprehension):
            return try self.comprehension(comprehension)
        }
    }

    private func formatted(_ pieces: [FormatPiece]) throws(SyntaxError) -> Eval {
        let interp = self.interp
        enum Part { case text(String), value(Eval, Character?, String) }
        let parts = try pieces.map { (piece) throws(SyntaxError) -> Part in
            switch piece {
            case .literal(let text): return .text(text)
            case .value(let expr, let conversion, let spec): return .value(try expression(expr), conversion, spec)
            }
        }
        return { f throws(PyException) in
            var out = ""
            for part in parts {
                switch part {
                case .text(let text): out += text
                case .value(let eval, let conversion, let spec):
                    let value = try eval(f)
                    defer { interp.drop(value) }
                    if conversion == "r" {
                        out += try interp.applyFormatSpec(interp.str(try interp.repr(value)).consumedBy(interp), spec)
                    } else {
                        out += try interp.format(value, spec: spec)
                    }
                }
            }
            return interp.str(out)
        }
    }

    private func call(_ function: Expr, _ arguments: [Argument], line: Int) throws(SyntaxError) -> Eval {
        let interp = self.interp
        var positional: [EvalBox] = []
        var keywords: [(String, Eval)] = []
        var hasUnpacking = false
        for argument in arguments {
            switch argument {
            case .positional(let value): positional.append(EvalBox(run: try expression(value)))
            case .keyword(let name, let value): keywords.append((name, try expression(value)))
            case .star, .doubleStar: hasUnpacking = true
            }
        }
        if hasUnpacking { return try unpackingCall(function, arguments) }
        let positionalValues = evaluator(positional)
        let fill = argumentFill(positional)
        let count = positional.count
        let direct = keywords.isEmpty
        // Zero-argument super() in a method: the class the method was defined in, and its
        // first argument.
        if case .name("super", _) = function, arguments.isEmpty, scope.kind == .function, enclosingClass != nil {
            let load = loadName("super")
            usesSuper = true
            return { f throws(PyException) in
                let callee = try load(f)
                defer { interp.drop(callee) }
                guard callee == interp.superBuiltin else { return try interp.call(callee, []) }
                return try interp.makeSuper(f)
            }
        }
        if case .attribute(let object, let name, _) = function {
            // obj.method(args): no bound method is made (CPython's LOAD_METHOD).
            let objectEval = try expression(object)
            let key = interp.name(name)
            return { f throws(PyException) in
                let target = try objectEval(f)
                if direct, interp.tag(target) == .instance, let value = interp.heap.attribute(key, of: target), interp.tag(value) == .host,
                   let function = interp.heap.payload(of: value, as: interp.functionType), function.acceptsDirect(count + 1),
                   let cls = interp.heap.classOf(target), interp.heap.attribute(key, of: cls) == value {
                    // A method found on the class: the instance goes to `self` owned.
                    let held = interp.newRef(value)
                    defer { interp.drop(held) }
                    return try interp.callDirect(held, function, count: count, first: target, f, fill)
                }
                defer { interp.drop(target) }
                let args = try positionalValues(f)
                defer { for arg in args { interp.drop(arg) } }
                let kwargs = try interp.evaluateKeywords(keywords, f)
                defer { for (_, value) in kwargs { interp.drop(value) } }
                return try interp.callAttribute(target, key, args, kwargs)
            }
        }
        let calleeEval = try expression(function)
        return { f throws(PyException) in
            let callee = try calleeEval(f)
            defer { interp.drop(callee) }
            if direct, interp.tag(callee) == .host, let payload = interp.heap.payload(of: callee, as: interp.functionType),
               payload.acceptsDirect(count) {
                return try interp.callDirect(callee, payload, count: count, first: nil, f, fill)
            }
            let args = try positionalValues(f)
            defer { for arg in args { interp.drop(arg) } }
            let kwargs = try interp.evaluateKeywords(keywords, f)
            defer { for (_, value) in kwargs { interp.drop(value) } }
            return try interp.call(callee, args, kwargs, stealing: true)
        }
    }

    private func unpackingCall(_ function: Expr, _ arguments: [Argument]) throws(SyntaxError) -> Eval {
        let interp = self.interp
        let calleeEval = try expression(function)
        enum Part { case positional(Eval), keyword(String, Eval), star(Eval), doubleStar(Eval) }
        let parts = try arguments.map { (argument) throws(SyntaxError) -> Part in
            switch argument {
            case .positional(let value): return .positional(try expression(value))
            case .keyword(let name, let value): return .keyword(name, try expression(value))
            case .star(let value): return .star(try expression(value))
            case .doubleStar(let value): return .doubleStar(try expression(value))
            }
        }
        return { f throws(PyException) in
            let callee = try calleeEval(f)
            defer { interp.drop(callee) }
            var args: [ObjectRef] = []
            var kwargs: [(String, ObjectRef)] = []
            defer {
                for arg in args { interp.drop(arg) }
                for (_, value) in kwargs { interp.drop(value) }
            }
            for part in parts {
                switch part {
                case .positional(let eval): args.append(try eval(f))
                case .keyword(let name, let eval): kwargs.append((name, try eval(f)))
                case .star(let eval):
                    let value = try eval(f)
                    defer { interp.drop(value) }
                    args += try interp.collectItems(value)
                case .doubleStar(let eval):
                    let value = try eval(f)
                    defer { interp.drop(value) }
                    guard interp.tag(value) == .dict else { throw interp.typeError("argument after ** must be a mapping, not \(interp.typeName(value))") }
                    for entry in (try? interp.heap.entries(of: value)) ?? [] {
                        guard let key = interp.heap.stringValue(of: entry.key) else { throw interp.typeError("keywords must be strings") }
                        kwargs.append((key, interp.newRef(entry.value)))
                    }
                }
            }
            return try interp.call(callee, args, kwargs)
        }
    }
}

extension Compiler {
    /// Evaluates arguments straight into slots; on an error, what was stored stays in the
    /// slots, for the frame's recycling to release.
    func argumentFill(_ evals: [EvalBox]) -> ArgumentFill {
        switch evals.count {
        case 0: return { _, _ throws(PyException) in }
        case 1:
            let a = evals[0].run
            return { f, slots throws(PyException) in slots[0] = try a(f) }
        case 2:
            let a = evals[0].run, b = evals[1].run
            return { f, slots throws(PyException) in
                slots[0] = try a(f)
                slots[1] = try b(f)
            }
        case 3:
            let a = evals[0].run, b = evals[1].run, c = evals[2].run
            return { f, slots throws(PyException) in
                slots[0] = try a(f)
                slots[1] = try b(f)
                slots[2] = try c(f)
            }
        default:
            return { f, slots throws(PyException) in
                for (i, eval) in evals.enumerated() { slots[i] = try eval.run(f) }
            }
        }
    }

    /// One closure that evaluates a list of expressions in order (owned results), without
    /// reading closures out of an array for the common short lists.
    func evaluator(_ evals: [EvalBox]) -> (Frame) throws(PyException) -> [ObjectRef] {
        let interp = self.interp
        switch evals.count {
        case 0: return { _ throws(PyException) in [] }
        case 1:
            let a = evals[0].run
            return { f throws(PyException) in [try a(f)] }
        case 2:
            let a = evals[0].run, b = evals[1].run
            return { f throws(PyException) in
                let x = try a(f)
                do throws(PyException) { return [x, try b(f)] } catch { interp.drop(x); throw error }
            }
        case 3:
            let a = evals[0].run, b = evals[1].run, c = evals[2].run
            return { f throws(PyException) in
                let x = try a(f)
                let y: ObjectRef
                do throws(PyException) { y = try b(f) } catch { interp.drop(x); throw error }
                do throws(PyException) { return [x, y, try c(f)] } catch { interp.drop(x); interp.drop(y); throw error }
            }
        default:
            return { f throws(PyException) in try interp.evaluateAll(evals, f) }
        }
    }
}

extension Interpreter {
    /// Evaluates expressions in order; on an error, gives back what was made.
    @inline(__always)
    func evaluateAll(_ evals: [EvalBox], _ f: Frame) throws(PyException) -> [ObjectRef] {
        var values: [ObjectRef] = []
        values.reserveCapacity(evals.count)
        for eval in evals {
            do throws(PyException) { values.append(try eval.run(f)) } catch {
                for value in values { drop(value) }
                throw error
            }
        }
        return values
    }

    @inline(__always)
    func evaluateKeywords(_ evals: [(String, Eval)], _ f: Frame) throws(PyException) -> [(String, ObjectRef)] {
        if evals.isEmpty { return [] }
        var values: [(String, ObjectRef)] = []
        for (name, eval) in evals {
            do throws(PyException) { values.append((name, try eval(f))) } catch {
                for (_, value) in values { drop(value) }
                throw error
            }
        }
        return values
    }

    /// A str constant, interned and kept for the interpreter's life (borrowed).
    func internedConstant(_ text: String) -> ObjectRef { name(text) }
}

extension Compiler {
    /// The object of a constant expression (``Expr/isConstant``), kept for the
    /// interpreter's life (compiled code holds it).
    func constantValue(_ expr: Expr) -> ObjectRef {
        switch expr {
        case .int(let value): return interp.int(value)
        case .float(let value): return interp.float(value)
        case .string(let text): return interp.internedConstant(text)
        case .constant(let kind): return kind == .none ? interp.heap.none : interp.heap.bool(kind == .true)
        case .tuple(let items, _):
            let values = items.map { constantValue($0) }
            return interp.own(interp.heap.tuple(values))
        default: return interp.heap.none
        }
    }
}

extension Expr {
    /// A literal whose value never changes: a number, a string, None/True/False, or a
    /// tuple of those.
    var isConstant: Bool {
        switch self {
        case .int, .float, .string, .constant: return true
        case .tuple(let items, _): return items.allSatisfy(\.isConstant)
        default: return false
        }
    }
}

extension ObjectRef {
    /// For an owned str made only to be read: reads it and gives it back.
    func consumedBy(_ interp: Interpreter) -> String {
        defer { interp.drop(self) }
        return interp.heap.stringValue(of: self) ?? ""
    }
}
