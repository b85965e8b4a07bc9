import HeapRuntime
import MiniPy
import Testing

/// Function objects can outlive ``Interpreter/run(source:filename:)``: a function in a
/// cycle that `gc.set_debug(gc.DEBUG_SAVEALL)` keeps in `gc.garbage` survives the
/// shutdown's collection. Its code must still be there afterwards, for the heap's labels
/// (`repr`), for a second program run on the same interpreter, and the interpreter must
/// still be freed.
@Suite struct CodeLifetimeTests {
    /// `survivor` ends up in `gc.garbage` (with the list that holds it) at shutdown.
    static let savingProgram = """
        import gc
        gc.set_debug(gc.DEBUG_SAVEALL)
        def survivor(n):
            return [n * 2 for _ in range(1)][0]
        cycle = [survivor]
        cycle.append(cycle)
        survivor(1)
        survivor(2)
        """

    /// Other ways a function outlives shutdown: on a module, which the interpreter keeps;
    /// in a cycle moved to the permanent generation, which no collection looks at.
    static let keepingPrograms = [
        savingProgram,
        "import gc\ndef survivor(n):\n    return n * 2\ngc.kept = survivor\nsurvivor(3)",
        "import gc\ndef survivor(n):\n    return n * 2\ncycle = [survivor]\ncycle.append(cycle)\ngc.freeze()",
    ]

    /// The labels of every function object on `heap`, as a snapshot records them.
    func functionLabels(_ heap: Heap) -> [String] {
        heap.withSnapshotView { view in
            (0..<view.count).filter { view.typeName($0) == "function" }.map { view.node($0).valueLabel ?? "" }
        }
    }

    @Test(arguments: keepingPrograms)
    func survivingFunctionKeepsItsLabel(_ source: String) {
        let interpreter = Interpreter()
        #expect(interpreter.run(source: source, filename: "<first>") == 0)
        // Churn the allocator so a freed code object's memory is likely reused.
        for index in 0..<64 { _ = Interpreter().run(source: "x\(index) = \(index)", filename: "<churn>") }
        #expect(functionLabels(interpreter.heap) == ["<function survivor>"])
    }

    /// A later program on the same interpreter finds the function, named as it was, and
    /// calling it raises a clean error; the call leaves nothing that keeps the heap alive.
    @Test func secondProgramCallsSurvivingFunction() {
        weak var weakHeap: Heap?
        do {
            let interpreter = Interpreter()
            weakHeap = interpreter.heap
            #expect(interpreter.run(source: Self.savingProgram, filename: "<first>") == 0)
            secondRun(interpreter)
        }
        #expect(weakHeap == nil)
    }

    /// Runs the second program of ``secondProgramCallsSurvivingFunction()``.
    func secondRun(_ interpreter: Interpreter) {
        let second = """
            import gc
            found = [item for item in gc.garbage if repr(item).startswith("<function")]
            assert len(found) == 1, found
            assert found[0].__name__ == "survivor"
            codes = [item for item in gc.get_referents(found[0]) if repr(item).startswith("<code object survivor at ")]
            assert len(codes) == 1, gc.get_referents(found[0])
            assert type(codes[0]).__name__ == "code", type(codes[0])
            assert repr(codes[0]).endswith(', file "<first>", line 3>'), repr(codes[0])
            try:
                found[0](21)
            except RuntimeError as error:
                assert str(error) == "function 'survivor' outlived the program that defined it", str(error)
            else:
                assert False, "a retired function ran"
            """
        #expect(interpreter.run(source: second, filename: "<second>") == 0)
    }

    @Test(arguments: keepingPrograms)
    func interpreterAndHeapAreFreedWhenAFunctionSurvives(_ source: String) {
        weak var weakInterpreter: Interpreter?
        weak var weakHeap: Heap?
        do {
            let interpreter = Interpreter()
            weakInterpreter = interpreter
            weakHeap = interpreter.heap
            #expect(interpreter.run(source: source, filename: "<test>") == 0)
        }
        #expect(weakInterpreter == nil)
        #expect(weakHeap == nil)
    }

    /// The heap, kept after its interpreter is gone, still labels the function.
    @Test func heapOutlivingItsInterpreterKeepsTheLabel() {
        var heap: Heap?
        do {
            let interpreter = Interpreter()
            #expect(interpreter.run(source: Self.savingProgram, filename: "<test>") == 0)
            heap = interpreter.heap
        }
        for index in 0..<64 { _ = Interpreter().run(source: "x\(index) = \(index)", filename: "<churn>") }
        if let heap { #expect(functionLabels(heap) == ["<function survivor>"]) }
    }
}
