import HeapRuntime

extension Interpreter {
    func makeMemoryProfilerModule() -> ObjectRef { makeModule("memory_profiler") }
}
