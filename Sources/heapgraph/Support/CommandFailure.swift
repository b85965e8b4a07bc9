/// A usage or input problem: printed as one line (`heapgraph: <message>`), exit status 2.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
