import HeapRuntime

// Subscripts: `a[i]`, `a[i] = v`, `del a[i]`, slices.
extension Interpreter {
    func index(_ key: ObjectRef, count: Int, kind: String) throws(PyException) -> Int {
        guard tag(key) == .int || tag(key) == .bool, let value = heap.intValue(of: key) else {
            throw typeError("\(kind) indices must be integers or slices, not \(typeName(key))")
        }
        let resolved = value < 0 ? value + count : value
        guard resolved >= 0 && resolved < count else { throw raise("IndexError", "\(kind) index out of range") }
        return resolved
    }

    /// The indices a slice selects from a sequence of `count` items.
    func sliceIndices(_ slice: SlicePayload, count: Int) throws(PyException) -> [Int] {
        func value(_ object: ObjectRef?) throws(PyException) -> Int? {
            guard let object, object != heap.none else { return nil }
            guard let number = heap.intValue(of: object) else { throw typeError("slice indices must be integers or None") }
            return number
        }
        let step = try value(slice.step) ?? 1
        if step == 0 { throw valueError("slice step cannot be zero") }
        func clamp(_ index: Int?, _ fallback: Int) -> Int {
            guard var index else { return fallback }
            if index < 0 { index += count }
            if step > 0 { return min(max(index, 0), count) }
            return min(max(index, -1), count - 1)
        }
        let start = clamp(try value(slice.start), step > 0 ? 0 : count - 1)
        let stop = clamp(try value(slice.stop), step > 0 ? count : -1)
        var indices: [Int] = []
        var i = start
        while step > 0 ? i < stop : i > stop { indices.append(i); i += step }
        return indices
    }

    /// `container[key]` (owned result).
    func getItem(_ container: ObjectRef, _ key: ObjectRef) throws(PyException) -> ObjectRef {
        let slice = tag(key) == .host ? heap.payload(of: key, as: sliceType) : nil
        switch tag(container) {
        case .list, .tuple:
            let count = (try? heap.count(of: container)) ?? 0
            if let slice {
                let items = (try? heap.items(of: container)) ?? []
                let picked = try sliceIndices(slice, count: count).map { items[$0] }
                return tag(container) == .list ? own(heap.list(picked)) : own(heap.tuple(picked))
            }
            let i = try index(key, count: count, kind: tag(container) == .list ? "list" : "tuple")
            guard let item = try? heap.item(i, of: container) else { throw raise("IndexError", "index out of range") }
            return newRef(item)
        case .str:
            let characters = Array(heap.stringValue(of: container) ?? "")
            if let slice { return str(String(try sliceIndices(slice, count: characters.count).map { characters[$0] })) }
            return str(String(characters[try index(key, count: characters.count, kind: "string")]))
        case .dict:
            let found: ObjectRef?
            do throws(HeapError) { found = try heap.item(forKey: key, in: container) } catch { throw translate(error) }
            if let found { return newRef(found) }
            throw PyException(object: try keyError(key))
        case .host:
            if let range = heap.payload(of: container, as: rangeType) {
                if let slice {
                    // A slice of a range is a range.
                    let indices = try sliceIndices(slice, count: range.count)
                    let step = range.step * (indices.count > 1 ? indices[1] - indices[0] : (slice.step.flatMap { heap.intValue(of: $0) } ?? 1))
                    let rawStart = slice.start.flatMap { heap.intValue(of: $0) } ?? 0
                    let emptyStart = rawStart < 0 ? max(0, rawStart + range.count) : min(rawStart, range.count)
                    let start = range.start + (indices.first ?? emptyStart) * range.step
                    return own(heap.makeHost(rangeType, RangePayload(start: start, stop: start + indices.count * step, step: step)))
                }
                return int(range.start + range.step * (try index(key, count: range.count, kind: "range object")))
            }
        case .instance:
            if let method = lookupSpecial(container, "__getitem__") { return try callMethod(method, container, [key]) }
        default: break
        }
        throw typeError("'\(typeName(container))' object is not subscriptable")
    }

    func keyError(_ key: ObjectRef) throws(PyException) -> ObjectRef {
        guard let cls = exceptionClasses["KeyError"] else { throw raise("KeyError", nil) }
        return try instantiate(cls, [key], [])
    }

    /// `container[key] = value` (value borrowed).
    func setItem(_ container: ObjectRef, _ key: ObjectRef, _ value: ObjectRef) throws(PyException) {
        switch tag(container) {
        case .list:
            let count = (try? heap.count(of: container)) ?? 0
            if tag(key) == .host, let slice = heap.payload(of: key, as: sliceType) {
                let replacement = try collectItems(value)
                defer { for item in replacement { drop(item) } }
                let indices = try sliceIndices(slice, count: count)
                var items = (try? heap.items(of: container))?.map { newRef($0) } ?? []
                defer { for item in items { drop(item) } }
                if slice.step == nil || slice.step == heap.none {
                    let start = indices.first ?? min(max(0, (slice.start.flatMap { heap.intValue(of: $0) }).map { $0 < 0 ? $0 + count : $0 } ?? 0), count)
                    let removed = Array(items[start..<(start + indices.count)])
                    items.replaceSubrange(start..<(start + indices.count), with: replacement.map { newRef($0) })
                    try? heap.removeAll(from: container)
                    for item in items { try? heap.append(item, to: container) }
                    for item in removed { drop(item) }
                    return
                }
                guard indices.count == replacement.count else {
                    throw valueError("attempt to assign sequence of size \(replacement.count) to extended slice of size \(indices.count)")
                }
                for (i, index) in indices.enumerated() { try? heap.setItem(index, of: container, to: replacement[i]) }
                return
            }
            let i = try index(key, count: count, kind: "list assignment")
            try? heap.setItem(i, of: container, to: value)
        case .dict:
            do throws(HeapError) { try heap.setItem(key, to: value, in: container) } catch { throw translate(error) }
        case .instance:
            if let method = lookupSpecial(container, "__setitem__") { drop(try callMethod(method, container, [key, value])); return }
            fallthrough
        default:
            throw typeError("'\(typeName(container))' object does not support item assignment")
        }
    }

    func deleteItem(_ container: ObjectRef, _ key: ObjectRef) throws(PyException) {
        switch tag(container) {
        case .list:
            let count = (try? heap.count(of: container)) ?? 0
            if tag(key) == .host, let slice = heap.payload(of: key, as: sliceType) {
                for i in try sliceIndices(slice, count: count).sorted(by: >) { try? heap.remove(at: i, from: container) }
                return
            }
            try? heap.remove(at: try index(key, count: count, kind: "list assignment"), from: container)
        case .dict:
            let found: ObjectRef?
            do throws(HeapError) { found = try heap.item(forKey: key, in: container) } catch { throw translate(error) }
            if found == nil { throw PyException(object: try keyError(key)) }
            try? heap.removeItem(forKey: key, from: container)
        case .instance:
            if let method = lookupSpecial(container, "__delitem__") { drop(try callMethod(method, container, [key])); return }
            fallthrough
        default:
            throw typeError("'\(typeName(container))' object doesn't support item deletion")
        }
    }
}
