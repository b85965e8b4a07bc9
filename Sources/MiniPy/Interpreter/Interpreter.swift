import HeapRuntime

/// A Swift function callable from Python: given the positional arguments (borrowed) and
/// keyword arguments, returns an owned result.
typealias BuiltinImpl = (Interpreter, [ObjectRef], [(String, ObjectRef)]) throws(PyException) -> ObjectRef

/// Runs minipy programs: every Python value lives on ``heap``.
///
/// ```swift
/// let interpreter = Interpreter()
/// let status = interpreter.run(source: "print(1 + 2)", filename: "<string>")
/// ```
public final class Interpreter {
    /// The heap every value of the program lives on.
    public let heap: Heap
    let functionType: HostType<FunctionPayload>
    let methodType: HostType<MethodPayload>
    let builtinType: HostType<BuiltinPayload>
    let cellType: HostType<CellPayload>
    let moduleType: HostType<ModulePayload>
    let typeType: HostType<TypePayload>
    let rangeType: HostType<RangePayload>
    let superType: HostType<SuperPayload>
    let wrapperType: HostType<MethodWrapperPayload>
    let sliceType: HostType<SlicePayload>
    let codeType: HostType<CodePayload>
    /// The built-in `range`, borrowed from the builtins (for the `for` fast path).
    var rangeBuiltin: ObjectRef?
    /// The built-in `super`, borrowed from the builtins.
    var superBuiltin: ObjectRef?
    /// Exceptions being handled by `except` blocks, innermost last (borrowed).
    var handledExceptions: [ObjectRef] = []

    var builtinImpls: [(name: String, impl: BuiltinImpl)] = []
    /// The builtins namespace, a heap dict (owned).
    var builtinsDict: ObjectRef
    var typeObjects: [BuiltinType: ObjectRef] = [:]
    var exceptionClasses: [String: ObjectRef] = [:]
    /// Built-in methods of the built-in types: name → index in `builtinImpls`.
    var methodTables: [ObjectTypeTag: [String: Int]] = [:]
    /// Imported modules (owned), by name; made on first import.
    var modules: [String: ObjectRef] = [:]
    /// Module factories, by name.
    var moduleMakers: [String: (Interpreter) -> ObjectRef] = [:]
    var interned: [String: ObjectRef] = [:]

    /// Every code object compiled, kept for the interpreter's life (functions borrow theirs).
    var codes: [CodeObject] = []
    var callDepth = 0
    /// CPython's default recursion limit; the interpreter runs on a thread whose stack fits it.
    var recursionLimit = 1000
    let stdout = OutputStream(descriptor: 1)
    let stderr = OutputStream(descriptor: 2)
    var sources: [String: [Substring]] = [:]
    /// The main module's globals (owned), once running.
    var mainGlobals: ObjectRef?
    /// State kept by modules (objgraph's growth peaks, memory_profiler).
    var moduleState: [String: Any] = [:]
    /// Names of `gc.callbacks` list, when made.
    var gcCallbacksList: ObjectRef?
    /// Where to write the heap's snapshot when the program ends (before shutdown).
    public var snapshotPath: String?
    /// Line profiles of the functions memory_profiler is running, by code.
    var profiles: [ObjectIdentifier: LineProfile] = [:]
    /// Whether any line profile is active or sites are recorded (checked before every
    /// statement).
    var tracing = false
    /// Whether containers remember the line that allocated them (with `--snapshot`), so
    /// leak reports on the snapshot name it.
    var recordingSites = false
    /// `sys.argv`.
    public var arguments: [String] = []

    /// Makes an interpreter on a new heap.
    public init() {
        heap = Heap()
        functionType = heap.registerHostType(FunctionPayload.self)
        methodType = heap.registerHostType(MethodPayload.self)
        builtinType = heap.registerHostType(BuiltinPayload.self)
        cellType = heap.registerHostType(CellPayload.self)
        moduleType = heap.registerHostType(ModulePayload.self)
        typeType = heap.registerHostType(TypePayload.self)
        rangeType = heap.registerHostType(RangePayload.self)
        superType = heap.registerHostType(SuperPayload.self)
        wrapperType = heap.registerHostType(MethodWrapperPayload.self)
        sliceType = heap.registerHostType(SlicePayload.self)
        codeType = heap.registerHostType(CodePayload.self)
        builtinsDict = heap.dict().unmanaged()
        setUpTypes()
        setUpExceptions()
        setUpBuiltins()
        setUpMethods()
        setUpModules()
    }

    // MARK: References

    /// A new owned reference to `object`.
    @inline(__always) func newRef(_ object: ObjectRef) -> ObjectRef {
        heap.retainCount(object)
        return object
    }
    /// Gives back an owned reference.
    @inline(__always) func drop(_ object: ObjectRef) { heap.releaseCount(object) }
    @inline(__always) func drop(_ object: ObjectRef?) { if let object { heap.releaseCount(object) } }
    @inline(__always) func own(_ object: consuming OwnedRef) -> ObjectRef { object.unmanaged() }
    /// `None`, owned.
    @inline(__always) var none: ObjectRef { heap.none }
    @inline(__always) func bool(_ value: Bool) -> ObjectRef { heap.bool(value) }
    @inline(__always) func int(_ value: Int) -> ObjectRef { heap.int(value).unmanaged() }
    func float(_ value: Double) -> ObjectRef { heap.float(value).unmanaged() }
    /// `(first, second)`, taking over the two owned references.
    @inline(__always) func tuple(taking first: ObjectRef, _ second: ObjectRef) -> ObjectRef {
        withUnsafeTemporaryAllocation(of: ObjectRef.self, capacity: 2) { items in
            items[0] = first
            items[1] = second
            return heap.tuple(taking: UnsafeBufferPointer(items)).unmanaged()
        }
    }
    func str(_ value: String) -> ObjectRef { heap.str(value).unmanaged() }

    /// The interned str for an identifier, kept for the interpreter's life (borrowed).
    func name(_ text: String) -> ObjectRef {
        if let found = interned[text] { return found }
        let made = (try? heap.intern(heap.str(text)))?.unmanaged() ?? heap.str(text).unmanaged()
        interned[text] = made
        return made
    }

    @inline(__always) func tag(_ object: ObjectRef) -> ObjectTypeTag { heap.typeTag(of: object) }

    // MARK: Running

    /// Runs `source` as the main module; returns the exit status (0, or 1 after an uncaught
    /// exception, whose traceback goes to stderr; 1 on a syntax error too).
    public func run(source: String, filename: String) -> Int32 {
        sources[filename] = source.split(separator: "\n", omittingEmptySubsequences: false)
        let code: CodeObject
        do throws(SyntaxError) {
            code = try Compiler.compileModule(source, filename: filename, interpreter: self)
        } catch {
            stdout.flush()
            reportSyntaxError(error, filename: filename)
            return 1
        }
        recordingSites = snapshotPath != nil
        tracing = tracing || recordingSites
        let globals = heap.dict().unmanaged()
        mainGlobals = globals
        _ = try? heap.setItem(name("__name__"), to: name("__main__"), in: globals)
        _ = try? heap.setItem(name("__doc__"), to: heap.none, in: globals)
        var status: Int32 = 0
        let frame = Frame(code: code, globals: globals, interpreter: self)
        do throws(PyException) {
            _ = try code.body(frame)
        } catch {
            var error = error
            error.traceback.append((code, frame.line))
            status = handleUncaught(error)
        }
        withExtendedLifetime(frame) {}
        if let path = snapshotPath {
            stdout.flush()
            do { try heap.writeSnapshot(to: path, tag: filename) } catch {
                stderr.write("minipy: cannot write snapshot: \(error)\n")
                stderr.flush()
                if status == 0 { status = 2 }
            }
        }
        finalizeMain()
        stdout.flush()
        stderr.flush()
        retireSurvivingFunctions()
        releaseCode()
        return status
    }

    /// Exit status for an exception that reached the top: SystemExit's code, else 1 after
    /// printing the traceback.
    func handleUncaught(_ error: PyException) -> Int32 {
        defer { drop(error.object) }
        if isInstance(error.object, of: exceptionClasses["SystemExit"]) {
            if let args = heap.attribute("args", of: error.object), let first = try? heap.items(of: args).first {
                if let code = heap.intValue(of: first) { return Int32(truncatingIfNeeded: code) }
                if first != heap.none { stdout.flush(); stderr.write(display(first) + "\n"); return 1 }
            }
            return 0
        }
        stdout.flush()
        stderr.write(formatTraceback(error))
        stderr.flush()
        return 1
    }

    /// Interpreter shutdown, as CPython's: the main module's names are set to None in
    /// insertion order (those starting with an underscore first), then a collection runs,
    /// so finalizers of objects the globals held run at exit in CPython's order.
    func finalizeMain() {
        guard let globals = mainGlobals else { return }
        if let keys = try? heap.keys(of: globals).map({ newRef($0) }) {
            for underscoreFirst in [true, false] {
                for key in keys {
                    let text = heap.stringValue(of: key) ?? ""
                    if text.hasPrefix("_") == underscoreFirst && text != "__builtins__" {
                        try? heap.setItem(key, to: heap.none, in: globals)
                    }
                }
            }
            for key in keys { drop(key) }
        }
        heap.gc.collect()
        stdout.flush()
    }

    /// Gives every function still on the heap after shutdown (kept in `gc.garbage`, on a
    /// module, in the permanent generation…) an owned stand-in for its code
    /// (``FunctionPayload/retire(to:heldBy:)``) before ``releaseCode()`` lets the compiled code go: the
    /// function keeps its names for reprs and snapshots, after this run and after the
    /// interpreter, and raises RuntimeError if a later program calls it. Its real code
    /// cannot stay: its closures hold the interpreter, which holds the heap.
    /// - Complexity: O(objects + references) on the heap, once per run.
    func retireSurvivingFunctions() {
        for object in heap.objects(ofType: FunctionPayload.typeName) {
            guard let function = heap.payload(of: object, as: functionType), function.retiredCode == nil else { continue }
            let standIn = function.code.retiredStandIn()
            let holder = own(heap.makeHost(codeType, CodePayload(code: standIn)))
            _ = try? heap.updatePayload(of: object, as: functionType) { $0.retire(to: standIn, heldBy: holder) }
            drop(holder)
        }
    }

    /// Lets the compiled code go, and with it the closures, which hold the interpreter (see
    /// ``Compiler/interp``): the interpreter drops its list of code objects and each code
    /// object its pooled frames (a frame holds its code), and the line profiles go (each
    /// holds its code), so nothing is left holding a code object but its enclosing code's
    /// closures, down from the module's.
    func releaseCode() {
        for code in codes { code.releaseFramePool() }
        codes = []
        profiles = [:]
    }

    func reportSyntaxError(_ error: SyntaxError, filename: String) {
        var text = "  File \"\(filename)\", line \(error.line)\n"
        if let lines = sources[filename], error.line >= 1, error.line <= lines.count {
            let line = lines[error.line - 1]
            let stripped = line.drop(while: { $0 == " " || $0 == "\t" })
            text += "    \(stripped)\n"
            if !error.isUnsupported {
                let caret = max(0, error.column - 1 - (line.count - stripped.count))
                text += "    " + String(repeating: " ", count: caret) + "^\n"
            }
        }
        text += error.isUnsupported ? "SyntaxError: \(error.message) (line \(error.line))\n"
            : "SyntaxError: \(error.message) (line \(error.line), column \(error.column))\n"
        stderr.write(text)
        stderr.flush()
    }

    func formatTraceback(_ error: PyException) -> String {
        var text = "Traceback (most recent call last):\n"
        for entry in error.traceback.reversed() {
            let scope = entry.code.name
            text += "  File \"\(entry.code.filename)\", line \(entry.line), in \(scope)\n"
            if let lines = sources[entry.code.filename], entry.line >= 1, entry.line <= lines.count {
                let stripped = lines[entry.line - 1].drop(while: { $0 == " " || $0 == "\t" })
                if !stripped.isEmpty { text += "    \(stripped)\n" }
            }
        }
        text += exceptionLine(error.object) + "\n"
        return text
    }

    /// `ValueError: message`, as the last line of a traceback.
    func exceptionLine(_ object: ObjectRef) -> String {
        let typeName = heap.typeName(of: object)
        let message = (try? strOf(object)) ?? ""
        return message.isEmpty ? typeName : "\(typeName): \(message)"
    }
}
