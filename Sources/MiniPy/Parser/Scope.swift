/// What the compiler knows about one scope (module, class body, function, lambda or
/// comprehension): which names are fast locals, cells, free variables or globals, as
/// CPython's symbol table decides them.
final class Scope {
    enum Kind { case module, classBody, function }

    /// Where a name lives, as seen from one scope.
    enum Place: Equatable {
        /// A fast local slot (a function's parameter or assigned name).
        case local(Int)
        /// A slot holding a cell: a local captured by an inner function, or a free variable.
        case cell(Int)
        /// The module's globals (then the builtins).
        case global
        /// A class body's namespace (then globals and builtins).
        case classNamespace
    }

    let kind: Kind
    let parent: Scope?
    let name: String
    var parameters: [String] = []
    var assigned: Set<String> = []
    var declaredGlobal: Set<String> = []
    var declaredNonlocal: Set<String> = []
    var used: Set<String> = []
    var children: [Scope] = []

    /// Slot numbers: locals first (parameters in order), then free variables.
    private(set) var slots: [String: Int] = [:]
    private(set) var cellNames: Set<String> = []
    /// Free variables in slot order: the function's closure supplies their cells.
    private(set) var freeNames: [String] = []
    var slotCount: Int { slots.count }

    init(kind: Kind, parent: Scope?, name: String) {
        self.kind = kind
        self.parent = parent
        self.name = name
        parent?.children.append(self)
    }

    func isLocal(_ name: String) -> Bool {
        kind == .function && !declaredGlobal.contains(name) && !declaredNonlocal.contains(name)
            && (assigned.contains(name) || parameters.contains(name))
    }

    /// Where `name` lives as seen from this scope.
    func place(of name: String) -> Place {
        if let slot = slots[name] {
            return cellNames.contains(name) || freeNames.contains(name) ? .cell(slot) : .local(slot)
        }
        if kind == .classBody && !declaredGlobal.contains(name) { return .classNamespace }
        return .global
    }

    /// Where a name this scope's class body both assigns and reads from an outer function
    /// lives (a class body assigns into its namespace but may read a free variable).
    func freeSlot(of name: String) -> Int? {
        freeNames.contains(name) ? slots[name] : nil
    }

    /// Resolves every scope below and including this one. Call on the module scope.
    func resolve() throws(SyntaxError) {
        // Locals get slots first, in a stable order: parameters, then names sorted.
        var pending: [Scope] = [self]
        while let scope = pending.popLast() {
            if scope.kind == .function {
                for parameter in scope.parameters where scope.slots[parameter] == nil { scope.slots[parameter] = scope.slots.count }
                for name in scope.assigned.sorted() where scope.isLocal(name) && scope.slots[name] == nil {
                    scope.slots[name] = scope.slots.count
                }
            }
            pending.append(contentsOf: scope.children)
        }
        // Then free variables: a name used (or declared nonlocal) in a scope, not local to it,
        // bound in an enclosing function, is free here and in every scope in between.
        pending = [self]
        var order: [Scope] = []
        while let scope = pending.popLast() {
            order.append(scope)
            pending.append(contentsOf: scope.children)
        }
        for scope in order where scope.kind != .module {
            let candidates = scope.used.union(scope.declaredNonlocal)
            for name in candidates.sorted() {
                if scope.declaredGlobal.contains(name) { continue }
                if scope.kind == .function && scope.isLocal(name) { continue }
                if scope.kind == .classBody && scope.assigned.contains(name) && !scope.declaredNonlocal.contains(name) { continue }
                var outer = scope.parent
                var chain: [Scope] = [scope]
                var owner: Scope?
                while let candidate = outer {
                    if candidate.kind == .module { break }
                    if candidate.kind == .function && candidate.isLocal(name) { owner = candidate; break }
                    if candidate.kind == .function && candidate.declaredGlobal.contains(name) { break }
                    chain.append(candidate)
                    outer = candidate.parent
                }
                guard let owner else {
                    if scope.declaredNonlocal.contains(name) {
                        throw SyntaxError("no binding for nonlocal '\(name)' found", line: 0, column: 0)
                    }
                    continue
                }
                owner.cellNames.insert(name)
                for inner in chain where !inner.freeNames.contains(name) {
                    inner.freeNames.append(name)
                    inner.slots[name] = inner.slots.count
                }
            }
        }
    }
}
