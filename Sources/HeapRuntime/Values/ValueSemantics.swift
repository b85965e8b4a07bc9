#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Python's `==`, `hash()` and `repr()` over heap objects. Nested containers are walked
/// with explicit stacks, never recursion: a million-deep nesting must not overflow.
enum ValueSemantics {
    // MARK: Equality

    /// How deep containers may nest in a comparison: CPython's default recursion limit,
    /// which `a == b` on nested lists reaches as well (`RecursionError`).
    static var comparisonDepthLimit: Int { 1000 }

    /// Python's `a == b` for the built-in types; identity for classes, instances and host
    /// objects. `1 == 1.0 == True`. Throws ``HeapError/recursionLimitExceeded`` when
    /// containers nest more than ``comparisonDepthLimit`` deep, as CPython raises
    /// `RecursionError`; that is also how a comparison of two cycles ends
    /// (`a = [a]; b = [b]; a == b`), which would otherwise go on for ever.
    static func equals(_ a: UnsafeMutableRawPointer, _ b: UnsafeMutableRawPointer) throws(HeapError) -> Bool {
        guard let equal = compare(a, b, depthLimit: comparisonDepthLimit) else { throw .recursionLimitExceeded }
        return equal
    }

    /// Equality of two dict keys or set elements that were hashed. A hashable object holds
    /// no list, dict or set, and a tuple cannot contain itself, so the walk ends without a
    /// depth limit, and a key nested deeper than a comparison may go is still found.
    static func keysEqual(_ a: UnsafeMutableRawPointer, _ b: UnsafeMutableRawPointer) -> Bool {
        compare(a, b, depthLimit: .max) ?? false
    }

    /// Depth-first, in the order CPython compares items, with an explicit stack that records
    /// each pair's depth (the stack does not grow on a cycle, so depth is what ends it).
    /// Nil when containers nest more than `depthLimit` deep before a difference is found.
    static func compare(_ a: UnsafeMutableRawPointer, _ b: UnsafeMutableRawPointer, depthLimit: Int) -> Bool? {
        var pending: [(UnsafeMutableRawPointer, UnsafeMutableRawPointer, depth: Int)] = [(a, b, 1)]
        while let (x, y, depth) = pending.popLast() {
            if x == y { continue }
            let kx = kind(x), ky = kind(y)
            switch (kx, ky) {
            case (.int, .int), (.int, .bool), (.bool, .int), (.bool, .bool):
                if x.field(Layout.scalarValue, as: Int.self) != y.field(Layout.scalarValue, as: Int.self) { return false }
            case (.float, .float):
                if x.field(Layout.scalarValue, as: Double.self) != y.field(Layout.scalarValue, as: Double.self) { return false }
            case (.int, .float), (.bool, .float):
                if !intEqualsFloat(x.field(Layout.scalarValue, as: Int.self), y.field(Layout.scalarValue, as: Double.self)) { return false }
            case (.float, .int), (.float, .bool):
                if !intEqualsFloat(y.field(Layout.scalarValue, as: Int.self), x.field(Layout.scalarValue, as: Double.self)) { return false }
            case (.str, .str), (.bytes, .bytes):
                let bx = HeapCore.textBytes(x), by = HeapCore.textBytes(y)
                if bx.count != by.count { return false }
                if x.field(Layout.textHash, as: Int.self) != y.field(Layout.textHash, as: Int.self) { return false }
                if bx.count > 0 && memcmp(bx.baseAddress.unsafelyUnwrapped, by.baseAddress.unsafelyUnwrapped, bx.count) != 0 { return false }
            case (.tuple, .tuple), (.list, .list):
                let (ix, cx) = sequence(x), (iy, cy) = sequence(y)
                if cx != cy { return false }
                if cx > 0 && depth >= depthLimit { return nil }
                for i in stride(from: cx - 1, through: 0, by: -1) { pending.append((ix[i], iy[i], depth + 1)) }
            case (.dict, .dict):
                let tx = HashTable(object: x), ty = HashTable(object: y)
                if tx.count != ty.count { return false }
                if tx.count > 0 && depth >= depthLimit { return nil }
                var mismatch = false
                var values: [(UnsafeMutableRawPointer, UnsafeMutableRawPointer, depth: Int)] = []
                tx.forEachEntry { key, value in
                    guard !mismatch, let value else { return }
                    guard let hash = try? hash(key), let found = ty.lookup(key, hash: hash).entry,
                          let other = ty.entryValue(found)
                    else { mismatch = true; return }
                    values.append((value, other, depth + 1))
                }
                if mismatch { return false }
                pending.append(contentsOf: values.reversed())   // first entry compared first
            case (.set, .set):
                let tx = HashTable(object: x), ty = HashTable(object: y)
                if tx.count != ty.count { return false }
                var mismatch = false
                tx.forEachEntry { key, _ in
                    guard !mismatch else { return }
                    guard let hash = try? hash(key), ty.lookup(key, hash: hash).entry != nil else { mismatch = true; return }
                }
                if mismatch { return false }
            default:
                return false  // different types, or identity-compared objects that are not identical
            }
        }
        return true
    }

    static func intEqualsFloat(_ i: Int, _ f: Double) -> Bool {
        guard f.isFinite, f.rounded(.towardZero) == f, let exact = Int(exactly: f) else { return false }
        return exact == i
    }

    // MARK: Hashing

    /// Python's `hash()`. Numbers that compare equal hash equal (`hash(1) == hash(1.0) ==
    /// hash(True)`); str and bytes use a cached FNV-1a; tuples combine their items as
    /// CPython's xxHash-based `tuplehash`; None, classes, instances and host objects hash by
    /// identity. list, dict and set are unhashable.
    static func hash(_ object: UnsafeMutableRawPointer) throws(HeapError) -> Int {
        switch kind(object) {
        case .int, .bool: return hashInt(object.field(Layout.scalarValue, as: Int.self))
        case .float: return hashFloat(object.field(Layout.scalarValue, as: Double.self))
        case .str, .bytes: return object.field(Layout.textHash, as: Int.self)
        case .none, .class, .instance, .host, .weakref: return identityHash(object)
        case .list, .dict, .set: throw .unhashable(type: typeName(object))
        case .tuple: return try hashTuple(object)
        }
    }

    static var modulus: Int { (1 << 61) - 1 }
    static func hashInt(_ value: Int) -> Int {
        // CPython: the value modulo 2**61 - 1, keeping the sign; -1 is reserved.
        let magnitude = Int(value.magnitude % UInt(modulus))
        let result = value < 0 ? -magnitude : magnitude
        return result == -1 ? -2 : result
    }

    static func hashFloat(_ value: Double) -> Int {
        if value.isFinite, value.rounded(.towardZero) == value, let exact = Int(exactly: value) { return hashInt(exact) }
        if value.isNaN { return 0 }
        var bits = value.bitPattern
        bits ^= bits >> 33
        bits &*= 0xff51_afd7_ed55_8ccd
        bits ^= bits >> 33
        let result = Int(bitPattern: UInt(bits))
        return result == -1 ? -2 : result
    }

    static func identityHash(_ object: UnsafeMutableRawPointer) -> Int {
        // CPython rotates the address by 4 bits: the low ones are always zero.
        let address = UInt(bitPattern: object)
        return Int(bitPattern: (address >> 4) | (address << 60))
    }

    /// Post-order over nested tuples with an explicit stack.
    static func hashTuple(_ root: UnsafeMutableRawPointer) throws(HeapError) -> Int {
        let prime1: UInt = 11_400_714_785_074_694_791
        let prime2: UInt = 14_029_467_366_897_019_727
        let prime5: UInt = 2_870_177_450_012_600_261
        struct Frame { var tuple: UnsafeMutableRawPointer; var next: Int; var accumulator: UInt }
        var stack = [Frame(tuple: root, next: 0, accumulator: prime5)]
        var finished: Int? = nil
        while !stack.isEmpty {
            let top = stack.count - 1
            if let lane = finished {
                var acc = stack[top].accumulator &+ UInt(bitPattern: lane) &* prime2
                acc = (acc << 31) | (acc >> 33)
                stack[top].accumulator = acc &* prime1
                finished = nil
            }
            let (items, count) = sequence(stack[top].tuple)
            if stack[top].next == count {
                let acc = stack[top].accumulator &+ (UInt(count) ^ (prime5 ^ 3_527_539))
                let result = acc == UInt.max ? 1_546_275_796 : Int(bitPattern: acc)
                stack.removeLast()
                finished = result
                continue
            }
            let item = items[stack[top].next]
            stack[top].next += 1
            if kind(item) == .tuple {
                stack.append(Frame(tuple: item, next: 0, accumulator: prime5))
            } else {
                finished = try hash(item)
            }
        }
        return finished ?? 0
    }

    // MARK: Repr

    /// Python's `repr()`. Containers print their items; a container met again inside
    /// itself prints as `[...]`, `(...)` or `{...}` as in CPython. At most `limit`
    /// characters are produced (then `...`), so a huge list costs little.
    static func repr(_ root: UnsafeMutableRawPointer, core: UnsafeMutablePointer<HeapCore>, limit: Int = 10_000) -> String {
        enum Step { case object(UnsafeMutableRawPointer), text(String), leave(UnsafeMutableRawPointer) }
        var out = ""
        var stack: [Step] = [.object(root)]
        var open = Set<UnsafeMutableRawPointer>()
        while let step = stack.popLast() {
            if out.utf8.count > limit { out += "..."; break }
            switch step {
            case let .text(text): out += text
            case let .leave(object): open.remove(object)
            case let .object(object):
                let k = kind(object)
                switch k {
                case .tuple, .list, .dict, .set:
                    if open.contains(object) {
                        out += k == .tuple ? "(...)" : k == .list ? "[...]" : "{...}"
                        continue
                    }
                    var steps: [Step] = []
                    switch k {
                    case .tuple, .list:
                        let (items, count) = sequence(object)
                        steps.append(.text(k == .tuple ? "(" : "["))
                        for i in 0..<count {
                            if i > 0 { steps.append(.text(", ")) }
                            steps.append(.object(items[i]))
                        }
                        if k == .tuple && count == 1 { steps.append(.text(",")) }
                        steps.append(.text(k == .tuple ? ")" : "]"))
                    case .dict:
                        steps.append(.text("{"))
                        var first = true
                        HashTable(object: object).forEachEntry { key, value in
                            if !first { steps.append(.text(", ")) }
                            first = false
                            steps.append(.object(key))
                            steps.append(.text(": "))
                            if let value { steps.append(.object(value)) }
                        }
                        steps.append(.text("}"))
                    default:
                        let table = HashTable(object: object)
                        if table.count == 0 { out += "set()"; continue }
                        steps.append(.text("{"))
                        var first = true
                        table.forEachEntry { key, _ in
                            if !first { steps.append(.text(", ")) }
                            first = false
                            steps.append(.object(key))
                        }
                        steps.append(.text("}"))
                    }
                    open.insert(object)
                    steps.append(.leave(object))
                    stack.append(contentsOf: steps.reversed())
                default:
                    out += atomRepr(object, core: core)
                }
            }
        }
        return out
    }

    static func atomRepr(_ object: UnsafeMutableRawPointer, core: UnsafeMutablePointer<HeapCore>) -> String {
        switch kind(object) {
        case .none: return "None"
        case .bool: return object.field(Layout.scalarValue, as: Int.self) != 0 ? "True" : "False"
        case .int: return String(object.field(Layout.scalarValue, as: Int.self))
        case .float: return floatRepr(object.field(Layout.scalarValue, as: Double.self))
        case .str: return strRepr(String(decoding: HeapCore.textBytes(object), as: UTF8.self))
        case .bytes: return bytesRepr(HeapCore.textBytes(object))
        case .class: return "<class '\(core.pointee.className(object))'>"
        case .host: return core.hostRepr(object)
        default:
            return "<\(core.pointee.typeName(of: object)) object at 0x\(String(UInt(bitPattern: object), radix: 16))>"
        }
    }

    static func floatRepr(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return value.description  // shortest round-trip form, as Python's repr
    }

    static func strRepr(_ text: String) -> String {
        let quote: Character = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if Character(scalar) == quote { out += "\\" + String(quote) }
                else if scalar.value < 0x20 || scalar.value == 0x7f { out += "\\x" + hex2(UInt8(scalar.value)) }
                else { out.unicodeScalars.append(scalar) }
            }
        }
        out.append(quote)
        return out
    }

    static func bytesRepr(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var out = "b'"
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\\"): out += "\\\\"
            case UInt8(ascii: "'"): out += "\\'"
            case UInt8(ascii: "\n"): out += "\\n"
            case UInt8(ascii: "\r"): out += "\\r"
            case UInt8(ascii: "\t"): out += "\\t"
            case 0x20..<0x7f: out.unicodeScalars.append(Unicode.Scalar(byte))
            default: out += "\\x" + hex2(byte)
            }
        }
        return out + "'"
    }

    static func hex2(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }

    // MARK: Helpers

    static func kind(_ object: UnsafeMutableRawPointer) -> ObjectKind {
        object.field(8, as: UnsafeMutablePointer<TypeInfo>.self).pointee.kind
    }

    static func typeName(_ object: UnsafeMutableRawPointer) -> String {
        let info = object.field(8, as: UnsafeMutablePointer<TypeInfo>.self)
        return info.pointee.heap.pointee.typeName(of: object)
    }

    /// Items and count of a tuple or list.
    static func sequence(_ object: UnsafeMutableRawPointer) -> (UnsafeMutablePointer<UnsafeMutableRawPointer>, Int) {
        if kind(object) == .tuple {
            return ((object + Layout.tupleItems).assumingMemoryBound(to: UnsafeMutableRawPointer.self),
                    object.field(Layout.tupleCount, as: Int.self))
        }
        let count = object.field(Layout.listCount, as: Int.self)
        guard let items = object.field(Layout.listItems, as: UnsafeMutableRawPointer?.self) else {
            return (UnsafeMutablePointer(bitPattern: 16).unsafelyUnwrapped, 0)
        }
        return (items.assumingMemoryBound(to: UnsafeMutableRawPointer.self), count)
    }
}

extension Heap {
    /// Python's `a == b`.
    ///
    /// Throws ``HeapError/recursionLimitExceeded`` when containers nest more than 1000
    /// deep, as CPython raises `RecursionError`; comparing two cycles (`a = [a]; b = [b];
    /// a == b`) ends that way too.
    /// - Complexity: O(objects compared), with no recursion.
    public func equals(_ a: borrowing some ObjectReference & ~Copyable, _ b: borrowing some ObjectReference & ~Copyable) throws(HeapError) -> Bool {
        let a = a.ref
        let b = b.ref
        check(a); check(b)
        return try ValueSemantics.equals(a.pointer, b.pointer)
    }

    /// Python's `hash(o)`; throws ``HeapError/unhashable(type:)`` for list, dict and set,
    /// and for a tuple that contains one.
    public func hashValue(of object: borrowing some ObjectReference & ~Copyable) throws(HeapError) -> Int {
        let object = object.ref
        check(object)
        return try ValueSemantics.hash(object.pointer)
    }

    /// Python's `repr(o)`, cut after about `limit` characters.
    public func repr(_ object: borrowing some ObjectReference & ~Copyable, limit: Int = 10_000) -> String {
        let object = object.ref
        check(object)
        return ValueSemantics.repr(object.pointer, core: core, limit: limit)
    }
}
