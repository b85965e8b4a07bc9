import Foundation
import Testing

/// Every program under samples/python/ prints the same under CPython 3.11 and minipy
/// (counts, collect results, `is` results, finalizer and callback order), except those
/// marked `# compare: skip` in their first lines.
@Suite struct CPythonComparisonTests {
    static let samplesDirectory = repositoryRoot.appendingPathComponent("samples/python").path

    static var samples: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: samplesDirectory)) ?? []
        return names.filter { $0.hasSuffix(".py") }.sorted()
    }

    /// objgraph writes a temporary .dot file whose name changes from run to run.
    static func normalized(_ text: String) -> String {
        text.replacingOccurrences(of: #"objgraph-[A-Za-z0-9_]+\.dot"#, with: "objgraph-TMP.dot", options: .regularExpression)
            .replacingOccurrences(of: #"/[^ ]*/objgraph-TMP"#, with: "TMPDIR/objgraph-TMP", options: .regularExpression)
    }

    @Test func thereAreSamples() {
        #expect(Self.samples.count >= 10)
    }

    @Test(arguments: samples)
    func sampleAgreesWithCPython(_ name: String) throws {
        let path = Self.samplesDirectory + "/" + name
        let source = try String(contentsOfFile: path, encoding: .utf8)
        let minipy = try minipyExecutable()
        let mine = try makeScratch("mine")
        defer { removeScratch(mine) }
        let ours = try runProgram(minipy, [path], in: mine)
        #expect(ours.status == 0, "minipy \(name) failed: \(ours.standardError)")
        if source.split(separator: "\n").prefix(3).contains(where: { $0.contains("compare: skip") }) { return }
        let (python, note) = cpython()
        guard let python else {
            print("CPythonComparisonTests: \(note)")
            return
        }
        if source.contains("import objgraph") && !cpythonHasObjgraph(python) {
            print("CPythonComparisonTests: \(python) has no objgraph (run scripts/test-python once): \(name) not compared")
            return
        }
        let theirs = try makeScratch("theirs")
        defer { removeScratch(theirs) }
        let reference = try runProgram(python, [path], in: theirs)
        #expect(reference.status == 0, "CPython \(name) failed: \(reference.standardError)")
        #expect(Self.normalized(ours.standardOutput) == Self.normalized(reference.standardOutput), "\(name): minipy and CPython print differently")
    }
}
