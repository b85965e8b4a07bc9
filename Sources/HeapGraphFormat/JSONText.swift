/// JSON text helpers shared by every writer of JSON (snapshot metadata, reports).
public enum JSONText {
    /// Appends `text` as a JSON string literal: quotes, backslashes and control characters
    /// escaped (RFC 8259 §7), everything else as UTF-8.
    /// - Complexity: O(length of `text`).
    public static func appendQuoted(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }

    /// `text` as a JSON string literal (see ``appendQuoted(_:to:)``).
    public static func quoted(_ text: String) -> String {
        var output = ""
        appendQuoted(text, to: &output)
        return output
    }
}
