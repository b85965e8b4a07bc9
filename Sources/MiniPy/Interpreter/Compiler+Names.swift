import HeapRuntime

// Loading, storing and deleting names and other targets.
extension Interpreter {
    /// The items of an iterable being unpacked into `count` targets (owned); `value` borrowed.
    func unpack(_ value: ObjectRef, count: Int) throws(PyException) -> [ObjectRef] {
        let parts: [ObjectRef]
        let kind = tag(value)
        if kind == .tuple || kind == .list, let items = try? heap.items(of: value) {
            parts = items.map { newRef($0) }
        } else {
            parts = try collectItems(value)
        }
        guard parts.count == count else {
            for part in parts { drop(part) }
            if parts.count > count { throw valueError("too many values to unpack (expected \(count))") }
            throw valueError("not enough values to unpack (expected \(count), got \(parts.count))")
        }
        return parts
    }
}

extension Compiler {
    func loadName(_ name: String) -> Eval {
        let interp = self.interp
        let key = interp.name(name)
        switch scope.place(of: name) {
        case .local(let slot):
            return { f throws(PyException) in
                if let value = f.slots[slot] { return interp.newRef(value) }
                throw interp.raise("UnboundLocalError", "cannot access local variable '\(name)' where it is not associated with a value")
            }
        case .cell(let slot):
            return { f throws(PyException) in
                if let cell = f.slots[slot], let value = interp.cellValue(cell) { return interp.newRef(value) }
                throw interp.raise("NameError", "cannot access free variable '\(name)' where it is not associated with a value in enclosing scope")
            }
        case .global:
            // Where the name was last found in each dict, checked before hashing (see
            // Heap.item(forKey:in:entryHint:)): each use of a global remembers its own.
            var globalsHint = -1, builtinsHint = -1
            return { f throws(PyException) in
                if let value = try? interp.heap.item(forKey: key, in: f.globals, entryHint: &globalsHint) { return interp.newRef(value) }
                if let value = try? interp.heap.item(forKey: key, in: interp.builtinsDict, entryHint: &builtinsHint) { return interp.newRef(value) }
                throw interp.raise("NameError", "name '\(name)' is not defined")
            }
        case .classNamespace:
            let free = scope.freeSlot(of: name)
            return { f throws(PyException) in
                if let namespace = f.namespace, let value = try? interp.heap.item(forKey: key, in: namespace) { return interp.newRef(value) }
                if let free, let cell = f.slots[free], let value = interp.cellValue(cell) { return interp.newRef(value) }
                if let value = try? interp.heap.item(forKey: key, in: f.globals) { return interp.newRef(value) }
                if let value = try? interp.heap.item(forKey: key, in: interp.builtinsDict) { return interp.newRef(value) }
                throw interp.raise("NameError", "name '\(name)' is not defined")
            }
        }
    }

    /// A store into `target`; the value passed is owned and consumed.
    func store(_ target: Expr) throws(SyntaxError) -> Store {
        let interp = self.interp
        switch target {
        case .name(let name, _):
            let key = interp.name(name)
            switch scope.place(of: name) {
            case .local(let slot):
                return { f, value throws(PyException) in
                    let old = f.slots[slot]
                    f.slots[slot] = value
                    if let old { interp.drop(old) }
                }
            case .cell(let slot):
                return { f, value throws(PyException) in
                    if let cell = f.slots[slot] { interp.setCell(cell, value) }
                    interp.drop(value)
                }
            case .global:
                return { f, value throws(PyException) in
                    defer { interp.drop(value) }
                    do throws(HeapError) { try interp.heap.setItem(key, to: value, in: f.globals) } catch { throw interp.translate(error) }
                }
            case .classNamespace:
                return { f, value throws(PyException) in
                    defer { interp.drop(value) }
                    do throws(HeapError) { try interp.heap.setItem(key, to: value, in: f.namespace ?? f.globals) } catch { throw interp.translate(error) }
                }
            }
        case .attribute(let object, let name, _):
            let objectEval = try expression(object)
            let key = interp.name(name)
            return { f, value throws(PyException) in
                defer { interp.drop(value) }
                let target = try objectEval(f)
                defer { interp.drop(target) }
                try interp.setAttribute(target, key, value)
            }
        case .index(let object, let index, _):
            let objectEval = try expression(object)
            let indexEval = try expression(index)
            return { f, value throws(PyException) in
                defer { interp.drop(value) }
                let target = try objectEval(f)
                defer { interp.drop(target) }
                let key = try indexEval(f)
                defer { interp.drop(key) }
                try interp.setItem(target, key, value)
            }
        case .tuple(let items, _), .list(let items, _):
            let stores = try items.map { (item) throws(SyntaxError) -> StoreBox in StoreBox(run: try store(item)) }
            let count = stores.count
            if count == 2 {
                // `a, b = pair`, the common case, without an array of closures.
                let first = stores[0].run, second = stores[1].run
                return { f, value throws(PyException) in
                    defer { interp.drop(value) }
                    if interp.tag(value) == .tuple, (try? interp.heap.count(of: value)) == 2,
                       let x = try? interp.heap.item(0, of: value), let y = try? interp.heap.item(1, of: value) {
                        // A tuple cannot change while its items are stored; read in place,
                        // no array made.
                        try first(f, interp.newRef(x))
                        try second(f, interp.newRef(y))
                        return
                    }
                    let parts = try interp.unpack(value, count: 2)
                    do throws(PyException) { try first(f, parts[0]) } catch { interp.drop(parts[1]); throw error }
                    try second(f, parts[1])
                }
            }
            return { f, value throws(PyException) in
                let parts: [ObjectRef]
                do throws(PyException) { parts = try interp.unpack(value, count: count) } catch { interp.drop(value); throw error }
                interp.drop(value)
                for (i, store) in stores.enumerated() {
                    do throws(PyException) { try store.run(f, parts[i]) } catch {
                        for part in parts[(i + 1)...] { interp.drop(part) }
                        throw error
                    }
                }
            }
        default:
            throw SyntaxError("cannot assign to expression", line: 0, column: 0)
        }
    }

    func delete(_ target: Expr, line: Int) throws(SyntaxError) -> Exec {
        let interp = self.interp
        switch target {
        case .name(let name, _):
            let key = interp.name(name)
            switch scope.place(of: name) {
            case .local(let slot):
                return { f throws(PyException) in
                    guard let old = f.slots[slot] else {
                        throw interp.raise("UnboundLocalError", "cannot access local variable '\(name)' where it is not associated with a value")
                    }
                    f.slots[slot] = nil
                    interp.drop(old)
                    return .normal
                }
            case .cell(let slot):
                return { f throws(PyException) in
                    guard let cell = f.slots[slot], interp.cellValue(cell) != nil else {
                        throw interp.raise("NameError", "cannot access free variable '\(name)' where it is not associated with a value in enclosing scope")
                    }
                    interp.setCell(cell, nil)
                    return .normal
                }
            case .global, .classNamespace:
                return { f throws(PyException) in
                    let dict = f.namespace ?? f.globals
                    guard (try? interp.heap.item(forKey: key, in: dict)) != nil else {
                        throw interp.raise("NameError", "name '\(name)' is not defined")
                    }
                    try? interp.heap.removeItem(forKey: key, from: dict)
                    return .normal
                }
            }
        case .attribute(let object, let name, _):
            let objectEval = try expression(object)
            return { f throws(PyException) in
                let target = try objectEval(f)
                defer { interp.drop(target) }
                try interp.deleteAttribute(target, name)
                return .normal
            }
        case .index(let object, let index, _):
            let objectEval = try expression(object)
            let indexEval = try expression(index)
            return { f throws(PyException) in
                let target = try objectEval(f)
                defer { interp.drop(target) }
                let key = try indexEval(f)
                defer { interp.drop(key) }
                try interp.deleteItem(target, key)
                return .normal
            }
        case .tuple(let items, _), .list(let items, _):
            let deletes = try items.map { (item) throws(SyntaxError) -> Exec in try delete(item, line: line) }
            return { f throws(PyException) in
                for delete in deletes { _ = try delete(f) }
                return .normal
            }
        default:
            throw SyntaxError("cannot delete expression", line: line, column: 1)
        }
    }

    func augmentedAssign(_ target: Expr, _ op: BinaryOp, _ value: Expr, line: Int) throws(SyntaxError) -> Exec {
        let interp = self.interp
        let valueEval = try expression(value)
        switch target {
        case .name(let name, _):
            let load = loadName(name)
            let store = try self.store(target)
            return { f throws(PyException) in
                f.line = line
                let current = try load(f)
                let operand: ObjectRef
                do throws(PyException) { operand = try valueEval(f) } catch { interp.drop(current); throw error }
                defer { interp.drop(current); interp.drop(operand) }
                try store(f, try interp.binary(op, current, operand, inPlace: true))
                return .normal
            }
        case .attribute(let object, let name, _):
            let objectEval = try expression(object)
            let key = interp.name(name)
            return { f throws(PyException) in
                f.line = line
                let target = try objectEval(f)
                defer { interp.drop(target) }
                let current = try interp.getAttribute(target, key)
                defer { interp.drop(current) }
                let operand = try valueEval(f)
                defer { interp.drop(operand) }
                let result = try interp.binary(op, current, operand, inPlace: true)
                defer { interp.drop(result) }
                try interp.setAttribute(target, key, result)
                return .normal
            }
        case .index(let object, let index, _):
            let objectEval = try expression(object)
            let indexEval = try expression(index)
            return { f throws(PyException) in
                f.line = line
                let target = try objectEval(f)
                defer { interp.drop(target) }
                let key = try indexEval(f)
                defer { interp.drop(key) }
                let current = try interp.getItem(target, key)
                defer { interp.drop(current) }
                let operand = try valueEval(f)
                defer { interp.drop(operand) }
                let result = try interp.binary(op, current, operand, inPlace: true)
                defer { interp.drop(result) }
                try interp.setItem(target, key, result)
                return .normal
            }
        default:
            throw SyntaxError("'\(target)' is an illegal expression for augmented assignment", line: line, column: 1)
        }
    }
}
