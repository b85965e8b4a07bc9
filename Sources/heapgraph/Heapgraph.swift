import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// The `heapgraph` command: every subcommand reads `.heapgraph` snapshot files.
///
/// Exit status, in every command: 0 when nothing in the failing categories was found,
/// 1 when something was (a leak, no chain), 2 for a usage or input error.
/// The version `--version` prints; the one place it is written.
enum HeapgraphVersion {
    static let current = "0.1.0"
}

@main
struct Heapgraph: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heapgraph",
        abstract: "Explain what keeps objects alive in a heap snapshot, and fail CI on leaks.",
        discussion: """
            Every command reads .heapgraph snapshot files (docs/snapshot-format.md). A program on \
            HeapRuntime writes one with Heap.writeSnapshot(to:), or at exit when \
            HEAPGRAPH_SNAPSHOT names a path. V8 heap snapshots (.heapsnapshot, from Node \
            or Chrome) are read too, recognised by content (docs/v8.md).

            Exit status: 0 nothing found, 1 something found (leaks, no chain), 2 usage or input error.
            """,
        version: HeapgraphVersion.current,
        subcommands: [
            SummaryCommand.self, GrowthCommand.self, LeaksCommand.self, BackrefsCommand.self,
            RefsCommand.self, ChainCommand.self, DominatorsCommand.self,
            ObjectsCommand.self, ShowCommand.self, ReportCommand.self, ServeCommand.self,
            ConvertCommand.self, ValidateCommand.self,
        ]
    )

    /// Parses and runs, mapping every error to one line on stderr and exit status 2.
    /// ArgumentParser's own usage errors would exit with 64; the contract here is 2.
    static func main() {
        // A closed pipe on stdout is then an EPIPE error, reported, not a silent death.
        signal(SIGPIPE, SIG_IGN)
        let status: Int32
        do {
            var command = try parseAsRoot(RawArguments.commandLine())
            try command.run()
            status = 0
        } catch let error as CommandFailure {
            Terminal.standardError.write("heapgraph: \(error.message)\n")
            status = 2
        } catch let code as ExitCode {
            status = code.rawValue
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)   // --help, --version: ArgumentParser prints them
            }
            Terminal.standardError.write(fullMessage(for: error) + "\n")
            status = 2
        }
        Glibc.exit(status)
    }
}
