import HeapRuntime

/// A Python exception on its way up the Swift stack: the exception instance (an owned
/// reference) and the traceback gathered so far, innermost frame first.
public struct PyException: Error, @unchecked Sendable {
    /// The exception instance; the error owns one count on it until it is handled.
    let object: ObjectRef
    /// (code, line) of each frame the exception left, innermost first.
    var traceback: [(code: CodeObject, line: Int)] = []

    init(object: ObjectRef) { self.object = object }
}

/// What a statement tells the block that runs it.
enum Flow { case normal, breakLoop, continueLoop, returned }
