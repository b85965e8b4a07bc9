#if canImport(Glibc)
import Glibc
#endif
import HeapRuntime

/// A parsed format spec: `[[fill]align][sign][#][0][width][,][.precision][type]`.
struct FormatSpec {
    var fill: Character = " "
    var align: Character?
    var sign: Character = "-"
    var zero = false
    var width = 0
    var grouping = false
    var precision: Int?
    var type: Character?

    init(_ spec: String) throws(FormatSpecError) {
        var chars = Array(spec)
        var i = 0
        if chars.count >= 2, "<>^=".contains(chars[1]) { fill = chars[0]; align = chars[1]; i = 2 } else if let first = chars.first, "<>^=".contains(first) { align = first; i = 1 }
        if i < chars.count, "+- ".contains(chars[i]) { sign = chars[i]; i += 1 }
        if i < chars.count, chars[i] == "#" { i += 1 }
        if i < chars.count, chars[i] == "0" { zero = true; i += 1 }
        var digits = ""
        while i < chars.count, chars[i].isNumber { digits.append(chars[i]); i += 1 }
        width = Int(digits) ?? 0
        if i < chars.count, chars[i] == "," || chars[i] == "_" { grouping = true; i += 1 }
        if i < chars.count, chars[i] == "." {
            i += 1
            var p = ""
            while i < chars.count, chars[i].isNumber { p.append(chars[i]); i += 1 }
            guard let value = Int(p) else { throw FormatSpecError(message: "Format specifier missing precision") }
            precision = value
        }
        if i < chars.count { type = chars[i]; i += 1 }
        if i < chars.count { throw FormatSpecError(message: "Invalid format specifier '\(spec)'") }
        chars = []
    }
}

struct FormatSpecError: Error { var message: String }

extension Interpreter {
    /// C's printf for one double.
    func cFormat(_ format: String, _ value: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        _ = withVaList([value]) { vsnprintf(&buffer, buffer.count, format, $0) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `format(value, spec)`.
    func format(_ value: ObjectRef, spec: String) throws(PyException) -> String {
        if spec.isEmpty { return try strOf(value) }
        let parsed: FormatSpec
        do throws(FormatSpecError) { parsed = try FormatSpec(spec) } catch { throw valueError(error.message) }
        var body: String
        var negative = false
        switch tag(value) {
        case .int, .bool, .float:
            let isFloat = tag(value) == .float
            let number = heap.floatValue(of: value) ?? Double(heap.intValue(of: value) ?? 0)
            let type = parsed.type ?? (isFloat ? (parsed.precision == nil ? "r" : "g") : "d")
            negative = number < 0 || (number == 0 && number.sign == .minus && isFloat)
            let magnitude = abs(number)
            switch type {
            case "d":
                guard !isFloat else { throw valueError("Unknown format code 'd' for object of type 'float'") }
                body = String(abs(heap.intValue(of: value) ?? 0))
                negative = (heap.intValue(of: value) ?? 0) < 0
            case "x", "X", "o", "b":
                guard !isFloat else { throw valueError("Unknown format code '\(type)' for object of type 'float'") }
                let radix = type == "o" ? 8 : type == "b" ? 2 : 16
                body = String(abs(heap.intValue(of: value) ?? 0), radix: radix, uppercase: type == "X")
                negative = (heap.intValue(of: value) ?? 0) < 0
            case "f", "F": body = cFormat("%.\(parsed.precision ?? 6)f", magnitude)
            case "e", "E": body = cFormat("%.\(parsed.precision ?? 6)\(type)", magnitude)
            case "g", "G":
                body = cFormat("%.\(max(1, parsed.precision ?? 6))\(type)", magnitude)
            case "%": body = cFormat("%.\(parsed.precision ?? 6)f", magnitude * 100) + "%"
            case "r": body = formatFloat(magnitude)
            case "s": throw valueError("Unknown format code 's' for object of type '\(typeName(value))'")
            default: throw valueError("Unknown format code '\(type)' for object of type '\(typeName(value))'")
            }
            if parsed.grouping {
                let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
                var digits = String(parts[0])
                var grouped = ""
                while digits.count > 3 { grouped = "," + digits.suffix(3) + grouped; digits = String(digits.dropLast(3)) }
                body = digits + grouped + (parts.count > 1 ? "." + parts[1] : "")
            }
            let signText = negative ? "-" : parsed.sign == "+" ? "+" : parsed.sign == " " ? " " : ""
            if parsed.zero && parsed.align == nil {
                let padding = max(0, parsed.width - signText.count - body.count)
                return signText + String(repeating: "0", count: padding) + body
            }
            return pad(signText + body, parsed, defaultAlign: ">")
        default:
            var text = try strOf(value)
            if let type = parsed.type, type != "s" {
                throw valueError("Unknown format code '\(type)' for object of type '\(typeName(value))'")
            }
            if let precision = parsed.precision { text = String(text.prefix(precision)) }
            return pad(text, parsed, defaultAlign: "<")
        }
    }

    /// A format spec applied to text already made (`{x!r:>10}`).
    func applyFormatSpec(_ text: String, _ spec: String) throws(PyException) -> String {
        if spec.isEmpty { return text }
        let parsed: FormatSpec
        do throws(FormatSpecError) { parsed = try FormatSpec(spec) } catch { throw valueError(error.message) }
        return pad(parsed.precision.map { String(text.prefix($0)) } ?? text, parsed, defaultAlign: "<")
    }

    private func pad(_ text: String, _ spec: FormatSpec, defaultAlign: Character) -> String {
        let padding = max(0, spec.width - text.count)
        if padding == 0 { return text }
        let fill = String(spec.fill)
        switch spec.align ?? defaultAlign {
        case "<": return text + String(repeating: fill, count: padding)
        case "^": return String(repeating: fill, count: padding / 2) + text + String(repeating: fill, count: padding - padding / 2)
        default: return String(repeating: fill, count: padding) + text
        }
    }

    /// `format % args` (printf-style: %s %r %d %i %f %e %g %x %o %c %%, with flags, width, precision).
    func percentFormat(_ format: String, _ args: ObjectRef) throws(PyException) -> String {
        let values: [ObjectRef] = tag(args) == .tuple ? ((try? heap.items(of: args)) ?? []) : [args]
        var next = 0
        var out = ""
        let chars = Array(format)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c != "%" { out.append(c); i += 1; continue }
            i += 1
            guard i < chars.count else { throw valueError("incomplete format") }
            if chars[i] == "%" { out.append("%"); i += 1; continue }
            var flags = ""
            while i < chars.count, "-+ 0#".contains(chars[i]) { flags.append(chars[i]); i += 1 }
            var width = ""
            while i < chars.count, chars[i].isNumber { width.append(chars[i]); i += 1 }
            var precision: String?
            if i < chars.count, chars[i] == "." {
                i += 1
                var p = ""
                while i < chars.count, chars[i].isNumber { p.append(chars[i]); i += 1 }
                precision = p.isEmpty ? "0" : p
            }
            guard i < chars.count else { throw valueError("incomplete format") }
            let type = chars[i]
            i += 1
            guard next < values.count else { throw typeError("not enough arguments for format string") }
            let value = values[next]
            next += 1
            var spec = ""
            if flags.contains("-") { spec += "<" } else if flags.contains("0") && "dioxXfeEgG".contains(type) { spec += "0" } else if !width.isEmpty { spec += ">" }
            if flags.contains("+") { spec = (spec == "<" ? "<+" : "+" + spec) }
            spec += width
            switch type {
            case "s": out += try applyFormatSpec(try strOf(value), spec + (precision.map { "." + $0 } ?? ""))
            case "r": out += try applyFormatSpec(try repr(value), spec)
            case "d", "i", "u":
                let number: ObjectRef = tag(value) == .float ? int(Int((heap.floatValue(of: value) ?? 0).rounded(.towardZero))) : newRef(value)
                defer { drop(number) }
                guard tag(number) == .int || tag(number) == .bool else { throw typeError("%\(type) format: a real number is required, not \(typeName(value))") }
                out += try self.format(number, spec: spec + "d")
            case "f", "F", "e", "E", "g", "G":
                guard tag(value) == .int || tag(value) == .float || tag(value) == .bool else { throw typeError("must be real number, not \(typeName(value))") }
                out += try self.format(value, spec: spec + "." + (precision ?? "6") + String(type))
            case "x", "X", "o":
                out += try self.format(value, spec: spec + String(type))
            case "c":
                if let text = heap.stringValue(of: value) { out += text } else if let code = heap.intValue(of: value), let scalar = UnicodeScalar(code) { out.unicodeScalars.append(scalar) }
            default:
                throw valueError("unsupported format character '\(type)'")
            }
        }
        if next < values.count && tag(args) == .tuple { throw typeError("not all arguments converted during string formatting") }
        return out
    }
}
