#if canImport(Glibc)
import Glibc
#endif
import MiniPy

// minipy FILE [ARGS...] | minipy -c CODE [ARGS...] | minipy --snapshot OUT.heapgraph FILE
let usage = "usage: minipy [--snapshot OUT.heapgraph] (FILE | -c CODE) [ARGS...]"

struct Invocation {
    var source: String
    var filename: String
    var snapshot: String?
    var arguments: [String]
}

func fail(_ message: String, status: Int32) -> Never {
    let text = message + "\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
    exit(status)
}

func readFile(_ path: String) -> String? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count > 0 { bytes.append(contentsOf: buffer[0..<count]) }
        if count < buffer.count { break }
    }
    if ferror(file) != 0 { return nil }
    return String(validating: bytes, as: UTF8.self)
}

func parseArguments(_ arguments: [String]) -> Invocation {
    var rest = arguments[...]
    var snapshot: String?
    while let first = rest.first {
        if first == "--snapshot" {
            rest = rest.dropFirst()
            guard let path = rest.first else { fail("minipy: --snapshot needs a file name\n" + usage, status: 64) }
            snapshot = path
            rest = rest.dropFirst()
        } else if first == "-h" || first == "--help" {
            print(usage)
            exit(0)
        } else {
            break
        }
    }
    guard let first = rest.first else { fail(usage, status: 64) }
    if first == "-c" {
        rest = rest.dropFirst()
        guard let code = rest.first else { fail("minipy: -c needs an argument\n" + usage, status: 64) }
        return Invocation(source: code, filename: "<string>", snapshot: snapshot, arguments: ["-c"] + rest.dropFirst())
    }
    if first.hasPrefix("-") && first != "-" { fail("minipy: unknown option \(first)\n" + usage, status: 64) }
    guard let source = readFile(first) else {
        fail("minipy: can't open file '\(first)': not a readable UTF-8 file", status: 2)
    }
    return Invocation(source: source, filename: first, snapshot: snapshot, arguments: Array(rest))
}

let invocation = parseArguments(Array(CommandLine.arguments.dropFirst()))
let status = runOnLargeStack {
    let interpreter = Interpreter()
    interpreter.arguments = invocation.arguments
    interpreter.snapshotPath = invocation.snapshot
    return interpreter.run(source: invocation.source, filename: invocation.filename)
}
exit(status)
