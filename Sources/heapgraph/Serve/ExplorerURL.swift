import Foundation

/// The explorer's URLs, in one place: every page and every API answer links through these,
/// and ``ExplorerSite`` routes the same shapes.
enum ExplorerURL {
    /// Characters left as they are in one path segment (a type name may hold `/` or spaces).
    private static let segmentCharacters: CharacterSet = {
        var set = CharacterSet.urlPathAllowed
        set.remove(charactersIn: "/?#%;")
        return set
    }()

    static func segment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: segmentCharacters) ?? text
    }

    static func snapshot(_ index: Int) -> String { "/snapshots/\(index)" }
    static func types(_ index: Int) -> String { "/snapshots/\(index)/types" }
    static func type(_ index: Int, _ name: String, from: Int = 0) -> String {
        "/snapshots/\(index)/types/\(segment(name))" + (from > 0 ? "?from=\(from)" : "")
    }
    static func object(_ index: Int, _ id: UInt64) -> String { "/snapshots/\(index)/objects/\(id)" }
    static func refsPage(_ index: Int, _ id: UInt64) -> String { object(index, id) + "/refs" }
    static func backrefsPage(_ index: Int, _ id: UInt64) -> String { object(index, id) + "/backrefs" }
    static func refsPicture(_ index: Int, _ id: UInt64) -> String { object(index, id) + "/refs.svg" }
    static func backrefsPicture(_ index: Int, _ id: UInt64) -> String { object(index, id) + "/backrefs.svg" }
    static func leaks(_ index: Int) -> String { "/snapshots/\(index)/leaks" }
    static func leakPicture(_ index: Int, group: Int) -> String { "/snapshots/\(index)/leaks/\(group).svg" }
    static func compare(from: Int, to: Int) -> String { "/compare?from=\(from)&to=\(to)" }
}
