extension String {
    /// The text escaped for XML content and attribute values; characters XML 1.0 cannot
    /// carry at all (most control characters) become `?`.
    var xmlEscaped: String {
        var output = ""
        output.reserveCapacity(utf8.count)
        for scalar in unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&apos;"
            case "\n", "\t", "\r": output.unicodeScalars.append(scalar)
            case let control where control.value < 0x20 || control.value == 0xFFFE || control.value == 0xFFFF:
                output += "?"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}
