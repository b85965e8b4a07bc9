/// Errors heap operations throw for bad input, in the manner of Python's exceptions.
/// Misuse of ownership (over-release, a freed object) is not an error but a precondition
/// failure: a program that does it has already corrupted its own state.
public enum HeapError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The operation needs another type, as Python's `TypeError`.
    case wrongType(expected: String, got: String)
    /// A dict key or set element that cannot be hashed, as `TypeError: unhashable type`.
    case unhashable(type: String)
    /// An index outside the sequence, as `IndexError`.
    case indexOutOfRange(index: Int, count: Int)
    /// A missing dict key or set element, as `KeyError`.
    case keyNotFound(key: String)
    /// A missing attribute, as `AttributeError`.
    case attributeNotFound(type: String, name: String)
    /// Popping from an empty container.
    case empty(type: String)
    /// A value Python would refuse: an integer too large, invalid UTF-8, a bad argument.
    case invalidValue(String)
    /// Containers nested too deep to compare (more than 1000 levels, or a cycle in each
    /// operand), as CPython's `RecursionError`.
    case recursionLimitExceeded

    public var description: String {
        switch self {
        case let .wrongType(expected, got): "TypeError: expected \(expected), got \(got)"
        case let .unhashable(type): "TypeError: unhashable type: '\(type)'"
        case let .indexOutOfRange(index, count): "IndexError: index \(index) out of range for length \(count)"
        case let .keyNotFound(key): "KeyError: \(key)"
        case let .attributeNotFound(type, name): "AttributeError: '\(type)' object has no attribute '\(name)'"
        case let .empty(type): "IndexError: pop from empty \(type)"
        case let .invalidValue(message): "ValueError: \(message)"
        case .recursionLimitExceeded: "RecursionError: maximum recursion depth exceeded in comparison"
        }
    }
}
