import Foundation
import HeapRuntime
import Testing

/// Leak pictures: the whole cycle, a caption, labels that do not touch, what was cut or
/// scaled said on stderr, --max-nodes and --engine. And the suspect reference in traces.
@Suite("heapgraph leaks: pictures and suspects", .serialized)
struct LeakPictureTests {
    @Test func uncollectablePictureShowsTheWholeCycleWithACaption() throws {
        let directory = try scratchDirectory("pictures-cycle")
        let fixture = try makeLeakFixture(in: directory)
        let report = try heapgraph(["leaks", fixture.final, "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.standardOutput.utf8)) as? [String: Any])
        let uncollectable = try #require((object["leaks"] as? [[String: Any]])?.first)
        let fingerprint = try #require(uncollectable["fingerprint"] as? String)

        let result = try heapgraph(["leaks", fixture.final, "--render-dir", directory + "/dot", "--render-format", "dot",
                                    "-o", directory + "/report.txt"])
        #expect(result.status == 1)
        #expect(result.standardError == "rendered 3 leak pictures into \(directory)/dot\n")
        let dot = try String(contentsOfFile: directory + "/dot/leak-01-uncollectable.dot", encoding: .utf8)
        // gc.garbage's list, the Connection and its Socket, and both references of the ring.
        #expect(dot.contains("label=\"Connection\\n"))
        #expect(dot.contains("label=\"Socket\\n"))
        #expect(dot.contains("[label=\" socket \",weight=2]"))
        #expect(dot.contains("[label=\" connection \",weight=2]"))
        #expect(dot.contains("label=\"uncollectable: 1 leak, fingerprint \(fingerprint) (app.Connection, app.Socket)\";"))
        #expect(dot.contains("nodesep=0.5;"))
        // The rendered picture has the caption and both labels as separate text elements.
        let svg = try heapgraph(["leaks", fixture.final, "--render-dir", directory + "/svg", "-o", directory + "/report.txt"])
        #expect(svg.status == 1)
        let picture = try String(contentsOfFile: directory + "/svg/leak-01-uncollectable.svg", encoding: .utf8)
        #expect(picture.contains(">uncollectable: 1 leak, fingerprint \(fingerprint) (app.Connection, app.Socket)</text>"))
        #expect(picture.contains("> socket </text>") && picture.contains("> connection </text>"))
    }

    @Test func cutNodesAndEngineAndScaledBitmapsAreSaid() throws {
        let directory = try scratchDirectory("pictures-limits")
        let fixture = try makeLeakFixture(in: directory)
        let cut = try heapgraph(["leaks", fixture.final, "--render-dir", directory + "/cut", "--render-format", "dot",
                                 "--max-nodes", "1", "-o", directory + "/report.txt"])
        #expect(cut.status == 1)
        // The Connection is reached and not drawn; the Socket is not even reached.
        #expect(cut.standardError.contains("\(directory)/cut/leak-01-uncollectable.dot: 1 more objects not drawn (--max-nodes 1)\n"))
        #expect(cut.standardError.contains("\(directory)/cut/leak-02-cyclic-garbage.dot: 1 more objects not drawn (--max-nodes 1)\n"))

        // Another engine gives another layout of the same picture.
        let dotEngine = try heapgraph(["leaks", fixture.final, "--render-dir", directory + "/a", "--engine", "dot", "-q", "-o", directory + "/r"])
        let circo = try heapgraph(["leaks", fixture.final, "--render-dir", directory + "/b", "--engine", "circo", "-q", "-o", directory + "/r"])
        #expect(dotEngine.status == 1 && circo.status == 1)
        let first = try Data(contentsOf: URL(fileURLWithPath: directory + "/a/leak-03-watched.svg"))
        let second = try Data(contentsOf: URL(fileURLWithPath: directory + "/b/leak-03-watched.svg"))
        #expect(first != second)
        let bogus = try heapgraph(["leaks", fixture.final, "--render-dir", directory + "/c", "--engine", "spring"])
        #expect(bogus.status == 2)
        #expect(bogus.standardError.contains("--engine"))
        let noDirectory = try heapgraph(["leaks", fixture.final, "--max-nodes", "10"])
        #expect(noDirectory.status == 2)
        #expect(noDirectory.standardError.contains("--engine and --max-nodes need --render-dir DIR"))

        // A ring of 900 objects drawn whole is taller than a PNG may be: scaled, and said.
        let heap = Heap()
        heap.gc.disable()
        let nodeClass = try heap.makeClass("app.Link")
        do {
            let first = try heap.instance(of: nodeClass)
            var previous = try heap.instance(of: nodeClass)
            try heap.setAttribute("next", to: previous, on: first)
            for _ in 0..<898 {
                let next = try heap.instance(of: nodeClass)
                try heap.setAttribute("next", to: next, on: previous)
                previous = next
            }
            try heap.setAttribute("next", to: first, on: previous)
        }
        try heap.writeSnapshot(to: directory + "/ring.heapgraph")
        let big = try heapgraph(["leaks", directory + "/ring.heapgraph", "--render-dir", directory + "/png",
                                 "--render-format", "png", "--max-nodes", "1000", "-o", directory + "/r"])
        #expect(big.status == 1)
        #expect(big.standardError.hasPrefix("\(directory)/png/leak-01-cyclic-garbage.png: the picture was too large for a bitmap and was scaled by 0."),
                "\(big.standardError)")
        #expect(!big.standardError.contains("cairo"))   // Graphviz's own warning is not printed
        let png = try Data(contentsOf: URL(fileURLWithPath: directory + "/png/leak-01-cyclic-garbage.png"))
        // PNG's IHDR: width and height, big-endian, at bytes 16 and 20; both within cairo's limit.
        let height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(height > 20_000 && height <= 30_100)
    }

    @Test func refsAndBackrefsTakeMaxNodesAndEngine() throws {
        let directory = try scratchDirectory("pictures-backrefs")
        let fixture = try makeLeakFixture(in: directory)
        let cut = try heapgraph(["backrefs", fixture.final, "--type", "app.Session", "--max-nodes", "1", "-o", directory + "/b.dot"])
        #expect(cut.status == 0)
        #expect(cut.standardOutput.hasSuffix("Graph written to \(directory)/b.dot (1 nodes)\n"))
        #expect(cut.standardError == "\(directory)/b.dot: 2 more objects not drawn (--max-nodes 1)\n")   // Holder, Listener
        let quiet = try heapgraph(["backrefs", fixture.final, "--type", "app.Session", "--max-nodes", "1", "-q", "-o", directory + "/q.dot"])
        #expect(quiet.standardError == "")
        let circo = try heapgraph(["backrefs", fixture.final, "--type", "app.Session", "--engine", "circo", "-o", directory + "/c.svg"])
        #expect(circo.status == 0)
        let dot = try heapgraph(["backrefs", fixture.final, "--type", "app.Session", "--engine", "dot", "-o", directory + "/d.svg"])
        #expect(dot.status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory + "/c.svg")) != Data(contentsOf: URL(fileURLWithPath: directory + "/d.svg")))
        #expect(try heapgraph(["refs", fixture.final, "--id", "1", "--max-nodes", "0"]).status == 2)
    }

    /// LeakCanary's `~~~` under the reference that closes a cycle, in text and JSON.
    @Test func suspectReferenceIsMarkedInTextAndJSON() throws {
        let directory = try scratchDirectory("pictures-suspect")
        let heap = Heap()
        let listeners = heap.list()
        let sessionClass = try heap.makeClass("service.Session")
        let listenerClass = try heap.makeClass("service.Listener")
        do {
            let session = try heap.instance(of: sessionClass)
            let listener = try heap.instance(of: listenerClass)
            try heap.setAttribute("listener", to: listener, on: session)
            try heap.setAttribute("session", to: session, on: listener)
            try heap.append(listener, to: listeners)
            try heap.watch(session, description: "closed")
        }
        try heap.writeSnapshot(to: directory + "/app.heapgraph")
        let text = try heapgraph(["leaks", directory + "/app.heapgraph"])
        #expect(text.status == 1)
        #expect(text.standardOutput.contains("""
                │    ↓ service.Listener.session
                │                       ~~~~~~~ closes the cycle
                ╰→ service.Session instance
            """))
        let json = try heapgraph(["leaks", directory + "/app.heapgraph", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let watched = try #require((object["leaks"] as? [[String: Any]])?.first)
        let suspect = try #require(watched["suspect"] as? [String: Any])
        #expect(suspect["index"] as? Int == 1)
        #expect(suspect["reference"] as? String == "service.Listener.session")
        #expect(suspect["reason"] as? String == "closes the cycle")
        #expect(((watched["trace"] as? [[String: Any]])?[1])?["reference"] as? String == "session")
        // The picture draws the suspect reference red and bold, and no other.
        let pictures = try heapgraph(["leaks", directory + "/app.heapgraph", "--render-dir", directory + "/dot",
                                      "--render-format", "dot", "-q", "-o", directory + "/r.txt"])
        #expect(pictures.status == 1)
        let dot = try String(contentsOfFile: directory + "/dot/leak-01-watched.dot", encoding: .utf8)
        let red = dot.split(separator: "\n").filter { $0.contains("penwidth=2") }
        #expect(red.count == 1)
        #expect(red.first?.contains("[label=\" session \",weight=2,color=red,fontcolor=red,penwidth=2]") == true)
        _ = listeners
    }
}
