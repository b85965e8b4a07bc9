/// One request as the explorer sees it, independent of the HTTP server: what
/// ``ExplorerSite`` routes, so pages can be tested without sockets.
struct ExplorerRequest: Sendable {
    /// The path, still percent-encoded (`/snapshots/0/types/app.Session`).
    var path: String
    /// The query string's pairs, decoded (`from=100` → ["from": "100"]).
    var query: [String: String]
    /// The Host header (HTTP/1.1) or :authority (HTTP/2), as sent; nil when absent.
    var host: String?

    init(path: String, query: [String: String] = [:], host: String?) {
        self.path = path
        self.query = query
        self.host = host
    }

    /// Splits a request target (`/a/b?x=1&y=2`) into path and decoded query.
    init(target: String, host: String?) {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = parts.first.map(String.init) ?? "/"
        var query: [String: String] = [:]
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let keyValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let decode = { (text: Substring) in
                    String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
                }
                guard let key = keyValue.first else { continue }
                query[decode(key)] = keyValue.count > 1 ? decode(keyValue[1]) : ""
            }
        }
        self.query = query
        self.host = host
    }
}
