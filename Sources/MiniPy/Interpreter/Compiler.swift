import HeapRuntime

/// Turns a parsed module into a tree of Swift closures, one per node, with every name
/// resolved ahead of time to a fast slot, a cell or a dict lookup (a closure compiler:
/// calling a closure costs less than dispatching on the AST at every step).
final class Compiler {
    /// Held strongly by every closure compiled: a closure's captures are borrowed for the
    /// call, so using the interpreter costs no reference counting. ``Interpreter/run`` breaks
    /// the cycle (interpreter → code → closures → interpreter) when the program ends.
    let interp: Interpreter
    let filename: String
    let scope: Scope
    /// The class body this function is defined in (for zero-argument `super()`).
    let enclosingClass: ClassDef?
    var loopDepth = 0
    /// Set while compiling a class body: the class its `def`s belong to.
    var classBeingCompiled: ClassDef?
    /// What names defined here are qualified with: `Class.`, `function.<locals>.`.
    var qualifiedPrefix = ""
    /// Whether the body calls zero-argument `super()` (its function then records its class).
    var usesSuper = false

    init(interp: Interpreter, filename: String, scope: Scope, enclosingClass: ClassDef?) {
        self.interp = interp
        self.filename = filename
        self.scope = scope
        self.enclosingClass = enclosingClass
    }

    /// Parses and compiles a module.
    static func compileModule(_ source: String, filename: String, interpreter: Interpreter) throws(SyntaxError) -> CodeObject {
        let module = try Parser.parse(source)
        let scope = try ScopeBuilder.build(module)
        let compiler = Compiler(interp: interpreter, filename: filename, scope: scope, enclosingClass: nil)
        return CodeObject(name: "<module>", filename: filename, firstLine: 1, scope: scope, parameterNames: [], hasVarArgs: false, hasKwArgs: false,
                          body: try compiler.block(module))
    }

    /// A code object for a nested scope whose body is compiled (`body`; comprehensions run
    /// theirs themselves), kept by the interpreter.
    func codeObject(name: String, line: Int, scope: Scope, parameters: [String], varArgs: Bool, kwArgs: Bool,
                    body: @escaping Exec = { _ throws(PyException) in .normal }) -> CodeObject {
        let code = CodeObject(name: name, filename: filename, firstLine: line, scope: scope, parameterNames: parameters, hasVarArgs: varArgs, hasKwArgs: kwArgs,
                              body: body)
        interp.codes.append(code)
        for name in scope.cellNames.sorted() {
            if let slot = scope.slots_(name) { code.cellSlots.append(slot) }
        }
        code.freeSlots = scope.freeNames.compactMap { scope.slots_($0) }
        return code
    }

    // MARK: Blocks

    func block(_ statements: [Stmt]) throws(SyntaxError) -> Exec {
        let compiled = try statements.map { (statement) throws(SyntaxError) -> ExecBox in ExecBox(run: try self.statement(statement)) }
        let lines = statements.map(\.line)
        let interp = self.interp
        // `interp.tracing` is one load per statement: memory_profiler's line events.
        switch compiled.count {
        case 0: return { _ throws(PyException) in .normal }
        case 1:
            let only = compiled[0].run, line = lines[0]
            return { f throws(PyException) in
                if interp.tracing { interp.traceLine(f, line) }
                return try only(f)
            }
        case 2:
            let first = compiled[0].run, second = compiled[1].run
            let firstLine = lines[0], secondLine = lines[1]
            return { f throws(PyException) in
                if interp.tracing { interp.traceLine(f, firstLine) }
                let flow = try first(f)
                if flow != .normal { return flow }
                if interp.tracing { interp.traceLine(f, secondLine) }
                return try second(f)
            }
        default:
            // A chain of closures rather than a loop over an array: calling a closure read
            // from an array goes through a reabstraction thunk.
            var rest: Exec = { _ throws(PyException) in .normal }
            for index in compiled.indices.reversed() {
                let statement = compiled[index].run, line = lines[index], next = rest
                let isLast = index == compiled.count - 1
                rest = isLast ? { f throws(PyException) in
                    if interp.tracing { interp.traceLine(f, line) }
                    return try statement(f)
                } : { f throws(PyException) in
                    if interp.tracing { interp.traceLine(f, line) }
                    let flow = try statement(f)
                    if flow != .normal { return flow }
                    return try next(f)
                }
            }
            return rest
        }
    }

    func statement(_ statement: Stmt) throws(SyntaxError) -> Exec {
        let line = statement.line
        let interp = self.interp
        switch statement.kind {
        case .expression(let expr):
            let eval = try expression(expr)
            return { f throws(PyException) in
                f.line = line
                interp.drop(try eval(f))
                return .normal
            }
        case .assign(let targets, let value):
            let eval = try expression(value)
            let stores = try targets.map { (target) throws(SyntaxError) -> StoreBox in StoreBox(run: try store(target)) }
            if stores.count == 1 {
                let store = stores[0].run
                return { f throws(PyException) in
                    f.line = line
                    try store(f, try eval(f))
                    return .normal
                }
            }
            return { f throws(PyException) in
                f.line = line
                let value = try eval(f)
                defer { interp.drop(value) }
                for store in stores { try store.run(f, interp.newRef(value)) }
                return .normal
            }
        case .augmentedAssign(let target, let op, let value):
            return try augmentedAssign(target, op, value, line: line)
        case .delete(let targets):
            let deletes = try targets.map { (target) throws(SyntaxError) -> Exec in try delete(target, line: line) }
            return { f throws(PyException) in
                f.line = line
                for delete in deletes { _ = try delete(f) }
                return .normal
            }
        case .pass, .global, .nonlocal:
            return { _ throws(PyException) in .normal }
        case .breakLoop:
            if loopDepth == 0 { throw SyntaxError("'break' outside loop", line: line, column: 1) }
            return { _ throws(PyException) in .breakLoop }
        case .continueLoop:
            if loopDepth == 0 { throw SyntaxError("'continue' not properly in loop", line: line, column: 1) }
            return { _ throws(PyException) in .continueLoop }
        case .returnValue(let value):
            guard let value else {
                return { f throws(PyException) in
                    f.line = line
                    return .returned
                }
            }
            let eval = try expression(value)
            return { f throws(PyException) in
                f.line = line
                let result = try eval(f)
                interp.drop(f.returnValue)
                f.returnValue = result
                return .returned
            }
        case .raise(let value, let cause):
            let eval = try value.map { (value) throws(SyntaxError) -> Eval in try expression(value) }
            let causeEval = try cause.map { (value) throws(SyntaxError) -> Eval in try expression(value) }
            return { f throws(PyException) in
                f.line = line
                guard let eval else {
                    guard let current = interp.handledExceptions.last else {
                        throw interp.raise("RuntimeError", "No active exception to reraise")
                    }
                    throw PyException(object: interp.newRef(current))
                }
                let value = try eval(f)
                defer { interp.drop(value) }
                if let causeEval { interp.drop(try causeEval(f)) }
                throw try interp.exceptionFrom(value)
            }
        case .assert(let test, let message):
            let testEval = try expression(test)
            let messageEval = try message.map { (value) throws(SyntaxError) -> Eval in try expression(value) }
            return { f throws(PyException) in
                f.line = line
                let value = try testEval(f)
                defer { interp.drop(value) }
                if try interp.truthy(value) { return .normal }
                if let messageEval {
                    let text = try messageEval(f)
                    defer { interp.drop(text) }
                    throw interp.raise("AssertionError", try interp.strOf(text))
                }
                throw interp.raise("AssertionError", nil)
            }
        case .ifElse(let test, let body, let orElse):
            let testEval = try condition(test)
            let bodyExec = try block(body)
            let elseExec = try block(orElse)
            return { f throws(PyException) in
                f.line = line
                return try testEval(f) ? try bodyExec(f) : try elseExec(f)
            }
        case .whileLoop(let test, let body, let orElse):
            let testEval = try condition(test)
            loopDepth += 1
            let bodyExec = try block(body)
            loopDepth -= 1
            let elseExec = try block(orElse)
            return { f throws(PyException) in
                f.line = line
                while try testEval(f) {
                    let flow = try bodyExec(f)
                    if flow == .breakLoop { return .normal }
                    if flow == .returned { return .returned }
                    f.line = line
                }
                return try elseExec(f)
            }
        case .forLoop(let target, let iterable, let body, let orElse):
            return try forLoop(target, iterable, body, orElse, line: line)
        case .tryStatement(let body, let handlers, let orElse, let final):
            return try tryStatement(body, handlers, orElse, final, line: line)
        case .function(let definition):
            let make = try functionMaker(definition)
            let decorators = try definition.decorators.map { (value) throws(SyntaxError) -> Eval in try expression(value) }
            let store = try self.store(.name(definition.name, line: line))
            return { f throws(PyException) in
                f.line = line
                let decoratorValues = try decorators.map { (eval) throws(PyException) -> ObjectRef in try eval(f) }
                defer { for value in decoratorValues { interp.drop(value) } }
                var function = try make(f)
                for decorator in decoratorValues.reversed() {
                    let decorated: ObjectRef
                    do throws(PyException) { decorated = try interp.call(decorator, [function]) } catch { interp.drop(function); throw error }
                    interp.drop(function)
                    function = decorated
                }
                try store(f, function)
                return .normal
            }
        case .classDef(let definition):
            return try classStatement(definition, line: line)
        case .importModules(let modules):
            var steps: [(String, Store)] = []
            for (path, alias) in modules {
                if path.contains(".") { throw .unsupported("importing submodules ('\(path)')", line: line, column: 1) }
                steps.append((path, try store(.name(alias ?? path, line: line))))
            }
            return { f throws(PyException) in
                f.line = line
                for (path, store) in steps { try store(f, try interp.importModule(path)) }
                return .normal
            }
        case .importFrom(let module, let names):
            if module.contains(".") { throw .unsupported("importing submodules ('\(module)')", line: line, column: 1) }
            let steps = try names.map { (pair) throws(SyntaxError) -> (ObjectRef, String, Store) in
                (interp.name(pair.0), pair.0, try store(.name(pair.1 ?? pair.0, line: line)))
            }
            return { f throws(PyException) in
                f.line = line
                let moduleObject = try interp.importModule(module)
                defer { interp.drop(moduleObject) }
                for (key, text, store) in steps {
                    guard let value = interp.moduleAttribute(moduleObject, key) else {
                        throw interp.raise("ImportError", "cannot import name '\(text)' from '\(module)'")
                    }
                    try store(f, interp.newRef(value))
                }
                return .normal
            }
        }
    }

    /// A test, as a Swift Bool (skips making True/False for comparisons).
    func condition(_ test: Expr) throws(SyntaxError) -> (Frame) throws(PyException) -> Bool {
        let interp = self.interp
        if case .compare(let left, let rest, _) = test, rest.count == 1 {
            // `if a < b:`, `while x is not None:`: the answer as a Bool, with no True/False
            // object made and read back.
            let op = rest[0].0
            let leftEval = try expression(left), rightEval = try expression(rest[0].1)
            return { f throws(PyException) in
                let a = try leftEval(f)
                let b: ObjectRef
                do throws(PyException) { b = try rightEval(f) } catch { interp.drop(a); throw error }
                defer { interp.drop(a); interp.drop(b) }
                if op == .is { return a == b }
                if op == .isNot { return a != b }
                if let result = interp.intComparison(op, a, b) { return result }
                let value = try interp.compare(op, a, b)
                if value == interp.heap.bool(true) { return true }
                if value == interp.heap.bool(false) { return false }
                defer { interp.drop(value) }
                return try interp.truthy(value)
            }
        }
        let eval = try expression(test)
        return { f throws(PyException) in
            let value = try eval(f)
            if value == interp.heap.bool(true) { return true }
            if value == interp.heap.bool(false) { return false }
            defer { interp.drop(value) }
            return try interp.truthy(value)
        }
    }

    private func forLoop(_ target: Expr, _ iterable: Expr, _ body: [Stmt], _ orElse: [Stmt], line: Int) throws(SyntaxError) -> Exec {
        let interp = self.interp
        let store = try self.store(target)
        loopDepth += 1
        let bodyExec = try block(body)
        loopDepth -= 1
        let elseExec = try block(orElse)
        let rangeArguments = try rangeCall(iterable)
        let iterEval = try expression(iterable)
        return { f throws(PyException) in
            f.line = line
            var iterator: PyIterator
            if let rangeArguments, let range = try rangeArguments(f) {
                iterator = PyIterator(.range(next: range.0, stop: range.1, step: range.2))
            } else {
                let value = try iterEval(f)
                defer { interp.drop(value) }
                iterator = try interp.makeIterator(value)
            }
            defer { iterator.release(interp) }
            while let item = try iterator.next(interp) {
                try store(f, item)
                let flow = try bodyExec(f)
                if flow == .breakLoop { return .normal }
                if flow == .returned { return .returned }
            }
            return try elseExec(f)
        }
    }

    /// For `for x in range(…)`: evaluates the arguments without making a range object, when
    /// `range` is still the built-in. Nil at run time when it is not.
    private func rangeCall(_ iterable: Expr) throws(SyntaxError) -> ((Frame) throws(PyException) -> (Int, Int, Int)?)? {
        guard case .call(.name("range", let line), let arguments, _) = iterable, (1...3).contains(arguments.count) else { return nil }
        var evals: [EvalBox] = []
        for argument in arguments {
            guard case .positional(let value) = argument else { return nil }
            evals.append(EvalBox(run: try expression(value)))
        }
        let nameEval = try expression(.name("range", line: line))
        let interp = self.interp
        return { f throws(PyException) in
            let callee = try nameEval(f)
            interp.drop(callee)
            guard callee == interp.rangeBuiltin else { return nil }
            var values: [Int] = []
            for eval in evals {
                let value = try eval.run(f)
                defer { interp.drop(value) }
                guard interp.tag(value) == .int || interp.tag(value) == .bool, let number = interp.heap.intValue(of: value) else {
                    throw interp.typeError("'\(interp.typeName(value))' object cannot be interpreted as an integer")
                }
                values.append(number)
            }
            switch values.count {
            case 1: return (0, values[0], 1)
            case 2: return (values[0], values[1], 1)
            default:
                if values[2] == 0 { throw interp.valueError("range() arg 3 must not be zero") }
                return (values[0], values[1], values[2])
            }
        }
    }

    private func tryStatement(_ body: [Stmt], _ handlers: [ExceptHandler], _ orElse: [Stmt], _ final: [Stmt], line: Int) throws(SyntaxError) -> Exec {
        let interp = self.interp
        let bodyExec = try block(body)
        let compiledHandlers = try handlers.map { (handler) throws(SyntaxError) -> (Eval?, Store?, Exec?, Exec, Int) in
            (try handler.type.map { (value) throws(SyntaxError) -> Eval in try expression(value) },
             try handler.name.map { (name) throws(SyntaxError) -> Store in try store(.name(name, line: handler.line)) },
             try handler.name.map { (name) throws(SyntaxError) -> Exec in try delete(.name(name, line: handler.line), line: handler.line) },
             try block(handler.body), handler.line)
        }
        let elseExec = try block(orElse)
        let finalExec = final.isEmpty ? nil : try block(final)
        return { f throws(PyException) in
            var flow: Flow = .normal
            var pending: PyException?
            do throws(PyException) {
                flow = try bodyExec(f)
                if flow == .normal { flow = try elseExec(f) }
            } catch {
                var handled = false
                var caught = error
                for (typeEval, nameStore, nameDelete, handlerExec, handlerLine) in compiledHandlers {
                    f.line = handlerLine
                    do throws(PyException) {
                        if let typeEval {
                            let type = try typeEval(f)
                            defer { interp.drop(type) }
                            if !(try interp.matches(caught.object, type)) { continue }
                        }
                    } catch {
                        interp.drop(caught.object)
                        caught = error
                        break
                    }
                    handled = true
                    interp.handledExceptions.append(caught.object)
                    do throws(PyException) {
                        if let nameStore { try nameStore(f, interp.newRef(caught.object)) }
                        flow = try handlerExec(f)
                        if let nameDelete { _ = try? nameDelete(f) }
                    } catch {
                        if let nameDelete { _ = try? nameDelete(f) }
                        pending = error
                    }
                    interp.handledExceptions.removeLast()
                    interp.drop(caught.object)
                    break
                }
                if !handled { pending = caught }
            }
            if let finalExec {
                let finalFlow: Flow
                do throws(PyException) {
                    finalFlow = try finalExec(f)
                } catch {
                    if let pending { interp.drop(pending.object) }
                    throw error
                }
                if finalFlow != .normal {
                    if let pending { interp.drop(pending.object) }
                    return finalFlow
                }
            }
            if let pending { throw pending }
            return flow
        }
    }
}

extension Scope {
    /// The slot of a local, cell or free name.
    func slots_(_ name: String) -> Int? {
        if case .local(let slot) = place(of: name) { return slot }
        if case .cell(let slot) = place(of: name) { return slot }
        return nil
    }
}
