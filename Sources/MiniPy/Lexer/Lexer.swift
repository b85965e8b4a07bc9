/// Turns source text into tokens, with Python's INDENT/DEDENT and implicit line joining
/// inside brackets.
public struct Lexer {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var lineStart = 0
    private var indents: [Int] = [0]
    private var depth = 0
    private var tokens: [Token] = []
    private var atLineStart = true

    /// How deep brackets may nest (CPython's tokenizer stops at 200 too).
    static let maxBracketDepth = 200

    public init(_ source: String) { bytes = Array(source.utf8) }

    /// All tokens, ending with `.end`.
    public static func tokenize(_ source: String) throws(SyntaxError) -> [Token] {
        var lexer = Lexer(source)
        return try lexer.run()
    }

    private var column: Int { index - lineStart + 1 }

    private func peek(_ offset: Int = 0) -> UInt8 {
        index + offset < bytes.count ? bytes[index + offset] : 0
    }

    private mutating func add(_ kind: Token.Kind, column: Int) {
        tokens.append(Token(kind: kind, line: line, column: column))
    }

    mutating func run() throws(SyntaxError) -> [Token] {
        while index < bytes.count {
            if atLineStart && depth == 0 {
                try handleIndentation()
                if index >= bytes.count { break }
            }
            let c = peek()
            switch c {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), 0x0C:
                index += 1
            case UInt8(ascii: "#"):
                while index < bytes.count && peek() != UInt8(ascii: "\n") { index += 1 }
            case UInt8(ascii: "\\") where peek(1) == UInt8(ascii: "\n"):
                index += 2; line += 1; lineStart = index
            case UInt8(ascii: "\n"):
                if depth == 0, let last = tokens.last, last.kind != .newline {
                    add(.newline, column: column)
                }
                index += 1; line += 1; lineStart = index
                atLineStart = true
            default:
                try lexToken()
            }
        }
        if let last = tokens.last, last.kind != .newline { add(.newline, column: column) }
        while indents.count > 1 { indents.removeLast(); add(.dedent, column: 1) }
        add(.end, column: column)
        return tokens
    }

    private mutating func handleIndentation() throws(SyntaxError) {
        atLineStart = false
        var width = 0
        var probe = index
        while probe < bytes.count {
            let c = bytes[probe]
            if c == UInt8(ascii: " ") { width += 1 } else if c == UInt8(ascii: "\t") { width = (width / 8 + 1) * 8 } else if c == UInt8(ascii: "\r") || c == 0x0C {} else { break }
            probe += 1
        }
        // Blank lines and comment-only lines do not change the indentation.
        if probe >= bytes.count || bytes[probe] == UInt8(ascii: "\n") || bytes[probe] == UInt8(ascii: "#") {
            index = probe
            return
        }
        index = probe
        if width > indents[indents.count - 1] {
            if tokens.isEmpty { throw SyntaxError("unexpected indent", line: line, column: column) }
            indents.append(width)
            add(.indent, column: column)
        } else {
            while width < indents[indents.count - 1] {
                indents.removeLast()
                add(.dedent, column: column)
            }
            if width != indents[indents.count - 1] {
                throw SyntaxError("unindent does not match any outer indentation level", line: line, column: column)
            }
        }
    }

    private static let threeCharOps: Set<String> = ["**=", "//=", ">>=", "<<=", "...", "!=="]
    private static let twoCharOps: Set<String> = ["**", "//", "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "->", "<<", ">>", ":="]
    private static let oneCharOps: Set<UInt8> = Set("+-*/%@<>=()[]{},:.;&|^~".utf8)

    private mutating func lexToken() throws(SyntaxError) {
        let c = peek()
        let startColumn = column
        if isIdentifierStart(c) {
            // String prefixes: f, r, b, and their combinations.
            var end = index
            while end < bytes.count && isIdentifierPart(bytes[end]) { end += 1 }
            let word = String(decoding: bytes[index..<end], as: UTF8.self)
            if end < bytes.count, bytes[end] == UInt8(ascii: "'") || bytes[end] == UInt8(ascii: "\""),
               word.count <= 2, word.lowercased().allSatisfy({ "fbru".contains($0) }) {
                let prefix = word.lowercased()
                if prefix.contains("b") { throw .unsupported("bytes literals", line: line, column: startColumn) }
                index = end
                try lexString(isFormat: prefix.contains("f"), isRaw: prefix.contains("r"), column: startColumn)
                return
            }
            index = end
            add(.name(word), column: startColumn)
            return
        }
        if isDigit(c) || (c == UInt8(ascii: ".") && isDigit(peek(1))) {
            try lexNumber(column: startColumn)
            return
        }
        if c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") {
            try lexString(isFormat: false, isRaw: false, column: startColumn)
            return
        }
        for length in [3, 2] where index + length <= bytes.count {
            let text = String(decoding: bytes[index..<index + length], as: UTF8.self)
            if (length == 3 ? Lexer.threeCharOps : Lexer.twoCharOps).contains(text) {
                index += length
                add(.op(text), column: startColumn)
                return
            }
        }
        if Lexer.oneCharOps.contains(c) {
            index += 1
            if c == UInt8(ascii: "(") || c == UInt8(ascii: "[") || c == UInt8(ascii: "{") {
                depth += 1
                if depth > Lexer.maxBracketDepth { throw SyntaxError("too many nested parentheses", line: line, column: startColumn) }
            } else if c == UInt8(ascii: ")") || c == UInt8(ascii: "]") || c == UInt8(ascii: "}") {
                depth = max(0, depth - 1)
            }
            add(.op(String(UnicodeScalar(c))), column: startColumn)
            return
        }
        if c >= 0x80 { throw .unsupported("non-ASCII identifiers", line: line, column: startColumn) }
        throw SyntaxError("invalid character '\(String(UnicodeScalar(c)))'", line: line, column: startColumn)
    }

    private func isIdentifierStart(_ c: UInt8) -> Bool {
        (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95
    }
    private func isIdentifierPart(_ c: UInt8) -> Bool { isIdentifierStart(c) || isDigit(c) }
    private func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    private mutating func lexNumber(column startColumn: Int) throws(SyntaxError) {
        let start = index
        if peek() == UInt8(ascii: "0"), let base = [UInt8(ascii: "x"): 16, UInt8(ascii: "o"): 8, UInt8(ascii: "b"): 2][peek(1) | 0x20] {
            index += 2
            let digitsStart = index
            while index < bytes.count, isIdentifierPart(bytes[index]) { index += 1 }
            let digits = String(String(decoding: bytes[digitsStart..<index], as: UTF8.self).filter { $0 != "_" })
            guard let value = Int(digits, radix: base) else {
                throw SyntaxError("invalid number literal", line: line, column: startColumn)
            }
            add(.int(value), column: startColumn)
            return
        }
        var isFloat = false
        while index < bytes.count, isDigit(bytes[index]) || bytes[index] == UInt8(ascii: "_") { index += 1 }
        if peek() == UInt8(ascii: "."), !(peek(1) == UInt8(ascii: ".")) {
            isFloat = true
            index += 1
            while index < bytes.count, isDigit(bytes[index]) || bytes[index] == UInt8(ascii: "_") { index += 1 }
        }
        if peek() | 0x20 == UInt8(ascii: "e"), isDigit(peek(1)) || ((peek(1) == UInt8(ascii: "+") || peek(1) == UInt8(ascii: "-")) && isDigit(peek(2))) {
            isFloat = true
            index += 2
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if peek() | 0x20 == UInt8(ascii: "j") { throw .unsupported("complex numbers", line: line, column: startColumn) }
        let text = String(String(decoding: bytes[start..<index], as: UTF8.self).filter { $0 != "_" })
        if isFloat {
            guard let value = Double(text) else { throw SyntaxError("invalid number literal", line: line, column: startColumn) }
            add(.float(value), column: startColumn)
        } else {
            guard let value = Int(text) else {
                throw .unsupported("integers beyond 64 bits", line: line, column: startColumn)
            }
            add(.int(value), column: startColumn)
        }
        if index < bytes.count, isIdentifierStart(bytes[index]) {
            throw SyntaxError("invalid decimal literal", line: line, column: startColumn)
        }
    }

    private mutating func lexString(isFormat: Bool, isRaw: Bool, column startColumn: Int) throws(SyntaxError) {
        let quote = peek()
        let startLine = line
        let triple = peek(1) == quote && peek(2) == quote
        index += triple ? 3 : 1
        var out: [UInt8] = []
        while true {
            guard index < bytes.count else {
                throw SyntaxError(triple ? "unterminated triple-quoted string literal" : "unterminated string literal", line: startLine, column: startColumn)
            }
            let c = bytes[index]
            if c == quote {
                if !triple { index += 1; break }
                if peek(1) == quote && peek(2) == quote { index += 3; break }
            }
            if c == UInt8(ascii: "\n") {
                if !triple { throw SyntaxError("unterminated string literal", line: startLine, column: startColumn) }
                line += 1; lineStart = index + 1
            }
            if c == UInt8(ascii: "\\") && !isRaw {
                index += 1
                let e = peek()
                switch e {
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "0"): out.append(0)
                case UInt8(ascii: "\\"): out.append(92)
                case UInt8(ascii: "'"): out.append(39)
                case UInt8(ascii: "\""): out.append(34)
                case UInt8(ascii: "\n"): line += 1; lineStart = index + 1
                case UInt8(ascii: "x"), UInt8(ascii: "u"):
                    let count = e == UInt8(ascii: "x") ? 2 : 4
                    let hex = String(decoding: bytes[min(index + 1, bytes.count)..<min(index + 1 + count, bytes.count)], as: UTF8.self)
                    guard hex.count == count, let value = UInt32(hex, radix: 16), let scalar = UnicodeScalar(value) else {
                        throw SyntaxError("invalid escape in string literal", line: line, column: column)
                    }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    index += count
                default:
                    out.append(92); out.append(e)
                }
                index += 1
                continue
            }
            out.append(c)
            index += 1
        }
        let text = String(decoding: out, as: UTF8.self)
        // Adjacent literals concatenate.
        if let last = tokens.last, case .string(let previous, let previousIsFormat) = last.kind, !isFormat, !previousIsFormat {
            tokens[tokens.count - 1].kind = .string(previous + text, isFormat: false)
            return
        }
        add(.string(text, isFormat: isFormat), column: startColumn)
        tokens[tokens.count - 1].line = startLine
    }
}
