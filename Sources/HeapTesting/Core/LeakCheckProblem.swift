/// Something that kept a leak check from doing its work (an unreadable known-leak list, an
/// artifact that could not be written): reported with the check's verdict, in one line.
public struct LeakCheckProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
