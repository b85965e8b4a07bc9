/// A known-leak list that cannot be read: the file, the line and what is wrong with it.
public struct KnownLeakListError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var problem: String

    public init(file: String, line: Int, problem: String) {
        self.file = file
        self.line = line
        self.problem = problem
    }

    /// `FILE:LINE: problem`, as compilers print it.
    public var description: String { "\(file):\(line): \(problem)" }
}
