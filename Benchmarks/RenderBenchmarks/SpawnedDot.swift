import Foundation
import GraphvizRender

/// The objgraph way, as the comparison peer: write the DOT to a temporary
/// file, run `/usr/bin/dot -Tsvg`, read the output file back.
struct SpawnedDot {
    var executable = "/usr/bin/dot"
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("RenderBenchmarks-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Renders `dot` with the same engine and graph attributes the
    /// in-process renderer chose, so both sides do the same layout work.
    /// `-G` sets graph defaults that the DOT's own attributes override,
    /// exactly like the in-process plan.
    func renderSVG(_ dot: String, plan: LayoutPlan) throws -> [UInt8] {
        let input = directory.appendingPathComponent("graph.dot")
        let output = directory.appendingPathComponent("graph.svg")
        try Data(dot.utf8).write(to: input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-K\(plan.engine.rawValue)", "-Tsvg"]
            + plan.attributes.sorted { $0.key < $1.key }.map { "-G\($0.key)=\($0.value)" }
            + ["-o", output.path, input.path]
        process.standardError = FileHandle.nullDevice
        // waitUntilExit polls the run loop every 50 ms on Linux, which would
        // round every sample up; the termination handler fires on SIGCHLD.
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        exited.wait()
        guard process.terminationStatus == 0 else {
            throw SpawnError.failed(status: process.terminationStatus)
        }
        return [UInt8](try Data(contentsOf: output))
    }

    func cleanUp() {
        try? FileManager.default.removeItem(at: directory)
    }

    enum SpawnError: Error { case failed(status: Int32) }
}
