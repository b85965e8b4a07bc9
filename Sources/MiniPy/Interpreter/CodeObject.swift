import HeapRuntime

/// A compiled function body (or module, class body, comprehension): what a call runs.
final class CodeObject {
    let name: String
    /// `Class.method`, `outer.<locals>.inner`: what reprs show (CPython's `__qualname__`).
    var qualifiedName: String
    let filename: String
    let firstLine: Int
    /// The heap's allocation site of each line run while sites are recorded ("file:line").
    var allocationSites: [Int: AllocationSite] = [:]
    let scope: Scope
    let parameterNames: [String]
    let hasVarArgs: Bool
    let hasKwArgs: Bool
    let parameterCount: Int
    /// Slots holding cells made at entry (captured locals), with whether a parameter fills it.
    var cellSlots: [Int] = [] { didSet { hasCells = !cellSlots.isEmpty } }
    /// Slots filled from the closure tuple, in its order.
    var freeSlots: [Int] = [] { didSet { hasFreeVariables = !freeSlots.isEmpty } }
    /// Whether a call with `count` positional arguments only can fill the parameters
    /// directly (no `*args`, no `**kwargs`, not too many arguments).
    func acceptsDirect(_ count: Int) -> Bool { !hasVarArgs && !hasKwArgs && count <= parameterCount }
    /// Whether the arrays above are empty, read on every call without touching them.
    private(set) var hasCells = false
    private(set) var hasFreeVariables = false
    /// The compiled body. A constant, so a call runs it borrowed from its code object, with
    /// no count taken on the closure's context (a `var` would need one per call).
    let body: Exec
    /// The class whose body defines this function, set when the class is made (for `super()`).
    var isMethod = false
    /// Frames of finished calls, reused by the next calls (a frame costs two allocations):
    /// up to ``framePoolCapacity``, each holding one count, in a buffer of unmanaged
    /// references, so taking a frame and giving it back costs no reference counting.
    private let pooledFrames: UnsafeMutablePointer<Unmanaged<Frame>>
    private var pooledFrameCount = 0
    /// How many frames the pool keeps: ``defaultFramePoolCapacity``, or 0 for a retired
    /// stand-in, which a function on the heap owns (a pooled frame holds its code and the
    /// heap, so pooling there would be a cycle through the heap nothing breaks).
    private let framePoolCapacity: Int
    static let defaultFramePoolCapacity = 8
    /// The lines memory_profiler reports: from the first decorator to the body's last line.
    var sourceLines: ClosedRange<Int>?

    init(name: String, filename: String, firstLine: Int, scope: Scope, parameterNames: [String], hasVarArgs: Bool, hasKwArgs: Bool,
         body: @escaping Exec, poolsFrames: Bool = true) {
        framePoolCapacity = poolsFrames ? CodeObject.defaultFramePoolCapacity : 0
        pooledFrames = .allocate(capacity: max(1, framePoolCapacity))
        self.name = name
        self.body = body
        self.qualifiedName = name
        self.filename = filename
        self.firstLine = firstLine
        self.scope = scope
        self.parameterNames = parameterNames
        parameterCount = parameterNames.count
        self.hasVarArgs = hasVarArgs
        self.hasKwArgs = hasKwArgs
    }

    /// A pooled frame, with the pool's count handed over; nil when none is free.
    @inline(__always) func takePooledFrame() -> Unmanaged<Frame>? {
        if pooledFrameCount == 0 { return nil }
        pooledFrameCount -= 1
        return pooledFrames[pooledFrameCount]
    }

    /// Keeps a cleared frame (and the count handed over with it) for the next call, or
    /// gives the count back when the pool is full.
    @inline(__always) func poolFrame(_ frame: Unmanaged<Frame>) {
        if pooledFrameCount == framePoolCapacity {
            frame.release()
            return
        }
        pooledFrames[pooledFrameCount] = frame
        pooledFrameCount += 1
    }

    /// A code with this one's names, parameters and slots whose body raises RuntimeError:
    /// what a function that outlives its program keeps (``FunctionPayload/retire(to:heldBy:)``). Its
    /// body holds nothing but the message, so it keeps no interpreter alive.
    func retiredStandIn() -> CodeObject {
        let message = "function '\(qualifiedName)' outlived the program that defined it"
        let standIn = CodeObject(name: name, filename: filename, firstLine: firstLine, scope: scope, parameterNames: parameterNames,
                                 hasVarArgs: hasVarArgs, hasKwArgs: hasKwArgs,
                                 body: { f throws(PyException) in throw f.interpreter.raise("RuntimeError", message) }, poolsFrames: false)
        standIn.qualifiedName = qualifiedName
        standIn.cellSlots = cellSlots
        standIn.freeSlots = freeSlots
        standIn.isMethod = isMethod
        standIn.sourceLines = sourceLines
        return standIn
    }

    /// Lets the pooled frames go (each holds this code object: a cycle until then).
    func releaseFramePool() {
        while let frame = takePooledFrame() { frame.release() }
    }

    deinit {
        releaseFramePool()
        pooledFrames.deallocate()
    }
}

typealias Eval = (Frame) throws(PyException) -> ObjectRef

// Compiled closures kept in arrays are wrapped in structs: an array of a function type
// stores its closures in their most general form, and every call of one read back goes
// through a reabstraction thunk; a struct field keeps the closure's own form.
struct EvalBox { let run: Eval }
struct ExecBox { let run: Exec }
struct StoreBox { let run: Store }
typealias Exec = (Frame) throws(PyException) -> Flow
typealias Store = (Frame, ObjectRef) throws(PyException) -> Void

/// One activation: fast locals and cells in `slots`, the globals dict, the line running.
final class Frame {
    let slots: UnsafeMutablePointer<ObjectRef?>
    let slotCount: Int
    /// The module's globals dict, borrowed from the function or module that runs.
    var globals: ObjectRef
    /// A class body's namespace dict (owned by whoever runs the body).
    var namespace: ObjectRef?
    /// The function object running, borrowed (the caller holds it during the call).
    var function: ObjectRef?
    let code: CodeObject
    var line: Int
    /// The value of `return`, owned.
    var returnValue: ObjectRef?
    unowned(unsafe) let interpreter: Interpreter
    let heap: Heap

    init(code: CodeObject, globals: ObjectRef, interpreter: Interpreter) {
        self.code = code
        self.heap = interpreter.heap
        self.globals = globals
        self.interpreter = interpreter
        slotCount = code.scope.slotCount
        slots = .allocate(capacity: max(1, slotCount))
        slots.initialize(repeating: nil, count: max(1, slotCount))
        line = code.firstLine
    }

    /// Releases the locals in order (as CPython clears a returning frame) and the return
    /// value, so the frame can serve another call.
    func clear() {
        for i in 0..<slotCount {
            if let value = slots[i] {
                slots[i] = nil
                heap.releaseCount(value)
            }
        }
        if let value = returnValue {
            returnValue = nil
            heap.releaseCount(value)
        }
        function = nil
        namespace = nil
    }

    deinit {
        clear()
        slots.deallocate()
    }
}
