/// How an edge is labelled: the one model of an edge label, from a producer's walk over its
/// heap to the file and back into a graph.
///
/// `Name` is how a label names a dict key or an attribute: a host program gives text
/// (`EdgeLabelOf<String>`, which HeapRuntime calls `EdgeLabel`); a runtime walking its own objects gives the key object, which a
/// snapshot then refers to by node ordinal. ``map(_:)`` turns one into the other.
public enum EdgeLabelOf<Name: Hashable & Sendable>: Hashable, Sendable {
    /// A list or tuple index.
    case index(Int)
    /// A dict value, reached through its key.
    case key(Name)
    /// A dict entry's key (the edge from the dict to the key itself).
    case dictKey
    /// An instance or class attribute, by its name.
    case attribute(Name)
    /// A fixed name (`__class__`, `referent`), or a name a host type chose.
    case named(String)
    /// An edge with nothing to say about it (a set element).
    case none

    /// The file's kind for this label.
    public var kind: SnapshotFormat.EdgeKind {
        switch self {
        case .none: .none
        case .index: .index
        case .dictKey: .dictKey
        case .key: .key
        case .attribute: .attribute
        case .named: .named
        }
    }

    /// The same label with its names transformed.
    public func map<Other>(_ transform: (Name) -> Other) -> EdgeLabelOf<Other> {
        switch self {
        case .none: .none
        case .index(let i): .index(i)
        case .dictKey: .dictKey
        case .key(let name): .key(transform(name))
        case .attribute(let name): .attribute(transform(name))
        case .named(let text): .named(text)
        }
    }
}

extension EdgeLabelOf where Name == Int {
    /// The label as an edge record stores it: kind and value, names being node ordinals and
    /// `intern` giving string indexes (docs/snapshot-format.md).
    @inlinable
    public func encoded(_ intern: (String) -> UInt32) -> (kind: SnapshotFormat.EdgeKind, value: UInt32) {
        switch self {
        case .none: (.none, 0)
        case .index(let i): (.index, UInt32(clamping: i))
        case .dictKey: (.dictKey, 0)
        case .key(let key): (.key, UInt32(truncatingIfNeeded: key))
        case .attribute(let name): (.attribute, UInt32(truncatingIfNeeded: name))
        case .named(let name): (.named, intern(name))
        }
    }
}

/// An edge label packed into 32 bits, as a compact graph keeps one per edge: the kind
/// (3 bits) and the weak bit above a 28-bit value.
public struct PackedEdgeLabel: Hashable, Sendable {
    public var rawValue: UInt32
    @inlinable public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let valueBits: UInt32 = 28
    /// The largest value a packed label holds (larger ones are clamped to it).
    public static let valueMask: UInt32 = (1 << 28) - 1
    public static let weakMask: UInt32 = 1 << 31

    @inlinable
    public init(kind: SnapshotFormat.EdgeKind, value: UInt32, isWeak: Bool) {
        rawValue = (UInt32(kind.rawValue) << Self.valueBits) | min(value, Self.valueMask) | (isWeak ? Self.weakMask : 0)
    }

    @inlinable public var kind: SnapshotFormat.EdgeKind {
        SnapshotFormat.EdgeKind(rawValue: UInt8((rawValue >> Self.valueBits) & 7)) ?? .none
    }
    @inlinable public var value: Int { Int(rawValue & Self.valueMask) }
    @inlinable public var isWeak: Bool { rawValue & Self.weakMask != 0 }
}
