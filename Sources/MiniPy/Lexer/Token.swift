/// One lexical token of a minipy source, with where it starts (1-based line and column).
public struct Token: Sendable, Equatable {
    /// What the token is.
    public enum Kind: Sendable, Equatable {
        case name(String)
        case int(Int)
        case float(Double)
        /// A string literal; `isFormat` for an f-string, whose text still holds `{…}` parts.
        case string(String, isFormat: Bool)
        /// An operator or delimiter: `+`, `**=`, `(`, `->`, ….
        case op(String)
        case newline
        case indent
        case dedent
        case end
    }

    public var kind: Kind
    public var line: Int
    public var column: Int
}
