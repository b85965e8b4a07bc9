import XCTest
import Foundation
import Synchronization
@testable import GraphvizRender

/// libgvc crashes when two renders overlap; these tests overlap many and
/// check that every result is the one its caller asked for.
final class ConcurrencyTests: XCTestCase {
    private static func check(_ bytes: [UInt8], format: OutputFormat, label: String) -> Bool {
        switch format {
        case .svg, .dot, .json: return text(bytes).contains(label)
        case .png: return Array(bytes.prefix(8)) == pngSignature && pngSize(bytes) != nil
        case .pdf: return text(Array(bytes.prefix(5))) == "%PDF-"
        }
    }

    private static func job(task: Int, round: Int) -> (dot: String, format: OutputFormat, label: String) {
        let label = "task\(task)round\(round)"
        let format = OutputFormat.allCases[(task + round) % OutputFormat.allCases.count]
        let engine = ["dot", "neato", "sfdp"][(task * 3 + round) % 3]
        let dot = "digraph { layout=\(engine); \(label) -> shared; shared -> other\(task); other\(task) -> \(label) }"
        return (dot, format, label)
    }

    func testSixteenTasksRenderingAtOnce() async throws {
        let renderer = GraphvizRenderer()
        let rounds = 6
        let results = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for task in 0..<16 {
                group.addTask {
                    var passed = 0
                    for round in 0..<rounds {
                        let job = Self.job(task: task, round: round)
                        let bytes = try renderer.render(dot: job.dot, format: job.format)
                        if Self.check(bytes, format: job.format, label: job.label) { passed += 1 }
                    }
                    return (task, passed)
                }
            }
            var all: [(Int, Int)] = []
            for try await result in group { all.append(result) }
            return all
        }
        XCTAssertEqual(results.count, 16)
        for (task, passed) in results {
            XCTAssertEqual(passed, rounds, "task \(task): \(rounds - passed) wrong results")
        }
    }

    func testSixteenThreadsRenderingAtOnce() throws {
        // The cooperative pool has one thread per core; real threads make
        // the renders truly overlap on a small machine.
        let renderer = GraphvizRenderer()
        let rounds = 4
        let failures = FailureLog()
        var threads: [Thread] = []
        let done = DispatchGroup()
        for task in 0..<16 {
            done.enter()
            let thread = Thread {
                defer { done.leave() }
                for round in 0..<rounds {
                    let job = Self.job(task: 100 + task, round: round)
                    do {
                        let bytes = try renderer.render(dot: job.dot, format: job.format)
                        if !Self.check(bytes, format: job.format, label: job.label) {
                            failures.record("\(job.label): wrong \(job.format) output")
                        }
                    } catch {
                        failures.record("\(job.label): \(error)")
                    }
                }
            }
            threads.append(thread)
        }
        threads.forEach { $0.start() }
        XCTAssertEqual(done.wait(timeout: .now() + 120), .success)
        XCTAssertEqual(failures.messages, [])
    }

    func testPlanCountsAreTakenUnderTheLockToo() async throws {
        let renderer = GraphvizRenderer()
        let engines = try await withThrowingTaskGroup(of: LayoutEngine.self) { group in
            for i in 0..<16 {
                group.addTask {
                    try renderer.layoutPlan(forDOT: i.isMultiple(of: 2)
                        ? syntheticDOT(nodes: 1200, edges: 1300) : backrefsDOT).engine
                }
            }
            var all: [LayoutEngine] = []
            for try await engine in group { all.append(engine) }
            return all
        }
        XCTAssertEqual(engines.filter { $0 == .sfdp }.count, 8)
        XCTAssertEqual(engines.filter { $0 == .dot }.count, 8)
    }
}

/// Failure messages collected from threads.
private final class FailureLog: Sendable {
    private let stored = Mutex<[String]>([])
    func record(_ message: String) { stored.withLock { $0.append(message) } }
    var messages: [String] { stored.withLock { $0 } }
}
