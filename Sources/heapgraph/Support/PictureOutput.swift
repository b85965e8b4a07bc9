import Foundation
import GraphvizRender
import HeapAnalysis

/// Writes DOT as a picture chosen by the file's extension: `.dot`/`.gv` as text, `.svg`,
/// `.png`, `.pdf` rendered in-process by Graphviz.
func writePicture(_ graph: ObjectGraphDOT, to path: String) throws(CommandFailure) {
    try checkPictureType(path)
    let lowercased = path.lowercased()
    if lowercased.hasSuffix(".dot") || lowercased.hasSuffix(".gv") {
        do { try graph.text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw CommandFailure("\(path): cannot write: \(error.localizedDescription)")
        }
        return
    }
    do { try GraphvizRenderer().render(dot: graph.text, toFile: path) } catch {
        throw CommandFailure("\(path): \(error)")
    }
}

/// Fails unless `path` names a picture type `writePicture` can write; commands check this
/// before printing anything, so a bad `-o` gives one line and no half output.
func checkPictureType(_ path: String) throws(CommandFailure) {
    let lowercased = path.lowercased()
    guard [".svg", ".png", ".pdf", ".dot", ".gv"].contains(where: { lowercased.hasSuffix($0) }) else {
        throw CommandFailure("\(path): unknown picture type; use .svg, .png, .pdf or .dot")
    }
}

/// Writes text to a file, or to stdout when `path` is nil or "-".
func writeOutput(_ text: String, to path: String?) throws(CommandFailure) {
    guard let path, path != "-" else {
        Terminal.standardOutput.write(text.hasSuffix("\n") ? text : text + "\n")
        return
    }
    do { try (text.hasSuffix("\n") ? text : text + "\n").write(toFile: path, atomically: true, encoding: .utf8) } catch {
        throw CommandFailure("\(path): cannot write: \(error.localizedDescription)")
    }
}

/// Formats bytes as people read them: 1,234 B, 12.1 KiB, 3.4 MiB.
func formatBytes(_ bytes: Int) -> String {
    if bytes < 10_240 { return "\(groupDigits(bytes)) B" }
    let units = ["KiB", "MiB", "GiB", "TiB"]
    var value = Double(bytes) / 1024
    var unit = 0
    while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
    return String(format: "%.1f", value) + " " + units[unit]
}

/// 1234567 → "1,234,567".
func groupDigits(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var out = ""
    for (index, digit) in digits.enumerated() {
        if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
        out.append(digit)
    }
    return value < 0 ? "-" + out : out
}
