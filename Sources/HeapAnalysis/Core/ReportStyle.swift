/// The one way every `heapgraph` command writes objects, types, sizes and JSON
/// (docs/cli.md, "One style for every report"):
///
/// - an object: its type, then its id as `@12345` (decimal, as V8's DevTools prints ids);
/// - a type: the name the snapshot records (`service.Session`, `dict`), never shortened to
///   its last component; on terminals a name longer than ``maxTypeNameWidth`` keeps its
///   beginning and its end around `…`;
/// - a size on terminals: `960 B` below 10 KiB, then `12.1 KiB`, `3.4 MiB`, `1.2 GiB`; in
///   JSON, bytes as an integer;
/// - JSON: compact (no whitespace), one document per output (the command line's
///   `ReportJSON` encoder; the leak report's own writer is compact too).
public enum ReportStyle {
    /// `@12345`: how text output names an object's id. Commands accept it back, as well
    /// as plain decimal and `0x` hexadecimal.
    public static func objectID(_ id: UInt64) -> String { "@\(id)" }

    /// A reference's label as a path step: `.session` for an attribute, `[0]`, `['key']` and
    /// `(key)` as they are, `(item)` when the reference has no name.
    ///
    /// ```swift
    /// ReportStyle.referenceName("session")   // ".session"
    /// ReportStyle.referenceName("[3]")       // "[3]"
    /// ReportStyle.referenceName("")          // "(item)"
    /// ```
    public static func referenceName(_ label: String) -> String {
        label.isEmpty ? "(item)" : (label.hasPrefix("[") || label.hasPrefix("(") ? label : "." + label)
    }

    /// Names longer than this are cut in the middle on terminals.
    public static let maxTypeNameWidth = 48

    /// A type name for a terminal: as recorded, cut in the middle when longer than
    /// ``maxTypeNameWidth`` (`a.very.long.module.path…ionHandler`), so columns stay
    /// readable and the class's own name stays visible.
    public static func typeName(_ name: String) -> String {
        guard name.count > maxTypeNameWidth else { return name }
        let tail = maxTypeNameWidth * 2 / 3
        return String(name.prefix(maxTypeNameWidth - tail - 1)) + "…" + String(name.suffix(tail))
    }

    /// `960 B`, `12.0 KiB`, `3.4 MiB`: sizes for people. Below 10 KiB the exact bytes,
    /// digits grouped; from there one decimal in binary units.
    public static func bytes(_ bytes: Int) -> String {
        if bytes.magnitude < 10_240 { return "\(count(bytes)) B" }
        let units = ["KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes) / 1024
        var unit = 0
        while value.magnitude >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        let tenths = Int((value.magnitude * 10).rounded())
        return (bytes < 0 ? "-" : "") + "\(tenths / 10).\(tenths % 10) " + units[unit]
    }

    /// A change in size, with its sign: `+640 B`, `-1.2 KiB`, `0 B`.
    public static func signedBytes(_ change: Int) -> String {
        change > 0 ? "+" + bytes(change) : bytes(change)
    }

    /// 1234567 → `1,234,567`.
    public static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }

    /// A change in a count, with its sign: `+8`, `-4`, `0`.
    public static func signedCount(_ change: Int) -> String {
        change > 0 ? "+" + count(change) : count(change)
    }
}
