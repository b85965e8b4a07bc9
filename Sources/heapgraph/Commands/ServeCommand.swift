import ArgumentParser
import Dispatch
import HeapAnalysis
import HeapGraphModel
import Hummingbird
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// `heapgraph serve`: explore snapshots in the browser (issue 21, docs/serve.md).
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Explore snapshots in a browser: types, objects, references, pictures, comparison.",
        discussion: """
            Loads every FILE, then serves read-only pages and a JSON API (docs/serve.md) on \
            127.0.0.1 unless --host says otherwise. Requests whose Host header is not the \
            server's own address are refused (421), so DNS rebinding cannot reach the heap. \
            Prints the URL on stdout once listening; --port 0 picks a free port. Ctrl-C stops it.

            Example:
              heapgraph serve app.heapgraph
              heapgraph serve before.heapgraph after.heapgraph --port 8080
            """
    )

    @Argument(help: "One or more .heapgraph or V8 .heapsnapshot files.")
    var files: [PathArgument]

    @Option(help: "The TCP port (0: any free one).")
    var port = 8421

    @Option(help: "The address to listen on; only requests naming it (or 127.0.0.1 / localhost) are answered.")
    var host = "127.0.0.1"

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one snapshot FILE") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535") }
        guard !host.isEmpty else { throw ValidationError("--host must not be empty") }
    }

    func run() throws {
        let sources = try files.map { path throws(CommandFailure) in try SnapshotSource.open(path) }
        let graphs = try loadSnapshots(sources, quiet: common.quiet)
        let snapshots = Progress.run("indexing", quiet: common.quiet) {
            zip(files, graphs).map { ExplorerSnapshot(name: $0.display, graph: $1) }
        }
        let failure = LockedValue<String?>(nil)
        let finished = DispatchSemaphore(value: 0)
        let host = host, port = port
        Task {
            do {
                try await Self.serve(snapshots, host: host, port: port)
            } catch {
                failure.value = "\(host):\(port): cannot serve: \(error)"
            }
            finished.signal()
        }
        finished.wait()
        if let message = failure.value { throw CommandFailure(message) }
    }

    /// Runs the server until SIGINT or SIGTERM. The Host check needs the port, which is
    /// known only once bound (with --port 0), so the site is made then.
    private static func serve(_ snapshots: [ExplorerSnapshot], host: String, port: Int) async throws {
        let site = LockedValue<ExplorerSite?>(nil)
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            let explorerRequest = ExplorerRequest(target: request.uri.description, host: request.head.authority)
            guard let current = site.value else { return Response(status: .serviceUnavailable) }
            let answer = current.respond(to: explorerRequest)
            var headers = HTTPFields()
            headers[.contentType] = answer.contentType
            headers[.cacheControl] = "no-store"
            return Response(status: HTTPResponse.Status(code: answer.status), headers: headers,
                            body: ResponseBody(byteBuffer: ByteBuffer(string: answer.body)))
        }
        var logger = Logger(label: "heapgraph-serve")
        logger.logLevel = .error
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "heapgraph"),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                site.value = ExplorerSite(snapshots: snapshots, hostCheck: HostCheck(bindHost: host, port: bound))
                let shown = host.contains(":") ? "[\(host)]" : host
                // Unbuffered, so a test or script reading the pipe sees it at once.
                Terminal.standardOutput.write("http://\(shown):\(bound)/\n")
            },
            logger: logger
        )
        try await app.runService()
    }
}
