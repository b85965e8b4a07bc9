#if canImport(Glibc)
import Glibc
#endif
import GraphvizRender
import HeapAnalysis
import HeapGraphModel
import HeapRuntime
import HeapRuntimeSnapshot

/// The live heap as a graph, with the way back from node ordinals to objects.
struct HeapView {
    let graph: HeapSnapshot
    let objects: [ObjectRef?]
    let ordinals: [ObjectRef: Int]

    init(_ interp: Interpreter) {
        graph = HeapSnapshot(heap: interp.heap)
        // Graph nodes carry snapshot ids (serial numbers, given when the graph was built),
        // not addresses.
        var byID: [UInt64: ObjectRef] = [:]
        for object in interp.heap.allObjects() { byID[interp.heap.snapshotID(of: object)] = object }
        var objects: [ObjectRef?] = []
        var ordinals: [ObjectRef: Int] = [:]
        for ordinal in 0..<graph.nodeCount {
            let object = byID[graph.id(of: ordinal)]
            objects.append(object)
            if let object { ordinals[object] = ordinal }
        }
        self.objects = objects
        self.ordinals = ordinals
    }
}

/// objgraph's functions over HeapAnalysis (docs/objgraph.md), pictures through GraphvizRender.
extension Interpreter {
    func makeObjgraphModule() -> ObjectRef {
        let module = makeModule("objgraph")
        addFunction(module, "count") { (interp, args, kwargs) throws(PyException) in
            try interp.checkArity("count", args, 1, 1)
            guard let name = interp.heap.stringValue(of: args[0]) else { throw interp.typeError("count() needs a type name") }
            return interp.int(HeapView(interp).graph.count(typeName: name))
        }
        addFunction(module, "typestats") { (interp, args, kwargs) throws(PyException) in
            let view = HeapView(interp)
            let stats = view.graph.typeStats(style: try interp.nameStyle(kwargs))
            let dict = interp.own(interp.heap.dict())
            for (name, count) in stats.sorted(by: { $0.key < $1.key }) {
                try? interp.heap.setItem(interp.heap.str(name), to: interp.heap.int(count), in: dict)
            }
            return dict
        }
        addFunction(module, "most_common_types") { (interp, args, kwargs) throws(PyException) in
            let rows = HeapView(interp).graph.mostCommonTypes(limit: try interp.limitArgument(args, kwargs), style: try interp.nameStyle(kwargs))
            return interp.rowList(rows.map { ($0.name, [$0.count]) })
        }
        addFunction(module, "show_most_common_types") { (interp, args, kwargs) throws(PyException) in
            let rows = HeapView(interp).graph.mostCommonTypes(limit: try interp.limitArgument(args, kwargs), style: try interp.nameStyle(kwargs))
            do throws(ObjgraphTableError) { interp.stdout.write(try MostCommonTypesTable.format(rows)) } catch {
                throw interp.valueError("max() arg is an empty sequence")
            }
            return interp.none
        }
        addFunction(module, "growth") { (interp, args, kwargs) throws(PyException) in
            let rows = try interp.growthRows(args, kwargs)
            return interp.rowList(rows.map { ($0.name, [$0.count, $0.delta]) })
        }
        addFunction(module, "show_growth") { (interp, args, kwargs) throws(PyException) in
            interp.stdout.write(GrowthTracker.format(try interp.growthRows(args, kwargs)))
            return interp.none
        }
        addFunction(module, "by_type") { (interp, args, _) throws(PyException) in
            try interp.checkArity("by_type", args, 1, 1)
            guard let name = interp.heap.stringValue(of: args[0]) else { throw interp.typeError("by_type() needs a type name") }
            let view = HeapView(interp)
            return interp.own(interp.heap.list(view.graph.nodes(ofType: name).compactMap { view.objects[$0] }))
        }
        for (functionName, backwards) in [("find_ref_chain", false), ("find_backref_chain", true)] {
            addFunction(module, functionName) { (interp, args, kwargs) throws(PyException) in
                try interp.checkArity(functionName, args, 2, 4)
                let view = HeapView(interp)
                guard let start = view.ordinals[args[0]] else { return interp.own(interp.heap.list([args[0]])) }
                let maxDepth = try (args.count > 2 ? args[2] : interp.keyword(kwargs, "max_depth")).map { (value) throws(PyException) -> Int in try interp.intArgument(value, "max_depth") } ?? 20
                let ignore = try interp.ordinals(args.count > 3 ? args[3] : interp.keyword(kwargs, "extra_ignore"), view)
                var failure: PyException?
                let predicate = interp.predicate(args[1], view, &failure)
                let chain = backwards
                    ? view.graph.findBackrefChain(to: start, maxDepth: maxDepth, ignoring: ignore, where: predicate)
                    : view.graph.findRefChain(from: start, maxDepth: maxDepth, ignoring: ignore, where: predicate ?? { _ in false })
                if let failure { throw failure }
                return interp.own(interp.heap.list(chain.compactMap { view.objects[$0] }))
            }
        }
        addFunction(module, "is_proper_module") { (interp, args, _) throws(PyException) in
            try interp.checkArity("is_proper_module", args, 1, 1)
            return interp.bool(interp.heap.payload(of: args[0], as: interp.moduleType) != nil)
        }
        for (functionName, kind) in [("show_refs", 0), ("show_backrefs", 1), ("show_chain", 2)] {
            addFunction(module, functionName) { (interp, args, kwargs) throws(PyException) in
                try interp.showGraph(kind: kind, args, kwargs)
                return interp.none
            }
        }
        return module
    }

    func nameStyle(_ kwargs: [(String, ObjectRef)]) throws(PyException) -> TypeNameStyle {
        guard let value = keyword(kwargs, "shortnames") else { return .short }
        return try truthy(value) ? .short : .qualified
    }

    func limitArgument(_ args: [ObjectRef], _ kwargs: [(String, ObjectRef)]) throws(PyException) -> Int? {
        guard let value = args.first ?? keyword(kwargs, "limit"), value != heap.none else { return args.isEmpty && keyword(kwargs, "limit") == nil ? 10 : nil }
        return try intArgument(value, "limit")
    }

    /// A list of tuples `(name, n, …)`.
    func rowList(_ rows: [(String, [Int])]) -> ObjectRef {
        let list = own(heap.list())
        for (name, numbers) in rows {
            let parts = [str(name)] + numbers.map { int($0) }
            try? heap.append(heap.tuple(parts), to: list)
            for part in parts { drop(part) }
        }
        return list
    }

    /// objgraph's growth(): collects first, then counts against the peaks kept so far.
    func growthRows(_ args: [ObjectRef], _ kwargs: [(String, ObjectRef)]) throws(PyException) -> [GrowthRow] {
        heap.gc.collect()
        var tracker = moduleState["objgraph.growth"] as? GrowthTracker ?? GrowthTracker()
        let rows = tracker.growth(in: HeapView(self).graph, limit: try limitArgument(args, kwargs), style: try nameStyle(kwargs))
        moduleState["objgraph.growth"] = tracker
        return rows
    }

    func ordinals(_ value: ObjectRef?, _ view: HeapView) throws(PyException) -> Set<Int> {
        guard let value, value != heap.none else { return [] }
        let items = try collectItems(value)
        defer { for item in items { drop(item) } }
        return Set(items.compactMap { view.ordinals[$0] })
    }

    /// A Python callable as a node predicate; the first exception it raises is kept.
    func predicate(_ callable: ObjectRef?, _ view: HeapView, _ failure: inout PyException?) -> ((Int) -> Bool)? {
        guard let callable, callable != heap.none else { return nil }
        let box = FailureBox()
        defer { if let error = box.error { failure = error } }
        return { [unowned(unsafe) self] ordinal in
            guard box.error == nil, let object = view.objects[ordinal] else { return false }
            do throws(PyException) {
                let result = try self.call(callable, [object])
                defer { self.drop(result) }
                return try self.truthy(result)
            } catch {
                box.error = error
                return false
            }
        }
    }

    /// show_refs (0), show_backrefs (1), show_chain (2), with objgraph's keyword arguments.
    func showGraph(kind: Int, _ args: [ObjectRef], _ kwargs: [(String, ObjectRef)]) throws(PyException) {
        let view = HeapView(self)
        let box = FailureBox()
        var options = DOTOptions()
        for (key, value) in kwargs {
            switch key {
            case "max_depth": options.maxDepth = try intArgument(value, key)
            case "too_many": options.tooMany = try intArgument(value, key)
            case "extra_ignore": options.extraIgnore = try ordinals(value, view)
            case "refcounts": options.refcounts = try truthy(value)
            case "shortnames": options.style = try truthy(value) ? .short : .qualified
            case "filter", "highlight":
                var failure: PyException?
                let test = predicate(value, view, &failure)
                if key == "filter" { options.filter = test } else { options.highlight = test }
            case "extra_info" where value != heap.none:
                options.extraInfo = { [unowned(unsafe) self] ordinal in
                    guard box.error == nil, let object = view.objects[ordinal] else { return nil }
                    do throws(PyException) {
                        let result = try self.call(value, [object])
                        defer { self.drop(result) }
                        return result == self.heap.none ? nil : try self.strOf(result)
                    } catch { box.error = error; return nil }
                }
            case "filename", "output", "extra_info", "backrefs": break
            default: throw typeError("\(["show_refs", "show_backrefs", "show_chain"][kind])() got an unexpected keyword argument '\(key)'")
            }
        }
        // CPython's dicts with only str keys do not visit their keys (dict_traverse), so
        // objgraph never draws those edges; neither is a str shown that only such edges reach.
        let graph = view.graph
        let userFilter = options.filter
        options.filter = { node in
            if graph.typeName(of: node) == "str", graph.referrers(of: node).allSatisfy({ referrer in
                graph.edges(of: referrer).allSatisfy { $0.target != node || $0.kind == .dictKey }
            }) { return false }
            return userFilter?(node) ?? true
        }
        let dot: ObjectGraphDOT
        if kind == 2 {
            var chains: [[Int]] = []
            for arg in args {
                let items = try collectItems(arg)
                defer { for item in items { drop(item) } }
                chains.append(items.compactMap { view.ordinals[$0] })
            }
            let backrefs = try keyword(kwargs, "backrefs").map { (value) throws(PyException) -> Bool in try truthy(value) } ?? true
            dot = view.graph.showChain(chains, backrefs: backrefs, options: options)
        } else {
            guard let first = args.first else { throw typeError("show_refs() missing 1 required positional argument: 'objs'") }
            let starts: [Int]
            if tag(first) == .list || tag(first) == .tuple {
                starts = ((try? heap.items(of: first)) ?? []).compactMap { view.ordinals[$0] }
            } else {
                starts = view.ordinals[first].map { [$0] } ?? []
            }
            dot = kind == 0 ? view.graph.showRefs(starts, options: options) : view.graph.showBackrefs(starts, options: options)
        }
        if let error = box.error { throw error }
        try presentGraph(dot, filename: keyword(kwargs, "filename").flatMap { heap.stringValue(of: $0) })
    }

    /// objgraph's `_present_graph`: a .dot file is written as it is; other names get the
    /// DOT in a temporary file and the picture rendered by GraphvizRender.
    func presentGraph(_ dot: ObjectGraphDOT, filename: String?) throws(PyException) {
        let renderer = GraphvizRenderer()
        if let filename, filename.hasSuffix(".dot") {
            do throws(OutputFileError) { try OutputFile(path: filename).write(dot.text) } catch {
                throw raise("OSError", "cannot write \(filename): \(error)")
            }
            stdout.write("Graph written to \(filename) (\(dot.nodeCount) nodes)\n")
            return
        }
        let directory = (getenv("TMPDIR").map { String(cString: $0) }).flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((directory + "/objgraph-XXXXXX.dot").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemps(base, 4)
        }
        guard descriptor >= 0 else { throw raise("OSError", "cannot make a temporary file in \(directory)") }
        close(descriptor)
        let dotPath = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        do throws(OutputFileError) { try OutputFile(path: dotPath).write(dot.text) } catch {
            throw raise("OSError", "cannot write \(dotPath): \(error)")
        }
        stdout.write("Graph written to \(dotPath) (\(dot.nodeCount) nodes)\n")
        var target = filename ?? ""
        if filename == nil {
            stdout.write("Graph viewer (xdot) not found, generating a png instead\n")
            target = String(dotPath.dropLast(4)) + ".png"
        }
        do throws(GraphvizError) { try renderer.render(dot: dot.text, toFile: target) } catch {
            stdout.write("dot failed (\(error)) while rendering \(target)\n")
            return
        }
        stdout.write("Image generated as \(target)\n")
    }
}

/// The first exception raised by Python code called from a Swift closure that cannot throw.
final class FailureBox {
    var error: PyException?
}
