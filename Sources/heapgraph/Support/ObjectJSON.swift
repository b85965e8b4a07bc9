import HeapAnalysis
import HeapGraphModel

/// One object as JSON, the same for `heapgraph show --json` and `heapgraph serve`'s
/// `/api/snapshots/K/objects/ID` (docs/cli.md, docs/serve.md): sizes, flags, referents and
/// referrers with their labels and ids (counted in full, listed up to a limit), and the path
/// from a root.
struct ObjectJSON: Encodable {
    struct Reference: Encodable { var reference: String; var id: UInt64; var type: String; var weak: Bool }
    struct Step: Encodable { var id: UInt64; var type: String; var label: String; var reference: String? }

    /// The snapshot file (`show` only; absent from the server's answers).
    var file: String?
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
    /// The path from a root, root first; absent when no root reaches the object.
    var path: [Step]?
    var root: String?

    /// `details` of an object of `graph`, with at most `limit` referents and referrers (nil:
    /// all of them).
    init(_ details: ObjectDetails, graph: HeapSnapshot, file: String? = nil, limit: Int?) {
        func reference(_ reference: ObjectDetails.Reference) -> Reference {
            Reference(reference: reference.label, id: graph.id(of: reference.node), type: graph.typeName(of: reference.node),
                      weak: reference.isWeak)
        }
        let node = details.node
        self.file = file
        id = graph.id(of: node)
        type = graph.typeName(of: node)
        label = graph.shortLabel(of: node)
        shallowBytes = graph.shallowSize(of: node)
        retainedBytes = details.retainedSize
        flags = graph.flagNames(of: node)
        referentCount = details.referents.count
        referents = details.referents.prefix(limit ?? Int.max).map(reference)
        referrerCount = details.referrers.count
        referrers = details.referrers.prefix(limit ?? Int.max).map(reference)
        path = details.trace.map { trace in
            trace.steps.map { Step(id: $0.id, type: $0.typeName, label: $0.label, reference: $0.reference) }
        }
        root = details.trace?.rootName
    }
}
