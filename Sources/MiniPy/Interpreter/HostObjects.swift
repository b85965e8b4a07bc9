import HeapRuntime

/// A Python function: code, globals, defaults, closure cells.
struct FunctionPayload: HostPayload {
    static let typeName = "function"
    /// Borrowed while the program that made the function runs: the interpreter keeps every
    /// code object it compiles (``Interpreter/codes``) until then, so copying a payload
    /// costs no reference counting. A function that outlives the run borrows a stand-in
    /// that ``retiredCode`` owns instead.
    private(set) var codeReference: Unmanaged<CodeObject>
    var code: CodeObject { codeReference.takeUnretainedValue() }
    /// A heap `code` object owning the stand-in for the code once the program has ended
    /// (see ``retire(to:heldBy:)``); nil while it runs. A heap reference, not a Swift one,
    /// so the payload stays plain data: copying it on every call takes no count.
    private(set) var retiredCode: ObjectRef?
    var globals: ObjectRef?
    /// A tuple of default values, or nil.
    var defaults: ObjectRef?
    /// A tuple of cells, or nil.
    var closure: ObjectRef?
    var name: ObjectRef?
    /// The class whose body made this function (for zero-argument `super()`).
    var ownerClass: ObjectRef?

    func traverse(_ visit: (ObjectRef, EdgeLabel) -> Void) {
        if let globals { visit(globals, .named("__globals__")) }
        if let name { visit(name, .named("__name__")) }
        if let defaults { visit(defaults, .named("__defaults__")) }
        if let closure { visit(closure, .named("__closure__")) }
        if let ownerClass { visit(ownerClass, .named("__class__")) }
        if let retiredCode { visit(retiredCode, .named("__code__")) }
    }
    init(code: CodeObject, globals: ObjectRef?, defaults: ObjectRef?, closure: ObjectRef?, name: ObjectRef?, ownerClass: ObjectRef?) {
        codeReference = .passUnretained(code)
        self.globals = globals
        self.defaults = defaults
        self.closure = closure
        self.name = name
        self.ownerClass = ownerClass
    }

    mutating func clear() { globals = nil; defaults = nil; closure = nil; ownerClass = nil }
    func repr() throws -> String { "<function \(code.name)>" }

    /// Swaps the code for `standIn` (``CodeObject/retiredStandIn()``), owned by the heap
    /// object `holder` (a ``CodePayload``): for a function that survives the end of
    /// ``Interpreter/run(source:filename:)``, whose compiled code the interpreter then lets
    /// go (its closures hold the interpreter, so keeping it would keep the interpreter and
    /// its heap alive through the function).
    mutating func retire(to standIn: CodeObject, heldBy holder: ObjectRef) {
        retiredCode = holder
        codeReference = .passUnretained(standIn)
    }

    /// `code.acceptsDirect(count)`, with the code borrowed: `code` would take a count on
    /// it and give it back, on every call.
    @inline(__always) func acceptsDirect(_ count: Int) -> Bool {
        codeReference._withUnsafeGuaranteedRef { $0.acceptsDirect(count) }
    }
}

/// A code object on the heap: what a retired function (``FunctionPayload/retire(to:heldBy:)``)
/// keeps its stand-in code in, so the heap frees the code with the last function using it.
struct CodePayload: HostPayload {
    static let typeName = "code"
    let code: CodeObject
    func traverse(_ visit: (ObjectRef, EdgeLabel) -> Void) {}
    mutating func clear() {}
    func repr() throws -> String { "<code object \(code.name)>" }
}

/// A method bound to its instance.
struct MethodPayload: HostPayload {
    static let typeName = "method"
    var function: ObjectRef?
    var instance: ObjectRef?
    func traverse(_ visit: (ObjectRef, EdgeLabel) -> Void) {
        if let function { visit(function, .named("__func__")) }
        if let instance { visit(instance, .named("__self__")) }
    }
    mutating func clear() { function = nil; instance = nil }
}

/// A function written in Swift, possibly bound to an object (`[].append`).
struct BuiltinPayload: HostPayload {
    static let typeName = "builtin_function_or_method"
    let index: Int
    var bound: ObjectRef?
    func traverse(_ visit: (ObjectRef, EdgeLabel) -> Void) {
        if let bound { visit(bound, .named("__self__")) }
    }
    mutating func clear() { bound = nil }
}

/// A closure cell.
struct CellPayload: HostPayload {
    static let typeName = "cell"
    var value: ObjectRef?
    func traverse(_ visit: (ObjectRef, EdgeLabel) -> Void) {
        if let value { visit(value, .named("cell_contents")) }
    }
    mutating func clear() { value = nil }
}

/// A module: a name and its dict.
struct ModulePayload: HostPayload {
    static let typeName = "module"
    let name: String
    var dict: ObjectRef?
    func traverse(_ visit: (ObjectRef, EdgeLabel) -> Void) {
        if let dict { visit(dict, .named("__dict__")) }
    }
    mutating func clear() { dict = nil }
    func repr() throws -> String { "<module '\(name)'>" }
}

/// A built-in type (`int`, `list`, …), the value of `type(1)`.
struct TypePayload: HostPayload {
    static let typeName = "type"
    let kind: BuiltinType
    func traverse(_ visit: (ObjectRef, EdgeLabel) -> Void) {}
    mutating func clear() {}
    func repr() throws -> String { kind.rawValue }
}

/// `range(start, stop, step)`.
struct RangePayload: HostPayload {
    static let typeName = "range"
    let start: Int
    let stop: Int
    let step: Int
    var count: Int {
        if step > 0 { return start < stop ? (stop - start - 1) / step + 1 : 0 }
        return start > stop ? (start - stop - 1) / (-step) + 1 : 0
    }
    func traverse(_ visit: (ObjectRef, EdgeLabel) -> Void) {}
    mutating func clear() {}
    func repr() throws -> String { step == 1 ? "range(\(start), \(stop))" : "range(\(start), \(stop), \(step))" }
}

/// `super()`: the class to start after, and the instance.
struct SuperPayload: HostPayload {
    static let typeName = "super"
    var cls: ObjectRef?
    var instance: ObjectRef?
    func traverse(_ visit: (ObjectRef, EdgeLabel) -> Void) {
        if let cls { visit(cls, .named("__thisclass__")) }
        if let instance { visit(instance, .named("__self__")) }
    }
    mutating func clear() { cls = nil; instance = nil }
}

/// `staticmethod(f)` or `classmethod(f)`.
struct MethodWrapperPayload: HostPayload {
    static let typeName = "staticmethod"
    let isClassMethod: Bool
    var function: ObjectRef?
    func traverse(_ visit: (ObjectRef, EdgeLabel) -> Void) {
        if let function { visit(function, .named("__func__")) }
    }
    mutating func clear() { function = nil }
}

/// The built-in types minipy knows.
enum BuiltinType: String, CaseIterable {
    case object, type, int, float, str, bool, list, tuple, dict, set, NoneType, function, range
    case method, builtin_function_or_method, module, cell, weakref, `super`, staticmethod, classmethod, code
}

/// `slice(start, stop, step)`, made by `a[i:j:k]`.
struct SlicePayload: HostPayload {
    static let typeName = "slice"
    var start: ObjectRef?
    var stop: ObjectRef?
    var step: ObjectRef?
    func traverse(_ visit: (ObjectRef, EdgeLabel) -> Void) {
        if let start { visit(start, .named("start")) }
        if let stop { visit(stop, .named("stop")) }
        if let step { visit(step, .named("step")) }
    }
    mutating func clear() { start = nil; stop = nil; step = nil }
}
