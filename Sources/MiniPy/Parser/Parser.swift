/// A recursive-descent parser for the minipy subset. It recurses on nesting, capped at
/// ``maxNesting`` levels with a clear error rather than a stack overflow.
public struct Parser {
    private var tokens: [Token]
    private var position = 0
    private var nesting = 0

    /// How deep expressions and blocks may nest.
    static let maxNesting = 180

    public init(tokens: [Token]) { self.tokens = tokens }

    /// Parses a whole module.
    public static func parse(_ source: String) throws(SyntaxError) -> [Stmt] {
        var parser = Parser(tokens: try Lexer.tokenize(source))
        return try parser.parseModule()
    }

    /// Parses a lone expression (an f-string's `{…}` part).
    static func parseExpression(_ source: String, line: Int) throws(SyntaxError) -> Expr {
        var tokens = try Lexer.tokenize("(" + source + ")")
        for i in tokens.indices { tokens[i].line = line }
        var parser = Parser(tokens: tokens)
        let expr = try parser.parseTestList()
        try parser.skipNewlines()
        guard case .end = parser.current.kind else { throw parser.error("invalid syntax in f-string") }
        return expr
    }

    // MARK: Token helpers

    private var current: Token { tokens[position] }
    private func peekToken(_ offset: Int) -> Token { tokens[min(position + offset, tokens.count - 1)] }

    private mutating func advance() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private func isOp(_ text: String) -> Bool {
        if case .op(let op) = current.kind { return op == text }
        return false
    }

    private func isKeyword(_ word: String) -> Bool {
        if case .name(let name) = current.kind { return name == word }
        return false
    }

    private mutating func accept(_ text: String) -> Bool {
        if isOp(text) || isKeyword(text) { position += 1; return true }
        return false
    }

    private mutating func expect(_ text: String) throws(SyntaxError) {
        guard accept(text) else { throw error("expected '\(text)'") }
    }

    private func error(_ message: String) -> SyntaxError {
        if case .end = current.kind { return SyntaxError("unexpected EOF while parsing", line: current.line, column: current.column) }
        return SyntaxError(message, line: current.line, column: current.column)
    }

    private mutating func skipNewlines() throws(SyntaxError) {
        while case .newline = current.kind { position += 1 }
    }

    private mutating func enter() throws(SyntaxError) {
        nesting += 1
        if nesting > Parser.maxNesting {
            throw SyntaxError("too many nested expressions or blocks (minipy allows \(Parser.maxNesting))", line: current.line, column: current.column)
        }
    }

    static let keywords: Set<String> = [
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
        "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
        "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
        "with", "yield",
    ]

    private mutating func identifier() throws(SyntaxError) -> String {
        guard case .name(let name) = current.kind, !Parser.keywords.contains(name) else { throw error("invalid syntax") }
        position += 1
        return name
    }

    // MARK: Statements

    mutating func parseModule() throws(SyntaxError) -> [Stmt] {
        var body: [Stmt] = []
        try skipNewlines()
        while true {
            if case .end = current.kind { break }
            body.append(contentsOf: try statement())
            try skipNewlines()
        }
        return body
    }

    private mutating func block() throws(SyntaxError) -> [Stmt] {
        try expect(":")
        try enter()
        defer { nesting -= 1 }
        if case .newline = current.kind {
            position += 1
            try skipNewlines()
            guard case .indent = current.kind else { throw error("expected an indented block") }
            position += 1
            var body: [Stmt] = []
            while true {
                if case .dedent = current.kind { position += 1; break }
                if case .end = current.kind { break }
                body.append(contentsOf: try statement())
                try skipNewlines()
            }
            return body
        }
        return try simpleStatements()
    }

    private mutating func statement() throws(SyntaxError) -> [Stmt] {
        let line = current.line
        if isOp("@") { return [try decorated()] }
        guard case .name(let word) = current.kind else { return try simpleStatements() }
        switch word {
        case "if": position += 1; return [try ifStatement(line: line)]
        case "while":
            position += 1
            let test = try parseNamedOrTest()
            let body = try block()
            var orElse: [Stmt] = []
            if accept("else") { orElse = try block() }
            return [Stmt(kind: .whileLoop(test: test, body: body, orElse: orElse), line: line)]
        case "for":
            position += 1
            let target = try targetList()
            try expect("in")
            let iterable = try parseTestList()
            let body = try block()
            var orElse: [Stmt] = []
            if accept("else") { orElse = try block() }
            return [Stmt(kind: .forLoop(target: target, iterable: iterable, body: body, orElse: orElse), line: line)]
        case "try": position += 1; return [try tryStatement(line: line)]
        case "def": return [try functionDef(decorators: [])]
        case "class": return [try classDef(decorators: [])]
        case "with": throw .unsupported("'with' statements", line: line, column: current.column)
        case "async": throw .unsupported("async functions", line: line, column: current.column)
        case "match" where { if case .name = peekToken(1).kind { return true }; return false }():
            throw .unsupported("'match' statements", line: line, column: current.column)
        default: return try simpleStatements()
        }
    }

    private mutating func decorated() throws(SyntaxError) -> Stmt {
        let firstLine = current.line
        var decorators: [Expr] = []
        while accept("@") {
            decorators.append(try parseTest())
            guard case .newline = current.kind else { throw error("invalid syntax") }
            try skipNewlines()
        }
        if isKeyword("def") {
            let statement = try functionDef(decorators: decorators)
            if case .function(let definition) = statement.kind { definition.decoratorLine = firstLine }
            return statement
        }
        if isKeyword("class") { return try classDef(decorators: decorators) }
        throw error("invalid syntax")
    }

    private mutating func ifStatement(line: Int) throws(SyntaxError) -> Stmt {
        let test = try parseNamedOrTest()
        let body = try block()
        var orElse: [Stmt] = []
        let elseLine = current.line
        if accept("elif") {
            orElse = [try ifStatement(line: elseLine)]
        } else if accept("else") {
            orElse = try block()
        }
        return Stmt(kind: .ifElse(test: test, body: body, orElse: orElse), line: line)
    }

    private mutating func tryStatement(line: Int) throws(SyntaxError) -> Stmt {
        let body = try block()
        var handlers: [ExceptHandler] = []
        while isKeyword("except") {
            let handlerLine = current.line
            position += 1
            if isOp("*") { throw .unsupported("'except*'", line: handlerLine, column: current.column) }
            var type: Expr?
            var name: String?
            if !isOp(":") {
                type = try parseTest()
                if accept("as") { name = try identifier() }
            }
            handlers.append(ExceptHandler(type: type, name: name, body: try block(), line: handlerLine))
        }
        var orElse: [Stmt] = []
        var final: [Stmt] = []
        if !handlers.isEmpty, accept("else") { orElse = try block() }
        if accept("finally") { final = try block() }
        if handlers.isEmpty && final.isEmpty { throw error("expected 'except' or 'finally' block") }
        return Stmt(kind: .tryStatement(body: body, handlers: handlers, orElse: orElse, finally: final), line: line)
    }

    private mutating func functionDef(decorators: [Expr]) throws(SyntaxError) -> Stmt {
        let line = current.line
        try expect("def")
        let name = try identifier()
        try expect("(")
        let (parameters, varArgs, kwArgs) = try parameterList(closing: ")")
        try expect(")")
        if accept("->") { _ = try parseTest() }
        let body = try block()
        return Stmt(kind: .function(FunctionDef(name: name, parameters: parameters, varArgs: varArgs, kwArgs: kwArgs,
                                                body: body, line: line, decorators: decorators)), line: line)
    }

    private mutating func parameterList(closing: String) throws(SyntaxError) -> ([Parameter], String?, String?) {
        var parameters: [Parameter] = []
        var varArgs: String?
        var kwArgs: String?
        while !isOp(closing) {
            if accept("**") {
                kwArgs = try identifier()
            } else if accept("*") {
                if isOp(",") { throw .unsupported("keyword-only parameters", line: current.line, column: current.column) }
                varArgs = try identifier()
            } else if accept("/") {
                throw .unsupported("positional-only parameters", line: current.line, column: current.column)
            } else {
                let name = try identifier()
                if closing == ")", accept(":") { _ = try parseTest() }
                var defaultValue: Expr?
                if accept("=") { defaultValue = try parseTest() }
                if varArgs != nil { throw .unsupported("keyword-only parameters", line: current.line, column: current.column) }
                if defaultValue == nil, parameters.last?.defaultValue != nil {
                    throw error("non-default argument follows default argument")
                }
                parameters.append(Parameter(name: name, defaultValue: defaultValue))
            }
            if !accept(",") { break }
        }
        return (parameters, varArgs, kwArgs)
    }

    private mutating func classDef(decorators: [Expr]) throws(SyntaxError) -> Stmt {
        let line = current.line
        try expect("class")
        let name = try identifier()
        var bases: [Expr] = []
        if accept("(") {
            while !isOp(")") {
                if case .name = current.kind, case .op("=") = peekToken(1).kind {
                    throw .unsupported("class keywords (metaclass=…)", line: current.line, column: current.column)
                }
                bases.append(try parseTest())
                if !accept(",") { break }
            }
            try expect(")")
        }
        let body = try block()
        return Stmt(kind: .classDef(ClassDef(name: name, bases: bases, body: body, line: line, decorators: decorators)), line: line)
    }

    private mutating func simpleStatements() throws(SyntaxError) -> [Stmt] {
        var result: [Stmt] = []
        while true {
            result.append(try simpleStatement())
            if accept(";") {
                if case .newline = current.kind { break }
                continue
            }
            break
        }
        guard case .newline = current.kind else { throw error("invalid syntax") }
        position += 1
        return result
    }

    private mutating func simpleStatement() throws(SyntaxError) -> Stmt {
        let line = current.line
        let column = current.column
        if case .name(let word) = current.kind {
            switch word {
            case "pass": position += 1; return Stmt(kind: .pass, line: line)
            case "break": position += 1; return Stmt(kind: .breakLoop, line: line)
            case "continue": position += 1; return Stmt(kind: .continueLoop, line: line)
            case "return":
                position += 1
                if case .newline = current.kind { return Stmt(kind: .returnValue(nil), line: line) }
                if isOp(";") { return Stmt(kind: .returnValue(nil), line: line) }
                return Stmt(kind: .returnValue(try parseTestList()), line: line)
            case "raise":
                position += 1
                if case .newline = current.kind { return Stmt(kind: .raise(nil, cause: nil), line: line) }
                let value = try parseTest()
                var cause: Expr?
                if accept("from") { cause = try parseTest() }
                return Stmt(kind: .raise(value, cause: cause), line: line)
            case "global", "nonlocal":
                position += 1
                var names = [try identifier()]
                while accept(",") { names.append(try identifier()) }
                return Stmt(kind: word == "global" ? .global(names) : .nonlocal(names), line: line)
            case "del":
                position += 1
                var targets = [try parseExpr()]
                while accept(",") { if case .newline = current.kind { break }; targets.append(try parseExpr()) }
                return Stmt(kind: .delete(targets), line: line)
            case "assert":
                position += 1
                let test = try parseTest()
                var message: Expr?
                if accept(",") { message = try parseTest() }
                return Stmt(kind: .assert(test, message), line: line)
            case "import":
                position += 1
                var modules: [(String, String?)] = []
                repeat {
                    let path = try dottedName()
                    modules.append((path, accept("as") ? try identifier() : nil))
                } while accept(",")
                return Stmt(kind: .importModules(modules), line: line)
            case "from":
                position += 1
                if isOp(".") { throw .unsupported("relative imports", line: line, column: column) }
                let module = try dottedName()
                try expect("import")
                if accept("*") { throw .unsupported("'from … import *'", line: line, column: column) }
                let parenthesized = accept("(")
                var names: [(String, String?)] = []
                repeat {
                    if parenthesized, isOp(")") { break }
                    let name = try identifier()
                    names.append((name, accept("as") ? try identifier() : nil))
                } while accept(",")
                if parenthesized { try expect(")") }
                return Stmt(kind: .importFrom(module, names), line: line)
            case "yield": throw .unsupported("generators ('yield')", line: line, column: column)
            case "with": throw .unsupported("'with' statements", line: line, column: column)
            case "async", "await": throw .unsupported("async/await", line: line, column: column)
            default: break
            }
        }
        let first = try parseTestListStarred()
        if case .op(let op) = current.kind, op.count >= 2, op.hasSuffix("="), op != "==", op != "<=", op != ">=", op != "!=" {
            position += 1
            guard let binary = BinaryOp(rawValue: String(op.dropLast())) else { throw error("invalid syntax") }
            try checkTarget(first, augmented: true)
            let value = try parseTestList()
            return Stmt(kind: .augmentedAssign(first, binary, value), line: line)
        }
        if isOp(":") {
            throw .unsupported("annotated assignments", line: line, column: current.column)
        }
        if isOp("=") {
            var targets = [first]
            var value = first
            while accept("=") {
                if isKeyword("yield") { throw .unsupported("generators ('yield')", line: line, column: current.column) }
                value = try parseTestListStarred()
                targets.append(value)
            }
            targets.removeLast()
            for target in targets { try checkTarget(target, augmented: false) }
            return Stmt(kind: .assign(targets: targets, value: value), line: line)
        }
        return Stmt(kind: .expression(first), line: line)
    }

    private func checkTarget(_ target: Expr, augmented: Bool) throws(SyntaxError) {
        switch target {
        case .name, .attribute, .index: return
        case .tuple(let items, _) where !augmented:
            for item in items { try checkTarget(item, augmented: false) }
        case .list(let items, _) where !augmented:
            for item in items { try checkTarget(item, augmented: false) }
        default:
            throw SyntaxError("cannot assign to expression", line: current.line, column: current.column)
        }
    }

    private mutating func dottedName() throws(SyntaxError) -> String {
        var name = try identifier()
        while accept(".") { name += "." + (try identifier()) }
        return name
    }

    private mutating func targetList() throws(SyntaxError) -> Expr {
        let line = current.line
        var items = [try parseExpr()]
        var trailing = false
        while accept(",") {
            if isKeyword("in") || isOp("=") { trailing = true; break }
            items.append(try parseExpr())
        }
        let target = items.count == 1 && !trailing ? items[0] : .tuple(items, line: line)
        try checkTarget(target, augmented: false)
        return target
    }

    // MARK: Expressions

    /// A comma-separated list; a tuple when there is a comma.
    mutating func parseTestList() throws(SyntaxError) -> Expr {
        let line = current.line
        let first = try parseTest()
        guard isOp(",") else { return first }
        var items = [first]
        while accept(",") {
            if atExpressionEnd { break }
            items.append(try parseTest())
        }
        return .tuple(items, line: line)
    }

    private mutating func parseTestListStarred() throws(SyntaxError) -> Expr {
        if isOp("*") { throw .unsupported("starred assignment", line: current.line, column: current.column) }
        return try parseTestList()
    }

    private var atExpressionEnd: Bool {
        switch current.kind {
        case .newline, .end: return true
        case .op(let op): return [")", "]", "}", "=", ":", ";"].contains(op) || (op.hasSuffix("=") && op.count >= 2 && !["==", "<=", ">=", "!="].contains(op))
        case .name(let name): return name == "in"
        default: return false
        }
    }

    private mutating func parseNamedOrTest() throws(SyntaxError) -> Expr {
        let expr = try parseTest()
        if isOp(":=") { throw .unsupported("assignment expressions (':=')", line: current.line, column: current.column) }
        return expr
    }

    mutating func parseTest() throws(SyntaxError) -> Expr {
        try enter()
        defer { nesting -= 1 }
        if isKeyword("lambda") { return try lambda() }
        if isKeyword("yield") { throw .unsupported("generators ('yield')", line: current.line, column: current.column) }
        if isKeyword("await") { throw .unsupported("async/await", line: current.line, column: current.column) }
        let body = try orTest()
        if isKeyword("if") {
            // A comprehension's condition comes after `for`, never straight after its element.
            position += 1
            let test = try orTest()
            try expect("else")
            let orElse = try parseTest()
            return .conditional(test: test, body: body, orElse: orElse)
        }
        return body
    }

    private mutating func lambda() throws(SyntaxError) -> Expr {
        let line = current.line
        try expect("lambda")
        let (parameters, varArgs, kwArgs) = try parameterList(closing: ":")
        try expect(":")
        let value = try parseTest()
        let body = [Stmt(kind: .returnValue(value), line: line)]
        return .lambda(FunctionDef(name: "<lambda>", parameters: parameters, varArgs: varArgs, kwArgs: kwArgs, body: body, line: line))
    }

    private mutating func orTest() throws(SyntaxError) -> Expr {
        var left = try andTest()
        while accept("or") { left = .boolOp(isAnd: false, left, try andTest()) }
        return left
    }

    private mutating func andTest() throws(SyntaxError) -> Expr {
        var left = try notTest()
        while accept("and") { left = .boolOp(isAnd: true, left, try notTest()) }
        return left
    }

    private mutating func notTest() throws(SyntaxError) -> Expr {
        let line = current.line
        if accept("not") {
            try enter()
            defer { nesting -= 1 }
            return .unary(.not, try notTest(), line: line)
        }
        return try comparison()
    }

    private mutating func comparison() throws(SyntaxError) -> Expr {
        let line = current.line
        let left = try parseExpr()
        var rest: [(CompareOp, Expr)] = []
        while true {
            var op: CompareOp?
            if case .op(let text) = current.kind, let found = CompareOp(rawValue: text), !["is", "in"].contains(text) {
                op = found; position += 1
            } else if isKeyword("in") {
                op = .in; position += 1
            } else if isKeyword("not"), case .name("in") = peekToken(1).kind {
                op = .notIn; position += 2
            } else if isKeyword("is") {
                position += 1
                op = accept("not") ? .isNot : .is
            }
            guard let op else { break }
            rest.append((op, try parseExpr()))
        }
        return rest.isEmpty ? left : .compare(left, rest, line: line)
    }

    private static let binaryLevels: [[String]] = [["|"], ["^"], ["&"], ["<<", ">>"], ["+", "-"], ["*", "/", "//", "%", "@"]]

    /// A bitwise-or level expression (what a `del` or `for` target is, too).
    mutating func parseExpr() throws(SyntaxError) -> Expr { try binary(level: 0) }

    private mutating func binary(level: Int) throws(SyntaxError) -> Expr {
        if level == Parser.binaryLevels.count { return try unary() }
        var left = try binary(level: level + 1)
        while case .op(let op) = current.kind, Parser.binaryLevels[level].contains(op) {
            let line = current.line
            if op == "@" { throw .unsupported("the '@' operator", line: line, column: current.column) }
            position += 1
            let right = try binary(level: level + 1)
            guard let binaryOp = BinaryOp(rawValue: op) else { throw error("invalid syntax") }
            left = .binary(binaryOp, left, right, line: line)
        }
        return left
    }

    private mutating func unary() throws(SyntaxError) -> Expr {
        let line = current.line
        let op: UnaryOp?
        if isOp("-") { op = .neg } else if isOp("+") { op = .pos } else if isOp("~") { op = .invert } else { op = nil }
        if let op {
            position += 1
            try enter()
            defer { nesting -= 1 }
            let operand = try unary()
            if op == .neg, case .int(let value) = operand { return .int(-value) }
            if op == .neg, case .float(let value) = operand { return .float(-value) }
            return .unary(op, operand, line: line)
        }
        return try power()
    }

    private mutating func power() throws(SyntaxError) -> Expr {
        let line = current.line
        let base = try postfix()
        if accept("**") {
            try enter()
            defer { nesting -= 1 }
            return .binary(.pow, base, try unary(), line: line)
        }
        return base
    }

    private mutating func postfix() throws(SyntaxError) -> Expr {
        var expr = try atom()
        while true {
            let line = current.line
            if accept("(") {
                expr = .call(expr, try arguments(), line: line)
                try expect(")")
            } else if accept("[") {
                expr = .index(expr, try subscriptList(), line: line)
                try expect("]")
            } else if accept(".") {
                expr = .attribute(expr, try identifier(), line: line)
            } else {
                return expr
            }
        }
    }

    private mutating func arguments() throws(SyntaxError) -> [Argument] {
        var args: [Argument] = []
        while !isOp(")") {
            if accept("**") {
                args.append(.doubleStar(try parseTest()))
            } else if accept("*") {
                args.append(.star(try parseTest()))
            } else if case .name(let name) = current.kind, case .op("=") = peekToken(1).kind {
                position += 2
                args.append(.keyword(name, try parseTest()))
            } else {
                let value = try parseTest()
                if isKeyword("for") {
                    args.append(.positional(.comprehension(try comprehension(kind: .generator, element: value, value: nil))))
                } else {
                    args.append(.positional(value))
                }
            }
            if !accept(",") { break }
        }
        return args
    }

    private mutating func subscriptList() throws(SyntaxError) -> Expr {
        let line = current.line
        let first = try subscriptItem()
        guard isOp(",") else { return first }
        var items = [first]
        while accept(",") {
            if isOp("]") { break }
            items.append(try subscriptItem())
        }
        return .tuple(items, line: line)
    }

    private mutating func subscriptItem() throws(SyntaxError) -> Expr {
        var lower: Expr?
        if !isOp(":") { lower = try parseTest() }
        guard accept(":") else {
            guard let lower else { throw error("invalid syntax") }
            return lower
        }
        var upper: Expr?
        var step: Expr?
        if !isOp(":") && !isOp("]") && !isOp(",") { upper = try parseTest() }
        if accept(":"), !isOp("]") && !isOp(",") { step = try parseTest() }
        return .slice(lower, upper, step)
    }

    private mutating func comprehension(kind: Comprehension.Kind, element: Expr, value: Expr?) throws(SyntaxError) -> Comprehension {
        let line = current.line
        var clauses: [Comprehension.Clause] = []
        while accept("for") {
            let target = try targetList()
            try expect("in")
            let iterable = try orTest()
            var conditions: [Expr] = []
            while isKeyword("if") {
                position += 1
                conditions.append(try orTestNoConditional())
            }
            clauses.append(Comprehension.Clause(target: target, iterable: iterable, conditions: conditions))
        }
        if isKeyword("async") { throw .unsupported("async comprehensions", line: line, column: current.column) }
        return Comprehension(kind: kind, element: element, value: value, clauses: clauses, line: line)
    }

    private mutating func orTestNoConditional() throws(SyntaxError) -> Expr { try orTest() }

    private mutating func atom() throws(SyntaxError) -> Expr {
        let token = current
        let line = token.line
        switch token.kind {
        case .int(let value): position += 1; return .int(value)
        case .float(let value): position += 1; return .float(value)
        case .string(let text, let isFormat):
            position += 1
            var pieces: [FormatPiece] = []
            var anyFormat = isFormat
            if isFormat { pieces += try formatPieces(text, line: line) } else { pieces.append(.literal(text)) }
            // Adjacent literals, some of them f-strings.
            while case .string(let more, let moreIsFormat) = current.kind {
                position += 1
                anyFormat = anyFormat || moreIsFormat
                if moreIsFormat { pieces += try formatPieces(more, line: line) } else { pieces.append(.literal(more)) }
            }
            if !anyFormat { return .string(text) }
            return .formatted(pieces, line: line)
        case .name(let word):
            switch word {
            case "None": position += 1; return .constant(.none)
            case "True": position += 1; return .constant(.true)
            case "False": position += 1; return .constant(.false)
            default:
                if Parser.keywords.contains(word) {
                    if word == "yield" { throw .unsupported("generators ('yield')", line: line, column: token.column) }
                    if word == "await" { throw .unsupported("async/await", line: line, column: token.column) }
                    throw error("invalid syntax")
                }
                position += 1
                return .name(word, line: line)
            }
        case .op("("):
            position += 1
            try enter()
            defer { nesting -= 1 }
            if accept(")") { return .tuple([], line: line) }
            if isKeyword("yield") { throw .unsupported("generators ('yield')", line: line, column: current.column) }
            let first = try parseTest()
            if isKeyword("for") {
                let result = Expr.comprehension(try comprehension(kind: .generator, element: first, value: nil))
                try expect(")")
                return result
            }
            if isOp(":=") { throw .unsupported("assignment expressions (':=')", line: current.line, column: current.column) }
            if accept(")") { return first }
            var items = [first]
            while accept(",") {
                if isOp(")") { break }
                items.append(try parseTest())
            }
            try expect(")")
            return .tuple(items, line: line)
        case .op("["):
            position += 1
            try enter()
            defer { nesting -= 1 }
            if accept("]") { return .list([], line: line) }
            if isOp("*") { throw .unsupported("starred expressions in displays", line: line, column: current.column) }
            let first = try parseTest()
            if isKeyword("for") {
                let result = Expr.comprehension(try comprehension(kind: .list, element: first, value: nil))
                try expect("]")
                return result
            }
            var items = [first]
            while accept(",") {
                if isOp("]") { break }
                items.append(try parseTest())
            }
            try expect("]")
            return .list(items, line: line)
        case .op("{"):
            position += 1
            try enter()
            defer { nesting -= 1 }
            if accept("}") { return .dict([], line: line) }
            if isOp("**") || isOp("*") { throw .unsupported("unpacking in displays", line: line, column: current.column) }
            let first = try parseTest()
            if accept(":") {
                let value = try parseTest()
                if isKeyword("for") {
                    let result = Expr.comprehension(try comprehension(kind: .dict, element: first, value: value))
                    try expect("}")
                    return result
                }
                var pairs = [(key: first, value: value)]
                while accept(",") {
                    if isOp("}") { break }
                    let key = try parseTest()
                    try expect(":")
                    pairs.append((key: key, value: try parseTest()))
                }
                try expect("}")
                return .dict(pairs, line: line)
            }
            if isKeyword("for") {
                let result = Expr.comprehension(try comprehension(kind: .set, element: first, value: nil))
                try expect("}")
                return result
            }
            var items = [first]
            while accept(",") {
                if isOp("}") { break }
                items.append(try parseTest())
            }
            try expect("}")
            return .set(items, line: line)
        case .op("..."):
            throw .unsupported("Ellipsis", line: line, column: token.column)
        default:
            throw error("invalid syntax")
        }
    }

    /// Splits an f-string's text into literal pieces and `{expression!conversion:spec}` parts.
    private func formatPieces(_ text: String, line: Int) throws(SyntaxError) -> [FormatPiece] {
        var pieces: [FormatPiece] = []
        var literal = ""
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "{" {
                if i + 1 < chars.count, chars[i + 1] == "{" { literal.append("{"); i += 2; continue }
                if !literal.isEmpty { pieces.append(.literal(literal)); literal = "" }
                var depth = 0
                var j = i + 1
                var exprEnd = -1
                var conversion: Character?
                var specStart = -1
                var quote: Character?
                while j < chars.count {
                    let d = chars[j]
                    if let q = quote { if d == q { quote = nil }; j += 1; continue }
                    if d == "'" || d == "\"" { quote = d } else if d == "(" || d == "[" || d == "{" { depth += 1 } else if (d == ")" || d == "]") && depth > 0 { depth -= 1 } else if d == "}" {
                        if depth > 0 { depth -= 1 } else { break }
                    } else if depth == 0 && exprEnd < 0 {
                        if d == "!" && j + 1 < chars.count && chars[j + 1] != "=" {
                            exprEnd = j; conversion = j + 1 < chars.count ? chars[j + 1] : nil; j += 1
                        } else if d == ":" {
                            exprEnd = j; specStart = j + 1; break
                        } else if d == "=" && j + 1 < chars.count && chars[j + 1] == "}" && j > 0 && !"=!<>".contains(chars[j - 1]) {
                            throw .unsupported("'=' in f-strings", line: line, column: 1)
                        }
                    } else if depth == 0 && d == ":" && specStart < 0 {
                        specStart = j + 1; break
                    }
                    j += 1
                }
                var spec = ""
                if specStart >= 0 {
                    j = specStart
                    while j < chars.count && chars[j] != "}" { j += 1 }
                    spec = String(chars[specStart..<min(j, chars.count)])
                }
                guard j < chars.count else { throw SyntaxError("f-string: expecting '}'", line: line, column: 1) }
                let source = String(chars[(i + 1)..<(exprEnd >= 0 ? exprEnd : j)])
                if source.allSatisfy({ $0 == " " }) {
                    throw SyntaxError("f-string: empty expression not allowed", line: line, column: 1)
                }
                if spec.contains("{") { throw .unsupported("nested f-string format specs", line: line, column: 1) }
                pieces.append(.value(try Parser.parseExpression(source, line: line), conversion: conversion, spec: spec))
                i = j + 1
            } else if c == "}" {
                if i + 1 < chars.count, chars[i + 1] == "}" { literal.append("}"); i += 2; continue }
                throw SyntaxError("f-string: single '}' is not allowed", line: line, column: 1)
            } else {
                literal.append(c)
                i += 1
            }
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        return pieces
    }
}
