import HeapRuntime

extension Interpreter {
    func makeObjgraphModule() -> ObjectRef { makeModule("objgraph") }
}
