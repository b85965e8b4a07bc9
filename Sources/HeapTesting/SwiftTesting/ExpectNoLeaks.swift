import HeapRuntime
import Testing

// Swift Testing's adapters: run the core check, and record a failing verdict as an issue
// at the caller's source location.

/// Runs `body` against `heap`, collects, and records an issue when it left uncollectable
/// cycles, cyclic garbage (with the collector off) or watched objects alive
/// (`LeakChecker/checkNoLeaks(in:options:name:body:)`). The issue's comment is the
/// verdict's message: each failing group (category, count, fingerprint) and the leak
/// report with its traces. Artifacts are named after the current test.
///
/// ```swift
/// @Test func sessionsAreFreed() throws {
///     try expectNoLeaks { heap in
///         let session = try heap.instance(of: sessionClass)
///         try heap.expectWeaklyReachable(session, description: "closed session")
///     }
/// }
/// ```
@discardableResult
public func expectNoLeaks(in heap: Heap = Heap(), options: LeakCheckOptions = .noLeaks,
                          sourceLocation: SourceLocation = #_sourceLocation,
                          _ body: (Heap) throws -> Void) rethrows -> LeakVerdict {
    let verdict = try LeakChecker.checkNoLeaks(in: heap, options: options, name: currentTestName(default: "leak-check"),
                                               body: body)
    record(verdict, sourceLocation: sourceLocation)
    return verdict
}

/// LeakCanary's repeated heap growth in Swift Testing: runs `body` once to warm up and then
/// `rounds` times, and records an issue when some type grew by at least `minimumGrowth`
/// objects in every round (`LeakChecker/checkNoGrowth(in:rounds:minimumGrowth:options:name:body:)`).
@discardableResult
public func expectNoHeapGrowth(in heap: Heap = Heap(), rounds: Int = 5, minimumGrowth: Int = 1,
                               options: LeakCheckOptions = .noGrowth, sourceLocation: SourceLocation = #_sourceLocation,
                               _ body: (Heap) throws -> Void) rethrows -> LeakVerdict {
    let verdict = try LeakChecker.checkNoGrowth(in: heap, rounds: rounds, minimumGrowth: minimumGrowth, options: options,
                                                name: currentTestName(default: "growth-check"), body: body)
    record(verdict, sourceLocation: sourceLocation)
    return verdict
}

extension LeakVerdict {
    /// The message as a Swift Testing comment, for `#expect(verdict.passed, verdict.comment)`.
    public var comment: Comment { Comment(rawValue: message) }
}

/// Records a failing verdict as one issue at `sourceLocation`.
func record(_ verdict: LeakVerdict, sourceLocation: SourceLocation) {
    guard !verdict.passed else { return }
    Issue.record(verdict.comment, sourceLocation: sourceLocation)
}

/// The running test's name (`sessionsAreFreed()`), for artifact names.
func currentTestName(default name: String) -> String {
    Test.current?.name ?? name
}

/// `expectNoLeaks(in:options:sourceLocation:_:)` for a body that awaits, run in the
/// caller's isolation.
@discardableResult
nonisolated(nonsending) public func expectNoLeaks(
    in heap: Heap = Heap(), options: LeakCheckOptions = .noLeaks, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: nonisolated(nonsending) (Heap) async throws -> Void
) async rethrows -> LeakVerdict {
    let verdict = try await LeakChecker.checkNoLeaks(in: heap, options: options, name: currentTestName(default: "leak-check"),
                                                     body: body)
    record(verdict, sourceLocation: sourceLocation)
    return verdict
}

/// ``expectNoHeapGrowth(in:rounds:minimumGrowth:options:sourceLocation:_:)`` for a body
/// that awaits, run in the caller's isolation.
@discardableResult
nonisolated(nonsending) public func expectNoHeapGrowth(
    in heap: Heap = Heap(), rounds: Int = 5, minimumGrowth: Int = 1, options: LeakCheckOptions = .noGrowth,
    sourceLocation: SourceLocation = #_sourceLocation, _ body: nonisolated(nonsending) (Heap) async throws -> Void
) async rethrows -> LeakVerdict {
    let verdict = try await LeakChecker.checkNoGrowth(in: heap, rounds: rounds, minimumGrowth: minimumGrowth, options: options,
                                                      name: currentTestName(default: "growth-check"), body: body)
    record(verdict, sourceLocation: sourceLocation)
    return verdict
}
