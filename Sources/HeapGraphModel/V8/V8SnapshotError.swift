/// Why a V8 `.heapsnapshot` file could not be read: each case says what is wrong and where,
/// in one line.
public enum V8SnapshotError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or read.
    case unreadable(path: String, reason: String)
    /// The file ends before the snapshot does (at `offset`, while reading `what`).
    case truncated(offset: Int, what: String)
    /// The text is not the JSON a snapshot is made of.
    case syntax(offset: Int, reason: String)
    /// `snapshot.meta` does not describe a layout this reader can use.
    case badLayout(reason: String)
    /// The arrays contradict each other or the layout.
    case corrupt(reason: String)
    /// The snapshot is bigger than the compact graph can hold.
    case tooLarge(reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): "cannot read \(path): \(reason)"
        case let .truncated(offset, what): "truncated V8 heap snapshot: the file ends at byte \(offset), inside \(what)"
        case let .syntax(offset, reason): "corrupt V8 heap snapshot at byte \(offset): \(reason)"
        case let .badLayout(reason): "unsupported V8 heap snapshot layout: \(reason)"
        case let .corrupt(reason): "corrupt V8 heap snapshot: \(reason)"
        case let .tooLarge(reason): "V8 heap snapshot too large: \(reason)"
        }
    }
}
