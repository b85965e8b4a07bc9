#if canImport(Glibc)
import Glibc
#endif

/// Buffered writes to a file descriptor (stdout, stderr), flushed when large, before the
/// other stream is written, and at exit.
final class OutputStream {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    /// Text written when capturing (tests), instead of the descriptor.
    var captured: String?

    init(descriptor: Int32) {
        self.descriptor = descriptor
        buffer.reserveCapacity(1 << 16)
    }

    func write(_ text: String) {
        if captured != nil { captured?.append(text); return }
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { raw in
                Glibc.write(descriptor, raw.baseAddress.unsafelyUnwrapped + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                break
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
