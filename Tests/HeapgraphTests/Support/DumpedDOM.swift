import Foundation

/// A page's DOM as `chromium --dump-dom` serializes it, read for the tests: tables by
/// class, cells as text and link, element counts. Chromium writes attributes in double
/// quotes and escapes `&`, `<`, `>` (and `"` in attributes) in text, which is all this reads.
struct DumpedDOM {
    let html: String

    /// One table cell: its text (tags removed, entities decoded) and its first link.
    struct Cell {
        var text: String
        var href: String?
    }

    /// The body rows of the first `<table class="cssClass">`, each a list of cells; empty
    /// when there is no such table.
    func rows(ofTable cssClass: String) -> [[Cell]] {
        guard let start = html.range(of: "<table class=\"\(cssClass)\">"),
              let end = html.range(of: "</table>", range: start.upperBound..<html.endIndex),
              let body = html.range(of: "<tbody>", range: start.upperBound..<end.lowerBound) else { return [] }
        return html[body.upperBound..<end.lowerBound].components(separatedBy: "<tr>").dropFirst().map { row in
            row.components(separatedBy: "<td").dropFirst().map { cell in
                let inner = cell.drop { $0 != ">" }.dropFirst().components(separatedBy: "</td>")[0]
                let href = inner.firstMatch(of: /href="([^"]*)"/).map { Self.decode(String($0.1)) }
                return Cell(text: Self.text(inner), href: href)
            }
        }
    }

    /// The text of the first `<tag …>…</tag>`, or nil.
    func text(ofFirst tag: String) -> String? {
        guard let open = html.range(of: "<\(tag)"),
              let close = html.range(of: "</\(tag)>", range: open.upperBound..<html.endIndex) else { return nil }
        let inner = html[open.upperBound..<close.lowerBound].drop { $0 != ">" }.dropFirst()
        return Self.text(String(inner))
    }

    /// How many times `fragment` occurs.
    func count(_ fragment: String) -> Int { html.components(separatedBy: fragment).count - 1 }

    static func text(_ fragment: String) -> String {
        decode(fragment.replacing(/<[^>]*>/, with: ""))
    }

    static func decode(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&nbsp;", with: "\u{A0}").replacingOccurrences(of: "&amp;", with: "&")
    }
}
