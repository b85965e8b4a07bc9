import HeapAnalysis
import HeapGraphModel

/// The JSON behind the pages (docs/serve.md): the same data, compact, keys sorted.
struct ExplorerAPI {
    let snapshots: [ExplorerSnapshot]

    struct SnapshotInfo: Encodable { var index: Int; var file: String; var objects: Int; var references: Int; var bytes: Int }
    struct TypeRow: Encodable { var name: String; var count: Int; var bytes: Int }
    struct ObjectRow: Encodable { var id: UInt64; var type: String; var label: String; var shallowBytes: Int; var retainedBytes: Int }
    struct Instances: Encodable { var type: String; var count: Int; var from: Int; var objects: [ObjectRow] }
    struct Reference: Encodable { var reference: String; var id: UInt64; var type: String; var weak: Bool }
    struct Step: Encodable { var id: UInt64; var type: String; var label: String; var reference: String? }
    struct Object: Encodable {
        var id: UInt64
        var type: String
        var label: String
        var shallowBytes: Int
        var retainedBytes: Int
        var flags: [String]
        var referentCount: Int
        var referents: [Reference]
        var referrerCount: Int
        var referrers: [Reference]
        var path: [Step]?
        var root: String?
    }
    struct LeakGroupRow: Encodable {
        var category: String; var fingerprint: String; var count: Int; var types: [String]
        var bytes: Int; var retainedBytes: Int; var exampleIDs: [UInt64]; var picture: String
    }
    struct ComparisonRow: Encodable { var name: String; var before: Int; var after: Int; var change: Int; var bytesChange: Int }

    func snapshotList() throws -> String {
        try ReportJSON.text(snapshots.enumerated().map { index, snapshot in
            SnapshotInfo(index: index, file: snapshot.name, objects: snapshot.graph.nodeCount,
                         references: snapshot.graph.edgeCount, bytes: snapshot.types.reduce(0) { $0 + $1.bytes })
        })
    }

    func types(_ index: Int) throws -> String {
        try ReportJSON.text(snapshots[index].types.map { TypeRow(name: $0.name, count: $0.count, bytes: $0.bytes) })
    }

    /// nil when the snapshot has no such type.
    func instances(_ index: Int, type name: String, from: Int) throws -> String? {
        let snapshot = snapshots[index]
        guard let nodes = snapshot.nodes(ofType: name) else { return nil }
        let start = min(max(0, from), nodes.count)
        let rows = nodes[start..<min(nodes.count, start + ExplorerPages.pageSize)].map { node in
            ObjectRow(id: snapshot.graph.id(of: node), type: snapshot.graph.typeName(of: node), label: snapshot.graph.shortLabel(of: node),
                      shallowBytes: snapshot.graph.shallowSize(of: node), retainedBytes: snapshot.dominators.retainedSize(of: node))
        }
        return try ReportJSON.text(Instances(type: name, count: nodes.count, from: start, objects: rows))
    }

    func object(_ index: Int, node: Int) throws -> String {
        let snapshot = snapshots[index]
        let graph = snapshot.graph
        func reference(_ node: Int, _ label: String, _ weak: Bool) -> Reference {
            Reference(reference: label, id: graph.id(of: node), type: graph.typeName(of: node), weak: weak)
        }
        let edges = graph.edges(of: node)
        var referrers: [Reference] = []
        var referrerCount = 0
        var seen = Set<Int>()
        for source in graph.referrers(of: node) where seen.insert(source).inserted {
            for edge in graph.edges(of: source) where edge.target == node {
                referrerCount += 1
                if referrers.count < ExplorerPages.pageSize { referrers.append(reference(source, graph.labelText(edge), edge.isWeak)) }
            }
        }
        let trace = snapshot.rootPaths.trace(to: node, in: graph)
        let output = Object(id: graph.id(of: node), type: graph.typeName(of: node), label: graph.shortLabel(of: node),
                            shallowBytes: graph.shallowSize(of: node), retainedBytes: snapshot.dominators.retainedSize(of: node),
                            flags: ShowCommand.flagNames(graph, node),
                            referentCount: edges.count,
                            referents: edges.prefix(ExplorerPages.pageSize).map { reference($0.target, graph.labelText($0), $0.isWeak) },
                            referrerCount: referrerCount, referrers: referrers,
                            path: trace.map { $0.steps.map { Step(id: $0.id, type: $0.typeName, label: $0.label, reference: $0.reference) } },
                            root: trace?.rootName)
        return try ReportJSON.text(output)
    }

    func leaks(_ index: Int) throws -> String {
        try ReportJSON.text(snapshots[index].leaks().groups.enumerated().map { number, group in
            LeakGroupRow(category: group.category.rawValue, fingerprint: group.fingerprint, count: group.count, types: group.types,
                         bytes: group.bytes, retainedBytes: group.retainedBytes, exampleIDs: group.exampleIDs,
                         picture: ExplorerURL.leakPicture(index, group: number))
        })
    }

    func comparison(from: Int, to: Int) throws -> String {
        try ReportJSON.text(SnapshotComparison([snapshots[from].graph, snapshots[to].graph]).rows.map { row in
            ComparisonRow(name: row.name, before: row.counts.first ?? 0, after: row.counts.last ?? 0,
                          change: row.change, bytesChange: row.bytesChange)
        })
    }
}
