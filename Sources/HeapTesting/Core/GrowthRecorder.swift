import HeapAnalysis
import HeapGraphModel
import HeapRuntime
import HeapRuntimeSnapshot

/// The snapshots of a growth check, one after the warm-up (round 0) and one after each
/// round, and the verdict they give; shared by the synchronous and asynchronous checks.
struct GrowthRecorder {
    let heap: Heap
    let options: LeakCheckOptions
    let name: String
    private var snapshots: [HeapSnapshot] = []

    init(heap: Heap, options: LeakCheckOptions, name: String) {
        self.heap = heap
        self.options = options
        self.name = name
    }

    /// Why `rounds` and `minimumGrowth` make no check (one step is not a trend), or nil.
    static func problem(rounds: Int, minimumGrowth: Int) -> LeakCheckProblem? {
        guard rounds < 2 || minimumGrowth < 1 else { return nil }
        return LeakCheckProblem("a growth check needs at least 2 rounds and a minimum growth of at least 1 "
            + "(got \(rounds) rounds, minimum \(minimumGrowth))")
    }

    /// Collects (per the options) and takes the heap's graph after `round` (0: the warm-up).
    mutating func record(round: Int) {
        LeakChecker.collect(heap, options.collection)
        snapshots.append(HeapSnapshot(heap: heap, tag: round == 0 ? "\(name): after the warm-up" : "\(name): round \(round)"))
    }

    /// The report of the last graph against the earlier ones, keeping only the growth of
    /// types that grew by at least `minimumGrowth` at every round.
    func verdict(minimumGrowth: Int) -> LeakVerdict {
        var baselines = snapshots
        guard let graph = baselines.popLast() else {
            return LeakVerdict(report: LeakReport(groups: []), failOn: options.failOn,
                               problems: [LeakCheckProblem("the growth check recorded no round")], name: name)
        }
        var report = LeakReport.analyze(graph, baselines: baselines)
        // The report's growth is "grew at every step"; keep only the types that grew by at
        // least `minimumGrowth` at each.
        if minimumGrowth > 1 {
            let comparison = SnapshotComparison(snapshots, heldOnly: true)
            let steady = Set(comparison.rows.filter { row in
                zip(row.counts, row.counts.dropFirst()).allSatisfy { $1 - $0 >= minimumGrowth }
            }.map(\.name))
            report.groups.removeAll { $0.category == .growth && !$0.types.allSatisfy(steady.contains) }
        }
        return LeakChecker.finish(report, graph: graph, heap: heap, options: options, name: name, problems: [])
    }
}
