import Foundation
import Testing

/// Headless Chromium (Debian's `chromium`, installed by scripts/setup), when present.
enum Chromium {
    static let path: String? = {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/chromium" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Runs chromium headless with its profile, cache and home inside `directory`, standard
    /// output into `outputFile`; gives up after `seconds`. Returns the exit status.
    static func run(_ arguments: [String], in directory: String, outputFile: String, seconds: Double = 90) throws -> Int32 {
        let chromium = try #require(path)
        try #require(FileManager.default.createFile(atPath: outputFile, contents: nil))
        let output = try #require(FileHandle(forWritingAtPath: outputFile))
        defer { try? output.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        // Root needs --no-sandbox; the profile goes into the test's directory, never $HOME.
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                             "--user-data-dir=\(directory)/profile"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = directory
        environment["XDG_CONFIG_HOME"] = directory + "/config"
        environment["XDG_CACHE_HOME"] = directory + "/cache"
        process.environment = environment
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(50_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw HarnessError("chromium did not finish within \(Int(seconds)) s")
        }
        return process.terminationStatus
    }
}

/// `heapgraph report`'s page opened in a real browser: the script runs, the leak groups are
/// there and their SVG pictures have their nodes; a screenshot is taken in the test's
/// directory. Where chromium is absent the test says so and is skipped.
@Suite("heapgraph report in Chromium", .serialized)
struct BrowserReportTests {
    @Test(.enabled(if: Chromium.path != nil, "chromium is not installed (scripts/setup installs it); browser test skipped"))
    func leakGroupsAndPicturesRenderInChromium() throws {
        let directory = try scratchDirectory("report-browser")
        let snapshots = try ReportCommandTests().leakyAppSnapshots(in: directory)
        let groups = try ReportCommandTests().leakGroups([snapshots.app, "--baseline", snapshots.baseline])
        let page = directory + "/report.html"
        let written = try heapgraph(["report", snapshots.app, "--baseline", snapshots.baseline, "-q", "-o", page])
        try #require(written.status == 0, "\(written.standardError)")
        let url = URL(fileURLWithPath: page).absoluteString

        let domFile = directory + "/dom.html"
        #expect(try Chromium.run(["--dump-dom", url], in: directory, outputFile: domFile) == 0)
        let dom = try String(contentsOfFile: domFile, encoding: .utf8)
        // The inline script ran: it added the search box and made the tables sortable.
        #expect(dom.contains("id=\"search\""))
        #expect(dom.contains("class=\"sortable active\""))
        let articles = dom.components(separatedBy: "<article ").dropFirst().map { $0.components(separatedBy: "</article>")[0] }
        #expect(articles.count == groups.count)
        for (group, article) in zip(groups, articles) {
            #expect(article.contains("data-fingerprint=\"\(group.fingerprint)\""))
            // The browser parsed the picture as SVG, with its objects as nodes.
            #expect(article.contains("<svg"), "group \(group.fingerprint) has its picture")
            #expect(article.contains("class=\"node\""), "group \(group.fingerprint)'s picture has nodes")
        }

        let screenshot = directory + "/report.png"
        #expect(try Chromium.run(["--screenshot=\(screenshot)", "--window-size=1280,2400", "--hide-scrollbars", url],
                                 in: directory, outputFile: directory + "/screenshot.log") == 0)
        let png = try Data(contentsOf: URL(fileURLWithPath: screenshot))
        #expect(png.count > 10_000, "a screenshot of a page with pictures")
        #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
    }
}
