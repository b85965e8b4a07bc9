/// Leaks a team accepts, as LeakSanitizer's suppression files and LeakCanary's library-leak
/// reference matchers list them: one entry per line, `KIND:PATTERN`, then an optional
/// `# reason`; blank lines and lines starting with `#` are comments (docs/cli.md).
///
/// ```swift
/// let list = try KnownLeakList(parsing: text, file: ".heapgraph-ignore")
/// let report = LeakReport.analyze(graph).applying(list, graph: graph)
/// report.knownLeaks        // matched groups, reported apart, never failing a gate
/// report.staleKnownLeaks   // entries that matched nothing
/// ```
public struct KnownLeakList: Sendable, Hashable {
    /// Where the list came from, for messages (`.heapgraph-ignore`).
    public var file: String
    public var entries: [KnownLeakEntry]

    public init(file: String, entries: [KnownLeakEntry]) {
        self.file = file
        self.entries = entries
    }

    /// Parses the text of a list.
    /// - Throws: ``KnownLeakListError`` naming the first line that is not an entry: an
    ///   unknown kind, a missing `:` or pattern, a fingerprint that is not 16 hex digits, a
    ///   reference without `Type.name` or a root name.
    /// - Complexity: O(length of `text`).
    public init(parsing text: String, file: String) throws(KnownLeakListError) {
        self.file = file
        var entries: [KnownLeakEntry] = []
        // "\r\n" is one Character in Swift: splitting on newline characters takes CRLF
        // files as they are.
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let number = index + 1
            let trimmed = line.trimmingWhitespace()
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
            var body = trimmed
            var reason: String?
            if let hash = trimmed.firstIndex(of: "#") {
                body = trimmed[..<hash].trimmingWhitespace()
                let text = trimmed[trimmed.index(after: hash)...].trimmingWhitespace()
                reason = text.isEmpty ? nil : String(text)
            }
            func failure(_ problem: String) -> KnownLeakListError {
                KnownLeakListError(file: file, line: number, problem: problem)
            }
            guard let colon = body.firstIndex(of: ":") else {
                throw failure("expected KIND:PATTERN (fingerprint, type or reference), found '\(body)'")
            }
            let kindText = body[..<colon].trimmingWhitespace()
            let pattern = String(body[body.index(after: colon)...].trimmingWhitespace())
            guard let kind = KnownLeakEntry.Kind(rawValue: String(kindText)) else {
                throw failure("unknown kind '\(kindText)' (use fingerprint, type or reference)")
            }
            guard !pattern.isEmpty else { throw failure("\(kind.rawValue): the pattern is missing") }
            guard !pattern.contains(where: \.isWhitespace) else {
                throw failure("'\(pattern)': a pattern has no spaces (a reason goes after #)")
            }
            switch kind {
            case .fingerprint:
                guard pattern.utf8.count == 16, pattern.utf8.allSatisfy(Self.isHexDigit) else {
                    throw failure("fingerprint '\(pattern)' is not 16 hex digits")
                }
            case .type:
                break
            case .reference:
                guard let dot = pattern.lastIndex(of: "."), dot != pattern.startIndex, pattern.index(after: dot) != pattern.endIndex else {
                    throw failure("reference '\(pattern)' is not Type.name or module.global")
                }
            }
            entries.append(KnownLeakEntry(kind: kind, pattern: kind == .fingerprint ? pattern.lowercased() : pattern,
                                          reason: reason, line: number))
        }
        self.entries = entries
    }

    /// Entries without a reason: each should say why the leak is accepted.
    public var entriesWithoutReason: [KnownLeakEntry] { entries.filter { $0.reason == nil } }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }
}

extension Substring {
    func trimmingWhitespace() -> Substring {
        var text = self
        while text.first?.isWhitespace == true { text.removeFirst() }
        while text.last?.isWhitespace == true { text.removeLast() }
        return text
    }
}
