import HeapAnalysis
import HeapGraphModel
import HeapRuntime
import HeapRuntimeSnapshot

/// The core of HeapTesting, free of any test framework: runs a body against a heap, looks
/// at what it left behind with HeapAnalysis's leak report, and returns a ``LeakVerdict``.
/// The Swift Testing functions (`expectNoLeaks(in:options:sourceLocation:_:)`) and the
/// XCTest methods (`XCTestCase.assertNoLeaks`) only turn a failing verdict into a failure.
///
/// ```swift
/// let heap = Heap()
/// let verdict = LeakChecker.checkNoLeaks(in: heap) { heap in
///     let a = try heap.list(), b = try heap.list()
///     ...
/// }
/// if !verdict.passed { print(verdict.message) }
/// ```
public enum LeakChecker {
    /// Runs `body`, collects (``LeakCheckOptions/collection``), and judges the whole heap:
    /// the check fails when the report has findings in ``LeakCheckOptions/failOn``
    /// (uncollectable cycles, cyclic garbage, watched objects still alive) that the
    /// known-leak list does not accept. A failing check writes its artifacts
    /// (``LeakCheckOptions/artifacts``). An error the body throws is rethrown, unchecked.
    /// - Complexity: O(objects + references) of the heap, after the body.
    public static func checkNoLeaks(in heap: Heap, options: LeakCheckOptions = .noLeaks, name: String = "leak-check",
                                    body: (Heap) throws -> Void) rethrows -> LeakVerdict {
        try body(heap)
        return verdict(for: heap, options: options, name: name)
    }

    /// Judges the heap as it is now, as `checkNoLeaks(in:options:name:body:)` does after
    /// its body (LeakCanary's `assertNoLeaks()`, for heaps a test filled itself).
    public static func verdict(for heap: Heap, options: LeakCheckOptions = .noLeaks, name: String = "leak-check") -> LeakVerdict {
        collect(heap, options.collection)
        let graph = HeapSnapshot(heap: heap, tag: name)
        return finish(LeakReport.analyze(graph), graph: graph, heap: heap, options: options, name: name, problems: [])
    }

    /// LeakCanary's repeated heap growth: runs `body` once to warm up (caches, interned
    /// strings), then `rounds` more times, taking a snapshot after the warm-up and after
    /// each round (collecting first, per ``LeakCheckOptions/collection``). Fails when some
    /// type's count of objects the program holds grew by at least `minimumGrowth` in every
    /// round; the group names the type, the counts per round and the trace of a new object.
    /// `rounds` below 2 is a problem that fails the check (one step is not a trend).
    /// - Complexity: `rounds + 1` runs of the body and walks of the heap.
    public static func checkNoGrowth(in heap: Heap, rounds: Int = 5, minimumGrowth: Int = 1,
                                     options: LeakCheckOptions = .noGrowth, name: String = "growth-check",
                                     body: (Heap) throws -> Void) rethrows -> LeakVerdict {
        if let problem = GrowthRecorder.problem(rounds: rounds, minimumGrowth: minimumGrowth) {
            return LeakVerdict(report: LeakReport(groups: []), failOn: options.failOn, problems: [problem], name: name)
        }
        var recorder = GrowthRecorder(heap: heap, options: options, name: name)
        for round in 0...rounds {
            try body(heap)
            recorder.record(round: round)
        }
        return recorder.verdict(minimumGrowth: minimumGrowth)
    }

    static func collect(_ heap: Heap, _ policy: CollectionPolicy) {
        switch policy {
        case .always: heap.gc.collect()
        case .whenEnabled: if heap.gc.isEnabled { heap.gc.collect() }
        case .never: break
        }
    }

    /// Applies the known-leak list, and writes the artifacts of a failing verdict.
    static func finish(_ report: LeakReport, graph: HeapSnapshot, heap: Heap, options: LeakCheckOptions, name: String,
                       problems: [LeakCheckProblem]) -> LeakVerdict {
        var report = report
        var problems = problems
        do {
            if let list = try options.knownLeaks.load() { report = report.applying(list, graph: graph) }
        } catch {
            problems.append(error)
        }
        var verdict = LeakVerdict(report: report, failOn: options.failOn, problems: problems, name: name)
        guard !verdict.passed, let directory = options.artifacts.resolved() else { return verdict }
        do {
            let writer = try ArtifactWriter(directory: directory, name: name)
            // The heap has not changed since `graph` was taken: the file has the same ids.
            verdict.artifacts.append(try writer.writeSnapshot(of: heap, tag: name))
            let pictures = writer.writePictures(of: verdict.failingGroups, graph: graph, format: options.pictureFormat,
                                                maxNodes: options.pictureMaxNodes)
            verdict.artifacts += pictures.paths
            verdict.problems += pictures.problems
            verdict.artifacts.append(try writer.writeReport(report.text(failingOn: options.failOn)))
        } catch {
            verdict.problems.append(error)
        }
        return verdict
    }
}
