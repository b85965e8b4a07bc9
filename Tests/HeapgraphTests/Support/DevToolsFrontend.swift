import Foundation
import Testing

/// Chrome DevTools' own heap-snapshot code, as bundled inside the local chromium, run under
/// node by scripts/devtools/heap-snapshot-check.mjs (issue 17: our files must open in the
/// Memory panel with the retained sizes and retainers we compute).
enum DevToolsFrontend {
    /// `node` from PATH, or nil.
    static let node: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/node" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static func script(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/devtools/\(name)").path
    }

    /// The frontend fetched from chromium once per test process (fetch-frontend.mjs prints
    /// `{"chromium", "modules", "root"}`), or nil when node or chromium is absent or the
    /// frontend could not be fetched; the reason then goes to standard error.
    static let fetched: (root: String, chromium: String)? = {
        guard node != nil, Chromium.path != nil else { return nil }
        do {
            let directory = try scratchDirectory("devtools-frontend")
            let result = try runNode([script("fetch-frontend.mjs"), directory], in: directory)
            guard result.status == 0,
                  let object = try JSONSerialization.jsonObject(with: result.output) as? [String: Any],
                  let root = object["root"] as? String, let version = object["chromium"] as? String
            else {
                FileHandle.standardError.write(Data("DevTools frontend not fetched (exit \(result.status)): \(result.error)\n".utf8))
                return nil
            }
            return (root, version)
        } catch {
            FileHandle.standardError.write(Data("DevTools frontend not fetched: \(error)\n".utf8))
            return nil
        }
    }()

    static var available: Bool { fetched != nil }

    /// Runs node with `arguments`, its output into files in `directory`; gives up after
    /// `seconds` (a hang fails the test instead of stopping the run).
    static func runNode(_ arguments: [String], in directory: String, seconds: Double = 240) throws
        -> (status: Int32, output: Data, error: String) {
        let node = try #require(node)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: node)
        process.arguments = arguments
        let run = UUID().uuidString
        let outputFile = directory + "/node-stdout-\(run).txt"
        let errorFile = directory + "/node-stderr-\(run).txt"
        try #require(FileManager.default.createFile(atPath: outputFile, contents: nil))
        try #require(FileManager.default.createFile(atPath: errorFile, contents: nil))
        let outputHandle = try #require(FileHandle(forWritingAtPath: outputFile))
        let errorHandle = try #require(FileHandle(forWritingAtPath: errorFile))
        defer {
            try? outputHandle.close()
            try? errorHandle.close()
        }
        process.standardOutput = outputHandle
        process.standardError = errorHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try waitForExit(process, seconds: seconds, what: "node \(arguments.first ?? "")")
        let output = try Data(contentsOf: URL(fileURLWithPath: outputFile))
        let error = (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? ""
        return (process.terminationStatus, output, error)
    }

    /// What DevTools makes of one file: see heap-snapshot-check.mjs.
    struct Report {
        var nodeCount: Int
        var totalSize: Int
        /// By node id: (retained size, distance).
        var nodes: [UInt64: (retained: Int, distance: Int)]
        /// Per class (the Summary's rows): count, self size, max retained size.
        var classes: [String: (count: Int, selfSize: Int, maxRetained: Int)]
        /// For each object of the requested classes: its distance, its retainers (edge text, retainer's
        /// class) and the first path the Retainers view opens (edge text, retainer's name).
        var retainers: [(className: String, distance: Int, retainers: [(edge: String, fromClass: String)], path: [(edge: String, from: String)])]
    }

    /// Loads `file` with DevTools' HeapSnapshotLoader; fails the test if DevTools cannot.
    static func load(_ file: String, retainersOf classNames: [String] = [], in directory: String) throws -> Report {
        let root = try #require(fetched).root
        let arguments = [script("heap-snapshot-check.mjs"), root] + classNames.flatMap { ["--retainers", $0] } + [file]
        let result = try runNode(arguments, in: directory)
        try #require(result.status == 0, "heap-snapshot-check.mjs exited with \(result.status): \(result.error)")
        let array = try #require(try JSONSerialization.jsonObject(with: result.output) as? [[String: Any]])
        let object = try #require(array.first)
        try #require(object["error"] == nil, "DevTools could not load \(file): \(object["error"] ?? "")")
        let problems = try #require(object["problems"] as? [Any])
        try #require(problems.isEmpty, "DevTools reported \(problems)")
        var nodes: [UInt64: (retained: Int, distance: Int)] = [:]
        for (id, value) in try #require(object["nodes"] as? [String: [String: Any]]) {
            nodes[try #require(UInt64(id))] = (try #require(value["retained"] as? Int), try #require(value["distance"] as? Int))
        }
        var classes: [String: (count: Int, selfSize: Int, maxRetained: Int)] = [:]
        for (name, value) in try #require(object["classes"] as? [String: [String: Any]]) {
            classes[name] = (try #require(value["count"] as? Int), try #require(value["self"] as? Int),
                             try #require(value["maxRetained"] as? Int))
        }
        var retainers: [(className: String, distance: Int, retainers: [(edge: String, fromClass: String)], path: [(edge: String, from: String)])] = []
        for entry in try #require(object["retainers"] as? [[String: Any]]) {
            let list = try #require(entry["retainers"] as? [[String: Any]]).map {
                (edge: ($0["edge"] as? String) ?? "?", fromClass: ($0["fromClass"] as? String) ?? "?")
            }
            let path = try #require(entry["path"] as? [[String: Any]]).map {
                (edge: ($0["edge"] as? String) ?? "?", from: ($0["from"] as? String) ?? "?")
            }
            retainers.append((try #require(entry["className"] as? String), try #require(entry["distance"] as? Int), list, path))
        }
        return Report(nodeCount: try #require(object["nodeCount"] as? Int), totalSize: try #require(object["totalSize"] as? Int),
                      nodes: nodes, classes: classes, retainers: retainers)
    }
}
