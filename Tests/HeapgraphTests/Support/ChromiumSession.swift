import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// One headless chromium driven over the DevTools protocol, for what a single page load
/// cannot show (a click and where it leads). The protocol runs over
/// `--remote-debugging-pipe`: chromium reads commands from its fd 3 and writes answers and
/// events to its fd 4, each a JSON object ended by a NUL byte. No port is opened.
///
/// Both fds are one end of a socket pair, so a write after chromium died fails with EPIPE
/// (`MSG_NOSIGNAL`) instead of raising SIGPIPE in the test process. Chromium runs in a
/// process group of its own, which ``close()`` ends by its id (with the helpers chromium
/// started), and its TMPDIR is a scratch directory removed afterwards.
final class ChromiumSession {
    private let pid: pid_t
    private let socket: Int32
    private let scratch: String
    private var nextID = 0
    private var received = Data()
    /// Events read while waiting for an answer, oldest first, not yet asked for.
    private var events: [[String: Any]] = []
    private var pageSession = ""
    private var closed = false
    /// How long one answer or event may take.
    let seconds: Double

    /// Starts chromium with its profile and home in `directory` and opens one blank page
    /// (`width`×`height`) to drive.
    init(in directory: String, width: Int = 1280, height: Int = 900, seconds: Double = 120) throws {
        let chromium = try #require(Chromium.path)
        self.seconds = seconds
        scratch = try Chromium.makeScratchDirectory()
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            try? FileManager.default.removeItem(atPath: scratch)
            throw HarnessError("socketpair failed: errno \(errno)")
        }
        let theirs = pair[1]
        defer { Glibc.close(theirs) }
        let arguments = [chromium] + Chromium.baseArguments(profileIn: directory)
            + ["--remote-debugging-pipe", "--window-size=\(width),\(height)", "--hide-scrollbars", "about:blank"]
        let environment = Chromium.environment(homeIn: directory, scratch: scratch).map { "\($0.key)=\($0.value)" }
        let log = directory + "/chromium-session.log"

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 clears close-on-exec on the copies, so only fds 3 and 4 reach chromium.
        posix_spawn_file_actions_adddup2(&actions, theirs, 3)
        posix_spawn_file_actions_adddup2(&actions, theirs, 4)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, chromium, &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            Glibc.close(pair[0])
            try? FileManager.default.removeItem(atPath: scratch)
            throw HarnessError("chromium could not be started: error \(spawned)")
        }
        pid = child
        socket = pair[0]

        do {
            let target = try command("Target.createTarget", ["url": "about:blank"])
            let targetID = try #require(target["targetId"] as? String)
            let attached = try command("Target.attachToTarget", ["targetId": targetID, "flatten": true])
            pageSession = try #require(attached["sessionId"] as? String)
            _ = try command("Page.enable", session: pageSession)
            // The screenshot's size, whatever room the headless window leaves the page.
            _ = try command("Emulation.setDeviceMetricsOverride",
                            ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": false], session: pageSession)
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    /// Turns the page's own scripts off (as a reader with JavaScript disabled has them) or
    /// on, for the pages loaded afterwards; ``evaluate(_:)`` still works, as the DevTools
    /// console does.
    func setPageScriptsEnabled(_ enabled: Bool) throws {
        _ = try command("Emulation.setScriptExecutionDisabled", ["value": !enabled], session: pageSession)
    }

    /// Loads `url` in the page and waits for its load event.
    func navigate(to url: String) throws {
        events.removeAll()
        let answer = try command("Page.navigate", ["url": url], session: pageSession)
        if let failure = answer["errorText"] as? String { throw HarnessError("\(url) did not load: \(failure)") }
        _ = try waitForEvent("Page.loadEventFired")
    }

    /// The value of `expression` evaluated in the page (JSON-like: strings, numbers,
    /// arrays, objects); a thrown exception fails.
    func evaluate(_ expression: String) throws -> Any? {
        let answer = try command("Runtime.evaluate", ["expression": expression, "returnByValue": true], session: pageSession)
        if let exception = answer["exceptionDetails"] as? [String: Any] {
            throw HarnessError("\(expression) threw: \(exception["text"] ?? exception)")
        }
        return (answer["result"] as? [String: Any])?["value"]
    }

    /// Runs `expression`, which starts a navigation (a click on a link), and waits for the
    /// new page's load event.
    func evaluateAndWaitForLoad(_ expression: String) throws {
        events.removeAll()
        _ = try evaluate(expression)
        _ = try waitForEvent("Page.loadEventFired")
    }

    /// A PNG of the page as it is shown, into `path`.
    func screenshot(to path: String) throws {
        let answer = try command("Page.captureScreenshot", ["format": "png"], session: pageSession)
        let encoded = try #require(answer["data"] as? String)
        let png = try #require(Data(base64Encoded: encoded))
        try png.write(to: URL(fileURLWithPath: path))
    }

    /// Asks chromium to close, then ends its process group by id (its renderers with it)
    /// and removes its scratch directory. Safe to call twice.
    func close() {
        guard !closed else { return }
        closed = true
        if pid > 0 {
            if (try? send(["id": -1, "method": "Browser.close"])) != nil {
                let deadline = Date().addingTimeInterval(10)
                var status: Int32 = 0
                while waitpid(pid, &status, WNOHANG) == 0, Date() < deadline { usleep(50_000) }
            }
            kill(-pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
        Glibc.close(socket)
        try? FileManager.default.removeItem(atPath: scratch)
    }

    // MARK: The protocol

    /// Sends one command and reads until its answer, keeping the events that come first.
    private func command(_ method: String, _ parameters: [String: Any] = [:], session: String? = nil) throws -> [String: Any] {
        nextID += 1
        let id = nextID
        var message: [String: Any] = ["id": id, "method": method, "params": parameters]
        if let session { message["sessionId"] = session }
        try send(message)
        while true {
            let reply = try receive()
            guard reply["id"] as? Int == id else {
                if reply["method"] != nil { events.append(reply) }
                continue
            }
            if let error = reply["error"] as? [String: Any] {
                throw HarnessError("\(method) failed: \(error["message"] ?? error)")
            }
            return reply["result"] as? [String: Any] ?? [:]
        }
    }

    private func waitForEvent(_ method: String) throws -> [String: Any] {
        while true {
            if let index = events.firstIndex(where: { $0["method"] as? String == method && $0["sessionId"] as? String == pageSession }) {
                let event = events[index]
                events.removeSubrange(...index)
                return event
            }
            let message = try receive()
            if message["method"] != nil { events.append(message) }
        }
    }

    private func send(_ message: [String: Any]) throws {
        var bytes = [UInt8](try JSONSerialization.data(withJSONObject: message))
        bytes.append(0)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw HarnessError("chromium's pipe is closed (errno \(errno))") }
            sent += count
        }
    }

    /// The next NUL-ended message, within ``seconds``.
    private func receive() throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            if let end = received.firstIndex(of: 0) {
                let message = received[received.startIndex..<end]
                received = Data(received[received.index(after: end)...])
                return try #require(try JSONSerialization.jsonObject(with: message) as? [String: Any])
            }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw HarnessError("chromium did not answer within \(Int(seconds)) s") }
            var ready = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let polled = poll(&ready, 1, Int32(min(left, 1) * 1000))
            if polled < 0, errno != EINTR { throw HarnessError("poll failed: errno \(errno)") }
            guard polled > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = recv(socket, &buffer, buffer.count, 0)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw HarnessError("chromium closed its pipe (exited?)") }
            received.append(contentsOf: buffer[0..<count])
        }
    }
}
