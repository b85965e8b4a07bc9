import HeapRuntime

/// A compiled function body (or module, class body, comprehension): what a call runs.
final class CodeObject {
    let name: String
    let filename: String
    let firstLine: Int
    let scope: Scope
    let parameterNames: [String]
    let hasVarArgs: Bool
    let hasKwArgs: Bool
    /// Slots holding cells made at entry (captured locals), with whether a parameter fills it.
    var cellSlots: [Int] = []
    /// Slots filled from the closure tuple, in its order.
    var freeSlots: [Int] = []
    var body: Exec = { _ throws(PyException) in .normal }
    /// The class whose body defines this function, set when the class is made (for `super()`).
    var isMethod = false
    /// The lines memory_profiler reports: from the first decorator to the body's last line.
    var sourceLines: ClosedRange<Int>?

    init(name: String, filename: String, firstLine: Int, scope: Scope, parameterNames: [String], hasVarArgs: Bool, hasKwArgs: Bool) {
        self.name = name
        self.filename = filename
        self.firstLine = firstLine
        self.scope = scope
        self.parameterNames = parameterNames
        self.hasVarArgs = hasVarArgs
        self.hasKwArgs = hasKwArgs
    }
}

typealias Eval = (Frame) throws(PyException) -> ObjectRef
typealias Exec = (Frame) throws(PyException) -> Flow
typealias Store = (Frame, ObjectRef) throws(PyException) -> Void

/// One activation: fast locals and cells in `slots`, the globals dict, the line running.
final class Frame {
    let slots: UnsafeMutablePointer<ObjectRef?>
    let slotCount: Int
    /// The module's globals dict, borrowed from the function or module that runs.
    let globals: ObjectRef
    /// A class body's namespace dict (owned by whoever runs the body).
    var namespace: ObjectRef?
    /// The function object running, borrowed (the caller holds it during the call).
    var function: ObjectRef?
    let code: CodeObject
    var line: Int
    /// The value of `return`, owned.
    var returnValue: ObjectRef?
    unowned let interpreter: Interpreter

    init(code: CodeObject, globals: ObjectRef, interpreter: Interpreter) {
        self.code = code
        self.globals = globals
        self.interpreter = interpreter
        slotCount = code.scope.slotCount
        slots = .allocate(capacity: max(1, slotCount))
        slots.initialize(repeating: nil, count: max(1, slotCount))
        line = code.firstLine
    }

    deinit {
        // CPython clears a frame's locals in order when it returns.
        for i in 0..<slotCount {
            if let value = slots[i] {
                slots[i] = nil
                interpreter.heap.release(value)
            }
        }
        if let value = returnValue { interpreter.heap.release(value) }
        slots.deallocate()
    }
}
