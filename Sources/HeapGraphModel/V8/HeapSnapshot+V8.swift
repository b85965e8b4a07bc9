import HeapGraphFormat

#if canImport(Glibc)
import Glibc
#endif

extension HeapSnapshot {
    /// Whether `prefix` (a file's first bytes) looks like a V8 `.heapsnapshot`: JSON text
    /// whose first key is `"snapshot"`, as V8 writes it. Detection is by content, never by
    /// the file's name.
    public static func looksLikeV8HeapSnapshot(prefix: some Collection<UInt8>) -> Bool {
        var bytes = prefix.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        guard bytes.first == UInt8(ascii: "{") else { return false }
        bytes = bytes.dropFirst().drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        return bytes.starts(with: Array("\"snapshot\"".utf8))
    }

    /// Reads a V8 heap snapshot (`.heapsnapshot`, from Node 18–24 or Chrome) into the
    /// compact graph, mapped as Chrome DevTools maps it (docs/v8.md).
    ///
    /// The layout comes from the file's own `snapshot.meta` (`node_fields`, `node_types`,
    /// `edge_fields`, `edge_types`), so field lists without `trace_node_id` (Node 24) or with
    /// `detachedness`, and new node types ("object shape"), read as well as Node 20's.
    ///
    /// - Complexity: O(file size) time, one pass; streaming through a fixed buffer: the
    ///   number arrays go straight into the graph's columns, and only the `strings` array is
    ///   kept as text. Memory is the graph plus one 4-byte type column per node.
    public init(v8ContentsOf path: String) throws(V8SnapshotError) {
        let descriptor = SystemCall.retrying { open(path, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else { throw .unreadable(path: path, reason: SystemCall.message(errno)) }
        defer { _ = close(descriptor) }
        var size = stat()
        let fileSize = fstat(descriptor, &size) == 0 ? Int(size.st_size) : 0
        var reader = V8SnapshotReader(stream: V8ByteStream(descriptor: descriptor), fileSize: fileSize)
        self = try reader.read(path: path)
    }
}

/// The layout a snapshot's `meta` declares.
struct V8Layout {
    var nodeFields: [String] = []
    /// Per node field: the enum's names when the field is an enum, else empty.
    var nodeTypes: [[String]] = []
    var edgeFields: [String] = []
    var edgeTypes: [[String]] = []
}

/// A one-pass reader of the `.heapsnapshot` JSON: a small tokenizer over ``V8ByteStream``
/// that knows the document's shape and builds no tree.
struct V8SnapshotReader: ~Copyable {
    var stream: V8ByteStream
    let fileSize: Int
    var layout: V8Layout?
    var declaredNodeCount: Int?
    var declaredEdgeCount: Int?

    // The graph's columns, filled as the arrays are read.
    var ids: [UInt64] = []
    var v8Types: [UInt8] = []      // node type ordinal, into nodeTypeNames
    var nodeTypeNames: [String] = []
    /// While reading, each node's name (a V8 string index); ``build()`` turns it into the
    /// type-name column in place (the names of non-object nodes move to the value labels),
    /// so the names cost no column of their own.
    var typeIndices: [UInt32] = []
    var shallowSizes: [UInt32] = []
    var edgeStart: [UInt32] = [0]
    var edgeTargets: [UInt32] = []
    var edgeCodes: [UInt8] = []
    var edgeValues: [UInt32] = []
    var strings: [String] = []
    var sawNodes = false, sawEdges = false, sawStrings = false

    init(stream: consuming V8ByteStream, fileSize: Int) {
        self.stream = stream
        self.fileSize = fileSize
    }

    // MARK: Tokens

    /// Fails for the end of the file (as truncation, or a read error) or an unexpected byte.
    mutating func unexpected(_ what: String) -> V8SnapshotError {
        if let code = stream.readError {
            return .unreadable(path: "the snapshot", reason: "\(SystemCall.message(code)) at byte \(stream.position)")
        }
        guard let byte = stream.peek() else { return .truncated(offset: stream.position, what: what) }
        let shown = byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
        return .syntax(offset: stream.position, reason: "unexpected \(shown) in \(what)")
    }

    mutating func expect(_ byte: UInt8, in what: String) throws(V8SnapshotError) {
        guard stream.peekSkippingSpace() == byte else { throw unexpected(what) }
        _ = stream.next()
    }

    /// Reads `,` (true) or the closing bracket (false) after a member.
    mutating func separator(closing: UInt8, in what: String) throws(V8SnapshotError) -> Bool {
        switch stream.peekSkippingSpace() {
        case UInt8(ascii: ","): _ = stream.next(); return true
        case closing: _ = stream.next(); return false
        default: throw unexpected(what)
        }
    }

    /// A non-negative integer, as V8 writes every number in `nodes` and `edges`.
    @inline(__always)
    mutating func unsignedInteger(in what: String) throws(V8SnapshotError) -> UInt64 {
        guard let first = stream.peekSkippingSpace(), first >= 0x30, first <= 0x39 else { throw unexpected(what) }
        var value: UInt64 = 0
        while let byte = stream.peek(), byte >= 0x30, byte <= 0x39 {
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(UInt64(byte - 0x30))
            guard !o1, !o2 else { throw .syntax(offset: stream.position, reason: "a number too large in \(what)") }
            value = sum
            _ = stream.next()
        }
        // A number cut off by the end of the file is a truncation, not a value.
        guard let byte = stream.peek() else { throw unexpected(what) }
        if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            throw .syntax(offset: stream.position, reason: "a number that is not an integer in \(what)")
        }
        return value
    }

    /// A JSON string, unescaped. Lone surrogates (V8 writes them for broken strings) become U+FFFD.
    mutating func string(in what: String) throws(V8SnapshotError) -> String {
        if let plain = stream.fastString() { return plain }
        try expect(UInt8(ascii: "\""), in: what)
        var bytes: [UInt8] = []
        var pendingHigh: UInt32?
        func flushHigh() {
            if pendingHigh != nil { bytes += [0xEF, 0xBF, 0xBD]; pendingHigh = nil }
        }
        while true {
            guard let byte = stream.next() else { throw unexpected(what) }
            if byte == UInt8(ascii: "\"") { break }
            if byte < 0x20 { throw .syntax(offset: stream.position - 1, reason: "a control character inside a string in \(what)") }
            guard byte == UInt8(ascii: "\\") else {
                flushHigh()
                bytes.append(byte)
                continue
            }
            guard let escape = stream.next() else { throw unexpected(what) }
            var scalar: UInt32
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalar = UInt32(escape)
            case UInt8(ascii: "b"): scalar = 8
            case UInt8(ascii: "f"): scalar = 12
            case UInt8(ascii: "n"): scalar = 10
            case UInt8(ascii: "r"): scalar = 13
            case UInt8(ascii: "t"): scalar = 9
            case UInt8(ascii: "u"):
                scalar = 0
                for _ in 0..<4 {
                    guard let hex = stream.next() else { throw unexpected(what) }
                    guard let digit = JSONText.hexDigitValue(hex) else {
                        throw .syntax(offset: stream.position - 1, reason: "a bad \\u escape in \(what)")
                    }
                    scalar = scalar << 4 | digit
                }
            default: throw .syntax(offset: stream.position - 1, reason: "a bad escape in \(what)")
            }
            if (0xD800..<0xDC00).contains(scalar) {
                flushHigh()
                pendingHigh = scalar
                continue
            }
            if (0xDC00..<0xE000).contains(scalar) {
                guard let high = pendingHigh else { bytes += [0xEF, 0xBF, 0xBD]; continue }
                pendingHigh = nil
                scalar = 0x10000 + ((high - 0xD800) << 10) + (scalar - 0xDC00)
            } else {
                flushHigh()
            }
            if let unicode = Unicode.Scalar(scalar) { bytes += Array(String(Character(unicode)).utf8) }
        }
        flushHigh()
        // Invalid UTF-8 is repaired rather than refused: the names only label nodes.
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Skips any JSON value without keeping it, iteratively: the open containers are a
    /// stack of flags (true for an object), so a deeply nested value costs no call stack.
    mutating func skipValue(in what: String) throws(V8SnapshotError) {
        var open: [Bool] = []
        while true {
            // A value.
            guard let byte = stream.peekSkippingSpace() else { throw unexpected(what) }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                _ = stream.next()
                let isObject = byte == UInt8(ascii: "{")
                let closing = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if stream.peekSkippingSpace() == closing {
                    _ = stream.next()
                } else {
                    open.append(isObject)
                    if isObject {
                        _ = try string(in: what)
                        try expect(UInt8(ascii: ":"), in: what)
                    }
                    continue
                }
            case UInt8(ascii: "\""):
                _ = try string(in: what)
            default:
                // A number or a literal: its bytes up to a delimiter.
                var length = 0
                while let b = stream.peek(), !(b == UInt8(ascii: ",") || b == UInt8(ascii: "]") || b == UInt8(ascii: "}")
                                                || b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09) {
                    _ = stream.next()
                    length += 1
                }
                if length == 0 { throw unexpected(what) }
            }
            // After a value: a comma (then the next member), or closings.
            while let isObject = open.last {
                guard let next = stream.peekSkippingSpace() else { throw unexpected(what) }
                if next == UInt8(ascii: ",") {
                    _ = stream.next()
                    if isObject {
                        _ = try string(in: what)
                        try expect(UInt8(ascii: ":"), in: what)
                    }
                    break
                }
                guard next == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else { throw unexpected(what) }
                _ = stream.next()
                open.removeLast()
            }
            if open.isEmpty { return }
        }
    }

    /// `["a","b"]` as strings.
    mutating func stringArray(in what: String) throws(V8SnapshotError) -> [String] {
        try expect(UInt8(ascii: "["), in: what)
        var result: [String] = []
        if stream.peekSkippingSpace() == UInt8(ascii: "]") { _ = stream.next(); return result }
        repeat { result.append(try string(in: what)) } while try separator(closing: UInt8(ascii: "]"), in: what)
        return result
    }

    /// `node_types` / `edge_types`: per field, an array of enum names, or a string (a
    /// field that is not an enum: "string", "number").
    mutating func typeDescriptors(in what: String) throws(V8SnapshotError) -> [[String]] {
        try expect(UInt8(ascii: "["), in: what)
        var result: [[String]] = []
        if stream.peekSkippingSpace() == UInt8(ascii: "]") { _ = stream.next(); return result }
        repeat {
            if stream.peekSkippingSpace() == UInt8(ascii: "[") {
                result.append(try stringArray(in: what))
            } else {
                try skipValue(in: what)
                result.append([])
            }
        } while try separator(closing: UInt8(ascii: "]"), in: what)
        return result
    }

    /// Reads an object's members, handing each key to `member`, which must read the value.
    mutating func object(in what: String, _ member: (inout V8SnapshotReader, String) throws(V8SnapshotError) -> Void) throws(V8SnapshotError) {
        try expect(UInt8(ascii: "{"), in: what)
        if stream.peekSkippingSpace() == UInt8(ascii: "}") { _ = stream.next(); return }
        repeat {
            let key = try string(in: what)
            try expect(UInt8(ascii: ":"), in: what)
            try member(&self, key)
        } while try separator(closing: UInt8(ascii: "}"), in: what)
    }

    // MARK: The document

    mutating func read(path: String) throws(V8SnapshotError) -> HeapSnapshot {
        try object(in: "the snapshot") { (reader: inout V8SnapshotReader, key: String) throws(V8SnapshotError) in
            switch key {
            case "snapshot": try reader.readHeader()
            case "nodes": try reader.readNodes()
            case "edges": try reader.readEdges()
            case "strings":
                reader.strings = try reader.stringArray(in: "the strings array")
                reader.sawStrings = true
            default: try reader.skipValue(in: "\"\(key)\"")
            }
        }
        if stream.peekSkippingSpace() != nil { throw .syntax(offset: stream.position, reason: "text after the end of the snapshot") }
        if let code = stream.readError { throw .unreadable(path: path, reason: SystemCall.message(code)) }
        guard sawNodes else { throw .corrupt(reason: "no \"nodes\" array") }
        guard sawEdges else { throw .corrupt(reason: "no \"edges\" array") }
        guard sawStrings else { throw .corrupt(reason: "no \"strings\" array") }
        return try build()
    }

    mutating func readHeader() throws(V8SnapshotError) {
        try object(in: "\"snapshot\"") { (reader: inout V8SnapshotReader, key: String) throws(V8SnapshotError) in
            switch key {
            case "meta": try reader.readMeta()
            case "node_count": reader.declaredNodeCount = Int(clamping: try reader.unsignedInteger(in: "\"node_count\""))
            case "edge_count": reader.declaredEdgeCount = Int(clamping: try reader.unsignedInteger(in: "\"edge_count\""))
            default: try reader.skipValue(in: "\"snapshot\"")
            }
        }
    }

    mutating func readMeta() throws(V8SnapshotError) {
        // One layout for the whole file: a second one could disagree with arrays already read.
        guard self.layout == nil else { throw .corrupt(reason: "two \"meta\" objects") }
        var layout = V8Layout()
        try object(in: "\"meta\"") { (reader: inout V8SnapshotReader, key: String) throws(V8SnapshotError) in
            switch key {
            case "node_fields": layout.nodeFields = try reader.stringArray(in: "\"node_fields\"")
            case "node_types": layout.nodeTypes = try reader.typeDescriptors(in: "\"node_types\"")
            case "edge_fields": layout.edgeFields = try reader.stringArray(in: "\"edge_fields\"")
            case "edge_types": layout.edgeTypes = try reader.typeDescriptors(in: "\"edge_types\"")
            default: try reader.skipValue(in: "\"meta\"")
            }
        }
        self.layout = layout
    }

    /// A field's position in a layout's field list, or a layout error.
    func field(_ name: String, of fields: [String], _ list: String) throws(V8SnapshotError) -> Int {
        guard let index = fields.firstIndex(of: name) else {
            throw .badLayout(reason: "\(list) has no \"\(name)\" (it lists \(fields.joined(separator: ", ")))")
        }
        return index
    }

    /// How many entries to reserve: the declared count, but never more than the file could hold
    /// (two bytes a number), so a lying header costs nothing.
    func reservation(_ declared: Int?, fieldsEach: Int) -> Int {
        min(declared ?? 0, fileSize / max(2 * fieldsEach, 1))
    }

    mutating func readNodes() throws(V8SnapshotError) {
        guard let layout else { throw .badLayout(reason: "\"nodes\" comes before \"snapshot\".\"meta\"") }
        guard !sawNodes else { throw .corrupt(reason: "two \"nodes\" arrays") }
        let fields = layout.nodeFields
        let typeField = try field("type", of: fields, "node_fields")
        let nameField = try field("name", of: fields, "node_fields")
        let idField = try field("id", of: fields, "node_fields")
        let sizeField = try field("self_size", of: fields, "node_fields")
        let edgeCountField = try field("edge_count", of: fields, "node_fields")
        guard layout.nodeTypes.indices.contains(typeField), !layout.nodeTypes[typeField].isEmpty else {
            throw .badLayout(reason: "node_types does not list the node types")
        }
        nodeTypeNames = layout.nodeTypes[typeField]
        // A byte per node while reading: V8 has 16 types.
        guard nodeTypeNames.count <= 256 else { throw .badLayout(reason: "node_types lists \(nodeTypeNames.count) types (at most 256)") }
        let typeCount = UInt64(nodeTypeNames.count)
        let reserve = reservation(declaredNodeCount, fieldsEach: fields.count)
        ids.reserveCapacity(reserve); v8Types.reserveCapacity(reserve); typeIndices.reserveCapacity(reserve)
        shallowSizes.reserveCapacity(reserve); edgeStart.reserveCapacity(reserve + 1)
        var edgeTotal: UInt64 = 0
        var fieldIndex = 0
        let what = "the nodes array"
        try expect(UInt8(ascii: "["), in: what)
        if stream.peekSkippingSpace() == UInt8(ascii: "]") {
            _ = stream.next()
        } else {
            repeat {
                let value: UInt64
                if let fast = stream.fastUnsignedInteger() { value = fast } else { value = try unsignedInteger(in: what) }
                switch fieldIndex {
                case typeField:
                    guard value < typeCount else {
                        throw .corrupt(reason: "node \(ids.count) has type \(value), but node_types lists \(typeCount)")
                    }
                    v8Types.append(UInt8(value))
                case nameField:
                    guard value < UInt64(PackedEdgeLabel.maxValue) else { throw .corrupt(reason: "node \(ids.count) names string \(value)") }
                    typeIndices.append(UInt32(value))
                case idField: ids.append(value)
                case sizeField: shallowSizes.append(UInt32(clamping: value))
                case edgeCountField:
                    edgeTotal += value
                    guard edgeTotal < UInt64(UInt32.max) else { throw .tooLarge(reason: "more than 2^32 - 1 edges") }
                    edgeStart.append(UInt32(edgeTotal))
                default: break
                }
                fieldIndex += 1
                if fieldIndex == fields.count {
                    fieldIndex = 0
                    // Node ordinals are 32-bit (edge targets, reverse sources).
                    guard ids.count <= Int(UInt32.max) else { throw .tooLarge(reason: "more than 2^32 - 1 nodes") }
                }
            } while stream.consumeComma() ? true : try separator(closing: UInt8(ascii: "]"), in: what)
        }
        guard fieldIndex == 0 else {
            throw .corrupt(reason: "the nodes array does not divide into nodes of \(fields.count) fields")
        }
        if let declaredNodeCount, declaredNodeCount != ids.count {
            throw .corrupt(reason: "\"node_count\" is \(declaredNodeCount), but the nodes array has \(ids.count) nodes")
        }
        sawNodes = true
    }

    mutating func readEdges() throws(V8SnapshotError) {
        guard let layout else { throw .badLayout(reason: "\"edges\" comes before \"snapshot\".\"meta\"") }
        guard sawNodes else { throw .badLayout(reason: "\"edges\" comes before \"nodes\"") }
        guard !sawEdges else { throw .corrupt(reason: "two \"edges\" arrays") }
        let fields = layout.edgeFields
        let typeField = try field("type", of: fields, "edge_fields")
        let nameField = try field("name_or_index", of: fields, "edge_fields")
        let targetField = try field("to_node", of: fields, "edge_fields")
        guard layout.edgeTypes.indices.contains(typeField), !layout.edgeTypes[typeField].isEmpty else {
            throw .badLayout(reason: "edge_types does not list the edge types")
        }
        // Per V8 edge type: the graph's kind byte, and whether its name is a string index.
        let kinds: [(kind: UInt8, namedByString: Bool)] = layout.edgeTypes[typeField].map { name in
            switch name {
            case "element": (SnapshotFormat.EdgeKind.index.rawValue, false)
            case "hidden": (SnapshotFormat.EdgeKind.hidden.rawValue, false)
            case "property": (SnapshotFormat.EdgeKind.attribute.rawValue | SnapshotFormat.textNameBit, true)
            case "context": (SnapshotFormat.EdgeKind.closureVariable.rawValue, true)
            case "shortcut": (SnapshotFormat.EdgeKind.shortcut.rawValue, true)
            case "weak": (SnapshotFormat.EdgeKind.named.rawValue | SnapshotFormat.weakBit, true)
            default: (SnapshotFormat.EdgeKind.named.rawValue, true)   // internal, and any newer kind
            }
        }
        let nodeFieldCount = UInt64(layout.nodeFields.count)
        let nodeCount = UInt64(ids.count)
        let expected = Int(edgeStart.last ?? 0)
        let reserve = min(expected, fileSize / max(2 * fields.count, 1))
        edgeTargets.reserveCapacity(reserve)
        edgeCodes.reserveCapacity(reserve)
        edgeValues.reserveCapacity(reserve)
        var type = 0, name: UInt64 = 0, target: UInt64 = 0
        var fieldIndex = 0
        let what = "the edges array"
        try expect(UInt8(ascii: "["), in: what)
        if stream.peekSkippingSpace() == UInt8(ascii: "]") {
            _ = stream.next()
        } else {
            repeat {
                let value: UInt64
                if let fast = stream.fastUnsignedInteger() { value = fast } else { value = try unsignedInteger(in: what) }
                switch fieldIndex {
                case typeField:
                    guard value < UInt64(kinds.count) else {
                        throw .corrupt(reason: "edge \(edgeTargets.count) has type \(value), but edge_types lists \(kinds.count)")
                    }
                    type = Int(value)
                case nameField: name = value
                case targetField: target = value
                default: break
                }
                fieldIndex += 1
                if fieldIndex == fields.count {
                    fieldIndex = 0
                    let edge = edgeTargets.count
                    guard edge < expected else { throw .corrupt(reason: "the edges array has more edges than the nodes count (\(expected))") }
                    guard target % nodeFieldCount == 0, target / nodeFieldCount < nodeCount else {
                        throw .corrupt(reason: "edge \(edge) points at \(target), which is not a node's offset in the nodes array")
                    }
                    let kind = kinds[type]
                    if kind.namedByString, name >= UInt64(PackedEdgeLabel.maxValue) {
                        throw .corrupt(reason: "edge \(edge) names string \(name)")
                    }
                    // Element and hidden indexes past 2^32 - 1 are clamped (the label's limit;
                    // V8 writes none that large).
                    let packed = PackedEdgeLabel(kindByte: kind.kind, value: UInt32(clamping: name))
                    edgeTargets.append(UInt32(target / nodeFieldCount))
                    edgeCodes.append(packed?.code ?? 0)
                    edgeValues.append(packed?.payload ?? 0)
                }
            } while stream.consumeComma() ? true : try separator(closing: UInt8(ascii: "]"), in: what)
        }
        guard fieldIndex == 0 else {
            throw .corrupt(reason: "the edges array does not divide into edges of \(fields.count) fields")
        }
        guard edgeTargets.count == expected else {
            throw .corrupt(reason: "the nodes count \(expected) edges, the edges array has \(edgeTargets.count)")
        }
        if let declaredEdgeCount, declaredEdgeCount != expected {
            throw .corrupt(reason: "\"edge_count\" is \(declaredEdgeCount), but the edges array has \(expected) edges")
        }
        sawEdges = true
    }

    // MARK: The graph

    /// DevTools' class name for a node type (`JSHeapSnapshotNode.className`): objects and
    /// native nodes go by their name, the rest by their type in parentheses.
    static func className(ofType type: String) -> String? {
        switch type {
        case "object", "native": nil
        case "hidden": "(system)"
        case "code": "(compiled code)"
        default: "(\(type))"
        }
    }

    static func kind(ofType type: String) -> NodeKind {
        switch type {
        case "array": .array
        case "string", "concatenated string", "sliced string": .string
        case "number", "heap number", "bigint": .number
        case "closure": .closure
        case "code": .code
        case "native": .native
        case "synthetic": .synthetic
        case "hidden", "object shape": .hidden
        default: .object
        }
    }

    mutating func build() throws(V8SnapshotError) -> HeapSnapshot {
        let typeNames = nodeTypeNames
        let nodeCount = ids.count
        let v8StringCount = strings.count
        // String indexes are 32-bit, 2^32 - 1 meaning "no string".
        guard v8StringCount + typeNames.count <= Int(PackedEdgeLabel.maxValue) else {
            throw .tooLarge(reason: "more than 2^32 - 1 strings")
        }
        // Class names of non-object types are appended to V8's strings.
        var classNameIndex: [UInt32?] = []
        for type in typeNames {
            if let name = Self.className(ofType: type) {
                classNameIndex.append(UInt32(strings.count))
                strings.append(name)
            } else {
                classNameIndex.append(nil)
            }
        }
        let kindOfType = typeNames.map { Self.kind(ofType: $0).rawValue }
        var valueLabels = [UInt32](repeating: SnapshotFormat.noString, count: nodeCount)
        var nodeKinds = [UInt8](repeating: 0, count: nodeCount)
        for node in 0..<nodeCount {
            let type = Int(v8Types[node]), name = typeIndices[node]
            guard Int(name) < v8StringCount else {
                throw .corrupt(reason: "node \(node) names string \(name), but there are \(v8StringCount)")
            }
            if let className = classNameIndex[type] {
                typeIndices[node] = className
                valueLabels[node] = name
            }
            nodeKinds[node] = kindOfType[type]
        }
        v8Types = []
        var references = [UInt32](repeating: 0, count: nodeCount)
        for edge in 0..<edgeCodes.count {
            let label = PackedEdgeLabel(code: edgeCodes[edge], payload: edgeValues[edge])
            if label.kind != .index, label.kind != .hidden, label.value >= v8StringCount {
                throw .corrupt(reason: "edge \(edge) names string \(label.value), but there are \(v8StringCount)")
            }
            if !label.isWeak { references[Int(edgeTargets[edge])] &+= 1 }
        }
        let roots = Self.roots(nodeCount: nodeCount, edgeStart: edgeStart, edgeTargets: edgeTargets, edgeValues: edgeValues,
                               typeIndices: typeIndices, valueLabels: valueLabels, strings: strings, kinds: nodeKinds)
        var metadata = SnapshotMetadata(json: "{\"format\":\"v8-heapsnapshot\",\"runtime\":\"V8\",\"objects\":\(nodeCount),\"edges\":\(edgeTargets.count)}")
        metadata.runtime = "V8"
        metadata.producer = "V8 heap snapshot"
        return HeapSnapshot(
            strings: strings, metadata: metadata, ids: ids, referenceCounts: references,
            typeIndices: typeIndices, valueLabels: valueLabels, shallowSizes: shallowSizes,
            externalCounts: [Int32](repeating: 0, count: nodeCount),
            generations: [UInt8](repeating: 255, count: nodeCount),
            nodeFlags: [UInt8](repeating: 0, count: nodeCount), nodeKinds: nodeKinds,
            roots: roots, edgeStart: edgeStart, edgeTargets: edgeTargets, edgeCodes: edgeCodes, edgeValues: edgeValues)
    }

    /// DevTools' roots: node 0 is the synthetic root, and the synthetic nodes under its
    /// `(GC roots)` child (`(Strong roots)`, `(Stack roots)`, `(Handle scope)`…) are the
    /// categories V8 holds objects by; each becomes a named root. The category nodes our
    /// exporter writes (`(module globals)`…, ``RootCategory/v8SubrootName``) stand for the
    /// graph's own roots instead: each of their edges is a root, named by the edge.
    static func roots(nodeCount: Int, edgeStart: [UInt32], edgeTargets: [UInt32], edgeValues: [UInt32], typeIndices: [UInt32],
                      valueLabels: [UInt32], strings: [String], kinds: [UInt8]) -> [HeapSnapshot.Root] {
        // A node's V8 name: its value label when its type has a class name, else its type name.
        func nameIndex(_ node: Int) -> Int {
            Int(valueLabels[node] != SnapshotFormat.noString ? valueLabels[node] : typeIndices[node])
        }
        guard nodeCount > 0 else { return [] }
        var roots = [HeapSnapshot.Root(node: 0, name: "(root)", category: .runtime)]
        let synthetic = NodeKind.synthetic.rawValue
        for edge in Int(edgeStart[0])..<Int(edgeStart[1]) {
            let child = Int(edgeTargets[edge])
            guard kinds[child] == synthetic, strings[nameIndex(child)] == "(GC roots)" else { continue }
            for rootEdge in Int(edgeStart[child])..<Int(edgeStart[child + 1]) {
                let category = Int(edgeTargets[rootEdge])
                let categoryName = strings[nameIndex(category)]
                if kinds[category] == synthetic, let exported = RootCategory(v8SubrootName: categoryName) {
                    for held in Int(edgeStart[category])..<Int(edgeStart[category + 1]) {
                        let name = Int(edgeValues[held]) < strings.count ? strings[Int(edgeValues[held])] : "?"
                        roots.append(HeapSnapshot.Root(node: Int(edgeTargets[held]), name: name, category: exported))
                    }
                    continue
                }
                roots.append(HeapSnapshot.Root(node: category, name: categoryName, category: .runtime))
            }
            break
        }
        return roots
    }
}
