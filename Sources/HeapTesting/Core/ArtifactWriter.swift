import Foundation
import GraphvizRender
import HeapAnalysis
import HeapGraphModel
import HeapRuntime

/// Writes one failing check's artifacts into one directory, every file named after the
/// check: `NAME.heapgraph` (the heap, through the runtime's snapshot writer),
/// `NAME-leak-NN-CATEGORY.svg` (each failing group's picture, through GraphvizRender) and
/// `NAME.leaks.txt` (the report). Nothing is written outside the directory.
struct ArtifactWriter {
    /// The directory, made with its parents when missing.
    let directory: String
    /// The file name stem, unique in the directory: the check's name, sanitized, with
    /// `-2`, `-3`, … when an earlier check of the same name wrote there.
    let stem: String

    init(directory: String, name: String) throws(LeakCheckProblem) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw LeakCheckProblem("\(directory): cannot make the artifacts directory: \(error.localizedDescription)")
        }
        self.directory = directory
        let base = Self.fileStem(name)
        var stem = base
        var number = 1
        while FileManager.default.fileExists(atPath: Self.join(directory, stem + ".heapgraph")) {
            number += 1
            stem = "\(base)-\(number)"
        }
        self.stem = stem
    }

    /// The path of `file` in the directory.
    func path(_ file: String) -> String { Self.join(directory, file) }

    /// Writes the heap as it is now to `NAME<suffix>.heapgraph`.
    func writeSnapshot(of heap: Heap, suffix: String = "", tag: String) throws(LeakCheckProblem) -> String {
        let file = path(stem + suffix + ".heapgraph")
        do { try heap.writeSnapshot(to: file, tag: tag) } catch { throw LeakCheckProblem("\(error)") }
        return file
    }

    /// Draws each group (at most `maxNodes` objects) to `NAME-leak-NN-CATEGORY.FORMAT`.
    func writePictures(of groups: [LeakGroup], graph: HeapSnapshot, format: OutputFormat,
                       maxNodes: Int) -> (paths: [String], problems: [LeakCheckProblem]) {
        var paths: [String] = [], problems: [LeakCheckProblem] = []
        for (index, group) in groups.enumerated() {
            let number = index + 1 < 10 ? "0\(index + 1)" : "\(index + 1)"
            let file = path("\(stem)-leak-\(number)-\(group.category.rawValue).\(format.rawValue)")
            let picture = graph.showLeak(group, maxNodes: maxNodes)
            do {
                if format == .dot {
                    try OutputFile(path: file).write(picture.text)
                } else {
                    try GraphvizRenderer().render(dot: picture.text, to: OutputFile(path: file), format: format)
                }
                paths.append(file)
            } catch {
                problems.append(LeakCheckProblem("\(file): cannot draw the leak: \(error)"))
            }
        }
        return (paths, problems)
    }

    /// Writes the report text to `NAME.leaks.txt`.
    func writeReport(_ text: String) throws(LeakCheckProblem) -> String {
        let file = path(stem + ".leaks.txt")
        do { try OutputFile(path: file).write(text + "\n") } catch { throw LeakCheckProblem("\(error)") }
        return file
    }

    /// A test name as a file name: letters, digits, `.`, `_` and `-` kept, runs of anything
    /// else one `_` (`testCycle()` → `testCycle`, `Suite/test case` → `Suite_test_case`).
    static func fileStem(_ name: String) -> String {
        var stem = ""
        for character in name.unicodeScalars {
            if character.properties.isAlphabetic && character.isASCII || ("0"..."9").contains(character)
                || character == "." || character == "_" || character == "-" {
                stem.unicodeScalars.append(character)
            } else if !stem.hasSuffix("_") {
                stem.append("_")
            }
        }
        while stem.hasSuffix("_") || stem.hasSuffix(".") { stem.removeLast() }
        while stem.hasPrefix(".") || stem.hasPrefix("_") { stem.removeFirst() }
        return stem.isEmpty ? "leak-check" : stem
    }

    static func join(_ directory: String, _ file: String) -> String {
        directory.hasSuffix("/") ? directory + file : directory + "/" + file
    }
}
