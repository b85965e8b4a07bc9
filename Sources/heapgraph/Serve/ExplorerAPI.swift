import HeapAnalysis
import HeapGraphModel

/// The JSON behind the pages (docs/serve.md): the same data, compact, keys sorted.
struct ExplorerAPI {
    let snapshots: [ExplorerSnapshot]

    struct SnapshotInfo: Encodable { var index: Int; var file: String; var objects: Int; var references: Int; var bytes: Int }
    struct TypeRow: Encodable { var name: String; var count: Int; var bytes: Int }
    struct ObjectRow: Encodable { var id: UInt64; var type: String; var label: String; var shallowBytes: Int; var retainedBytes: Int }
    struct Instances: Encodable { var type: String; var count: Int; var from: Int; var objects: [ObjectRow] }
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
        let details = ObjectDetails(graph: snapshot.graph, node: node, dominators: snapshot.dominators, paths: snapshot.rootPaths)
        return try ReportJSON.text(ObjectJSON(details, graph: snapshot.graph, limit: ExplorerPages.pageSize))
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
