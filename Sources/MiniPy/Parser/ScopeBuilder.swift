/// Walks a parsed module and builds its tree of scopes (CPython's symbol table pass).
/// Recursion follows the source's nesting, which the parser caps.
struct ScopeBuilder {
    /// Builds and resolves the scopes of `module`; returns the module scope.
    static func build(_ module: [Stmt]) throws(SyntaxError) -> Scope {
        let root = Scope(kind: .module, parent: nil, name: "<module>")
        var builder = ScopeBuilder()
        try builder.visit(module, in: root)
        try root.resolve()
        return root
    }

    private mutating func visit(_ body: [Stmt], in scope: Scope) throws(SyntaxError) {
        for statement in body { try visit(statement, in: scope) }
    }

    private mutating func bind(_ target: Expr, in scope: Scope) {
        switch target {
        case .name(let name, _): scope.assigned.insert(name)
        case .tuple(let items, _), .list(let items, _): for item in items { bind(item, in: scope) }
        case .attribute(let object, _, _): visit(object, in: scope)
        case .index(let object, let index, _): visit(object, in: scope); visit(index, in: scope)
        default: visit(target, in: scope)
        }
    }

    private mutating func visit(_ statement: Stmt, in scope: Scope) throws(SyntaxError) {
        switch statement.kind {
        case .expression(let expr): visit(expr, in: scope)
        case .assign(let targets, let value):
            visit(value, in: scope)
            for target in targets { bind(target, in: scope) }
        case .augmentedAssign(let target, _, let value):
            visit(value, in: scope)
            visit(target, in: scope)
            bind(target, in: scope)
        case .delete(let targets): for target in targets { bind(target, in: scope) }
        case .pass, .breakLoop, .continueLoop: break
        case .returnValue(let value):
            if scope.kind != .function { throw SyntaxError("'return' outside function", line: statement.line, column: 1) }
            if let value { visit(value, in: scope) }
        case .raise(let value, let cause):
            if let value { visit(value, in: scope) }
            if let cause { visit(cause, in: scope) }
        case .global(let names):
            for name in names {
                if scope.assigned.contains(name) || scope.used.contains(name) {
                    throw SyntaxError("name '\(name)' is used prior to global declaration", line: statement.line, column: 1)
                }
                scope.declaredGlobal.insert(name)
            }
        case .nonlocal(let names):
            if scope.kind == .module { throw SyntaxError("nonlocal declaration not allowed at module level", line: statement.line, column: 1) }
            for name in names { scope.declaredNonlocal.insert(name) }
        case .ifElse(let test, let body, let orElse):
            visit(test, in: scope)
            try visit(body, in: scope)
            try visit(orElse, in: scope)
        case .whileLoop(let test, let body, let orElse):
            visit(test, in: scope)
            try visit(body, in: scope)
            try visit(orElse, in: scope)
        case .forLoop(let target, let iterable, let body, let orElse):
            visit(iterable, in: scope)
            bind(target, in: scope)
            try visit(body, in: scope)
            try visit(orElse, in: scope)
        case .tryStatement(let body, let handlers, let orElse, let final):
            try visit(body, in: scope)
            for handler in handlers {
                if let type = handler.type { visit(type, in: scope) }
                if let name = handler.name { scope.assigned.insert(name) }
                try visit(handler.body, in: scope)
            }
            try visit(orElse, in: scope)
            try visit(final, in: scope)
        case .function(let function):
            for decorator in function.decorators { visit(decorator, in: scope) }
            scope.assigned.insert(function.name)
            try visitFunction(function, in: scope)
        case .classDef(let cls):
            for decorator in cls.decorators { visit(decorator, in: scope) }
            for base in cls.bases { visit(base, in: scope) }
            scope.assigned.insert(cls.name)
            let inner = Scope(kind: .classBody, parent: scope, name: cls.name)
            cls.scope = inner
            try visit(cls.body, in: inner)
        case .importModules(let modules):
            for (path, alias) in modules {
                scope.assigned.insert(alias ?? String(path.split(separator: ".")[0]))
            }
        case .importFrom(_, let names):
            for (name, alias) in names { scope.assigned.insert(alias ?? name) }
        case .assert(let test, let message):
            visit(test, in: scope)
            if let message { visit(message, in: scope) }
        }
    }

    private mutating func visitFunction(_ function: FunctionDef, in scope: Scope) throws(SyntaxError) {
        for parameter in function.parameters { if let value = parameter.defaultValue { visit(value, in: scope) } }
        let inner = Scope(kind: .function, parent: scope, name: function.name)
        inner.parameters = function.parameters.map(\.name) + [function.varArgs, function.kwArgs].compactMap { $0 }
        function.scope = inner
        try visit(function.body, in: inner)
    }

    private mutating func visit(_ expr: Expr, in scope: Scope) {
        switch expr {
        case .name(let name, _): scope.used.insert(name)
        case .int, .float, .string, .constant: break
        case .formatted(let pieces, _):
            for case .value(let value, _, _) in pieces { visit(value, in: scope) }
        case .tuple(let items, _), .list(let items, _), .set(let items, _): for item in items { visit(item, in: scope) }
        case .dict(let pairs, _):
            for pair in pairs { visit(pair.key, in: scope); visit(pair.value, in: scope) }
        case .binary(_, let left, let right, _): visit(left, in: scope); visit(right, in: scope)
        case .unary(_, let operand, _): visit(operand, in: scope)
        case .boolOp(_, let left, let right): visit(left, in: scope); visit(right, in: scope)
        case .compare(let left, let rest, _):
            visit(left, in: scope)
            for (_, right) in rest { visit(right, in: scope) }
        case .call(let function, let arguments, _):
            visit(function, in: scope)
            for argument in arguments {
                switch argument {
                case .positional(let value), .keyword(_, let value), .star(let value), .doubleStar(let value): visit(value, in: scope)
                }
            }
        case .attribute(let object, _, _): visit(object, in: scope)
        case .index(let object, let index, _): visit(object, in: scope); visit(index, in: scope)
        case .slice(let lower, let upper, let step):
            for part in [lower, upper, step] { if let part { visit(part, in: scope) } }
        case .conditional(let test, let body, let orElse):
            visit(test, in: scope); visit(body, in: scope); visit(orElse, in: scope)
        case .lambda(let function):
            // Lambdas hold one `return`: a SyntaxError is impossible.
            try? visitFunction(function, in: scope)
        case .comprehension(let comprehension):
            // The first iterable is evaluated in the enclosing scope; the rest inside.
            visit(comprehension.clauses[0].iterable, in: scope)
            let inner = Scope(kind: .function, parent: scope, name: "<\(comprehension.kind)comp>")
            inner.parameters = [".0"]
            comprehension.scope = inner
            for (index, clause) in comprehension.clauses.enumerated() {
                if index > 0 { visit(clause.iterable, in: inner) }
                bind(clause.target, in: inner)
                for condition in clause.conditions { visit(condition, in: inner) }
            }
            visit(comprehension.element, in: inner)
            if let value = comprehension.value { visit(value, in: inner) }
        }
    }
}
