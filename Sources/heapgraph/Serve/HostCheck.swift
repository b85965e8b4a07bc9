/// The Host headers the server answers: its own address only, so a page on another site
/// whose name was made to resolve to 127.0.0.1 (DNS rebinding) is refused and cannot read
/// the heap through the victim's browser.
struct HostCheck: Sendable {
    /// Lowercased `host:port` forms accepted.
    let allowed: Set<String>

    /// Accepts `127.0.0.1:port`, `localhost:port`, `[::1]:port` and `bindHost:port`.
    init(bindHost: String, port: Int) {
        var names: Set<String> = ["127.0.0.1", "localhost", "[::1]"]
        names.insert(bindHost.contains(":") && !bindHost.hasPrefix("[") ? "[\(bindHost)]" : bindHost)
        allowed = Set(names.map { "\($0.lowercased()):\(port)" })
    }

    /// Whether `host` (the header as sent) names this server.
    func accepts(_ host: String?) -> Bool {
        guard let host else { return false }
        return allowed.contains(host.lowercased())
    }
}
