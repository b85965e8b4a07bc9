#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where libgvc looks for its plugin list, worked out the way libgvc does.
///
/// libgvc 6 reads `config6a` from `$GVBINDIR` if that is set, else from the
/// `graphviz` directory beside the loaded `libgvc` shared library (on Linux
/// it finds the library among the loaded objects). We only need the path to
/// explain a failure, so this runs after something went wrong.
enum PluginConfiguration {
    /// libgvc 6's file name for the plugin list (`dot -c` writes it).
    static let fileName = "config6a"

    /// Debian's plugin directory, used when the library cannot be located.
    static let fallbackDirectory = "/usr/lib/x86_64-linux-gnu/graphviz"

    /// The configuration path for this process.
    static func currentPath() -> String {
        let override = getenv("GVBINDIR").map { String(cString: $0) }
        return path(gvbindir: override, loadedObjects: readLoadedObjects())
    }

    /// The configuration path given `$GVBINDIR` and the text of
    /// `/proc/self/maps` (pure, so tests can feed it anything).
    static func path(gvbindir: String?, loadedObjects: String?) -> String {
        if let gvbindir, !gvbindir.isEmpty {
            return join(gvbindir, fileName)
        }
        if let maps = loadedObjects, let library = libgvcPath(inMaps: maps),
           let slash = library.lastIndex(of: "/") {
            let libraryDirectory = String(library[..<slash])
            return join(join(libraryDirectory, "graphviz"), fileName)
        }
        return join(fallbackDirectory, fileName)
    }

    /// Whether a file exists at `path`.
    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// The path of the first mapped `libgvc.so*` in `/proc/self/maps` text,
    /// whose lines end with the mapped file's path.
    static func libgvcPath(inMaps maps: String) -> String? {
        for line in maps.split(separator: "\n") {
            guard let start = line.firstIndex(of: "/") else { continue }
            let path = line[start...]
            let name = path.split(separator: "/").last ?? ""
            if name.hasPrefix("libgvc.so") {
                return String(path)
            }
        }
        return nil
    }

    private static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    private static func readLoadedObjects() -> String? {
        #if os(Linux)
        guard let file = fopen("/proc/self/maps", "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
        #else
        return nil
        #endif
    }
}
