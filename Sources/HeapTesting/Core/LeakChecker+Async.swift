import HeapAnalysis
import HeapRuntime

extension LeakChecker {
    /// ``checkNoLeaks(in:options:name:body:)`` for a body that awaits. The body runs in the
    /// caller's isolation (`nonisolated(nonsending)`), so the heap (not `Sendable`) never changes threads under it.
    nonisolated(nonsending) public static func checkNoLeaks(in heap: Heap, options: LeakCheckOptions = .noLeaks, name: String = "leak-check",
                                    body: nonisolated(nonsending) (Heap) async throws -> Void) async rethrows -> LeakVerdict {
        try await body(heap)
        return verdict(for: heap, options: options, name: name)
    }

    /// ``checkNoGrowth(in:rounds:minimumGrowth:options:name:body:)`` for a body that awaits,
    /// run in the caller's isolation.
    nonisolated(nonsending) public static func checkNoGrowth(in heap: Heap, rounds: Int = 5, minimumGrowth: Int = 1,
                                     options: LeakCheckOptions = .noGrowth, name: String = "growth-check",
                                     body: nonisolated(nonsending) (Heap) async throws -> Void) async rethrows -> LeakVerdict {
        if let problem = GrowthRecorder.problem(rounds: rounds, minimumGrowth: minimumGrowth) {
            return LeakVerdict(report: LeakReport(groups: []), failOn: options.failOn, problems: [problem], name: name)
        }
        var recorder = GrowthRecorder(heap: heap, options: options, name: name)
        for round in 0...rounds {
            try await body(heap)
            recorder.record(round: round)
        }
        return recorder.verdict(minimumGrowth: minimumGrowth)
    }
}
