/// An expression of the minipy subset, with the line it starts on.
public indirect enum Expr {
    case name(String, line: Int)
    case int(Int)
    case float(Double)
    case string(String)
    /// An f-string: literal pieces and formatted expressions (conversion `r`/`s`, spec).
    case formatted([FormatPiece], line: Int)
    case constant(ConstantKind)
    case tuple([Expr], line: Int)
    case list([Expr], line: Int)
    case dict([(key: Expr, value: Expr)], line: Int)
    case set([Expr], line: Int)
    case binary(BinaryOp, Expr, Expr, line: Int)
    case unary(UnaryOp, Expr, line: Int)
    case boolOp(isAnd: Bool, Expr, Expr)
    case compare(Expr, [(CompareOp, Expr)], line: Int)
    case call(Expr, [Argument], line: Int)
    case attribute(Expr, String, line: Int)
    case index(Expr, Expr, line: Int)
    case slice(Expr?, Expr?, Expr?)
    case conditional(test: Expr, body: Expr, orElse: Expr)
    case lambda(FunctionDef)
    /// A list, set or dict comprehension, or a generator expression (evaluated as a list):
    /// its scope is a function of its own, as in CPython 3.
    case comprehension(Comprehension)
}

public enum ConstantKind { case none, `true`, `false` }

public enum FormatPiece {
    case literal(String)
    case value(Expr, conversion: Character?, spec: String)
}

public enum BinaryOp: String {
    case add = "+", sub = "-", mul = "*", div = "/", floorDiv = "//", mod = "%", pow = "**"
    case lshift = "<<", rshift = ">>", bitAnd = "&", bitOr = "|", bitXor = "^"
}

public enum UnaryOp { case neg, pos, not, invert }

public enum CompareOp: String {
    case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">="
    case `is` = "is", isNot = "is not", `in` = "in", notIn = "not in"
}

/// A call argument: positional, keyword (`name=`), or `*args` / `**kwargs` unpacking.
public enum Argument {
    case positional(Expr)
    case keyword(String, Expr)
    case star(Expr)
    case doubleStar(Expr)
}

/// A parameter of a `def` or `lambda`.
public struct Parameter {
    public var name: String
    public var defaultValue: Expr?
}

/// A function body's definition: shared by `def`, `lambda` and comprehensions. A class,
/// so the scope analysis can attach what it finds to it.
public final class FunctionDef {
    public let name: String
    public let parameters: [Parameter]
    public let varArgs: String?
    public let kwArgs: String?
    public let body: [Stmt]
    public let line: Int
    public let decorators: [Expr]
    /// The line of the first decorator, if any.
    public var decoratorLine: Int?
    /// Filled in by the scope analysis.
    var scope: Scope?

    /// The last line holding a statement of the body.
    var lastLine: Int {
        var last = line
        var pending = body
        while let statement = pending.popLast() {
            last = max(last, statement.line)
            switch statement.kind {
            case .ifElse(_, let body, let orElse), .whileLoop(_, let body, let orElse): pending += body + orElse
            case .forLoop(_, _, let body, let orElse): pending += body + orElse
            case .tryStatement(let body, let handlers, let orElse, let final):
                pending += body + orElse + final + handlers.flatMap(\.body)
            case .function(let inner): last = max(last, inner.lastLine)
            case .classDef(let inner): pending += inner.body
            default: break
            }
        }
        return last
    }

    init(name: String, parameters: [Parameter], varArgs: String?, kwArgs: String?, body: [Stmt], line: Int, decorators: [Expr] = []) {
        self.name = name
        self.parameters = parameters
        self.varArgs = varArgs
        self.kwArgs = kwArgs
        self.body = body
        self.line = line
        self.decorators = decorators
    }
}

/// `[element for target in iterable if condition ...]` and its set, dict and generator forms.
public final class Comprehension {
    public enum Kind { case list, set, dict, generator }
    public struct Clause {
        public var target: Expr
        public var iterable: Expr
        public var conditions: [Expr]
    }
    public let kind: Kind
    public let element: Expr
    /// The value, for a dict comprehension.
    public let value: Expr?
    public let clauses: [Clause]
    public let line: Int
    var scope: Scope?

    init(kind: Kind, element: Expr, value: Expr?, clauses: [Clause], line: Int) {
        self.kind = kind
        self.element = element
        self.value = value
        self.clauses = clauses
        self.line = line
    }
}

/// A `class` statement.
public final class ClassDef {
    public let name: String
    public let bases: [Expr]
    public let body: [Stmt]
    public let line: Int
    public let decorators: [Expr]
    var scope: Scope?

    init(name: String, bases: [Expr], body: [Stmt], line: Int, decorators: [Expr]) {
        self.name = name
        self.bases = bases
        self.body = body
        self.line = line
        self.decorators = decorators
    }
}

/// An `except` clause.
public struct ExceptHandler {
    public var type: Expr?
    public var name: String?
    public var body: [Stmt]
    public var line: Int
}

/// A statement, with its line.
public struct Stmt {
    public var kind: StmtKind
    public var line: Int
}

public indirect enum StmtKind {
    case expression(Expr)
    case assign(targets: [Expr], value: Expr)
    case augmentedAssign(Expr, BinaryOp, Expr)
    case delete([Expr])
    case pass
    case breakLoop
    case continueLoop
    case returnValue(Expr?)
    case raise(Expr?, cause: Expr?)
    case global([String])
    case nonlocal([String])
    case ifElse(test: Expr, body: [Stmt], orElse: [Stmt])
    case whileLoop(test: Expr, body: [Stmt], orElse: [Stmt])
    case forLoop(target: Expr, iterable: Expr, body: [Stmt], orElse: [Stmt])
    case tryStatement(body: [Stmt], handlers: [ExceptHandler], orElse: [Stmt], finally: [Stmt])
    case function(FunctionDef)
    case classDef(ClassDef)
    /// `import a.b as c`: (module path, alias).
    case importModules([(String, String?)])
    /// `from m import a as b, …`.
    case importFrom(String, [(String, String?)])
    case assert(Expr, Expr?)
}
