import HeapGraphFormat

/// A JSON value with its object keys in a fixed order, written compactly by
/// ``serialized()``: reports write the same bytes for the same input on every run.
indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.serialized() == rhs.serialized() }

    /// `nil` becomes `null`.
    static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }

    /// Compact JSON text.
    func serialized() -> String {
        var output = ""
        write(to: &output)
        return output
    }

    private func write(to output: inout String) {
        // Containers are written through an explicit stack of pending pieces, so deep
        // values cannot overflow the call stack.
        enum Piece { case value(JSONValue), text(String) }
        var pending: [Piece] = [.value(self)]
        while let piece = pending.popLast() {
            switch piece {
            case .text(let text): output += text
            case .value(let value):
                switch value {
                case .null: output += "null"
                case .bool(let flag): output += flag ? "true" : "false"
                case .int(let number): output += String(number)
                case .string(let text): Self.writeString(text, to: &output)
                case .array(let items):
                    var pieces: [Piece] = [.text("[")]
                    for (position, item) in items.enumerated() {
                        if position > 0 { pieces.append(.text(",")) }
                        pieces.append(.value(item))
                    }
                    pieces.append(.text("]"))
                    pending.append(contentsOf: pieces.reversed())
                case .object(let members):
                    var pieces: [Piece] = [.text("{")]
                    for (position, (key, item)) in members.enumerated() {
                        var keyText = position > 0 ? "," : ""
                        Self.writeString(key, to: &keyText)
                        pieces.append(.text(keyText + ":"))
                        pieces.append(.value(item))
                    }
                    pieces.append(.text("}"))
                    pending.append(contentsOf: pieces.reversed())
                }
            }
        }
    }

    /// A JSON string literal (the format module's one escaper, shared with the snapshot
    /// metadata writer).
    static func writeString(_ text: String, to output: inout String) {
        JSONText.appendQuoted(text, to: &output)
    }
}
