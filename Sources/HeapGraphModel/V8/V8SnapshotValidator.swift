import HeapGraphFormat

#if canImport(Glibc)
import Glibc
#endif

/// What ``HeapSnapshot/validateV8Snapshot(at:)`` found: every broken invariant, in one line
/// each, and the counts it saw.
public struct V8ValidationReport: Sendable, Equatable {
    /// Each broken invariant, in the order found (at most ``maximumProblems``, then a line
    /// saying how many more).
    public var problems: [String] = []
    public var nodeCount = 0
    public var edgeCount = 0
    public var stringCount = 0
    public var isValid: Bool { problems.isEmpty }
    public static let maximumProblems = 20
    var suppressed = 0

    mutating func add(_ problem: String) {
        if problems.count < Self.maximumProblems { problems.append(problem) } else { suppressed += 1 }
    }
}

extension HeapSnapshot {
    /// Checks every structural invariant of a V8 `.heapsnapshot` file that V8 keeps and
    /// DevTools' loader relies on, streaming (4 bytes per node for the ids):
    /// - members: `snapshot` first, then `nodes`, `edges`, the optional trace, sample and
    ///   location arrays, and `strings` last (DevTools parses everything after `"strings"`
    ///   as one array); no unknown or repeated member;
    /// - `meta`: `node_fields` with `type`, `name`, `id`, `self_size`, `edge_count`;
    ///   `node_types` one descriptor per field (Node 24's one extra allowed when
    ///   `trace_node_id` is absent), the type enum a list, `name` a `"string"` and the rest
    ///   `"number"`; `edge_fields` with `type`, `name_or_index`, `to_node`, and `edge_types`
    ///   likewise (`"string_or_number"`, `"node"`), edge types all known to V8;
    /// - `node_count`, `edge_count` and `trace_function_count` present and exact: the nodes
    ///   array divides into nodes, the edges array into edges, the nodes' `edge_count`s add
    ///   up to the edges;
    /// - every number a non-negative integer below 2³² (DevTools keeps them in 32 bits);
    /// - node and edge types within their enums; node names and the names of `context`,
    ///   `property`, `internal`, `shortcut` and `weak` edges valid string indexes
    ///   (`element` and `hidden` edges carry plain numbers); every `to_node` a multiple of the
    ///   node field count inside the nodes array;
    /// - `trace_node_id` 0 without allocation traces, `detachedness` 0, 1 or 2;
    ///   `trace_function_infos` as long as `trace_function_count` says;
    /// - ids distinct, and node 0 the synthetic root.
    ///
    /// - Returns: the report; a file that cannot be read or parsed gives one problem saying so.
    /// - Complexity: O(file size + nodes log nodes).
    public static func validateV8Snapshot(at path: String) -> V8ValidationReport {
        let descriptor = SystemCall.retrying { open(path, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else {
            var report = V8ValidationReport()
            report.add("cannot read \(path): \(SystemCall.message(errno))")
            return report
        }
        defer { _ = close(descriptor) }
        var validator = V8SnapshotValidator(tokens: V8SnapshotReader(stream: V8ByteStream(descriptor: descriptor), fileSize: 0))
        do {
            try validator.validate()
        } catch {
            validator.report.add(error.description)
        }
        var report = validator.report
        if report.suppressed > 0 { report.problems.append("… and \(report.suppressed) more problems") }
        return report
    }
}

/// The validator's pass over the document; the reader's tokenizer gives it the tokens.
struct V8SnapshotValidator: ~Copyable {
    var tokens: V8SnapshotReader
    var report = V8ValidationReport()

    // What the layout says.
    var nodeFields: [String] = []
    var nodeTypes: [[String]?] = []       // per field: the enum, or nil for a plain descriptor
    var nodeDescriptors: [String?] = []   // per field: the plain descriptor, or nil for an enum
    var edgeFields: [String] = []
    var edgeTypes: [[String]?] = []
    var edgeDescriptors: [String?] = []
    var traceFunctionInfoFields: Int?
    var declaredNodes: UInt64?
    var declaredEdges: UInt64?
    var traceFunctionCount: UInt64?
    var sawMeta = false

    // What the arrays hold.
    var ids: [UInt32] = []
    var edgeCountSum: UInt64 = 0
    var largestNodeName: UInt64?
    var largestEdgeName: UInt64?

    init(tokens: consuming V8SnapshotReader) {
        self.tokens = tokens
    }

    static let members = ["snapshot", "nodes", "edges", "trace_function_infos", "trace_tree", "samples", "locations", "strings"]
    static let stringNamedEdges: Set<String> = ["context", "property", "internal", "shortcut", "weak"]

    mutating func validate() throws(V8SnapshotError) {
        try tokens.expect(UInt8(ascii: "{"), in: "the snapshot")
        var seen: [String] = []
        if tokens.stream.peekSkippingSpace() == UInt8(ascii: "}") {
            _ = tokens.stream.next()
        } else {
            repeat {
                let key = try tokens.string(in: "the snapshot")
                try tokens.expect(UInt8(ascii: ":"), in: "the snapshot")
                if seen.contains(key) { report.add("member \"\(key)\" appears twice") }
                if seen.last == "strings" { report.add("\"\(key)\" follows \"strings\", which must be the last member") }
                if seen.isEmpty, key != "snapshot" { report.add("the first member is \"\(key)\", not \"snapshot\"") }
                if let position = Self.members.firstIndex(of: key), let previous = seen.last.flatMap({ Self.members.firstIndex(of: $0) }),
                   position < previous {
                    report.add("\"\(key)\" comes after \"\(Self.members[previous])\"")
                }
                seen.append(key)
                switch key {
                case "snapshot": try header()
                case "nodes": try nodes()
                case "edges": try edges()
                case "strings": try strings()
                case "trace_function_infos": try traceFunctionInfos()
                case "trace_tree", "samples", "locations": try tokens.skipValue(in: "\"\(key)\"")
                default:
                    report.add("unknown member \"\(key)\"")
                    try tokens.skipValue(in: "\"\(key)\"")
                }
            } while try tokens.separator(closing: UInt8(ascii: "}"), in: "the snapshot")
        }
        if tokens.stream.peekSkippingSpace() != nil { report.add("text follows the end of the snapshot") }
        for member in ["snapshot", "nodes", "edges", "strings"] where !seen.contains(member) {
            report.add("no \"\(member)\" member")
        }
        let sorted = ids.sorted()
        var duplicates = 0
        for index in sorted.indices.dropFirst() where sorted[index] == sorted[index - 1] {
            if duplicates == 0 { report.add("id \(sorted[index]) is given to more than one node") }
            duplicates += 1
        }
        if duplicates > 1 { report.add("\(duplicates) ids repeat in all") }
    }

    // MARK: snapshot and meta

    mutating func header() throws(V8SnapshotError) {
        try tokens.expect(UInt8(ascii: "{"), in: "\"snapshot\"")
        var seen: Set<String> = []
        if tokens.stream.peekSkippingSpace() == UInt8(ascii: "}") { _ = tokens.stream.next() } else {
            repeat {
                let key = try tokens.string(in: "\"snapshot\"")
                try tokens.expect(UInt8(ascii: ":"), in: "\"snapshot\"")
                if !seen.insert(key).inserted { report.add("snapshot.\(key) appears twice") }
                switch key {
                case "meta": try meta()
                case "node_count": declaredNodes = try number(in: "snapshot.node_count")
                case "edge_count": declaredEdges = try number(in: "snapshot.edge_count")
                case "trace_function_count": traceFunctionCount = try number(in: "snapshot.trace_function_count")
                case "extra_native_bytes": _ = try number(in: "snapshot.extra_native_bytes")
                default:
                    report.add("unknown member snapshot.\(key)")
                    try tokens.skipValue(in: "\"snapshot\"")
                }
            } while try tokens.separator(closing: UInt8(ascii: "}"), in: "\"snapshot\"")
        }
        for key in ["meta", "node_count", "edge_count", "trace_function_count"] where !seen.contains(key) {
            report.add("no snapshot.\(key)")
        }
    }

    /// A number below 2³², as DevTools holds every number.
    mutating func number(in what: String) throws(V8SnapshotError) -> UInt64 {
        let value = try tokens.unsignedInteger(in: what)
        if value > UInt64(UInt32.max) { report.add("\(what): \(value) is not below 2^32") }
        return value
    }

    /// A descriptor list: per field, an enum (a list of names) or a plain descriptor.
    mutating func descriptors(in what: String) throws(V8SnapshotError) -> (enums: [[String]?], plain: [String?]) {
        try tokens.expect(UInt8(ascii: "["), in: what)
        var enums: [[String]?] = [], plain: [String?] = []
        if tokens.stream.peekSkippingSpace() == UInt8(ascii: "]") { _ = tokens.stream.next(); return ([], []) }
        repeat {
            switch tokens.stream.peekSkippingSpace() {
            case UInt8(ascii: "["):
                enums.append(try tokens.stringArray(in: what)); plain.append(nil)
            case UInt8(ascii: "\""):
                enums.append(nil); plain.append(try tokens.string(in: what))
            default:
                report.add("\(what) holds something that is neither a list of names nor a descriptor")
                try tokens.skipValue(in: what)
                enums.append(nil); plain.append(nil)
            }
        } while try tokens.separator(closing: UInt8(ascii: "]"), in: what)
        return (enums, plain)
    }

    mutating func meta() throws(V8SnapshotError) {
        if sawMeta { report.add("two snapshot.meta objects") }
        sawMeta = true
        try tokens.expect(UInt8(ascii: "{"), in: "snapshot.meta")
        var seen: Set<String> = []
        if tokens.stream.peekSkippingSpace() == UInt8(ascii: "}") { _ = tokens.stream.next() } else {
            repeat {
                let key = try tokens.string(in: "snapshot.meta")
                try tokens.expect(UInt8(ascii: ":"), in: "snapshot.meta")
                if !seen.insert(key).inserted { report.add("meta.\(key) appears twice") }
                switch key {
                case "node_fields": nodeFields = try tokens.stringArray(in: "meta.node_fields")
                case "edge_fields": edgeFields = try tokens.stringArray(in: "meta.edge_fields")
                case "node_types": (nodeTypes, nodeDescriptors) = try descriptors(in: "meta.node_types")
                case "edge_types": (edgeTypes, edgeDescriptors) = try descriptors(in: "meta.edge_types")
                case "trace_function_info_fields": traceFunctionInfoFields = try tokens.stringArray(in: "meta.\(key)").count
                case "trace_node_fields", "sample_fields", "location_fields": _ = try tokens.stringArray(in: "meta.\(key)")
                default:
                    report.add("unknown member meta.\(key)")
                    try tokens.skipValue(in: "snapshot.meta")
                }
            } while try tokens.separator(closing: UInt8(ascii: "}"), in: "snapshot.meta")
        }
        for key in ["node_fields", "node_types", "edge_fields", "edge_types"] where !seen.contains(key) {
            report.add("no meta.\(key)")
        }
        checkFields(nodeFields, enums: nodeTypes, plain: nodeDescriptors, list: "node",
                    required: ["type", "name", "id", "self_size", "edge_count"],
                    descriptor: { $0 == "name" ? "string" : "number" })
        checkFields(edgeFields, enums: edgeTypes, plain: edgeDescriptors, list: "edge",
                    required: ["type", "name_or_index", "to_node"],
                    descriptor: { $0 == "name_or_index" ? "string_or_number" : "node" })
        if let types = edgeTypes.first ?? nil {
            for type in types where !V8Vocabulary.edgeTypes.contains(type) { report.add("meta.edge_types lists an unknown edge type \"\(type)\"") }
        }
        if let types = nodeTypes.first ?? nil, !types.contains("synthetic") {
            report.add("meta.node_types has no \"synthetic\" type for the root")
        }
    }

    /// A field list and its descriptors: required fields, no repeats, one descriptor per
    /// field (Node 24's extra one allowed), the type an enum, the others as `descriptor` says.
    mutating func checkFields(_ fields: [String], enums: [[String]?], plain: [String?], list: String,
                              required: [String], descriptor: (String) -> String) {
        for field in required where !fields.contains(field) { report.add("meta.\(list)_fields has no \"\(field)\"") }
        if Set(fields).count != fields.count { report.add("meta.\(list)_fields repeats a field") }
        let node24 = list == "node" && !fields.contains("trace_node_id") && enums.count == fields.count + 1
        if enums.count != fields.count && !node24 {
            report.add("meta.\(list)_types has \(enums.count) descriptors for \(fields.count) fields")
        }
        for (position, field) in fields.enumerated() where position < enums.count {
            if field == "type" {
                if let names = enums[position] {
                    if names.isEmpty { report.add("meta.\(list)_types lists no \(list) types") }
                    if Set(names).count != names.count { report.add("meta.\(list)_types repeats a \(list) type") }
                } else {
                    report.add("meta.\(list)_types describes \"type\" without listing the types")
                }
            } else if plain[position] != descriptor(field) && !(node24 && position > fields.firstIndex(of: "edge_count") ?? 0) {
                report.add("meta.\(list)_types describes \"\(field)\" as \(plain[position].map { "\"\($0)\"" } ?? "a list"), not \"\(descriptor(field))\"")
            }
        }
    }

    // MARK: arrays

    mutating func nodes() throws(V8SnapshotError) {
        guard sawMeta, let typeField = nodeFields.firstIndex(of: "type"), let nameField = nodeFields.firstIndex(of: "name"),
              let idField = nodeFields.firstIndex(of: "id"), let edgeCountField = nodeFields.firstIndex(of: "edge_count") else {
            report.add("\"nodes\" cannot be checked without a layout before it")
            try tokens.skipValue(in: "\"nodes\"")
            return
        }
        let typeNames = (typeField < nodeTypes.count ? nodeTypes[typeField] : nil) ?? []
        let synthetic = typeNames.firstIndex(of: "synthetic")
        let traceField = nodeFields.firstIndex(of: "trace_node_id")
        let detachedField = nodeFields.firstIndex(of: "detachedness")
        let width = nodeFields.count
        var field = 0
        var node = 0
        var reportedTrace = false, reportedDetached = false, reportedType = false, reportedLarge = false
        let what = "the nodes array"
        try tokens.expect(UInt8(ascii: "["), in: what)
        if tokens.stream.peekSkippingSpace() == UInt8(ascii: "]") { _ = tokens.stream.next() } else {
            repeat {
                let value = try tokens.unsignedInteger(in: what)
                if value > UInt64(UInt32.max), !reportedLarge {
                    reportedLarge = true
                    report.add("node \(node) holds \(value), not below 2^32")
                }
                switch field {
                case typeField:
                    if value >= UInt64(typeNames.count), !reportedType {
                        reportedType = true
                        report.add("node \(node) has type \(value), but node_types lists \(typeNames.count)")
                    }
                    if node == 0, synthetic.map({ UInt64($0) }) != value { report.add("node 0 is not the synthetic root") }
                case nameField: largestNodeName = max(largestNodeName ?? 0, value)
                case idField: ids.append(UInt32(truncatingIfNeeded: value))
                case edgeCountField: edgeCountSum += value
                case traceField:
                    if value != 0, (traceFunctionCount ?? 0) == 0, !reportedTrace {
                        reportedTrace = true
                        report.add("node \(node) has trace_node_id \(value) without allocation traces")
                    }
                case detachedField:
                    if value > 2, !reportedDetached {
                        reportedDetached = true
                        report.add("node \(node) has detachedness \(value) (0, 1 or 2)")
                    }
                default: break
                }
                field += 1
                if field == width { field = 0; node += 1 }
            } while try tokens.separator(closing: UInt8(ascii: "]"), in: what)
        }
        if field != 0 { report.add("the nodes array does not divide into nodes of \(width) fields") }
        report.nodeCount = node
        if let declaredNodes, declaredNodes != UInt64(node) {
            report.add("snapshot.node_count is \(declaredNodes), but the nodes array has \(node) nodes")
        }
    }

    mutating func edges() throws(V8SnapshotError) {
        guard sawMeta, report.nodeCount > 0 || ids.isEmpty, let typeField = edgeFields.firstIndex(of: "type"),
              let nameField = edgeFields.firstIndex(of: "name_or_index"), let targetField = edgeFields.firstIndex(of: "to_node") else {
            report.add("\"edges\" cannot be checked without a layout before it")
            try tokens.skipValue(in: "\"edges\"")
            return
        }
        let typeNames = (typeField < edgeTypes.count ? edgeTypes[typeField] : nil) ?? []
        let namedByString = typeNames.map { !($0 == "element" || $0 == "hidden") }
        let nodeWidth = UInt64(max(nodeFields.count, 1))
        let nodesLength = UInt64(report.nodeCount) * nodeWidth
        let width = edgeFields.count
        var field = 0, edge = 0
        var type = 0, name: UInt64 = 0, target: UInt64 = 0
        var reportedType = false, reportedTarget = false, reportedLarge = false
        let what = "the edges array"
        try tokens.expect(UInt8(ascii: "["), in: what)
        if tokens.stream.peekSkippingSpace() == UInt8(ascii: "]") { _ = tokens.stream.next() } else {
            repeat {
                let value = try tokens.unsignedInteger(in: what)
                if value > UInt64(UInt32.max), !reportedLarge {
                    reportedLarge = true
                    report.add("edge \(edge) holds \(value), not below 2^32")
                }
                switch field {
                case typeField:
                    if value >= UInt64(typeNames.count) {
                        if !reportedType { report.add("edge \(edge) has type \(value), but edge_types lists \(typeNames.count)") }
                        reportedType = true
                        type = -1
                    } else {
                        type = Int(value)
                    }
                case nameField: name = value
                case targetField: target = value
                default: break
                }
                field += 1
                if field == width {
                    field = 0
                    if type >= 0, namedByString[type] { largestEdgeName = max(largestEdgeName ?? 0, name) }
                    if (target % nodeWidth != 0 || target >= nodesLength), !reportedTarget {
                        reportedTarget = true
                        report.add("edge \(edge) has to_node \(target), which is not a node's offset in the nodes array")
                    }
                    edge += 1
                }
            } while try tokens.separator(closing: UInt8(ascii: "]"), in: what)
        }
        if field != 0 { report.add("the edges array does not divide into edges of \(width) fields") }
        report.edgeCount = edge
        if edgeCountSum != UInt64(edge) {
            report.add("the nodes' edge_count fields add up to \(edgeCountSum), but the edges array has \(edge) edges")
        }
        if let declaredEdges, declaredEdges != UInt64(edge) {
            report.add("snapshot.edge_count is \(declaredEdges), but the edges array has \(edge) edges")
        }
    }

    mutating func traceFunctionInfos() throws(V8SnapshotError) {
        var count = 0
        let what = "\"trace_function_infos\""
        try tokens.expect(UInt8(ascii: "["), in: what)
        if tokens.stream.peekSkippingSpace() == UInt8(ascii: "]") { _ = tokens.stream.next() } else {
            repeat { _ = try number(in: what); count += 1 } while try tokens.separator(closing: UInt8(ascii: "]"), in: what)
        }
        let expected = Int(traceFunctionCount ?? 0) * (traceFunctionInfoFields ?? 6)
        if count != expected {
            report.add("trace_function_infos has \(count) numbers, but trace_function_count says \(expected)")
        }
    }

    mutating func strings() throws(V8SnapshotError) {
        var count = 0
        let what = "the strings array"
        try tokens.expect(UInt8(ascii: "["), in: what)
        if tokens.stream.peekSkippingSpace() == UInt8(ascii: "]") { _ = tokens.stream.next() } else {
            repeat { _ = try tokens.string(in: what); count += 1 } while try tokens.separator(closing: UInt8(ascii: "]"), in: what)
        }
        report.stringCount = count
        if let largestNodeName, largestNodeName >= UInt64(count) {
            report.add("a node is named by string \(largestNodeName), but there are \(count) strings")
        }
        if let largestEdgeName, largestEdgeName >= UInt64(count) {
            report.add("an edge is named by string \(largestEdgeName), but there are \(count) strings")
        }
    }
}
