/// The pieces of Python's `%` formatting that objgraph's tables use. Widths count Unicode
/// scalars, as Python's `len()` counts code points.
enum TableText {
    /// `'%-*s' % (width, text)`.
    static func leftAligned(_ text: String, width: Int) -> String {
        let length = text.unicodeScalars.count
        return length >= width ? text : text + String(repeating: " ", count: width - length)
    }

    /// `'%*s' % (width, text)` (and `%*d` given a number's text).
    static func rightAligned(_ text: String, width: Int) -> String {
        let length = text.unicodeScalars.count
        return length >= width ? text : String(repeating: " ", count: width - length) + text
    }

    /// `'%+*d' % (width, value)`.
    static func signed(_ value: Int, width: Int) -> String {
        rightAligned(value < 0 ? "\(value)" : "+\(value)", width: width)
    }

    /// The widest name, in code points.
    static func width(of names: some Sequence<String>) -> Int {
        names.reduce(0) { max($0, $1.unicodeScalars.count) }
    }
}
