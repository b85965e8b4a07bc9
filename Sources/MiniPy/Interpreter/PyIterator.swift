import HeapRuntime

/// Iteration over a built-in iterable, holding what it iterates (as CPython's iterator
/// objects hold their sequence). Call ``release(_:)`` when done.
struct PyIterator {
    enum Source {
        /// A list or tuple (owned), read live so appends during the loop are seen.
        case sequence(ObjectRef, index: Int)
        case range(next: Int, stop: Int, step: Int)
        /// Snapshot of a dict's or set's keys (owned) and the container (owned) with its size.
        case keys([ObjectRef], index: Int, container: ObjectRef, size: Int)
        case characters([Character], index: Int)
        case done
    }

    var source: Source

    init(_ source: Source) { self.source = source }

    /// The next item (owned), or nil at the end.
    mutating func next(_ interp: Interpreter) throws(PyException) -> ObjectRef? {
        switch source {
        case .sequence(let sequence, let index):
            guard let count = try? interp.heap.count(of: sequence), index < count,
                  let item = try? interp.heap.item(index, of: sequence) else { return nil }
            source = .sequence(sequence, index: index + 1)
            return interp.newRef(item)
        case .range(let next, let stop, let step):
            if step > 0 ? next >= stop : next <= stop { return nil }
            source = .range(next: next &+ step, stop: stop, step: step)
            return interp.int(next)
        case .keys(let keys, let index, let container, let size):
            if (try? interp.heap.count(of: container)) != size {
                let kind = interp.tag(container) == .set ? "set" : "dictionary"
                throw interp.raise("RuntimeError", "\(kind) changed size during iteration")
            }
            guard index < keys.count else { return nil }
            source = .keys(keys, index: index + 1, container: container, size: size)
            return interp.newRef(keys[index])
        case .characters(let characters, let index):
            guard index < characters.count else { return nil }
            source = .characters(characters, index: index + 1)
            return interp.str(String(characters[index]))
        case .done:
            return nil
        }
    }

    /// Gives back what the iterator holds.
    mutating func release(_ interp: Interpreter) {
        switch source {
        case .sequence(let sequence, _): interp.drop(sequence)
        case .keys(let keys, _, let container, _):
            for key in keys { interp.drop(key) }
            interp.drop(container)
        default: break
        }
        source = .done
    }
}

extension Interpreter {
    /// `iter(iterable)`; `iterable` borrowed.
    func makeIterator(_ iterable: ObjectRef) throws(PyException) -> PyIterator {
        switch tag(iterable) {
        case .list, .tuple: return PyIterator(.sequence(newRef(iterable), index: 0))
        case .dict, .set:
            let keys = ((try? heap.keys(of: iterable)) ?? []).map { newRef($0) }
            return PyIterator(.keys(keys, index: 0, container: newRef(iterable), size: keys.count))
        case .str: return PyIterator(.characters(Array(heap.stringValue(of: iterable) ?? ""), index: 0))
        case .host:
            if let range = heap.payload(of: iterable, as: rangeType) {
                return PyIterator(.range(next: range.start, stop: range.stop, step: range.step))
            }
        default: break
        }
        throw typeError("'\(typeName(iterable))' object is not iterable")
    }

    /// All items of an iterable (owned).
    func collectItems(_ iterable: ObjectRef) throws(PyException) -> [ObjectRef] {
        var iterator = try makeIterator(iterable)
        defer { iterator.release(self) }
        var items: [ObjectRef] = []
        do throws(PyException) {
            while let item = try iterator.next(self) { items.append(item) }
        } catch {
            for item in items { drop(item) }
            throw error
        }
        return items
    }
}
