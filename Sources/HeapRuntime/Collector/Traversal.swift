// Visiting an object's outgoing references (CPython's `tp_traverse`).

extension HeapCore {
    /// Calls `visit` for every strong reference `object` holds. Weak references are not
    /// visited: the referent of a weak reference is not kept alive by it.
    ///
    /// Inlined into each caller so the closure is specialised away on the collector's hot
    /// paths.
    @inline(__always)
    static func forEachReferent(_ object: UnsafeMutableRawPointer, _ visit: (UnsafeMutableRawPointer) -> Void) {
        let info = object.field(8, as: UnsafeMutablePointer<TypeInfo>.self)
        switch info.pointee.kind {
        case .tuple:
            let count = object.field(Layout.tupleCount, as: Int.self)
            var i = 0
            while i < count {
                visit(object.load(fromByteOffset: Layout.tupleItems &+ 8 &* i, as: UnsafeMutableRawPointer.self))
                i &+= 1
            }
        case .list:
            let count = object.field(Layout.listCount, as: Int.self)
            guard count > 0 else { return }
            let items = object.field(Layout.listItems, as: UnsafeMutableRawPointer.self)
            var i = 0
            while i < count {
                visit(items.load(fromByteOffset: 8 &* i, as: UnsafeMutableRawPointer.self))
                i &+= 1
            }
        case .dict, .set:
            let table = HashTable(object: object)
            guard let storage = table.storage else { return }
            let entries = storage + 4 &* (1 &<< table.log2Size)
            let used = table.entriesUsed
            var i = 0
            while i < used {
                let e = entries + HashTableLayout.entrySize &* i
                if let key = e.load(fromByteOffset: 8, as: UnsafeMutableRawPointer?.self) {
                    visit(key)
                    if let value = e.load(fromByteOffset: 16, as: UnsafeMutableRawPointer?.self) { visit(value) }
                }
                i &+= 1
            }
        case .instance:
            visit(object.field(Layout.instanceClass, as: UnsafeMutableRawPointer.self))
            let count = Int(object.field(Layout.instanceAttrCount, as: Int32.self))
            guard count > 0 else { return }
            var i = 0
            if _fastPath(!hasPairsTable(object)) {
                // Shared names: the class holds them, the instance only its values.
                while i < count {
                    visit(object.load(fromByteOffset: Layout.instanceSlots &+ 8 &* i, as: UnsafeMutableRawPointer.self))
                    i &+= 1
                }
                return
            }
            let pairs = object.field(Layout.instancePairs, as: UnsafeMutableRawPointer.self)
            while i < count {
                visit(pairs.load(fromByteOffset: 16 &* i, as: UnsafeMutableRawPointer.self))
                visit(pairs.load(fromByteOffset: 16 &* i &+ 8, as: UnsafeMutableRawPointer.self))
                i &+= 1
            }
        case .class:
            visit(object.field(Layout.className, as: UnsafeMutableRawPointer.self))
            if let base = object.field(Layout.classBase, as: UnsafeMutableRawPointer?.self) { visit(base) }
            if let dict = object.field(Layout.classDict, as: UnsafeMutableRawPointer?.self) { visit(dict) }
            if let names = object.field(Layout.classSharedNames, as: UnsafeMutableRawPointer?.self) {
                let count = Int(object.field(Layout.classSharedNameCount, as: Int32.self))
                for i in 0..<count { visit(names.load(fromByteOffset: 8 &* i, as: UnsafeMutableRawPointer.self)) }
            }
        case .weakref:
            if let context = object.field(Layout.weakCallback, as: UnsafeMutableRawPointer?.self) { visit(context) }
        case .host:
            info.pointee.heap.pointee.hostTypes[info.pointee.hostIndex].traverse(object + Layout.hostPayload) { ref, _ in
                visit(ref.pointer)
            }
        case .none, .bool, .int, .float, .str, .bytes:
            return
        }
    }

    /// Whether `object` carries a collector head.
    @inline(__always)
    static func isContainer(_ object: UnsafeMutableRawPointer) -> Bool {
        object.field(8, as: UnsafeMutablePointer<TypeInfo>.self).pointee.isContainer
    }
}
