// The writer→reader round trip, fuzzed: the input's bytes are a recipe for a graph made with
// HeapGraphBuilder (node kinds, type names, value labels, sizes, flags; edges of every kind,
// weak or not, named by nodes or text; roots). The graph is written through SnapshotWriter,
// read back, and compared with the one built in memory; any difference traps.
#if canImport(Glibc)
import Glibc
#endif
import HeapGraphModel

private let roundTripPath = "heapgraph-roundtrip-\(getpid()).heapgraph"

/// Counters printed at exit.
struct RoundTripStats {
    var graphs = 0
    var nodes = 0
    var edges = 0
}
nonisolated(unsafe) var roundTrips = RoundTripStats()

/// Reads the recipe a byte at a time; zeros once it runs out.
private struct Recipe {
    let data: UnsafePointer<UInt8>
    let size: Int
    var position = 0
    mutating func byte() -> Int {
        defer { position += 1 }
        return position < size ? Int(data[position]) : 0
    }
    mutating func word() -> Int { byte() << 8 | byte() }
    var exhausted: Bool { position >= size }
}

func roundTrip(_ data: UnsafePointer<UInt8>, _ size: Int) {
    var recipe = Recipe(data: data, size: size)
    var builder = HeapGraphBuilder(runtime: recipe.byte() % 2 == 0 ? nil : "fuzz \u{1F41B}")
    let nodeCount = recipe.word() % 1024   // small graphs, so the reader still runs at speed
    let types = ["list", "dict", "str", "Node", "", "Ünïcode", "a\"b\\c\n"]
    for _ in 0..<nodeCount {
        let kind = NodeKind(rawValue: UInt8(recipe.byte() % NodeKind.allCases.count)) ?? .object
        let type = types[recipe.byte() % types.count]
        let value = recipe.byte()
        builder.node(type, kind: kind, value: value % 3 == 0 ? "v\(value)" : nil, size: recipe.word() << 8 | recipe.byte(),
                     externalCount: recipe.byte() % 4 == 0 ? 1 : 0, generation: value % 5 == 0 ? nil : value % 4,
                     flags: NodeFlags(rawValue: UInt8(recipe.byte())))
    }
    if nodeCount > 0 {
        while !recipe.exhausted {
            let source = recipe.word() % nodeCount, target = recipe.word() % nodeCount
            let name = recipe.byte()
            let label: EdgeLabelOf<LabelName>
            switch recipe.byte() % 11 {
            case 0: label = .none
            case 1: label = .index(name * 1000)
            case 2: label = .dictKey
            case 3: label = .key(.node(name % nodeCount))
            case 4: label = .key(.text("k\(name)"))
            case 5: label = .attribute(.node(name % nodeCount))
            case 6: label = .attribute(.text("a\(name)"))
            case 7: label = .named("n\(name)")
            case 8: label = .closureVariable("c\(name)")
            case 9: label = .hidden(name)
            default:
                label = .shortcut("s\(name)")
                builder.root(source, name: "root \(name)", category: RootCategory(rawValue: UInt8(name % 6)) ?? .other)
            }
            builder.edge(from: source, to: target, label, weak: name % 7 == 0)
        }
    }
    let built = builder.build()
    do {
        try builder.write(to: roundTripPath)
        let read = try HeapSnapshot(contentsOf: roundTripPath)
        guard sameGraph(built, read) else { fatalError("round trip: the graph read differs from the graph written") }
    } catch {
        fatalError("round trip: \(error)")
    }
    roundTrips.graphs += 1
    roundTrips.nodes += built.nodeCount
    roundTrips.edges += built.edgeCount
    unlink(roundTripPath)
}

/// Whether two graphs say the same, whatever the numbering of their string tables.
private func sameGraph(_ a: HeapSnapshot, _ b: HeapSnapshot) -> Bool {
    guard a.nodeCount == b.nodeCount, a.edgeCount == b.edgeCount, a.roots == b.roots,
          a.metadata.runtime == b.metadata.runtime else { return false }
    for node in 0..<a.nodeCount {
        guard a.id(of: node) == b.id(of: node), a.typeName(of: node) == b.typeName(of: node),
              a.valueLabel(of: node) == b.valueLabel(of: node), a.shallowSize(of: node) == b.shallowSize(of: node),
              a.referenceCount(of: node) == b.referenceCount(of: node), a.externalCount(of: node) == b.externalCount(of: node),
              a.generation(of: node) == b.generation(of: node), a.flags(of: node) == b.flags(of: node),
              a.kind(of: node) == b.kind(of: node), a.referrers(of: node).elementsEqual(b.referrers(of: node)) else { return false }
        guard a.edges(of: node).elementsEqual(b.edges(of: node), by: { x, y in
            x.target == y.target && x.kind == y.kind && x.isWeak == y.isWeak && x.nameIsText == y.nameIsText
                && a.labelText(x) == b.labelText(y)
        }) else { return false }
    }
    return true
}
