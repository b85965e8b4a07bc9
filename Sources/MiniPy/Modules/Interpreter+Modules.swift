import HeapRuntime

// Importing the built-in modules.
extension Interpreter {
    func setUpModules() {
        moduleMakers["sys"] = { interp in interp.makeSysModule() }
        moduleMakers["gc"] = { interp in interp.makeGCModule() }
        moduleMakers["weakref"] = { interp in interp.makeWeakrefModule() }
        moduleMakers["objgraph"] = { interp in interp.makeObjgraphModule() }
        moduleMakers["memory_profiler"] = { interp in interp.makeMemoryProfilerModule() }
    }

    /// `import name`: the module, owned.
    func importModule(_ moduleName: String) throws(PyException) -> ObjectRef {
        if let module = modules[moduleName] { return newRef(module) }
        guard let maker = moduleMakers[moduleName] else {
            throw raise("ModuleNotFoundError", "No module named '\(moduleName)'")
        }
        let module = maker(self)
        modules[moduleName] = module
        return newRef(module)
    }

    /// A new module object (owned) with an empty dict.
    func makeModule(_ moduleName: String) -> ObjectRef {
        let dict = own(heap.dict())
        defer { drop(dict) }
        try? heap.setItem(name("__name__"), to: name(moduleName), in: dict)
        return own(heap.makeHost(moduleType, ModulePayload(name: moduleName, dict: dict)))
    }

    /// Adds a built-in function to a module.
    func addFunction(_ module: ObjectRef, _ functionName: String, _ impl: @escaping BuiltinImpl) {
        let function = makeBuiltin(functionName, impl)
        defer { drop(function) }
        setModuleValue(module, functionName, function)
    }

    func setModuleValue(_ module: ObjectRef, _ key: String, _ value: ObjectRef) {
        guard let dict = heap.payload(of: module, as: moduleType)?.dict else { return }
        try? heap.setItem(name(key), to: value, in: dict)
    }
}
