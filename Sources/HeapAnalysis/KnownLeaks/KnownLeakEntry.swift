/// One line of a known-leak list (`.heapgraph-ignore`): what it matches and why the team
/// accepts those leaks.
///
/// ```
/// fingerprint:7e5cce361d5bc1b7  # closed sessions, fixed in 2.3
/// type:app.Connection           # legacy __del__ in a vendored driver
/// reference:service.Listener.session
/// ```
public struct KnownLeakEntry: Sendable, Hashable {
    /// How the entry matches a leak group.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The group's fingerprint, 16 hex digits.
        case fingerprint
        /// One of the group's types, by objgraph's rule (a dotted name matches the full
        /// name, any other the last component).
        case type
        /// A reference on the group's leak trace or in its cycle, as LeakCanary's reference
        /// matchers: `Type.attribute` (an attribute or V8 property), or the name of the
        /// root the trace starts from (a module global, `app.CACHE`).
        case reference
    }

    public var kind: Kind
    /// What follows `KIND:`, trimmed.
    public var pattern: String
    /// The text after `#`, trimmed; nil when the entry gives none.
    public var reason: String?
    /// 1-based line in the file.
    public var line: Int

    public init(kind: Kind, pattern: String, reason: String? = nil, line: Int = 0) {
        self.kind = kind
        self.pattern = pattern
        self.reason = reason
        self.line = line
    }

    /// The entry as written, without its reason: `type:app.Connection`.
    public var text: String { kind.rawValue + ":" + pattern }
}
