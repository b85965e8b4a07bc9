/// Reads the metadata JSON in one pass, without building a document. Foundation's
/// `JSONSerialization` made an object per value (about 2.6 kB per watched entry, 35 times
/// its JSON); this keeps only what ``SnapshotMetadata`` has fields for, so a watched entry
/// costs its dictionary slot and its description (equal descriptions share one buffer).
///
/// It still checks that the whole is JSON (RFC 8259) with an object at the top. It does not
/// recurse: containers are tracked on an explicit stack, at most ``maximumDepth`` deep.
/// Where a field has the wrong shape (a threshold that is not an integer, a watched entry
/// that is not an object), the field is left out, as a cast of the parsed document would.
struct MetadataParser {
    static let maximumDepth = 512
    static let descriptionPoolLimit = 1024

    /// What a container is, as far as the metadata's fields go.
    enum Context: Equatable {
        case top, collector, thresholds, counts, generations, generation, allocator, watchedList, watchedEntry, allocationSites, siteNames,
             siteObjects, ignored
    }

    /// The field a key names, in containers whose keys name fields; found once per key, so
    /// that what follows switches on enums, not strings.
    enum Member {
        case other, tag, time, producer, runtime, garbageList, collector, allocator, watched, thresholds, counts, generations, id,
             description, pid, heap, sequence, allocationSites, sites, objects
    }

    struct Frame {
        var isObject: Bool
        var context: Context
        var member = Member.other
        /// The key itself, kept only where keys are data (a generation's, the allocator's).
        var key = ""
    }

    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    var metadata: SnapshotMetadata
    var stack: [Frame] = []
    // Fields being collected, and whether what was found still has the expected shape.
    var thresholdsValid = true, countsValid = true, generationsValid = true, allocatorValid = true, watchedValid = true
    var entryID: UInt64?
    var entryDescription: String?
    var descriptions = Set<String>()
    /// An id read from `allocationSites.objects`, waiting for its site index.
    var pendingSiteObject: UInt64?
    var sitesValid = true

    init(bytes: UnsafeBufferPointer<UInt8>, json: String) {
        self.bytes = bytes
        metadata = SnapshotMetadata(json: json)
    }

    static func parse(_ json: String) throws(SnapshotError) -> SnapshotMetadata {
        var text = json
        let result: Result<SnapshotMetadata, SnapshotError> = text.withUTF8 { buffer in
            var parser = MetadataParser(bytes: buffer, json: json)
            do throws(SnapshotError) {
                try parser.run()
                return .success(parser.finish())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    // MARK: - Grammar

    func failure(_ what: String) -> SnapshotError {
        .badMetadata(reason: "not JSON: \(what) at byte \(position)")
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    mutating func run() throws(SnapshotError) {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "{") else {
            throw .badMetadata(reason: "not a JSON object")
        }
        position += 1
        stack.append(Frame(isObject: true, context: .top))
        var justOpened = true, afterValue = false
        while let frame = stack.last {
            skipWhitespace()
            guard position < bytes.count else { throw failure("the text ends inside a container") }
            let byte = bytes[position]
            let closing = UInt8(ascii: frame.isObject ? "}" : "]")
            if afterValue {
                guard byte == UInt8(ascii: ",") || byte == closing else {
                    throw failure("expected ',' or '\(Character(Unicode.Scalar(closing)))'")
                }
                position += 1
                if byte == UInt8(ascii: ",") { afterValue = false } else { close() }
                continue
            }
            if justOpened && byte == closing {
                position += 1
                close()
                afterValue = true
                continue
            }
            justOpened = false
            if frame.isObject {
                guard byte == UInt8(ascii: "\"") else { throw failure("expected a key") }
                let key = try string(keeping: Self.keysMatter(in: frame.context))
                stack[stack.count - 1].member = key.map { Self.member(named: $0, in: frame.context) } ?? .other
                if frame.context == .generation || frame.context == .allocator { stack[stack.count - 1].key = key ?? "" }
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw failure("expected ':'") }
                position += 1
                skipWhitespace()
                guard position < bytes.count else { throw failure("the text ends before a value") }
            }
            let first = bytes[position]
            if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
                guard stack.count < Self.maximumDepth else { throw failure("nesting deeper than \(Self.maximumDepth)") }
                position += 1
                let isObject = first == UInt8(ascii: "{")
                stack.append(Frame(isObject: isObject, context: open(isObject: isObject, in: stack[stack.count - 1])))
                justOpened = true
            } else {
                try scalar(in: stack[stack.count - 1])
                afterValue = true
            }
        }
        skipWhitespace()
        guard position == bytes.count else { throw failure("text after the object") }
    }

    /// Reads a string at `position` (at its opening quote); returns it when `keeping`.
    mutating func string(keeping: Bool) throws(SnapshotError) -> String? {
        position += 1
        let start = position
        var plain = true
        while true {
            guard position < bytes.count else { throw failure("a string is not closed") }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") { break }
            if byte < 0x20 { throw failure("a control character in a string") }
            if byte == UInt8(ascii: "\\") {
                plain = false
                position += 1
                guard position < bytes.count else { throw failure("a string is not closed") }
                switch bytes[position] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 1
                case UInt8(ascii: "u"):
                    guard position + 4 < bytes.count, (1...4).allSatisfy({ JSONText.hexDigitValue(bytes[position + $0]) != nil }) else {
                        throw failure("a bad \\u escape")
                    }
                    position += 5
                default:
                    throw failure("a bad escape")
                }
                continue
            }
            position += 1
        }
        let end = position
        position += 1
        guard keeping || !plain else { return nil }
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if plain { return String(decoding: raw, as: UTF8.self) }
        let decoded = try unescape(raw, at: start)
        return keeping ? decoded : nil
    }

    /// Decodes the escapes of a string whose syntax was checked; a lone surrogate is an error.
    func unescape(_ raw: UnsafeBufferPointer<UInt8>, at start: Int) throws(SnapshotError) -> String {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(raw.count)
        var index = 0
        func hex4(_ at: Int) -> UInt32 {
            (0..<4).reduce(0) { $0 << 4 | (JSONText.hexDigitValue(raw[at + $1]) ?? 0) }
        }
        while index < raw.count {
            let byte = raw[index]
            guard byte == UInt8(ascii: "\\") else { utf8.append(byte); index += 1; continue }
            let escape = raw[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "u"):
                var value = hex4(index)
                index += 4
                if (0xD800..<0xDC00).contains(value) {
                    guard index + 6 <= raw.count, raw[index] == UInt8(ascii: "\\"), raw[index + 1] == UInt8(ascii: "u") else {
                        throw .badMetadata(reason: "not JSON: a lone surrogate in the string at byte \(start)")
                    }
                    let low = hex4(index + 2)
                    guard (0xDC00..<0xE000).contains(low) else {
                        throw .badMetadata(reason: "not JSON: a lone surrogate in the string at byte \(start)")
                    }
                    value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                } else if (0xDC00..<0xE000).contains(value) {
                    throw .badMetadata(reason: "not JSON: a lone surrogate in the string at byte \(start)")
                }
                guard let scalar = Unicode.Scalar(value) else {
                    throw .badMetadata(reason: "not JSON: a bad \\u escape in the string at byte \(start)")
                }
                utf8.append(contentsOf: UTF8.encode(scalar).map { Array($0) } ?? [])
            default: utf8.append(escape)               // '"', '\\' and '/' stand for themselves
            }
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    enum Scalar {
        case string(String?)
        /// An integer's text (no fraction or exponent), or nil for any other number.
        case number(Substring?)
        case literal
    }

    /// Reads a string, number, `true`, `false` or `null` at `position`.
    mutating func readScalar(keepingStrings: Bool) throws(SnapshotError) -> Scalar {
        let byte = bytes[position]
        if byte == UInt8(ascii: "\"") { return .string(try string(keeping: keepingStrings)) }
        let literal: StaticString? = switch byte {
        case UInt8(ascii: "t"): "true"
        case UInt8(ascii: "f"): "false"
        case UInt8(ascii: "n"): "null"
        default: nil
        }
        if let literal {
            let count = literal.utf8CodeUnitCount
            guard position + count <= bytes.count,
                  (0..<count).allSatisfy({ bytes[position + $0] == literal.utf8Start[$0] }) else { throw failure("expected a value") }
            position += count
            return .literal
        }
        // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
        let start = position
        var integral = true
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        func digits() -> Int {
            let from = position
            while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
            return position - from
        }
        guard position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) else {
            throw failure("expected a value")
        }
        if bytes[position] == UInt8(ascii: "0") { position += 1 } else { _ = digits() }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            integral = false
            guard digits() > 0 else { throw failure("a number without digits after '.'") }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            integral = false
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard digits() > 0 else { throw failure("a number without exponent digits") }
        }
        guard integral else { return .number(nil) }
        return .number(Substring(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self))
    }

    // MARK: - Fields

    static func member(named key: String, in context: Context) -> Member {
        switch (context, key) {
        case (.top, "tag"): .tag
        case (.top, "time"): .time
        case (.top, "producer"): .producer
        case (.top, "runtime"): .runtime
        case (.top, "garbageList"): .garbageList
        case (.top, "pid"): .pid
        case (.top, "heap"): .heap
        case (.top, "sequence"): .sequence
        case (.top, "collector"): .collector
        case (.top, "allocator"): .allocator
        case (.top, "watched"): .watched
        case (.top, "allocationSites"): .allocationSites
        case (.allocationSites, "sites"): .sites
        case (.allocationSites, "objects"): .objects
        case (.collector, "thresholds"): .thresholds
        case (.collector, "counts"): .counts
        case (.collector, "generations"): .generations
        case (.watchedEntry, "id"): .id
        case (.watchedEntry, "description"): .description
        default: .other
        }
    }

    static func keysMatter(in context: Context) -> Bool {
        switch context {
        case .top, .collector, .generation, .allocator, .watchedEntry, .allocationSites: true
        default: false
        }
    }

    /// What the container opening as the current member of `parent` is; resets the field it
    /// starts, or marks the field it breaks.
    mutating func open(isObject: Bool, in parent: Frame) -> Context {
        switch (parent.context, parent.member) {
        case (.top, .collector):
            metadata.thresholds = nil; metadata.counts = nil; metadata.generationStats = nil
            return isObject ? .collector : .ignored
        case (.top, .allocator):
            metadata.allocator = isObject ? [:] : nil
            allocatorValid = true
            return isObject ? .allocator : .ignored
        case (.top, .watched):
            metadata.watched = isObject ? nil : [:]
            watchedValid = true
            return isObject ? .ignored : .watchedList
        case (.top, .allocationSites):
            metadata.allocationSiteNames = []; metadata.allocationSiteIndexes = [:]
            sitesValid = isObject
            return isObject ? .allocationSites : .ignored
        case (.allocationSites, .sites):
            metadata.allocationSiteNames = []
            sitesValid = sitesValid && !isObject
            return isObject ? .ignored : .siteNames
        case (.allocationSites, .objects):
            metadata.allocationSiteIndexes = [:]
            pendingSiteObject = nil
            sitesValid = sitesValid && !isObject
            return isObject ? .ignored : .siteObjects
        case (.siteNames, _), (.siteObjects, _): sitesValid = false
        case (.top, .tag): metadata.tag = nil
        case (.top, .time): metadata.time = nil
        case (.top, .producer): metadata.producer = nil
        case (.top, .runtime): metadata.runtime = nil
        case (.top, .garbageList): metadata.garbageListID = nil
        case (.top, .pid): metadata.pid = nil
        case (.top, .heap): metadata.heapIdentity = nil
        case (.top, .sequence): metadata.sequence = nil
        case (.collector, .thresholds):
            metadata.thresholds = isObject ? nil : []
            thresholdsValid = true
            return isObject ? .ignored : .thresholds
        case (.collector, .counts):
            metadata.counts = isObject ? nil : []
            countsValid = true
            return isObject ? .ignored : .counts
        case (.collector, .generations):
            metadata.generationStats = isObject ? nil : []
            generationsValid = true
            return isObject ? .ignored : .generations
        case (.thresholds, _): thresholdsValid = false
        case (.counts, _): countsValid = false
        case (.generations, _):
            guard isObject else { generationsValid = false; break }
            metadata.generationStats?.append([:])
            return .generation
        case (.generation, _): generationsValid = false
        case (.allocator, _): allocatorValid = false
        case (.watchedList, _):
            guard isObject else { watchedValid = false; break }
            entryID = nil
            entryDescription = nil
            return .watchedEntry
        case (.watchedEntry, .id): entryID = nil
        case (.watchedEntry, .description): entryDescription = nil
        default: break
        }
        return .ignored
    }

    mutating func scalar(in parent: Frame) throws(SnapshotError) {
        let keep: Bool = switch (parent.context, parent.member) {
        case (.top, .tag), (.top, .time), (.top, .producer), (.top, .runtime), (.top, .heap), (.watchedEntry, .description), (.siteNames, _): true
        default: false
        }
        let value = try readScalar(keepingStrings: keep)
        var text: String? { if case let .string(text) = value { text } else { nil } }
        var int: Int? { if case let .number(digits?) = value { Int(digits) } else { nil } }
        var unsigned: UInt64? { if case let .number(digits?) = value { UInt64(digits) } else { nil } }
        switch (parent.context, parent.member) {
        case (.top, .tag): metadata.tag = text
        case (.top, .time): metadata.time = text
        case (.top, .producer): metadata.producer = text
        case (.top, .runtime): metadata.runtime = text
        case (.top, .garbageList): metadata.garbageListID = unsigned
        case (.top, .pid): metadata.pid = int
        case (.top, .heap): metadata.heapIdentity = text
        case (.top, .sequence): metadata.sequence = int
        case (.top, .collector): metadata.thresholds = nil; metadata.counts = nil; metadata.generationStats = nil
        case (.top, .allocator): metadata.allocator = nil
        case (.top, .watched): metadata.watched = nil
        case (.collector, .thresholds): metadata.thresholds = nil
        case (.collector, .counts): metadata.counts = nil
        case (.collector, .generations): metadata.generationStats = nil
        case (.thresholds, _):
            if let int { metadata.thresholds?.append(int) } else { thresholdsValid = false }
        case (.counts, _):
            if let int { metadata.counts?.append(int) } else { countsValid = false }
        case (.generations, _): generationsValid = false
        case (.generation, _):
            if let int, let last = metadata.generationStats?.indices.last { metadata.generationStats?[last][parent.key] = int }
            else { generationsValid = false }
        case (.allocator, _):
            if let int { metadata.allocator?[parent.key] = int } else { allocatorValid = false }
        case (.watchedList, _): watchedValid = false
        case (.top, .allocationSites), (.allocationSites, .sites), (.allocationSites, .objects): sitesValid = false
        case (.siteNames, _):
            if let text { metadata.allocationSiteNames.append(text) } else { sitesValid = false }
        case (.siteObjects, _):
            // Pairs: an object id, then its index in `sites`.
            if let id = pendingSiteObject {
                if let index = int, index >= 0 { metadata.allocationSiteIndexes[id] = index } else { sitesValid = false }
                pendingSiteObject = nil
            } else if let id = unsigned {
                pendingSiteObject = id
            } else {
                sitesValid = false
            }
        case (.watchedEntry, .id): entryID = unsigned
        case (.watchedEntry, .description):
            // Equal descriptions share one buffer: a host often gives thousands the same text.
            // The pool is bounded, so that unique descriptions cost no more than themselves.
            entryDescription = text.map { text in
                if let index = descriptions.firstIndex(of: text) { return descriptions[index] }
                if descriptions.count < Self.descriptionPoolLimit { descriptions.insert(text) }
                return text
            }
        default: break
        }
    }

    mutating func close() {
        let frame = stack.removeLast()
        if frame.context == .watchedEntry, let id = entryID {
            metadata.watched?[id] = entryDescription ?? ""
        }
    }

    func finish() -> SnapshotMetadata {
        var result = metadata
        if !thresholdsValid { result.thresholds = nil }
        if !countsValid { result.counts = nil }
        if !generationsValid { result.generationStats = nil }
        if !allocatorValid { result.allocator = nil }
        if !watchedValid { result.watched = nil }
        // A site index past the names, or a malformed record, drops the whole record.
        if !sitesValid || pendingSiteObject != nil
            || result.allocationSiteIndexes.values.contains(where: { $0 >= result.allocationSiteNames.count }) {
            result.allocationSiteNames = []
            result.allocationSiteIndexes = [:]
        }
        return result
    }
}
