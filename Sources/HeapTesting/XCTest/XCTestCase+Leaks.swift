import HeapRuntime
import XCTest

// XCTest's adapters: run the core check, and report a failing verdict with XCTFail at the
// caller's file and line.

extension XCTestCase {
    /// Runs `body` against `heap`, collects, and fails the test (`XCTFail`) when it left
    /// uncollectable cycles, cyclic garbage (with the collector off) or watched objects
    /// alive (`LeakChecker/checkNoLeaks(in:options:name:body:)`). The failure's message
    /// is the verdict's: each failing group (category, count, fingerprint) and the leak
    /// report with its traces. Artifacts are named after the test (`name`).
    ///
    /// ```swift
    /// func testSessionsAreFreed() throws {
    ///     try assertNoLeaks { heap in
    ///         let session = try heap.instance(of: sessionClass)
    ///         try heap.expectWeaklyReachable(session, description: "closed session")
    ///     }
    /// }
    /// ```
    @discardableResult
    public func assertNoLeaks(in heap: Heap = Heap(), options: LeakCheckOptions = .noLeaks,
                              file: StaticString = #filePath, line: UInt = #line,
                              _ body: (Heap) throws -> Void) rethrows -> LeakVerdict {
        let verdict = try LeakChecker.checkNoLeaks(in: heap, options: options, name: name, body: body)
        if !verdict.passed { XCTFail(verdict.message, file: file, line: line) }
        return verdict
    }

    /// LeakCanary's repeated heap growth in XCTest: runs `body` once to warm up and then
    /// `rounds` times, and fails the test when some type grew by at least `minimumGrowth`
    /// objects in every round
    /// (`LeakChecker/checkNoGrowth(in:rounds:minimumGrowth:options:name:body:)`).
    @discardableResult
    public func assertNoHeapGrowth(in heap: Heap = Heap(), rounds: Int = 5, minimumGrowth: Int = 1,
                                   options: LeakCheckOptions = .noGrowth,
                                   file: StaticString = #filePath, line: UInt = #line,
                                   _ body: (Heap) throws -> Void) rethrows -> LeakVerdict {
        let verdict = try LeakChecker.checkNoGrowth(in: heap, rounds: rounds, minimumGrowth: minimumGrowth,
                                                    options: options, name: name, body: body)
        if !verdict.passed { XCTFail(verdict.message, file: file, line: line) }
        return verdict
    }

    /// ``assertNoLeaks(in:options:file:line:_:)`` for a body that awaits (an `async` test
    /// method), run in the caller's isolation.
    @discardableResult
    nonisolated(nonsending) public func assertNoLeaks(
        in heap: Heap = Heap(), options: LeakCheckOptions = .noLeaks, file: StaticString = #filePath, line: UInt = #line,
        _ body: nonisolated(nonsending) (Heap) async throws -> Void
    ) async rethrows -> LeakVerdict {
        let verdict = try await LeakChecker.checkNoLeaks(in: heap, options: options, name: name, body: body)
        if !verdict.passed { XCTFail(verdict.message, file: file, line: line) }
        return verdict
    }

    /// ``assertNoHeapGrowth(in:rounds:minimumGrowth:options:file:line:_:)`` for a body that
    /// awaits, run in the caller's isolation.
    @discardableResult
    nonisolated(nonsending) public func assertNoHeapGrowth(
        in heap: Heap = Heap(), rounds: Int = 5, minimumGrowth: Int = 1, options: LeakCheckOptions = .noGrowth,
        file: StaticString = #filePath, line: UInt = #line, _ body: nonisolated(nonsending) (Heap) async throws -> Void
    ) async rethrows -> LeakVerdict {
        let verdict = try await LeakChecker.checkNoGrowth(in: heap, rounds: rounds, minimumGrowth: minimumGrowth,
                                                          options: options, name: name, body: body)
        if !verdict.passed { XCTFail(verdict.message, file: file, line: line) }
        return verdict
    }
}
