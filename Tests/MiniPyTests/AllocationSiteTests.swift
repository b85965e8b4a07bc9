import Foundation
import HeapGraphModel
import Testing

/// `minipy --snapshot` records where containers were allocated, and `heapgraph leaks` on
/// the snapshot names the line (both built executables, end to end).
@Suite struct AllocationSiteTests {
    static let leakySource = """
        import gc

        class Node:
            def __init__(self):
                self.me = self

        def leak(n):
            for i in range(n):
                Node()
            return n

        gc.disable()
        kept = []
        kept.append(kept)
        leak(3)

        """

    @Test func leaksReportTheLineThatAllocatedEachLeak() throws {
        let directory = try makeScratch("sites")
        defer { removeScratch(directory) }
        try Self.leakySource.write(toFile: directory + "/leaky.py", atomically: true, encoding: .utf8)
        let run = try runProgram(try minipyExecutable(), ["--snapshot", "out.heapgraph", "leaky.py"], in: directory)
        #expect(run.status == 0, "\(run.standardError)")

        let graph = try HeapSnapshot(contentsOf: directory + "/out.heapgraph")
        let nodes = (0..<graph.nodeCount).filter { graph.typeName(of: $0) == "Node" }
        #expect(nodes.count == 3)
        #expect(nodes.map { graph.metadata.allocationSite(of: graph.id(of: $0)) } == Array(repeating: "leaky.py:9", count: 3))
        // `kept = []` is line 13; what the interpreter made before the program ran has no site.
        let lists = (0..<graph.nodeCount).filter { graph.typeName(of: $0) == "list" }
        #expect(lists.filter { graph.metadata.allocationSite(of: graph.id(of: $0)) == "leaky.py:13" }.count == 1)
        #expect(graph.metadata.allocationSiteNames.allSatisfy { $0.hasPrefix("leaky.py:") })

        let report = try runProgram(try builtExecutable("heapgraph"), ["leaks", "out.heapgraph"], in: directory)
        #expect(report.standardOutput.contains("3 leaks with the same fingerprint"), "\(report.standardOutput)")
        #expect(report.standardOutput.contains("allocated at leaky.py:9"), "\(report.standardOutput)")

        let json = try runProgram(try builtExecutable("heapgraph"), ["leaks", "--format", "json", "out.heapgraph"], in: directory)
        let document = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any]
        let leaks = document?["leaks"] as? [[String: Any]] ?? []
        let nodeGroup = leaks.first { ($0["types"] as? [String]) == ["Node"] }
        #expect(nodeGroup?["allocationSite"] as? String == "leaky.py:9")
    }
}
