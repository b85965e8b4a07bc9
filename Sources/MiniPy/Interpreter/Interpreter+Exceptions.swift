import HeapRuntime

// Built-in exception classes (heap classes, so user classes derive from them) and the
// helpers that raise them.
extension Interpreter {
    static let exceptionHierarchy: [(String, String?)] = [
        ("BaseException", nil), ("Exception", "BaseException"), ("SystemExit", "BaseException"),
        ("KeyboardInterrupt", "BaseException"), ("GeneratorExit", "BaseException"),
        ("ArithmeticError", "Exception"), ("ZeroDivisionError", "ArithmeticError"), ("OverflowError", "ArithmeticError"),
        ("LookupError", "Exception"), ("IndexError", "LookupError"), ("KeyError", "LookupError"),
        ("TypeError", "Exception"), ("ValueError", "Exception"), ("NameError", "Exception"),
        ("UnboundLocalError", "NameError"), ("AttributeError", "Exception"), ("RuntimeError", "Exception"),
        ("RecursionError", "RuntimeError"), ("NotImplementedError", "RuntimeError"), ("AssertionError", "Exception"),
        ("StopIteration", "Exception"), ("ImportError", "Exception"), ("ModuleNotFoundError", "ImportError"),
        ("MemoryError", "Exception"), ("OSError", "Exception"), ("UnicodeError", "ValueError"),
        ("ReferenceError", "Exception"),
    ]

    func setUpExceptions() {
        for (name, baseName) in Interpreter.exceptionHierarchy {
            let base = baseName.flatMap { exceptionClasses[$0] }
            guard let cls = try? heap.makeClass(name, base: base).unmanaged() else { continue }
            try? heap.setAttribute(self.name("__module__"), to: self.name("builtins"), on: cls)
            try? heap.setAttribute(self.name("__qualname__"), to: self.name(name), on: cls)
            exceptionClasses[name] = cls
            _ = try? heap.setItem(self.name(name), to: cls, in: builtinsDict)
        }
        if let base = exceptionClasses["BaseException"] {
            let initializer = makeBuiltin("__init__") { (interp, args, _) throws(PyException) in
                guard let instance = args.first else { throw interp.typeError("__init__ needs an instance") }
                let tuple = interp.heap.tuple(Array(args.dropFirst()))
                try? interp.heap.setAttribute(interp.name("args"), to: tuple, on: instance)
                return interp.none
            }
            try? heap.setAttribute(name("__init__"), to: initializer, on: base)
            drop(initializer)
        }
    }

    func isException(_ object: ObjectRef) -> Bool { isInstance(object, of: exceptionClasses["BaseException"]) }

    /// The `args` of an exception instance, borrowed.
    func argsOf(_ object: ObjectRef) -> [ObjectRef] {
        guard let args = heap.attribute(name("args"), of: object), tag(args) == .tuple else { return [] }
        return (try? heap.items(of: args)) ?? []
    }

    /// A new exception of the built-in class `className` with one str argument.
    func raise(_ className: String, _ message: String?) -> PyException {
        let cls = exceptionClasses[className] ?? exceptionClasses["Exception"].unsafelyUnwrapped
        guard let instance = try? heap.instance(of: cls).unmanaged() else { fatalError("minipy: cannot make an exception") }
        if let message {
            let text = heap.str(message)
            try? heap.setAttribute(name("args"), to: heap.tuple([text.ref]), on: instance)
        } else {
            try? heap.setAttribute(name("args"), to: heap.tuple([]), on: instance)
        }
        return PyException(object: instance)
    }

    func typeError(_ message: String) -> PyException { raise("TypeError", message) }
    func valueError(_ message: String) -> PyException { raise("ValueError", message) }

    /// An exception from the heap's own error.
    func translate(_ error: HeapError) -> PyException {
        switch error {
        case .recursionLimitExceeded: return raise("RecursionError", "maximum recursion depth exceeded in comparison")
        case .indexOutOfRange: return raise("IndexError", "index out of range")
        case .unhashable(let type): return typeError("unhashable type: '\(type)'")
        case .wrongType(let expected, let got): return typeError("expected \(expected), got \(got)")
        default: return raise("RuntimeError", error.description)
        }
    }

    /// An exception from a `raise` operand: an instance, or a class to instantiate.
    func exceptionFrom(_ value: ObjectRef) throws(PyException) -> PyException {
        if tag(value) == .class, let base = exceptionClasses["BaseException"], isSubclass(value, of: base) {
            let instance = try call(value, [], [])
            return PyException(object: instance)
        }
        if isException(value) { return PyException(object: newRef(value)) }
        return typeError("exceptions must derive from BaseException")
    }

    /// Whether an exception matches an `except` clause's class (or tuple of classes).
    func matches(_ exception: ObjectRef, _ clause: ObjectRef) throws(PyException) -> Bool {
        if tag(clause) == .tuple {
            for item in (try? heap.items(of: clause)) ?? [] where try matches(exception, item) { return true }
            return false
        }
        guard tag(clause) == .class else { throw typeError("catching classes that do not inherit from BaseException is not allowed") }
        return isInstance(exception, of: clause)
    }
}
