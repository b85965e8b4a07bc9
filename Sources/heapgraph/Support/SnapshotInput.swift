import ArgumentParser
import HeapAnalysis
import HeapSnapshot

/// Options every command shares.
struct CommonOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "No progress on stderr, even on a terminal.")
    var quiet = false
}

/// Reads a snapshot, turning every way it can fail into one line that names the file.
/// - Complexity: O(file size); progress on stderr after a second when it is a terminal.
func loadSnapshot(_ path: String, quiet: Bool) throws(CommandFailure) -> HeapSnapshot {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    let result = Progress.run("loading \(name)", quiet: quiet) {
        Result { () throws(SnapshotError) -> HeapSnapshot in try HeapSnapshot(contentsOf: path) }
    }
    switch result {
    case .success(let graph): return graph
    case .failure(.unreadable(_, let reason)): throw CommandFailure("\(path): cannot read: \(reason)")
    case .failure(let error): throw CommandFailure("\(path): \(error)")
    }
}

/// An object id as the user writes it: decimal, or hexadecimal with `0x` (as objgraph and
/// `repr` print addresses).
struct ObjectID: ExpressibleByArgument, CustomStringConvertible {
    var value: UInt64

    init?(argument: String) {
        let text = argument.lowercased()
        if text.hasPrefix("0x") {
            guard let value = UInt64(text.dropFirst(2), radix: 16) else { return nil }
            self.value = value
        } else {
            guard let value = UInt64(text) else { return nil }
            self.value = value
        }
    }

    var description: String { "0x" + String(value, radix: 16) }
}

extension HeapSnapshot {
    /// The node with `id`, or a failure naming the file.
    func requireNode(withID id: ObjectID, file: String) throws(CommandFailure) -> Int {
        guard let node = node(withID: id.value) else {
            throw CommandFailure("\(file): no object with id \(id) (\(id.value))")
        }
        return node
    }

    /// The `nth` (1-based) object of a type, or a failure naming the file.
    func requireNode(ofType type: String, nth: Int, file: String) throws(CommandFailure) -> Int {
        let nodes = nodes(ofType: type, scope: .all)
        guard !nodes.isEmpty else { throw CommandFailure("\(file): no objects of type \(type)") }
        guard nth >= 1, nth <= nodes.count else {
            throw CommandFailure("\(file): --nth \(nth) is out of range: there are \(nodes.count) objects of type \(type)")
        }
        return nodes[nth - 1]
    }

    /// "service.Session <label> (0x…)": how commands name one object.
    func describe(_ node: Int) -> String {
        "\(typeName(of: node)) \(shortLabel(of: node)) (0x\(String(id(of: node), radix: 16)))"
    }
}
