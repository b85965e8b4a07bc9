import HeapRuntime

/// memory_profiler's line profiler for one call of a decorated function, with its
/// bookkeeping (`CodeMap.trace`): each line event charges the memory now, minus what the
/// line before last recorded, to the line that just ran.
final class LineProfile {
    let code: CodeObject
    /// Per line: (increment, maximum memory, occurrences), in bytes.
    var lines: [Int: (increment: Int, memory: Int, occurrences: Int)] = [:]
    var previousLines: [Int] = []
    var previousLine: Int?

    init(code: CodeObject) { self.code = code }

    func call(line: Int) { previousLines.append(line) }

    func line(_ line: Int, memory: Int) {
        guard let last = previousLines.last else { return }
        trace(last, memory: memory)
        previousLine = last
        previousLines[previousLines.count - 1] = line
    }

    func finish(memory: Int) {
        guard let last = previousLines.popLast() else { return }
        trace(last, memory: memory)
        previousLine = last
    }

    private func trace(_ line: Int, memory: Int) {
        let before = lines[line]
        let previousLineMemory = previousLine.flatMap { lines[$0]?.memory } ?? 0
        lines[line] = ((before?.increment ?? 0) + (memory - previousLineMemory), max(memory, before?.memory ?? 0), (before?.occurrences ?? 0) + 1)
    }
}

extension Interpreter {
    /// Bytes the heap's objects occupy now: its pooled blocks in use and its large blocks.
    /// memory_profiler reads the process's resident memory; this is exact.
    var heapBytes: Int {
        let stats = heap.allocatorStats()
        return stats.bytesInAllocatedBlocks + stats.largeBytes
    }

    /// A statement of a frame is about to run (memory_profiler's "line" event); when sites
    /// are recorded, what it allocates is charged to its line.
    func traceLine(_ frame: Frame, _ line: Int) {
        if recordingSites { setAllocationSite(frame.code, line) }
        if !profiles.isEmpty { profiles[ObjectIdentifier(frame.code)]?.line(line, memory: heapBytes) }
    }

    /// Makes `file:line` the heap's current allocation site (one dictionary look-up once
    /// the line has run before).
    func setAllocationSite(_ code: CodeObject, _ line: Int) {
        if let site = code.allocationSites[line] {
            heap.currentAllocationSite = site
            return
        }
        let site = heap.allocationSite(named: "\(code.filename):\(line)")
        code.allocationSites[line] = site
        heap.currentAllocationSite = site
    }

    /// `memory_profiler`: the `profile` decorator.
    func makeMemoryProfilerModule() -> ObjectRef {
        let module = makeModule("memory_profiler")
        addFunction(module, "profile") { (interp, args, kwargs) throws(PyException) in
            var precision = 1
            for (key, value) in kwargs {
                switch key {
                case "precision": precision = try interp.intArgument(value, key)
                case "stream", "backend": break
                default: throw interp.typeError("profile() got an unexpected keyword argument '\(key)'")
                }
            }
            if let function = args.first { return try interp.profiledWrapper(function, precision: precision) }
            // @profile(precision=…): a decorator.
            return interp.makeBuiltin("profile") { (interp, args, _) throws(PyException) in
                try interp.checkArity("profile", args, 1, 1)
                return try interp.profiledWrapper(args[0], precision: precision)
            }
        }
        return module
    }

    /// A callable that runs `function` under the line profiler and prints the table after
    /// each call, as memory_profiler's `profile` wrapper does.
    func profiledWrapper(_ function: ObjectRef, precision: Int) throws(PyException) -> ObjectRef {
        guard let payload = heap.payload(of: function, as: functionType) else {
            throw typeError("memory_profiler.profile: not supported by minipy for '\(typeName(function))' objects")
        }
        let code = payload.code
        builtinImpls.append((code.name, { (interp, args, kwargs) throws(PyException) in
            guard let function = args.first else { throw interp.typeError("profiled function lost") }
            let profile = LineProfile(code: code)
            let key = ObjectIdentifier(code)
            let outer = interp.profiles[key]
            interp.profiles[key] = profile
            interp.tracing = true
            defer {
                interp.profiles[key] = outer
                interp.tracing = !interp.profiles.isEmpty || interp.recordingSites
                interp.stdout.write(interp.profileTable(profile, precision: precision))
            }
            return try interp.call(function, Array(args.dropFirst()), kwargs)
        }))
        return own(heap.makeHost(builtinType, BuiltinPayload(index: builtinImpls.count - 1, bound: function)))
    }

    /// memory_profiler's `show_results` table.
    func profileTable(_ profile: LineProfile, precision: Int) -> String {
        func row(_ columns: [String]) -> String {
            columns[0].leftPadded(to: 6, with: " ") + " " + columns[1].leftPadded(to: 12, with: " ") + " "
                + columns[2].leftPadded(to: 12, with: " ") + "  " + columns[3].leftPadded(to: 10, with: " ") + "   " + columns[4]
        }
        let code = profile.code
        let header = row(["Line #", "Mem usage", "Increment", "Occurrences", "Line Contents"])
        var text = "Filename: \(code.filename)\n\n" + header + "\n" + String(repeating: "=", count: header.count) + "\n"
        let source = sources[code.filename] ?? []
        func mebibytes(_ bytes: Int) -> String {
            let value = cFormat("%.\(max(0, precision))f", Double(bytes) / 1_048_576)
            return value.leftPadded(to: precision + 4, with: " ") + " MiB"
        }
        for line in code.sourceLines ?? code.firstLine...code.firstLine {
            let content = line >= 1 && line <= source.count ? String(source[line - 1]) : ""
            if let entry = profile.lines[line] {
                text += row([String(line), mebibytes(entry.memory), mebibytes(entry.increment), String(entry.occurrences), content]) + "\n"
            } else {
                text += row([String(line), "", "", "", content]) + "\n"
            }
        }
        return text + "\n\n"
    }
}
