import HeapRuntime

// def, lambda, class and comprehensions: code with a scope of its own.
extension Compiler {
    /// Builds the closure tuple for a scope nested in this one: the cells of its free
    /// variables, taken from this frame's slots.
    func closureBuilder(for inner: Scope) -> ((Frame) -> ObjectRef?)? {
        if inner.freeNames.isEmpty { return nil }
        let interp = self.interp
        let slots = inner.freeNames.map { scope.slots_($0) ?? -1 }
        return { f in
            var cells: [ObjectRef] = []
            for slot in slots where slot >= 0 {
                if let cell = f.slots[slot] { cells.append(cell) }
            }
            return interp.own(interp.heap.tuple(cells))
        }
    }

    /// Compiles a function body; returns a closure that makes the function object (owned).
    func functionMaker(_ definition: FunctionDef) throws(SyntaxError) -> Eval {
        let interp = self.interp
        guard let inner = definition.scope else { throw SyntaxError("internal: unresolved scope", line: definition.line, column: 1) }
        let isMethod = scope.kind == .classBody
        let compiler = Compiler(interp: interp, filename: filename, scope: inner,
                                enclosingClass: isMethod ? currentClass : enclosingClass)
        let qualifiedName = qualifiedPrefix + definition.name
        compiler.qualifiedPrefix = qualifiedName + ".<locals>."
        let code = codeObject(name: definition.name, line: definition.line, scope: inner,
                              parameters: definition.parameters.map(\.name), varArgs: definition.varArgs != nil, kwArgs: definition.kwArgs != nil,
                              body: try compiler.block(definition.body))
        code.qualifiedName = qualifiedName
        code.isMethod = isMethod && compiler.usesSuper
        code.sourceLines = (definition.decoratorLine ?? definition.line)...max(definition.line, definition.lastLine)
        let defaults = try definition.parameters.compactMap(\.defaultValue).map { (value) throws(SyntaxError) -> EvalBox in EvalBox(run: try expression(value)) }
        let closure = closureBuilder(for: inner)
        let nameObject = interp.name(definition.name)
        return { f throws(PyException) in
            var defaultsTuple: ObjectRef?
            if !defaults.isEmpty {
                let values = try interp.evaluateAll(defaults, f)
                defer { for value in values { interp.drop(value) } }
                defaultsTuple = interp.own(interp.heap.tuple(values))
            }
            let cells = closure?(f)
            defer { interp.drop(defaultsTuple); interp.drop(cells) }
            let payload = FunctionPayload(code: code, globals: f.globals, defaults: defaultsTuple, closure: cells, name: nameObject, ownerClass: nil)
            return interp.own(interp.heap.makeHost(interp.functionType, payload))
        }
    }

    var currentClass: ClassDef? { classBeingCompiled }

    func classStatement(_ definition: ClassDef, line: Int) throws(SyntaxError) -> Exec {
        let interp = self.interp
        guard let inner = definition.scope else { throw SyntaxError("internal: unresolved scope", line: line, column: 1) }
        if definition.bases.count > 1 { throw .unsupported("multiple inheritance", line: line, column: 1) }
        let compiler = Compiler(interp: interp, filename: filename, scope: inner, enclosingClass: enclosingClass)
        compiler.classBeingCompiled = definition
        compiler.qualifiedPrefix = qualifiedPrefix + definition.name + "."
        let code = codeObject(name: definition.name, line: line, scope: inner, parameters: [], varArgs: false, kwArgs: false,
                              body: try compiler.block(definition.body))
        let baseEvals = try definition.bases.map { (value) throws(SyntaxError) -> EvalBox in EvalBox(run: try expression(value)) }
        let decorators = try definition.decorators.map { (value) throws(SyntaxError) -> Eval in try expression(value) }
        let closure = closureBuilder(for: inner)
        let store = try self.store(.name(definition.name, line: line))
        let name = definition.name
        let qualifiedName = interp.name(qualifiedPrefix + definition.name)
        return { f throws(PyException) in
            f.line = line
            let decoratorValues = try decorators.map { (eval) throws(PyException) -> ObjectRef in try eval(f) }
            defer { for value in decoratorValues { interp.drop(value) } }
            let bases = try interp.evaluateAll(baseEvals, f)
            defer { for base in bases { interp.drop(base) } }
            let namespace = interp.own(interp.heap.dict())
            defer { interp.drop(namespace) }
            try? interp.heap.setItem(interp.name("__module__"), to: interp.name("__main__"), in: namespace)
            try? interp.heap.setItem(interp.name("__qualname__"), to: qualifiedName, in: namespace)
            let frame = Frame(code: code, globals: f.globals, interpreter: interp)
            frame.namespace = namespace
            if let cells = closure?(f) {
                defer { interp.drop(cells) }
                for (i, slot) in code.freeSlots.enumerated() {
                    if let cell = try? interp.heap.item(i, of: cells) { frame.slots[slot] = interp.newRef(cell) }
                }
            }
            do throws(PyException) { _ = try code.body(frame) } catch {
                var error = error
                error.traceback.append((code, frame.line))
                throw error
            }
            var cls = try interp.makeClass(name, bases: bases, namespace: namespace)
            for decorator in decoratorValues.reversed() {
                let decorated: ObjectRef
                do throws(PyException) { decorated = try interp.call(decorator, [cls]) } catch { interp.drop(cls); throw error }
                interp.drop(cls)
                cls = decorated
            }
            try store(f, cls)
            return .normal
        }
    }

    func comprehension(_ comprehension: Comprehension) throws(SyntaxError) -> Eval {
        let interp = self.interp
        guard let inner = comprehension.scope else { throw SyntaxError("internal: unresolved scope", line: comprehension.line, column: 1) }
        let code = codeObject(name: "<\(comprehension.kind == .generator ? "genexpr" : "\(comprehension.kind)comp")>", line: comprehension.line,
                              scope: inner, parameters: [".0"], varArgs: false, kwArgs: false)
        let compiler = Compiler(interp: interp, filename: filename, scope: inner, enclosingClass: enclosingClass)
        let firstIterable = try expression(comprehension.clauses[0].iterable)
        struct Clause {
            let iterable: Eval?
            let store: Store
            let conditions: [(Frame) throws(PyException) -> Bool]
        }
        var clauses: [Clause] = []
        for (index, clause) in comprehension.clauses.enumerated() {
            clauses.append(Clause(iterable: index == 0 ? nil : try compiler.expression(clause.iterable),
                                  store: try compiler.store(clause.target),
                                  conditions: try clause.conditions.map { (test) throws(SyntaxError) -> (Frame) throws(PyException) -> Bool in try compiler.condition(test) }))
        }
        let element = try compiler.expression(comprehension.element)
        let value = try comprehension.value.map { (value) throws(SyntaxError) -> Eval in try compiler.expression(value) }
        let kind = comprehension.kind
        let closure = closureBuilder(for: inner)
        let outerSlot = inner.slots_(".0") ?? 0
        return { f throws(PyException) in
            let source = try firstIterable(f)
            interp.callDepth += 1
            defer { interp.callDepth -= 1 }
            if interp.callDepth > interp.recursionLimit { interp.drop(source); throw interp.raise("RecursionError", "maximum recursion depth exceeded") }
            let frame = Frame(code: code, globals: f.globals, interpreter: interp)
            frame.slots[outerSlot] = source
            if let cells = closure?(f) {
                defer { interp.drop(cells) }
                for (i, slot) in code.freeSlots.enumerated() {
                    if let cell = try? interp.heap.item(i, of: cells) { frame.slots[slot] = interp.newRef(cell) }
                }
            }
            for slot in code.cellSlots where slot != outerSlot {
                frame.slots[slot] = interp.own(interp.heap.makeHost(interp.cellType, CellPayload(value: nil)))
            }
            let result: ObjectRef
            switch kind {
            case .list, .generator: result = interp.own(interp.heap.list())
            case .set: result = interp.own(interp.heap.set())
            case .dict: result = interp.own(interp.heap.dict())
            }
            // Nested loops with an explicit stack of iterators (one per clause).
            var iterators: [PyIterator] = []
            defer { for i in iterators.indices { iterators[i].release(interp) } }
            do throws(PyException) {
                iterators.append(try interp.makeIterator(source))
                while !iterators.isEmpty {
                    let level = iterators.count - 1
                    guard let item = try iterators[level].next(interp) else {
                        iterators[level].release(interp)
                        iterators.removeLast()
                        continue
                    }
                    try clauses[level].store(frame, item)
                    var passes = true
                    for condition in clauses[level].conditions where !(try condition(frame)) { passes = false; break }
                    if !passes { continue }
                    if level + 1 < clauses.count {
                        let iterable = try clauses[level + 1].iterable.unsafelyUnwrapped(frame)
                        defer { interp.drop(iterable) }
                        iterators.append(try interp.makeIterator(iterable))
                        continue
                    }
                    let element_ = try element(frame)
                    defer { interp.drop(element_) }
                    switch kind {
                    case .list, .generator: try? interp.heap.append(element_, to: result)
                    case .set: do throws(HeapError) { try interp.heap.add(element_, to: result) } catch { throw interp.translate(error) }
                    case .dict:
                        let mapped = try value.unsafelyUnwrapped(frame)
                        defer { interp.drop(mapped) }
                        do throws(HeapError) { try interp.heap.setItem(element_, to: mapped, in: result) } catch { throw interp.translate(error) }
                    }
                }
            } catch {
                interp.drop(result)
                var error = error
                error.traceback.append((code, frame.line))
                throw error
            }
            return result
        }
    }
}
