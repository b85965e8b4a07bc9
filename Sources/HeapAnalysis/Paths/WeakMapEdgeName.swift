/// V8's name for the two `internal` edges that hold a WeakMap value, as DevTools reads it:
/// `12 / part of key (Object @31) -> value (Detached @33) pair in WeakMap (table @29)`.
///
/// V8 writes one such edge from the WeakMap's table and one from the key, both to the value
/// and with the same name after the leading number. Either alone would not keep the value
/// alive; DevTools counts the key's edge for dominators and the later of the two for
/// distances.
struct WeakMapEdgeName: Sendable, Hashable {
    /// Where, in UTF-8 bytes, the part of the name the two edges of one pair share starts
    /// (after the leading number); ``sharedPart(of:)`` cuts it out without a copy.
    let sharedPartStart: Int
    /// The V8 id of the WeakMap's table (`table @29`).
    let tableID: UInt64

    /// The name without its leading number: what the two edges of one pair share.
    func sharedPart(of name: String) -> Substring {
        Substring(name.utf8.dropFirst(sharedPartStart))
    }

    /// Parses `name`, or nil when it is not such a name. The grammar is DevTools':
    /// digits, ` / part of key (`, anything, ` @`digits`) -> value (`, anything, ` @`digits`)`,
    /// ` pair in WeakMap (table @`digits`)` and the end.
    /// - Complexity: O(length of the name); no copy of a native string.
    init?(_ name: String) {
        let parsed = name.utf8.withContiguousStorageIfAvailable { Self.parse($0) } ?? Self.parse(Array(name.utf8))
        guard let parsed else { return nil }
        (sharedPartStart, tableID) = parsed
    }

    private static func parse<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes) -> (Int, UInt64)? where Bytes.Index == Int {
        func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
        /// Whether `bytes[..<end]` ends with ` @` and at least one digit.
        func endsWithID(_ end: Int, from start: Int) -> Bool {
            var index = end
            while index > start, isDigit(bytes[index - 1]) { index -= 1 }
            return index < end && index - 2 >= start && bytes[index - 2] == 0x20 && bytes[index - 1] == UInt8(ascii: "@")
        }
        guard bytes.startIndex == 0 else { return nil }
        var numberEnd = 0
        while numberEnd < bytes.count, isDigit(bytes[numberEnd]) { numberEnd += 1 }
        guard numberEnd > 0 else { return nil }
        let head = Array(" / part of key (".utf8)
        let tail = Array(" pair in WeakMap (table @".utf8)
        let separator = Array(") -> value (".utf8)
        guard bytes[numberEnd...].starts(with: head), bytes.last == UInt8(ascii: ")") else { return nil }
        let close = bytes.count - 1
        var tableStart = close
        while tableStart > 0, isDigit(bytes[tableStart - 1]) { tableStart -= 1 }
        let tailStart = tableStart - tail.count
        let middleStart = numberEnd + head.count
        guard tableStart < close, tailStart >= middleStart, bytes[tailStart..<tableStart].elementsEqual(tail) else { return nil }
        // The middle, `key @1) -> value (value @2)`: ends with ` @digits)`, and some
        // separator has ` @digits` before it (names may contain the separator's text).
        guard tailStart > middleStart, bytes[tailStart - 1] == UInt8(ascii: ")"),
              endsWithID(tailStart - 1, from: middleStart) else { return nil }
        var found = false
        var position = middleStart
        while position + separator.count <= tailStart - 1 {
            if bytes[position..<(position + separator.count)].elementsEqual(separator), endsWithID(position, from: middleStart),
               endsWithID(tailStart - 1, from: position + separator.count) {
                found = true
                break
            }
            position += 1
        }
        guard found else { return nil }
        var table: UInt64 = 0
        for byte in bytes[tableStart..<close] {
            let (times, o1) = table.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(UInt64(byte - 0x30))
            guard !o1, !o2 else { return nil }
            table = sum
        }
        return (numberEnd, table)
    }
}
