import Foundation

/// Graphviz's SVG made fit to sit inside an HTML page: the XML prolog, the DOCTYPE (which
/// names a DTD by URL) and the namespace declarations go (HTML's parser puts `<svg>` in the
/// SVG namespace itself), and element ids get a prefix so two pictures on one page never
/// share an id.
enum InlineSVG {
    /// The `<svg>…</svg>` element of `document`, with `idPrefix` before every `id="…"`;
    /// nil when the text has no `<svg` element.
    /// - Complexity: O(characters).
    static func element(from document: String, idPrefix: String) -> String? {
        guard let start = document.range(of: "<svg") else { return nil }
        var svg = String(document[start.lowerBound...])
        for declaration in [#" xmlns="http://www.w3.org/2000/svg""#, #" xmlns:xlink="http://www.w3.org/1999/xlink""#] {
            svg = svg.replacingOccurrences(of: declaration, with: "")
        }
        // Graphviz writes links as xlink:href; HTML's SVG understands plain href.
        svg = svg.replacingOccurrences(of: " xlink:href=", with: " href=")
        svg = svg.replacingOccurrences(of: " id=\"", with: " id=\"\(idPrefix)")
        return svg
    }
}
