extension UnsafeMutablePointer where Pointee == HeapCore {
    /// The object's snapshot id (`PoolAllocator+SnapshotSerials.swift`), given now if it
    /// has none.
    func snapshotSerial(of object: UnsafeMutableRawPointer) -> UInt64 {
        let container = object.field(8, as: UnsafeMutablePointer<TypeInfo>.self).pointee.isContainer
        let size = HeapCore.allocationSize(of: object, core: self)
        return pointee.allocator.snapshotSerial(ofBlock: container ? object - Layout.gcHeadSize : object,
                                                size: container ? size + Layout.gcHeadSize : size)
    }
}

extension HeapCore {
    /// The bytes the object's block was allocated with, collector head excluded: what its
    /// deallocation passes to `freeBlock`.
    static func allocationSize(of object: UnsafeMutableRawPointer, core: UnsafeMutablePointer<HeapCore>) -> Int {
        let info = object.field(8, as: UnsafeMutablePointer<TypeInfo>.self)
        switch info.pointee.kind {
        case .str, .bytes:
            return textBlockSize(kind: info.pointee.kind, count: Int(object.field(Layout.textCount, as: Int32.self)))
        case .none: return Layout.headerSize
        case .bool, .int, .float: return Layout.scalarSize
        case .tuple: return Layout.tupleItems + 8 * object.field(Layout.tupleCount, as: Int.self)
        case .list: return Layout.listSize
        case .dict, .set: return Layout.tableSize
        case .class: return Layout.classSize
        case .instance: return Layout.instanceSize(of: object)
        case .weakref: return Layout.weakSize
        case .host: return Layout.hostPayload + core.hostEntry(info).payloadSize
        }
    }
}
