/// CRC-32 (ISO-HDLC: reflected polynomial 0xEDB88320, zlib's `crc32`), the snapshot's second
/// checksum algorithm (``SnapshotFormat/ChecksumAlgorithm/crc32``).
///
/// Slicing by 8: eight 256-entry tables let one step fold eight bytes with eight lookups
/// instead of eight dependent byte steps, so a reader checks a CRC-32 file about as fast as
/// an FNV-1a one.
enum CRC32 {
    /// `tables[k][b]`: the CRC of byte `b` followed by `k` zero bytes.
    static let tables: [[UInt32]] = {
        var first = [UInt32](repeating: 0, count: 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
            first[byte] = crc
        }
        var tables = [first]
        for k in 1..<8 {
            let previous = tables[k - 1]
            tables.append((0..<256).map { byte in (previous[byte] >> 8) ^ first[Int(previous[byte] & 0xFF)] })
        }
        return tables
    }()

    /// Continues `crc` (the pre-inverted running register: start at 0xFFFFFFFF, invert at the
    /// end) over `bytes`.
    /// - Complexity: O(bytes).
    static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc = crc
        let count = bytes.count
        var index = 0
        let t = tables
        let t0 = t[0], t1 = t[1], t2 = t[2], t3 = t[3], t4 = t[4], t5 = t[5], t6 = t[6], t7 = t[7]
        while index + 8 <= count {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let low = UInt32(truncatingIfNeeded: word) ^ crc
            let high = UInt32(truncatingIfNeeded: word >> 32)
            crc = t7[Int(low & 0xFF)] ^ t6[Int((low >> 8) & 0xFF)] ^ t5[Int((low >> 16) & 0xFF)] ^ t4[Int(low >> 24)]
                ^ t3[Int(high & 0xFF)] ^ t2[Int((high >> 8) & 0xFF)] ^ t1[Int((high >> 16) & 0xFF)] ^ t0[Int(high >> 24)]
            index += 8
        }
        while index < count {
            crc = (crc >> 8) ^ t0[Int((crc ^ UInt32(bytes[index])) & 0xFF)]
            index += 1
        }
        return crc
    }
}
