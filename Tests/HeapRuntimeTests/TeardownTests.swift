import XCTest
@testable import HeapRuntime

/// XCTest runs these one at a time, so process-wide counters are not disturbed by other
/// tests running in parallel.
final class TeardownTests: XCTestCase {
    func testTearingDownAHeapFreesAllItsMemory() throws {
        let arenasBefore = processMappedArenas.load(ordering: .relaxed)
        let largeBefore = processLargeBytes.load(ordering: .relaxed)
        do {
            let heap = Heap()
            let root = heap.list()
            for i in 0..<200_000 {
                let node = try heap.instance(of: try heap.makeClass("Node"))
                try heap.setAttribute("value", to: heap.int(i + 1000), on: node.ref)
                try heap.setAttribute("self", to: node.ref, on: node.ref)        // a self-cycle
                try heap.append(node.ref, to: root.ref)
            }
            let big = heap.list()
            for i in 0..<10_000 { try heap.append(heap.str("string number \(i)"), to: big.ref) }  // a large buffer
            try heap.append(big.ref, to: root.ref)
            try heap.append(root.ref, to: root.ref)                               // and a cycle at the top
            XCTAssertGreaterThan(processMappedArenas.load(ordering: .relaxed), arenasBefore + 10)
            XCTAssertGreaterThan(processLargeBytes.load(ordering: .relaxed), largeBefore)
            _ = root
        }
        XCTAssertEqual(processMappedArenas.load(ordering: .relaxed), arenasBefore)
        XCTAssertEqual(processLargeBytes.load(ordering: .relaxed), largeBefore)
    }

    /// Large objects the host still holds when the heap goes (a str of 2,000 bytes never
    /// released) live outside the arenas; tearing the heap down frees their blocks too.
    func testTearingDownFreesLargeObjectsTheHostStillHolds() throws {
        let largeBefore = processLargeBytes.load(ordering: .relaxed)
        do {
            let heap = Heap()
            var held: [ObjectRef] = []
            for i in 0..<50 { held.append(heap.str(String(repeating: "x", count: 2_000 + i)).unmanaged()) }
            XCTAssertGreaterThanOrEqual(processLargeBytes.load(ordering: .relaxed), largeBefore + 50 * 2_000)
            XCTAssertEqual(held.count, 50)
        }
        XCTAssertEqual(processLargeBytes.load(ordering: .relaxed), largeBefore)
    }
}
