/// Text pieces of objgraph's DOT: quoted strings and its `%g` colour numbers.
enum DOTText {
    /// `text` made safe inside a DOT double-quoted string, for any content.
    ///
    /// Backslashes and quotes are escaped (so Graphviz's `\N`, `\l`… escapes never trigger),
    /// `&` becomes `&amp;` (Graphviz decodes entities in labels, so `&#0;` would otherwise
    /// turn into a NUL), a newline becomes a `\n` line break, and every other control
    /// character (C0, DEL, C1) is written visibly as `\xNN` or `\uNNNN`, since Graphviz and
    /// the XML it writes for SVG reject them raw.
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "&": out += "&amp;"
            case "\n": out += "\\n"
            default:
                let value = scalar.value
                if value < 0x20 || value == 0x7F {
                    out += "\\\\x" + hex(value, digits: 2)
                } else if value >= 0x80 && value < 0xA0 {
                    out += "\\\\u" + hex(value, digits: 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// A label of several lines: each escaped, joined by DOT's `\n` line break.
    static func label(_ lines: [String]) -> String {
        lines.map(escaped).joined(separator: "\\n")
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    /// Python's `'%g' % value` for 0 ≤ value ≤ 1 (the HSV components objgraph writes): six
    /// significant digits, trailing zeros dropped: 1 → "1", 0.7666666 → "0.766667".
    static func g(_ value: Double) -> String {
        guard value > 0 else { return "0" }
        var exponent = 0
        var scaled = value
        while scaled < 1 { scaled *= 10; exponent -= 1 }
        while scaled >= 10 { scaled /= 10; exponent += 1 }
        let decimals = max(0, 5 - exponent)
        var factor = 1.0
        for _ in 0..<decimals { factor *= 10 }
        var digits = String(Int((value * factor).rounded()))
        if decimals > 0 {
            if digits.count <= decimals { digits = String(repeating: "0", count: decimals - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
            while digits.last == "0" { digits.removeLast() }
            if digits.last == "." { digits.removeLast() }
        }
        return digits
    }
}
