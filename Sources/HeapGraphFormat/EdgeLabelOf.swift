/// How an edge is labelled: the one model of an edge label, from a producer's walk over its
/// heap to the file and back into a graph.
///
/// `Name` is how a label names a dict key or an attribute: a host program gives text
/// (`EdgeLabelOf<String>`, which HeapRuntime calls `EdgeLabel`); a runtime walking its own
/// objects gives the key object; a snapshot refers to it by node ordinal or by text
/// (``LabelName``). ``map(_:)`` turns one into another.
public enum EdgeLabelOf<Name: Hashable & Sendable>: Hashable, Sendable {
    /// A list or tuple index.
    case index(Int)
    /// A dict value, reached through its key.
    case key(Name)
    /// A dict entry's key (the edge from the dict to the key itself).
    case dictKey
    /// An instance or class attribute, by its name.
    case attribute(Name)
    /// A fixed or internal name (`__class__`, `referent`), or a name a host type chose.
    case named(String)
    /// A variable a closure captured, by its name.
    case closureVariable(String)
    /// A reference the program cannot see (V8's hidden edges), by its index.
    case hidden(Int)
    /// A shortcut past intermediate objects (V8's shortcut edges), by its name.
    case shortcut(String)
    /// An edge with nothing to say about it (a set element).
    case none

    /// The file's kind for this label.
    @inlinable
    public var kind: SnapshotFormat.EdgeKind {
        switch self {
        case .none: .none
        case .index: .index
        case .dictKey: .dictKey
        case .key: .key
        case .attribute: .attribute
        case .named: .named
        case .closureVariable: .closureVariable
        case .hidden: .hidden
        case .shortcut: .shortcut
        }
    }

    /// The same label with its names transformed. Inlinable: producers call it per edge.
    @inlinable
    public func map<Other>(_ transform: (Name) -> Other) -> EdgeLabelOf<Other> {
        switch self {
        case .none: .none
        case .index(let i): .index(i)
        case .dictKey: .dictKey
        case .key(let name): .key(transform(name))
        case .attribute(let name): .attribute(transform(name))
        case .named(let text): .named(text)
        case .closureVariable(let text): .closureVariable(text)
        case .hidden(let i): .hidden(i)
        case .shortcut(let text): .shortcut(text)
        }
    }
}

/// How a snapshot's label names a key or an attribute: another node (a key object, an
/// attribute's str), or text when there is no such node (a host's label, a V8 property).
public enum LabelName: Hashable, Sendable {
    case node(Int)
    case text(String)
}

extension EdgeLabelOf where Name == LabelName {
    /// The label as an edge record stores it: the kind byte (kind, text-name bit; the caller
    /// adds the weak bit) and the value, with `intern` giving string indexes
    /// (docs/snapshot-format.md).
    @inlinable
    public func encoded(_ intern: (String) -> UInt32) -> (kind: UInt8, value: UInt32) {
        func name(_ kind: SnapshotFormat.EdgeKind, _ name: LabelName) -> (kind: UInt8, value: UInt32) {
            switch name {
            case .node(let node): (kind.rawValue, UInt32(truncatingIfNeeded: node))
            case .text(let text): (kind.rawValue | SnapshotFormat.textNameBit, intern(text))
            }
        }
        switch self {
        case .none: return (SnapshotFormat.EdgeKind.none.rawValue, 0)
        case .index(let i): return (SnapshotFormat.EdgeKind.index.rawValue, UInt32(clamping: i))
        case .dictKey: return (SnapshotFormat.EdgeKind.dictKey.rawValue, 0)
        case .key(let key): return name(.key, key)
        case .attribute(let attribute): return name(.attribute, attribute)
        case .named(let text): return (SnapshotFormat.EdgeKind.named.rawValue, intern(text))
        case .closureVariable(let text): return (SnapshotFormat.EdgeKind.closureVariable.rawValue, intern(text))
        case .hidden(let i): return (SnapshotFormat.EdgeKind.hidden.rawValue, UInt32(clamping: i))
        case .shortcut(let text): return (SnapshotFormat.EdgeKind.shortcut.rawValue, intern(text))
        }
    }
}

/// An edge label as a compact graph keeps one per edge, in two columns: a code byte (the
/// weak bit 7, and in the low 4 bits the file's kind, or 9 and 10 for a key and an attribute
/// named by a string) and a 32-bit value (a node ordinal, a string index or an index, clamped
/// to 2³² − 1).
///
/// The value has all 32 bits, as an edge record's, so node ordinals and string indexes reach
/// 2³² − 1 (an earlier form packed both into one 32-bit word, and stopped at 2²⁷ − 1); the
/// code costs one byte more per edge than that word did.
public struct PackedEdgeLabel: Hashable, Sendable {
    /// The code byte, as the graph's code column stores it.
    public var code: UInt8
    /// The value, as the graph's value column stores it.
    public var payload: UInt32

    @inlinable public init(code: UInt8, payload: UInt32) {
        self.code = code
        self.payload = payload
    }

    /// The largest value a label holds (larger ones are clamped to it).
    public static let maxValue: UInt32 = .max
    /// The weak bit of the code byte.
    public static let weakCode: UInt8 = 0x80
    @usableFromInline static let kindCodeMask: UInt8 = 15
    @usableFromInline static let textKey: UInt8 = 9
    @usableFromInline static let textAttribute: UInt8 = 10

    /// From an edge record's kind byte (weak and text-name bits included) and value; nil for
    /// a kind byte no version of the format defines.
    @inlinable
    public init?(kindByte: UInt8, value: UInt32) {
        guard let kind = SnapshotFormat.EdgeKind(rawValue: kindByte & SnapshotFormat.kindMask) else { return nil }
        var code = kind.rawValue
        if kindByte & SnapshotFormat.textNameBit != 0 {
            switch kind {
            case .key: code = Self.textKey
            case .attribute: code = Self.textAttribute
            default: return nil
            }
        }
        self.code = code | (kindByte & SnapshotFormat.weakBit != 0 ? Self.weakCode : 0)
        payload = value
    }

    @inlinable public var kind: SnapshotFormat.EdgeKind {
        let kindCode = code & Self.kindCodeMask
        if kindCode == Self.textKey { return .key }
        if kindCode == Self.textAttribute { return .attribute }
        return SnapshotFormat.EdgeKind(rawValue: kindCode) ?? .none
    }
    /// Whether a key or attribute is named by a string index rather than a node.
    @inlinable public var nameIsText: Bool {
        let kindCode = code & Self.kindCodeMask
        return kindCode == Self.textKey || kindCode == Self.textAttribute
    }
    @inlinable public var value: Int { Int(payload) }
    @inlinable public var isWeak: Bool { code & Self.weakCode != 0 }

    /// The kind byte an edge record stores for this label (the inverse of
    /// ``init(kindByte:value:)``).
    @inlinable public var kindByte: UInt8 {
        (kind.rawValue | (nameIsText ? SnapshotFormat.textNameBit : 0)) | (isWeak ? SnapshotFormat.weakBit : 0)
    }
}
