#if canImport(Glibc)
import Glibc
#endif

/// Tells LeakSanitizer, in AddressSanitizer builds, that the heap's arenas hold pointers.
///
/// LeakSanitizer looks for pointers in stacks, globals and `malloc`ed blocks, not in memory
/// mapped with `mmap`. Objects live in `mmap`ed arenas, and they hold the only pointers to
/// their `malloc`ed buffers (list items, dict tables, large blocks), so a sanitized program
/// that exits with a heap alive would have those buffers reported as leaked. Registering each
/// arena as a root region makes LeakSanitizer scan it like any other memory, which is the
/// truth, instead of suppressing reports about our own memory.
///
/// The registration functions exist only in sanitized builds, so they are looked up at run
/// time; in any other build the lookup fails once and every call is a no-op.
enum LeakSanitizerRoots {
    private typealias RegionFunction = @convention(c) (UnsafeRawPointer?, Int) -> Void

    /// Addresses of `__lsan_register_root_region` and `__lsan_unregister_root_region`, or
    /// nil when the process has no LeakSanitizer.
    private static let functions: (register: UInt, unregister: UInt)? = {
        // A nil handle is glibc's RTLD_DEFAULT: search the executable and every library.
        guard let register = dlsym(nil, "__lsan_register_root_region"),
              let unregister = dlsym(nil, "__lsan_unregister_root_region")
        else { return nil }
        return (UInt(bitPattern: register), UInt(bitPattern: unregister))
    }()

    /// Whether this process has LeakSanitizer (an AddressSanitizer build).
    static var isActive: Bool { functions != nil }

    /// Has LeakSanitizer scan `byteCount` bytes at `base` for pointers.
    static func register(_ base: UnsafeMutableRawPointer, byteCount: Int) {
        guard let address = functions?.register else { return }
        call(address, base, byteCount)
    }

    /// Undoes ``register(_:byteCount:)`` for exactly the same region, before it is unmapped.
    static func unregister(_ base: UnsafeMutableRawPointer, byteCount: Int) {
        guard let address = functions?.unregister else { return }
        call(address, base, byteCount)
    }

    private static func call(_ address: UInt, _ base: UnsafeMutableRawPointer, _ byteCount: Int) {
        guard let pointer = UnsafeRawPointer(bitPattern: address) else { return }
        unsafeBitCast(pointer, to: RegionFunction.self)(base, byteCount)
    }
}
