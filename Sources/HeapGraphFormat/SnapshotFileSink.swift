#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a snapshot's buffers to its file on a second thread, checksumming them there, so
/// that the producer's walk (a heap walk must stay on the heap's thread) and the `write` system calls
/// overlap. On this machine the kernel's copy into the page cache is about a third of a
/// 10M-object write; done in line it added to the walk, done here it runs beside it.
///
/// The walk fills one buffer while the sink writes others: ``next(after:count:)`` hands
/// a full buffer over and returns an empty one, waiting only when all are in flight.
/// Buffers are written in the order they were handed over, so the checksum is the same as
/// a sequential writer's. The sink touches only its own buffers and the file, never the producer's data.
final class SnapshotFileSink: @unchecked Sendable {
    static let bufferCount = 4
    let fd: Int32

    // The lock and condition live at fixed addresses, as pthreads require.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `mutex`.
    private var free: [UnsafeMutableRawPointer]
    private var full: [(buffer: UnsafeMutableRawPointer, count: Int)] = []
    private var closing = false
    private var failure: Int32 = 0
    // Only the writing thread touches it until `finish` has joined that thread.
    private var checksum: SnapshotFormat.Checksum

    private var thread: pthread_t? = nil
    private let all: [UnsafeMutableRawPointer]

    init(fd: Int32, capacity: Int, checksum algorithm: SnapshotFormat.ChecksumAlgorithm) {
        self.fd = fd
        checksum = SnapshotFormat.Checksum(algorithm)
        all = (0..<Self.bufferCount).map { _ in .allocate(byteCount: capacity, alignment: 64) }
        free = all
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        changed.deallocate()
        mutex.deallocate()
        for buffer in all { buffer.deallocate() }
    }

    /// Starts the writing thread.
    func start() -> Bool {
        let context = Unmanaged.passRetained(self).toOpaque()
        var created = pthread_t()
        let result = pthread_create(&created, nil, { context in
            guard let context else { return nil }
            let sink = Unmanaged<SnapshotFileSink>.fromOpaque(context).takeRetainedValue()
            sink.run()
            return nil
        }, context)
        guard result == 0 else {
            Unmanaged<SnapshotFileSink>.fromOpaque(context).release()
            return false
        }
        thread = created
        return true
    }

    /// An empty buffer to fill first.
    func first() -> UnsafeMutableRawPointer {
        lock()
        defer { unlock() }
        return free.removeLast()
    }

    /// Hands over `buffer` holding `count` bytes and returns an empty one; errno of the
    /// first failed write, if any write failed so far.
    func next(after buffer: UnsafeMutableRawPointer, count: Int) -> (UnsafeMutableRawPointer, Int32) {
        lock()
        defer { unlock() }
        full.append((buffer, count))
        pthread_cond_broadcast(changed)
        while free.isEmpty { pthread_cond_wait(changed, mutex) }
        return (free.removeLast(), failure)
    }

    /// Hands over the last buffer, waits for every write, stops the thread, and returns
    /// the checksum of all bytes written and errno of the first failure (0 if none).
    func finish(last buffer: UnsafeMutableRawPointer, count: Int) -> (checksum: UInt64, failure: Int32) {
        lock()
        full.append((buffer, count))
        closing = true
        pthread_cond_broadcast(changed)
        unlock()
        if let thread { pthread_join(thread, nil) }
        thread = nil
        lock()
        defer { unlock() }
        return (checksum.finish(), failure)
    }

    private func run() {
        while true {
            lock()
            while full.isEmpty && !closing { pthread_cond_wait(changed, mutex) }
            if full.isEmpty { unlock(); return }
            let (buffer, count) = full.removeFirst()
            let failed = failure != 0
            unlock()

            var error: Int32 = 0
            if !failed {   // after a failure, buffers are only recycled
                let bytes = UnsafeRawBufferPointer(start: buffer, count: count)
                checksum.update(bytes)
                error = SystemCall.writeAll(fd: fd, bytes, at: nil)
            }

            lock()
            if error != 0 && failure == 0 { failure = error }
            free.append(buffer)
            pthread_cond_broadcast(changed)
            unlock()
        }
    }

    private func lock() { pthread_mutex_lock(mutex) }
    private func unlock() { pthread_mutex_unlock(mutex) }
}
