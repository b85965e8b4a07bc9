#if canImport(Glibc)
import Glibc
#endif

/// The stack size of the thread a program runs on: deep enough for the recursion limit
/// (each Python call nests a few dozen Swift frames of the closure tree) and for deeply
/// nested expressions.
public let interpreterStackSize = 1 << 30

private final class StackTask {
    let body: () -> Int32
    var result: Int32 = 0
    init(_ body: @escaping () -> Int32) { self.body = body }
}

/// Runs `body` on a new thread with a 1 GiB stack (memory is only touched as it is used)
/// and returns its result. Falls back to the current thread if no thread can be made.
public func runOnLargeStack(_ body: @escaping () -> Int32) -> Int32 {
    let task = StackTask(body)
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setstacksize(&attributes, interpreterStackSize)
    var thread = pthread_t()
    let context = Unmanaged.passRetained(task).toOpaque()
    let created = pthread_create(&thread, &attributes, { raw in
        guard let raw else { return nil }
        let task = Unmanaged<StackTask>.fromOpaque(raw).takeRetainedValue()
        task.result = task.body()
        return nil
    }, context)
    if created != 0 {
        Unmanaged<StackTask>.fromOpaque(context).release()
        return body()
    }
    pthread_join(thread, nil)
    return task.result
}
