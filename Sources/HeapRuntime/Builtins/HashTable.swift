#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The hash table behind `dict` and `set`: CPython's compact, insertion-ordered layout.
///
/// A sparse index of `Int32` slots (a power of two, at least 8) points into a dense array of
/// entries `(hash, key, value)` kept in insertion order; deleted entries keep their place
/// with a nil key until the next resize compacts them. Probing follows CPython's
/// `i = i*5 + perturb + 1` with `perturb >>= 5`, so every slot is eventually visited.
/// A set is the same table with no values.
///
/// Object fields (48 bytes): live count at 16, entries used (live + deleted) at 24, log2 of
/// the index size at 32 (0 while there is no storage), storage at 40. The storage holds the
/// index then the entries.
@usableFromInline
enum HashTableLayout {
    @inlinable static var count: Int { 16 }
    static var entriesUsed: Int { 24 }
    static var log2Size: Int { 32 }
    static var storage: Int { 40 }
    static var entrySize: Int { 24 }
    static var emptySlot: Int32 { -1 }
    static var deletedSlot: Int32 { -2 }
    static var minimumLog2Size: Int { 3 }
    static func usable(log2Size: Int) -> Int { ((1 << log2Size) * 2) / 3 }
    static func storageBytes(log2Size: Int) -> Int { 4 * (1 << log2Size) + entrySize * usable(log2Size: log2Size) }
}

/// A view of one dict or set object's table. Mutations that release references return the
/// released pointers to the caller, who releases them once the table is consistent again.
struct HashTable {
    let object: UnsafeMutableRawPointer

    var count: Int {
        get { object.field(HashTableLayout.count, as: Int.self) }
        nonmutating set { object.setField(HashTableLayout.count, newValue) }
    }
    var entriesUsed: Int {
        get { object.field(HashTableLayout.entriesUsed, as: Int.self) }
        nonmutating set { object.setField(HashTableLayout.entriesUsed, newValue) }
    }
    var log2Size: Int {
        get { object.field(HashTableLayout.log2Size, as: Int.self) }
        nonmutating set { object.setField(HashTableLayout.log2Size, newValue) }
    }
    var storage: UnsafeMutableRawPointer? {
        get { object.field(HashTableLayout.storage, as: UnsafeMutableRawPointer?.self) }
        nonmutating set { object.setField(HashTableLayout.storage, newValue) }
    }

    static func initialize(_ object: UnsafeMutableRawPointer) {
        object.setField(HashTableLayout.count, 0)
        object.setField(HashTableLayout.entriesUsed, 0)
        object.setField(HashTableLayout.log2Size, 0)
        object.setField(HashTableLayout.storage, UnsafeMutableRawPointer?.none)
    }

    private func indices(_ storage: UnsafeMutableRawPointer) -> UnsafeMutablePointer<Int32> {
        storage.assumingMemoryBound(to: Int32.self)
    }

    /// Address of entry `index`.
    func entry(_ index: Int) -> UnsafeMutableRawPointer {
        storage.unsafelyUnwrapped + 4 * (1 << log2Size) + HashTableLayout.entrySize * index
    }

    func entryKey(_ index: Int) -> UnsafeMutableRawPointer? { entry(index).load(fromByteOffset: 8, as: UnsafeMutableRawPointer?.self) }
    func entryValue(_ index: Int) -> UnsafeMutableRawPointer? { entry(index).load(fromByteOffset: 16, as: UnsafeMutableRawPointer?.self) }

    /// Finds `key`: the index slot and entry index when present, else the first free index
    /// slot of its probe sequence.
    func lookup(_ key: UnsafeMutableRawPointer, hash: Int) -> (slot: Int, entry: Int?) {
        guard let storage else { return (0, nil) }
        let mask = (1 << log2Size) - 1
        let index = indices(storage)
        var perturb = UInt(bitPattern: hash)
        var i = hash & mask
        var firstFree: Int? = nil
        while true {
            let ix = index[i]
            if ix == HashTableLayout.emptySlot { return (firstFree ?? i, nil) }
            if ix == HashTableLayout.deletedSlot {
                if firstFree == nil { firstFree = i }
            } else {
                let e = entry(Int(ix))
                let candidate = e.load(fromByteOffset: 8, as: UnsafeMutableRawPointer.self)
                if candidate == key { return (i, Int(ix)) }
                if e.load(as: Int.self) == hash && ValueSemantics.keysEqual(candidate, key) { return (i, Int(ix)) }
            }
            perturb >>= 5
            i = (i &* 5 &+ Int(bitPattern: perturb) &+ 1) & mask
        }
    }

    /// Makes room for one more entry, compacting deleted entries and growing as CPython does
    /// (to hold three times the live count).
    func reserveOneMore(_ allocator: UnsafeMutablePointer<PoolAllocator>) {
        if storage != nil && entriesUsed < HashTableLayout.usable(log2Size: log2Size) { return }
        var newLog2 = HashTableLayout.minimumLog2Size
        let wanted = Swift.max(count * 3, 1)
        while HashTableLayout.usable(log2Size: newLog2) < wanted { newLog2 += 1 }
        rebuild(log2Size: newLog2, allocator)
    }

    func rebuild(log2Size newLog2: Int, _ allocator: UnsafeMutablePointer<PoolAllocator>) {
        let newStorage = allocator.pointee.allocate(HashTableLayout.storageBytes(log2Size: newLog2))
        let newSize = 1 << newLog2
        let newIndex = newStorage.assumingMemoryBound(to: Int32.self)
        newIndex.initialize(repeating: HashTableLayout.emptySlot, count: newSize)
        let newEntries = newStorage + 4 * newSize
        var used = 0
        if let oldStorage = storage {
            for i in 0..<entriesUsed {
                let e = entry(i)
                guard e.load(fromByteOffset: 8, as: UnsafeMutableRawPointer?.self) != nil else { continue }
                memcpy(newEntries + HashTableLayout.entrySize * used, e, HashTableLayout.entrySize)
                let hash = e.load(as: Int.self)
                var perturb = UInt(bitPattern: hash)
                var slot = hash & (newSize - 1)
                while newIndex[slot] != HashTableLayout.emptySlot {
                    perturb >>= 5
                    slot = (slot &* 5 &+ Int(bitPattern: perturb) &+ 1) & (newSize - 1)
                }
                newIndex[slot] = Int32(used)
                used += 1
            }
            allocator.pointee.deallocate(oldStorage, size: HashTableLayout.storageBytes(log2Size: log2Size))
        }
        storage = newStorage
        log2Size = newLog2
        entriesUsed = used
    }

    /// Appends a new entry for a key known to be absent; takes over the caller's counts.
    func insertNew(_ key: UnsafeMutableRawPointer, hash: Int, value: UnsafeMutableRawPointer?,
                   _ allocator: UnsafeMutablePointer<PoolAllocator>) {
        reserveOneMore(allocator)
        let slot = lookup(key, hash: hash).slot
        let e = entry(entriesUsed)
        e.storeBytes(of: hash, as: Int.self)
        e.storeBytes(of: key, toByteOffset: 8, as: UnsafeMutableRawPointer.self)
        e.storeBytes(of: value, toByteOffset: 16, as: UnsafeMutableRawPointer?.self)
        indices(storage.unsafelyUnwrapped)[slot] = Int32(entriesUsed)
        entriesUsed += 1
        count += 1
    }

    /// Removes the entry found at (`slot`, `entry`); returns its key and value for release.
    func removeEntry(slot: Int, entry index: Int) -> (UnsafeMutableRawPointer, UnsafeMutableRawPointer?) {
        let e = entry(index)
        let key = e.load(fromByteOffset: 8, as: UnsafeMutableRawPointer.self)
        let value = e.load(fromByteOffset: 16, as: UnsafeMutableRawPointer?.self)
        e.storeBytes(of: nil, toByteOffset: 8, as: UnsafeMutableRawPointer?.self)
        e.storeBytes(of: nil, toByteOffset: 16, as: UnsafeMutableRawPointer?.self)
        indices(storage.unsafelyUnwrapped)[slot] = HashTableLayout.deletedSlot
        count -= 1
        return (key, value)
    }

    /// Live entries in insertion order.
    func forEachEntry(_ body: (UnsafeMutableRawPointer, UnsafeMutableRawPointer?) -> Void) {
        guard storage != nil else { return }
        for i in 0..<entriesUsed {
            if let key = entryKey(i) { body(key, entryValue(i)) }
        }
    }
}

extension UnsafeMutablePointer where Pointee == HeapCore {
    var allocatorPointer: UnsafeMutablePointer<PoolAllocator> {
        UnsafeMutableRawPointer(self).advanced(by: MemoryLayout<HeapCore>.offset(of: \HeapCore.allocator).unsafelyUnwrapped)
            .assumingMemoryBound(to: PoolAllocator.self)
    }

    /// Empties a dict or set; releases keys and values after the table is already empty.
    func clearTable(_ object: UnsafeMutableRawPointer) {
        let table = HashTable(object: object)
        guard let storage = table.storage else { return }
        let used = table.entriesUsed
        let log2Size = table.log2Size
        HashTable.initialize(object)
        let entries = storage + 4 * (1 << log2Size)
        for i in 0..<used {
            let e = entries + HashTableLayout.entrySize * i
            if let key = e.load(fromByteOffset: 8, as: UnsafeMutableRawPointer?.self) {
                let value = e.load(fromByteOffset: 16, as: UnsafeMutableRawPointer?.self)
                HeapCore.release(key)
                if let value { HeapCore.release(value) }
            }
        }
        pointee.allocator.deallocate(storage, size: HashTableLayout.storageBytes(log2Size: log2Size))
    }

    /// Starts tracking a dict once it holds something that can be part of a cycle
    /// (CPython's `MAINTAIN_TRACKING`).
    func maintainDictTracking(_ dict: UnsafeMutableRawPointer, storing item: UnsafeMutableRawPointer) {
        if dict.isTracked { return }
        if HeapCore.mayBeTracked(item) {
            pointee.link(dict, into: pointee.generationHeads[0])
        }
    }
}

extension HeapCore {
    /// Whether an object is, or may become, part of a cycle: a container, except a tuple
    /// that a collection has already found to hold only atoms.
    static func mayBeTracked(_ object: UnsafeMutableRawPointer) -> Bool {
        let info = object.field(8, as: UnsafeMutablePointer<TypeInfo>.self)
        guard info.pointee.isContainer else { return false }
        if info.pointee.kind == .tuple { return object.isTracked }
        return true
    }
}
