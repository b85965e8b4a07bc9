/// Text made safe for HTML: every string that came from a snapshot (type names, labels,
/// descriptions, file names) passes through ``escape(_:)`` before it reaches the page.
enum HTMLText {
    /// `&`, `<`, `>`, `"` and `'` as character references, so the text can go between tags
    /// and inside quoted attribute values alike.
    /// - Complexity: O(characters).
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
