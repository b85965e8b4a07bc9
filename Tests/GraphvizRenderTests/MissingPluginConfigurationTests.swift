import XCTest
import Foundation
@testable import GraphvizRender

/// Renders with an empty plugin directory, as on a machine whose libgvc6
/// install script never ran `dot -c`.
///
/// libgvc reads its plugin directory (`$GVBINDIR`) once per process, so the
/// render runs in a child: this test binary, started with `GVBINDIR` set and
/// a filter selecting `testChildRendersWithoutPluginConfiguration`.
final class MissingPluginConfigurationTests: XCTestCase {
    private static let reportVariable = "GRAPHVIZRENDER_CHILD_REPORT"

    func testRenderingWithoutPluginConfigurationExplainsTheFix() throws {
        #if os(Linux)
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = directory.appendingPathComponent("report.txt")
        let childOut = directory.appendingPathComponent("stdout.txt")
        let childErr = directory.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: childOut.path, contents: nil)
        _ = FileManager.default.createFile(atPath: childErr.path, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        process.arguments = ["GraphvizRenderTests.MissingPluginConfigurationTests/testChildRendersWithoutPluginConfiguration"]
        var environment = ProcessInfo.processInfo.environment
        environment["GVBINDIR"] = directory.path
        environment[Self.reportVariable] = report.path
        process.environment = environment
        process.standardOutput = try FileHandle(forWritingTo: childOut)
        process.standardError = try FileHandle(forWritingTo: childErr)
        try process.run()
        process.waitUntilExit()

        let childLog = (try? String(contentsOf: childOut, encoding: .utf8)) ?? ""
        XCTAssertEqual(process.terminationStatus, 0, childLog)
        XCTAssertEqual(try String(contentsOf: childErr, encoding: .utf8), "", "the child wrote to stderr")
        let lines = try String(contentsOf: report, encoding: .utf8).split(separator: "\n").map(String.init)
        let fix = "run `dot -c` as root or reinstall libgvc6 (scripts/setup does this)"
        let missing = "Graphviz plugin configuration not found at \(directory.path)/config6a: \(fix)."
        XCTAssertEqual(lines, [
            #"pluginsMissing layout engine dot: \#(missing) Graphviz said: Layout type: "dot" not recognized. Use one of:"#,
            #"pluginsMissing layout engine neato: \#(missing) Graphviz said: Layout type: "neato" not recognized. Use one of:"#,
        ])
        #else
        throw XCTSkip("needs /proc/self/exe")
        #endif
    }

    /// The child half; skipped when run as an ordinary test.
    func testChildRendersWithoutPluginConfiguration() throws {
        guard let report = ProcessInfo.processInfo.environment[Self.reportVariable] else {
            throw XCTSkip("runs only as the child of testRenderingWithoutPluginConfigurationExplainsTheFix")
        }
        var lines: [String] = []
        let jobs: [(OutputFormat, LayoutEngine?)] = [(.svg, nil), (.png, .neato)]
        for (format, engine) in jobs {
            do {
                _ = try GraphvizRenderer().render(dot: "digraph { a -> b }", format: format, engine: engine)
                lines.append("rendered \(format)")
            } catch .pluginsMissing(let plugin) {
                lines.append("pluginsMissing \(plugin.kind.rawValue) \(plugin.name): \(plugin.explanation)")
            } catch {
                lines.append("other error: \(error)")
            }
        }
        try lines.joined(separator: "\n").write(toFile: report, atomically: true, encoding: .utf8)
    }
}
