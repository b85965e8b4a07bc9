import Foundation
import GraphvizRender
import HeapAnalysis
import HeapGraphModel
import HeapRuntime
@testable import HeapTesting
import Testing

/// A failing check writes its snapshot, pictures and report into the artifacts directory,
/// and nowhere else; a passing check writes nothing.
@Suite struct ArtifactTests {
    func options(artifacts directory: String, format: OutputFormat = .svg) -> LeakCheckOptions {
        var options = isolated()
        options.artifacts = .directory(directory)
        options.pictureFormat = format
        return options
    }

    @Test func aFailingCheckWritesTheSnapshotPictureAndReport() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let leaky = try LeakyHeap()
        leaky.heap.gc.disable()
        let artifacts = directory.file("ci/artifacts")
        let verdict = try LeakChecker.checkNoLeaks(in: leaky.heap, options: options(artifacts: artifacts), name: "cycle test()") { heap in
            try leaky.dropNodeCycle(heap)
            try leaky.cacheSession(heap, watched: true)
        }
        // Only the named directory (made with its parents) has anything in it.
        #expect(directory.contents() == ["ci"])
        #expect(directory.contents("ci") == ["artifacts"])
        let expected = ["cycle_test.heapgraph", "cycle_test.leaks.txt",
                        "cycle_test-leak-01-cyclic-garbage.svg", "cycle_test-leak-02-watched.svg"]
        #expect(directory.contents("ci/artifacts") == expected.sorted())
        #expect(Set(verdict.artifacts) == Set(expected.map { artifacts + "/" + $0 }))
        #expect(verdict.message.contains("artifacts:\n  \(artifacts)/cycle_test.heapgraph"))

        // The snapshot is the heap that was judged: the same groups, by fingerprint.
        let snapshot = try HeapSnapshot(contentsOf: artifacts + "/cycle_test.heapgraph")
        let reread = LeakReport.analyze(snapshot)
        #expect(reread.groups.map(\.fingerprint) == verdict.report.groups.map(\.fingerprint))
        // The picture is an SVG with the group's caption; the report names both groups.
        let svg = try String(contentsOfFile: artifacts + "/cycle_test-leak-01-cyclic-garbage.svg", encoding: .utf8)
        #expect(svg.contains("<svg"))
        #expect(svg.contains("cyclic&#45;garbage: 1 leak, fingerprint \(verdict.failingGroups[0].fingerprint)"))
        let text = try String(contentsOfFile: artifacts + "/cycle_test.leaks.txt", encoding: .utf8)
        #expect(text.hasPrefix("Leak report: 2 groups, 2 leaks"))
        #expect(text.contains("description: closed session"))
    }

    @Test func aSecondCheckOfTheSameNameKeepsTheFirstFiles() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for _ in 0..<2 {
            let leaky = try LeakyHeap()
            leaky.heap.gc.disable()
            _ = try LeakChecker.checkNoLeaks(in: leaky.heap, options: options(artifacts: directory.path, format: .dot), name: "same") { heap in
                try leaky.dropNodeCycle(heap)
            }
        }
        #expect(directory.contents() == ["same-2-leak-01-cyclic-garbage.dot", "same-2.heapgraph", "same-2.leaks.txt",
                                         "same-leak-01-cyclic-garbage.dot", "same.heapgraph", "same.leaks.txt"])
        let dot = try String(contentsOfFile: directory.file("same-leak-01-cyclic-garbage.dot"), encoding: .utf8)
        #expect(dot.hasPrefix("digraph ObjectGraph {"))
    }

    @Test func aPassingCheckWritesNothing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let leaky = try LeakyHeap()
        let verdict = try LeakChecker.checkNoLeaks(in: leaky.heap, options: options(artifacts: directory.file("artifacts"))) { heap in
            try leaky.churn(heap)
        }
        #expect(verdict.passed)
        #expect(verdict.artifacts.isEmpty)
        #expect(directory.contents().isEmpty)
    }

    @Test func aGrowthCheckWritesTheFinalSnapshot() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let leaky = try LeakyHeap()
        var options = options(artifacts: directory.path, format: .png)
        options.failOn = [.growth]
        let verdict = try LeakChecker.checkNoGrowth(in: leaky.heap, rounds: 2, options: options, name: "grows") { heap in
            try leaky.cacheSession(heap)
        }
        #expect(directory.contents() == ["grows-leak-01-growth.png", "grows.heapgraph", "grows.leaks.txt"])
        #expect(verdict.failingGroups.map(\.category) == [.growth])
        let png = try #require(FileManager.default.contents(atPath: directory.file("grows-leak-01-growth.png")))
        #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
    }

    @Test func anArtifactsPathThatIsAFileIsAProblemAndIsLeftAlone() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try "keep me".write(toFile: directory.file("artifacts"), atomically: false, encoding: .utf8)
        let leaky = try LeakyHeap()
        leaky.heap.gc.disable()
        let verdict = try LeakChecker.checkNoLeaks(in: leaky.heap, options: options(artifacts: directory.file("artifacts"))) { heap in
            try leaky.dropNodeCycle(heap)
        }
        #expect(verdict.failingGroups.count == 1)
        #expect(verdict.problems.count == 1)
        #expect(verdict.problems.first?.description.hasPrefix("\(directory.file("artifacts")): cannot make the artifacts directory") == true)
        #expect(verdict.message.contains("problem: \(directory.file("artifacts")): cannot make"))
        #expect(try String(contentsOfFile: directory.file("artifacts"), encoding: .utf8) == "keep me")
        #expect(directory.contents() == ["artifacts"])
    }

    @Test(arguments: [("cycle test()", "cycle_test"), ("Suite/test case", "Suite_test_case"),
                      ("NoLeaksXCTests.testGrowthFails", "NoLeaksXCTests.testGrowthFails"), ("../..", "leak-check"),
                      ("ünïcode", "n_code"), ("", "leak-check")])
    func testNamesBecomeFileStems(name: String, stem: String) {
        #expect(ArtifactWriter.fileStem(name) == stem)
    }

    @Test func theEnvironmentNamesTheDirectory() {
        let variable = ArtifactsDirectory.environmentVariable
        #expect(variable == "HEAPGRAPH_TEST_ARTIFACTS")
        #expect(ArtifactsDirectory.fromEnvironment.resolved(environment: [:]) == nil)
        #expect(ArtifactsDirectory.fromEnvironment.resolved(environment: [variable: ""]) == nil)
        #expect(ArtifactsDirectory.fromEnvironment.resolved(environment: [variable: "/ci/out"]) == "/ci/out")
        #expect(ArtifactsDirectory.none.resolved(environment: [variable: "/ci/out"]) == nil)
        #expect(ArtifactsDirectory.directory("/x").resolved(environment: [variable: "/ci/out"]) == "/x")
    }

    @Test func noArtifactsWhenNoneIsAsked() throws {
        let leaky = try LeakyHeap()
        leaky.heap.gc.disable()
        let verdict = try LeakChecker.checkNoLeaks(in: leaky.heap, options: isolated()) { heap in try leaky.dropNodeCycle(heap) }
        #expect(!verdict.passed)
        #expect(verdict.artifacts.isEmpty)
        #expect(!verdict.message.contains("artifacts:"))
    }
}
