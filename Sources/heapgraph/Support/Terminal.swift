#if canImport(Glibc)
import Glibc
#endif
import HeapGraphFormat
import Foundation
import GraphvizRender
import Synchronization

/// Output streams, and what the terminal allows: colour only on a terminal and never with
/// `NO_COLOR` set (https://no-color.org), progress only when stderr is a terminal.
struct Terminal: Sendable {
    let descriptor: Int32

    static let standardOutput = Terminal(descriptor: 1)
    static let standardError = Terminal(descriptor: 2)

    var isTerminal: Bool { isatty(descriptor) == 1 }

    /// Whether to colour what goes to this stream.
    var usesColor: Bool {
        guard isTerminal else { return false }
        if let value = getenv("NO_COLOR"), value.pointee != 0 { return false }
        return true
    }

    /// Writes all of `text`, retrying on short writes and interrupts. For messages on
    /// stderr, where a failure has nowhere to be reported; reports go through
    /// ``OutputFile``, which reports failures.
    func write(_ text: String) {
        var text = text
        text.withUTF8 { _ = SystemCall.writeAll(UnsafeRawBufferPointer($0), to: descriptor) }
    }
}

/// An elapsed-time line on stderr for work that may take more than a second: nothing for
/// the first second, then `loading app.heapgraph… 2.4 s` redrawn in place, erased at the end.
/// Silent when stderr is not a terminal or with `--quiet`.
final class Progress: Sendable {
    private let state = Mutex<(finished: Bool, shown: Bool)>((false, false))
    private let label: String
    private let enabled: Bool

    init(_ label: String, quiet: Bool) {
        self.label = label
        self.enabled = !quiet && Terminal.standardError.isTerminal
    }

    /// Runs `work`, showing progress while it lasts.
    static func run<T>(_ label: String, quiet: Bool, _ work: () throws -> T) rethrows -> T {
        let progress = Progress(label, quiet: quiet)
        progress.start()
        defer { progress.finish() }
        return try work()
    }

    /// Seconds of work before the line appears: 1, or `HEAPGRAPH_PROGRESS_AFTER` (the
    /// end-to-end tests set 0 to see it on a small snapshot).
    static let delay: Double = getenv("HEAPGRAPH_PROGRESS_AFTER").flatMap { Double(String(cString: $0)) } ?? 1

    private func start() {
        guard enabled else { return }
        let start = Progress.now()
        let delay = Progress.delay
        if delay <= 0 {
            state.withLock { $0.shown = true }
            Terminal.standardError.write("\r\u{1B}[K\(label)… \(Progress.format(0))")
        }
        let thread = Thread { [self] in
            while true {
                let elapsed = Progress.now() - start
                let done = state.withLock { state -> Bool in
                    if state.finished { return true }
                    if elapsed >= delay {
                        state.shown = true
                        Terminal.standardError.write("\r\u{1B}[K\(label)… \(Progress.format(elapsed))")
                    }
                    return false
                }
                if done { return }
                usleep(200_000)
            }
        }
        thread.start()
    }

    private func finish() {
        guard enabled else { return }
        state.withLock { state in
            state.finished = true
            if state.shown { Terminal.standardError.write("\r\u{1B}[K") }
        }
    }

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    static func format(_ seconds: Double) -> String {
        let tenths = Int((seconds * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) s"
    }
}
