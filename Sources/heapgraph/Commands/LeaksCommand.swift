import HeapGraphFormat
import ArgumentParser
import Foundation
import GraphvizRender
import HeapAnalysis
import HeapGraphModel

/// `heapgraph leaks`: the leak report, for people and for CI.
struct LeaksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leaks",
        abstract: "Report leaks: uncollectable cycles, cyclic garbage, watched objects still alive, survivors, growth.",
        discussion: """
            Identical leaks are grouped by fingerprint (the types and references along the \
            cycle or path), so a thousand leaked sessions are one entry with count 1000.
            Exit status 1 when a finding is in one of the --fail-on categories, 0 otherwise; \
            the JUnit failures and SARIF error levels say the same. Known leaks (--ignore FILE, \
            or .heapgraph-ignore beside the snapshot or in the current directory) are reported \
            apart and never fail.

            Example (CI):
              heapgraph leaks app.heapgraph --baseline warmup.heapgraph --format junit -o leaks.xml
              heapgraph leaks app.heapgraph --format sarif -o leaks.sarif --fail-on uncollectable,watched
              heapgraph leaks app.heapgraph --render-dir leak-pictures
              heapgraph leaks final.heapsnapshot --baseline base.heapsnapshot --target target.heapsnapshot
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, junit, sarif
    }

    @Argument(help: "A .heapgraph or V8 .heapsnapshot file (- for standard input).")
    var file: PathArgument

    @Option(help: "An earlier snapshot of the same heap: types that grew since are growth suspects. Repeat for several steps, oldest first.")
    var baseline: [PathArgument] = []

    @Option(help: "memlab's target snapshot, taken after --baseline and before FILE: objects allocated between them (in the target, not in the baseline) still alive in FILE are reported as survivors.")
    var target: PathArgument?

    @Option(help: "Known leaks to report apart and never fail on (default: .heapgraph-ignore beside FILE or in the current directory).")
    var ignore: PathArgument?

    @Option(help: "Report format: text, json, junit or sarif.")
    var format: Format = .text

    @Option(name: .shortAndLong, help: "Write the report to this file instead of stdout (- for stdout).")
    var output: PathArgument?

    @Option(help: "Render one picture per leak group into this directory (created if needed; pictures from earlier runs are removed).")
    var renderDir: PathArgument?

    @Option(help: "Picture type for --render-dir: svg (the default), png, pdf or dot.")
    var renderFormat: RenderDirectory.PictureFormat?

    @Option(help: "Comma-separated categories that make the exit status 1: uncollectable, cyclic-garbage, watched, survivors, growth, all, none.")
    var failOn = "all"

    @Option(parsing: .unconditional, help: "At most this many objects in each --render-dir picture (the rest are counted).")
    var maxNodes: Int?

    @Option(help: "Graphviz layout engine for --render-dir pictures: dot, neato, fdp, sfdp, circo or twopi (default: chosen by size).")
    var engine: LayoutEngine?

    // .unconditional: `--limit -1` is a (bad) value, not an unknown option named -1.
    @Option(parsing: .unconditional, help: "At most this many groups per category in the text report (0, the default: all). JSON, JUnit and SARIF always carry every group, and the exit status counts them all.")
    var limit = 0

    @OptionGroup var common: CommonOptions

    func validate() throws {
        _ = try failingCategories()
        guard limit >= 0 else { throw ValidationError("--limit must be 0 or more (0 lists everything)") }
        let named = Set(failOn.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        if named.contains(LeakCategory.growth.rawValue), baseline.isEmpty {
            throw ValidationError("--fail-on growth needs --baseline OLD: growth is measured against earlier snapshots")
        }
        if named.contains(LeakCategory.survivors.rawValue), target == nil {
            throw ValidationError("--fail-on survivors needs --baseline OLD --target MID: survivors are objects allocated between them")
        }
        if target != nil, baseline.isEmpty {
            throw ValidationError("--target needs --baseline: memlab's method compares a baseline, a target and FILE")
        }
        if let maxNodes, maxNodes < 1 { throw ValidationError("--max-nodes must be 1 or more") }
        if renderDir == nil, engine != nil || maxNodes != nil {
            throw ValidationError("--engine and --max-nodes need --render-dir DIR, the directory the pictures go into")
        }
        if renderFormat != nil, renderDir == nil {
            throw ValidationError("--render-format needs --render-dir DIR, the directory the pictures go into")
        }
        let streams = ([file] + baseline + (target.map { [$0] } ?? [])).filter(\.isStandardStream).count
        guard streams <= 1 else { throw ValidationError("standard input (-) can be read only once") }
    }

    /// The categories `--fail-on` names. Empty (`""`, `,`), an empty item (`growth,`), and
    /// `none` with anything else (`growth,none`) are usage errors: a gate must say what it
    /// does.
    func failingCategories() throws(ValidationError) -> Set<LeakCategory> {
        var categories: Set<LeakCategory> = []
        let names = failOn.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !names.allSatisfy(\.isEmpty) else {
            throw ValidationError("--fail-on is empty: name categories (\(LeakCategory.allCases.map(\.rawValue).joined(separator: ", ")), all), or none to never fail")
        }
        guard !names.contains(where: \.isEmpty) else { throw ValidationError("--fail-on '\(failOn)' has an empty item") }
        if names.contains("none"), names.count > 1 {
            throw ValidationError("--fail-on '\(failOn)' contradicts itself: none cannot be combined with categories")
        }
        for name in names {
            switch name {
            case "all": categories.formUnion(LeakCategory.allCases)
            case "none": continue
            default:
                guard let category = LeakCategory(rawValue: name) else {
                    throw ValidationError("--fail-on: unknown category '\(name)' (use \(LeakCategory.allCases.map(\.rawValue).joined(separator: ", ")), all or none)")
                }
                categories.insert(category)
            }
        }
        return categories
    }

    func run() throws {
        // Every output is checked before the snapshots are read: a typo in -o or
        // --render-dir costs a second, not the whole analysis.
        let report = OutputFile(argument: output)
        try report.checkWritable()
        let pictures = renderDir.map { RenderDirectory($0, format: renderFormat ?? .svg, maxNodes: maxNodes ?? DOTOptions().maxNodes, engine: engine) }
        try pictures?.check()
        let knownLeaks = try KnownLeakFile.load(explicit: ignore, snapshot: file, quiet: common.quiet)
        var sources = [try SnapshotSource.open(file)]
        for path in baseline { sources.append(try SnapshotSource.open(path)) }
        if let target { sources.append(try SnapshotSource.open(target)) }
        try report.refuseOverwriting(sources)

        let graphs = try loadSnapshots(sources, quiet: common.quiet)
        let graph = graphs[0]
        let baselines = Array(graphs.dropFirst().prefix(baseline.count))
        let targetGraph = target == nil ? nil : graphs.last
        try checkHistory(graph: graph, baselines: baselines, target: targetGraph)
        var leakReport = Progress.run("analysing", quiet: common.quiet) {
            LeakReport.analyze(graph, baselines: baselines, target: targetGraph, file: file.display)
        }
        if let knownLeaks { leakReport = leakReport.applying(knownLeaks, graph: graph) }
        let failing = try failingCategories()
        let text: String
        switch format {
        case .text: text = leakReport.text(colors: report.isStandardOutput && Terminal.standardOutput.usesColor, failingOn: failing,
                                            groupLimit: limit == 0 ? nil : limit)
        case .json: text = leakReport.json()
        case .junit: text = leakReport.junitXML(failingOn: failing)
        case .sarif: text = leakReport.sarif(failingOn: failing)
        }
        try report.writeText(text)
        let leaking = !leakReport.findings(in: failing).isEmpty
        if let pictures {
            do {
                try pictures.render(leakReport, graph: graph, quiet: common.quiet)
            } catch {
                // The report is written; the exit status still says whether it found leaks.
                Terminal.standardError.write("heapgraph: \(error.message)\n")
                throw ExitCode(leaking ? 1 : 2)
            }
        }
        if leaking { throw ExitCode(1) }
    }

    /// Refuses snapshots out of time order (baselines oldest first, then the target, then
    /// FILE), and a target from another heap than the baseline and FILE: memlab's method
    /// matches objects by id.
    func checkHistory(graph: HeapSnapshot, baselines: [HeapSnapshot], target targetGraph: HeapSnapshot?) throws(CommandFailure) {
        var named = zip(baseline, baselines).map { (name: $0.display, origin: SnapshotOrigin($1.metadata)) }
        if let target, let targetGraph { named.append((target.display, SnapshotOrigin(targetGraph.metadata))) }
        named.append((file.display, SnapshotOrigin(graph.metadata)))
        if let problem = SnapshotOrigin.orderProblem(named) { throw CommandFailure(problem) }
        guard let target, let targetGraph else { return }
        let history = baselines + [targetGraph]
        if case .typeCountsOnly(let reason) = BaselineComparability(newest: SnapshotOrigin(graph.metadata),
                                                                    older: history.map { SnapshotOrigin($0.metadata) }) {
            throw CommandFailure("\(target.display): --target needs snapshots of one heap (objects are matched by id), but \(reason)")
        }
    }
}

/// `--render-dir`: one picture per leak group, named `leak-NN-CATEGORY.FORMAT`.
struct RenderDirectory {
    /// `--render-format`: the picture types a leak group is drawn in (file extension = name).
    enum PictureFormat: String, ExpressibleByArgument, CaseIterable {
        case svg, png, pdf, dot
    }

    var path: PathArgument
    var format: PictureFormat
    var maxNodes = 200
    var engine: LayoutEngine?

    init(_ path: PathArgument, format: PictureFormat, maxNodes: Int = 200, engine: LayoutEngine? = nil) {
        self.path = path
        self.format = format
        self.maxNodes = maxNodes
        self.engine = engine
    }

    /// Fails unless the directory exists and takes new files, or can be created: its
    /// nearest existing ancestor is a writable directory.
    func check() throws(CommandFailure) {
        var current = path.bytes
        while true {
            var info = stat()
            if SystemCall.retrying({ stat(cString(current), &info) }) == 0 {
                guard info.st_mode & S_IFMT == S_IFDIR else {
                    let what = current == path.bytes ? "is not a directory" : "cannot be created: \(RawArguments.display(RawArguments.decode(current))) is not a directory"
                    throw CommandFailure("\(path.display): \(what)")
                }
                guard SystemCall.retrying({ access(cString(current), W_OK | X_OK) }) == 0 else {
                    throw CommandFailure("\(path.display): cannot write into it: \(SystemCall.message(errno))")
                }
                return
            }
            let code = errno
            // ENOTDIR: a file on the way; going up finds it and says so.
            guard code == ENOENT || code == ENOTDIR else { throw CommandFailure("\(path.display): \(SystemCall.message(code))") }
            // Up one level: drop trailing slashes, then the last component.
            while current.count > 1, current.last == UInt8(ascii: "/") { current.removeLast() }
            guard let slash = current.lastIndex(of: UInt8(ascii: "/")) else { current = Array(".".utf8); continue }
            current = slash == 0 ? [UInt8(ascii: "/")] : Array(current[..<slash])
        }
    }

    /// Creates the directory (and its parents), draws one picture per group, then removes
    /// the pictures an earlier run left that this one did not write, so the directory shows
    /// this report only. Only names this command writes are ever removed.
    func render(_ report: LeakReport, graph: HeapSnapshot, quiet: Bool) throws(CommandFailure) {
        try makeDirectories()
        var written: Set<[UInt8]> = []
        for (index, group) in report.groups.enumerated() {
            let picture = graph.showLeak(group, maxNodes: maxNodes)
            let number = index + 1 < 10 ? "0\(index + 1)" : "\(index + 1)"
            let name = "leak-\(number)-\(group.category.rawValue).\(format.rawValue)"
            let file = try PictureFile(path.appending(name))
            try file.write(picture, engine: engine, quiet: quiet, maxNodes: maxNodes)
            written.insert(Array(name.utf8))
        }
        let removed = try removeStalePictures(keeping: written)
        if !quiet {
            let stale = removed == 0 ? "" : " (removed \(removed) from an earlier run)"
            Terminal.standardError.write("rendered \(report.groups.count) leak pictures into \(path.display)\(stale)\n")
        }
    }

    private func makeDirectories() throws(CommandFailure) {
        var prefix: [UInt8] = path.bytes.first == UInt8(ascii: "/") ? [UInt8(ascii: "/")] : []
        for component in path.bytes.split(separator: UInt8(ascii: "/")) {
            prefix += component
            if SystemCall.retrying({ mkdir(cString(prefix), 0o777) }) != 0 {
                let code = errno
                var info = stat()
                guard code == EEXIST, stat(cString(prefix), &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
                    throw CommandFailure("\(path.display): cannot create directory: \(SystemCall.message(code))")
                }
            }
            prefix.append(UInt8(ascii: "/"))
        }
    }

    /// Whether `name` is one this command writes: `leak-NN-CATEGORY.FORMAT`.
    static func isPictureName(_ name: [UInt8]) -> Bool {
        let text = String(decoding: name, as: UTF8.self)
        guard text.hasPrefix("leak-"), Array(text.utf8) == name else { return false }
        let parts = text.dropFirst("leak-".count).split(separator: "-", maxSplits: 1)
        guard parts.count == 2, parts[0].count >= 2, parts[0].allSatisfy(\.isASCII), parts[0].allSatisfy(\.isNumber) else { return false }
        guard let dot = parts[1].lastIndex(of: ".") else { return false }
        let category = parts[1][..<dot], ext = parts[1][parts[1].index(after: dot)...]
        return LeakCategory(rawValue: String(category)) != nil && PictureFormat(rawValue: String(ext)) != nil
    }

    /// Removes regular files named like this command's pictures that are not in `keeping`.
    /// Returns how many it removed.
    private func removeStalePictures(keeping: Set<[UInt8]>) throws(CommandFailure) -> Int {
        guard let directory = opendir(cString(path.bytes)) else {
            throw CommandFailure("\(path.display): cannot list: \(SystemCall.message(errno))")
        }
        defer { closedir(directory) }
        var stale: [[UInt8]] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if Self.isPictureName(name), !keeping.contains(name) { stale.append(name) }
        }
        var removed = 0
        for name in stale {
            let full = path.bytes + [UInt8(ascii: "/")] + name
            var info = stat()
            guard lstat(cString(full), &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            if SystemCall.retrying({ unlink(cString(full)) }) == 0 { removed += 1 }
        }
        return removed
    }
}
