import HeapGraphFormat

/// How an outgoing reference is named, for introspection, reports and pictures: the
/// format's one label model, with keys and attribute names as text.
public typealias EdgeLabel = EdgeLabelOf<String>

/// The data of a host-defined type: how an embedding program puts its own objects into
/// the heap. The collector and the analyzer treat host objects exactly like built-ins.
///
/// The payload holds references as `ObjectRef` fields. The heap owns one count for each
/// reference ``traverse(_:)`` visits: it takes them when the object is made and whenever
/// ``Heap/updatePayload(of:as:_:)`` changes the payload, and gives them back when the
/// object dies or is cleared. So a host type never calls retain or release itself.
///
/// ```swift
/// struct Node: HostPayload {
///     static let typeName = "Node"
///     var value: Int
///     var next: ObjectRef?
///     func traverse(_ visit: (ObjectRef, EdgeLabel) -> Void) {
///         if let next { visit(next, .named("next")) }
///     }
///     mutating func clear() { next = nil }
///     func repr() throws -> String { "Node(\(value))" }
/// }
/// let nodeType = heap.registerHostType(Node.self)
/// let a = heap.makeHost(nodeType, Node(value: 1, next: nil))
/// let b = heap.makeHost(nodeType, Node(value: 2, next: a.ref))   // a's count is 2
/// try heap.updatePayload(of: a.ref, as: nodeType) { $0.next = b.ref }  // a cycle
/// ```
///
/// Payloads are stored inline after the object header; their alignment must not exceed 16.
public protocol HostPayload {
    /// The type name introspection shows (Python's `type(o).__name__`).
    static var typeName: String { get }
    /// Visits every reference the payload holds, each with a label. Must visit the same
    /// references on every call while the payload is unchanged.
    func traverse(_ visit: (ObjectRef, EdgeLabel) -> Void)
    /// Drops references (sets them to nil) so the collector can break cycles through this
    /// object (CPython's `tp_clear`). The heap releases what `traverse` no longer visits.
    mutating func clear()
    /// A short description, for `repr()` and labels. May throw; the label then reads
    /// "(unrepresentable)" as objgraph's does.
    func repr() throws -> String
}

extension HostPayload {
    public func repr() throws -> String { "<\(Self.typeName) object>" }
}

/// A registered host type, returned by ``Heap/registerHostType(_:finalizer:)``.
public struct HostType<Payload: HostPayload> {
    @usableFromInline let info: UnsafeMutablePointer<TypeInfo>
    /// The registered name.
    public var name: String { info.pointee.name }
}

/// The type-erased functions of one host type, as the runtime calls them.
final class HostTypeEntry {
    let name: String
    let payloadSize: Int
    private(set) var finalizer: Finalizer?
    let traverse: (UnsafeMutableRawPointer, (ObjectRef, EdgeLabel) -> Void) -> Void
    let clear: (UnsafeMutableRawPointer) -> Void
    let deinitialize: (UnsafeMutableRawPointer) -> Void
    let repr: (UnsafeMutableRawPointer) throws -> String

    init<P: HostPayload>(_ payload: P.Type, finalizer: Finalizer?) {
        name = P.typeName
        payloadSize = MemoryLayout<P>.stride
        self.finalizer = finalizer
        traverse = { raw, visit in raw.assumingMemoryBound(to: P.self).pointee.traverse(visit) }
        clear = { raw in raw.assumingMemoryBound(to: P.self).pointee.clear() }
        deinitialize = { raw in raw.assumingMemoryBound(to: P.self).deinitialize(count: 1) }
        repr = { raw in try raw.assumingMemoryBound(to: P.self).pointee.repr() }
    }

    /// Hands over the finalizer, for the heap to drop once its tables are consistent.
    func dropFinalizer() -> Finalizer? {
        defer { finalizer = nil }
        return finalizer
    }
}

extension Heap {
    /// Registers a host type. Each call registers a distinct type, even for the same
    /// payload type.
    public func registerHostType<P: HostPayload>(_ payload: P.Type, finalizer: Finalizer? = nil) -> HostType<P> {
        precondition(MemoryLayout<P>.alignment <= 16, "HeapRuntime: host payload \(P.self) needs alignment above 16")
        let entry = HostTypeEntry(payload, finalizer: finalizer)
        let info = UnsafeMutablePointer<TypeInfo>.allocate(capacity: 1)
        info.initialize(to: TypeInfo(kind: .host, isContainer: true, heap: core,
                                     hostIndex: core.pointee.hostTypes.count, name: P.typeName))
        core.pointee.hostTypes.append(entry)
        core.pointee.hostTypeInfos.append(info)
        return HostType(info: info)
    }

    /// A new host object holding `payload`; the heap takes a count on each reference the
    /// payload's `traverse` visits.
    public func makeHost<P: HostPayload>(_ type: HostType<P>, _ payload: P) -> OwnedRef {
        precondition(type.info.pointee.heap == core, "HeapRuntime: host type \(type.name) belongs to another heap")
        payload.traverse { ref, _ in
            check(ref)
            HeapCore.retain(ref.pointer)
        }
        let object = core.allocateContainer(type.info, size: Layout.hostPayload + MemoryLayout<P>.stride)
        (object + Layout.hostPayload).initializeMemory(as: P.self, to: payload)
        return OwnedRef(adopting: object)
    }

    /// A copy of a host object's payload; nil when the object is not of `type`.
    public func payload<P: HostPayload>(of object: borrowing some ObjectReference & ~Copyable, as type: HostType<P>) -> P? {
        payload(of: object.ref, as: type)
    }

    /// The generic `payload(of:as:)` for a borrowed
    /// ``ObjectRef``: inlinable, so a front end's call is specialized for its payload type
    /// (one compare and a copy) rather than run through the generic's metadata.
    @inlinable
    public func payload<P: HostPayload>(of object: ObjectRef, as type: HostType<P>) -> P? {
        check(object)
        guard object.typeInfo == type.info else { return nil }
        return (object.pointer + Layout.hostPayload).assumingMemoryBound(to: P.self).pointee
    }

    /// Changes a host object's payload in place. References the new payload visits and the
    /// old did not gain a count; references it no longer visits are released after the
    /// change is stored.
    public func updatePayload<P: HostPayload, R>(
        of object: borrowing some ObjectReference & ~Copyable, as type: HostType<P>, _ body: (inout P) throws -> R
    ) throws -> R {
        let object = object.ref
        check(object)
        guard object.typeInfo == type.info else {
            throw HeapError.wrongType(expected: type.name, got: typeName(of: object))
        }
        let payload = (object.pointer + Layout.hostPayload).assumingMemoryBound(to: P.self)
        var before: [UnsafeMutableRawPointer] = []
        payload.pointee.traverse { ref, _ in before.append(ref.pointer) }
        var copy = payload.pointee
        let result = try body(&copy)
        var after: [UnsafeMutableRawPointer] = []
        copy.traverse { ref, _ in
            check(ref)
            after.append(ref.pointer)
        }
        for ref in after { HeapCore.retain(ref) }
        payload.pointee = copy
        for ref in before { HeapCore.release(ref) }
        return result
    }
}

extension UnsafeMutablePointer where Pointee == HeapCore {
    func hostEntry(_ info: UnsafeMutablePointer<TypeInfo>) -> HostTypeEntry { pointee.hostTypes[info.pointee.hostIndex] }

    func deallocateHost(_ object: UnsafeMutableRawPointer, info: UnsafeMutablePointer<TypeInfo>) {
        let entry = hostEntry(info)
        var held: [UnsafeMutableRawPointer] = []
        entry.traverse(object + Layout.hostPayload) { ref, _ in held.append(ref.pointer) }
        entry.deinitialize(object + Layout.hostPayload)
        for ref in held { HeapCore.release(ref) }
        freeBlock(object, size: Layout.hostPayload + entry.payloadSize, container: true)
    }

    /// `tp_clear` for a host object: the payload drops what it will; the heap releases
    /// every reference that is no longer visited.
    func clearHost(_ object: UnsafeMutableRawPointer, info: UnsafeMutablePointer<TypeInfo>) {
        let entry = hostEntry(info)
        var before: [UnsafeMutableRawPointer] = []
        entry.traverse(object + Layout.hostPayload) { ref, _ in before.append(ref.pointer) }
        entry.clear(object + Layout.hostPayload)
        var after: [UnsafeMutableRawPointer: Int] = [:]
        entry.traverse(object + Layout.hostPayload) { ref, _ in after[ref.pointer, default: 0] += 1 }
        for ref in before {
            if let left = after[ref], left > 0 { after[ref] = left - 1; continue }
            HeapCore.release(ref)
        }
    }

    func hostRepr(_ object: UnsafeMutableRawPointer) -> String {
        let info = object.field(8, as: UnsafeMutablePointer<TypeInfo>.self)
        return (try? hostEntry(info).repr(object + Layout.hostPayload)) ?? "(unrepresentable)"
    }
}
