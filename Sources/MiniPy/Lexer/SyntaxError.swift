/// A source that minipy cannot run: a syntax error, or syntax outside minipy's subset.
public struct SyntaxError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var line: Int
    public var column: Int
    /// True for valid Python that minipy does not support ("not supported by minipy: …").
    public var isUnsupported: Bool

    public init(_ message: String, line: Int, column: Int, isUnsupported: Bool = false) {
        self.message = message
        self.line = line
        self.column = column
        self.isUnsupported = isUnsupported
    }

    public static func unsupported(_ what: String, line: Int, column: Int) -> SyntaxError {
        SyntaxError("not supported by minipy: \(what)", line: line, column: column, isUnsupported: true)
    }

    public var description: String {
        isUnsupported ? "\(message) (line \(line))" : "SyntaxError: \(message) (line \(line), column \(column))"
    }
}
