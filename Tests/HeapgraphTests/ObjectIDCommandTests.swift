import Foundation
import HeapGraphModel
import HeapRuntime
import Testing

/// JSON output of a command, as an object.
private func jsonObject(_ result: CommandResult, status: Int32 = 0, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
    #expect(result.status == status, "\(result.standardError)", sourceLocation: sourceLocation)
    return try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any],
                        sourceLocation: sourceLocation)
}

/// The node whose id is `id`, or nil.
private func node(withID id: UInt64, in graph: HeapSnapshot) -> Int? {
    (0..<graph.nodeCount).first { graph.id(of: $0) == id }
}

/// The node of the one object of `type` in `graph`.
private func onlyNode(ofType type: String, in graph: HeapSnapshot) throws -> Int {
    let nodes = (0..<graph.nodeCount).filter { graph.typeName(of: $0) == type }
    #expect(nodes.count == 1)
    return try #require(nodes.first)
}

@Suite("heapgraph object ids: objects, show, refs --type, dominators --by type, stable ids", .serialized)
struct ObjectIDCommandTests {
    @Test func objectsListsATypesObjectsWithIdsAndSizes() throws {
        let directory = try scratchDirectory("objects")
        let fixture = try makeLeakFixture(in: directory)
        let graph = try HeapSnapshot(contentsOf: fixture.final)
        let nodes = (0..<graph.nodeCount).filter { graph.typeName(of: $0) == "app.Node" }
        #expect(nodes.count == 12)

        let text = try heapgraph(["objects", fixture.final, "--type", "Node", "--limit", "3"])
        #expect(text.status == 0, "\(text.standardError)")
        let lines = text.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first == "12 objects of type Node, 960 B, in \(fixture.final)")
        #expect(lines[1] == "id  shallow  object")
        for (line, node) in zip(lines.dropFirst(2).prefix(3), nodes) {
            #expect(line.hasPrefix("@\(graph.id(of: node)) ") && line.hasSuffix(" \(graph.shallowSize(of: node)) B  app.Node"), "\(line)")
        }
        #expect(lines.last == "… and 9 more objects (--limit 0 lists all)")

        let json = try jsonObject(try heapgraph(["objects", fixture.final, "--type", "app.Node", "--limit", "0", "--json"]))
        #expect(json["count"] as? Int == 12)
        #expect(json["bytes"] as? Int == 960)
        let rows = try #require(json["objects"] as? [[String: Any]])
        #expect(rows.compactMap { $0["id"] as? Int } == nodes.map { Int(graph.id(of: $0)) })
        #expect(rows.compactMap { $0["shallowBytes"] as? Int } == nodes.map(graph.shallowSize(of:)))
        #expect(rows.allSatisfy { $0["type"] as? String == "app.Node" })
        // A string's label comes along.
        let strings = try jsonObject(try heapgraph(["objects", fixture.final, "--type", "str", "--limit", "0", "--json"]))
        #expect((strings["objects"] as? [[String: Any]])?.contains { $0["label"] as? String == "'session-1'" } == true)

        let unknown = try heapgraph(["objects", fixture.final, "--type", "session"])
        #expect(unknown.status == 2)
        #expect(unknown.standardError == "heapgraph: \(fixture.final): no objects of type session; did you mean app.Session?\n")
    }

    @Test func showDescribesOneObject() throws {
        let directory = try scratchDirectory("show")
        let fixture = try makeLeakFixture(in: directory)
        let graph = try HeapSnapshot(contentsOf: fixture.final)
        let session = try onlyNode(ofType: "app.Session", in: graph)
        let holder = try onlyNode(ofType: "app.Holder", in: graph)
        let listener = try onlyNode(ofType: "app.Listener", in: graph)
        let id = graph.id(of: session)

        let result = try heapgraph(["show", fixture.final, "--id", "@\(id)"])
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines[0] == "app.Session @\(id)")
        #expect(lines[1] == "  type: app.Session")
        // The retained size is the leak report's for this watched session (golden leaks.txt).
        #expect(lines[2] == "  size: 64 B shallow, 170 B retained")
        #expect(lines.contains("  watched as: closed session"))
        #expect(lines.contains("  .listener → app.Listener @\(graph.id(of: listener))"))
        #expect(lines.contains { $0.hasPrefix("  .name → str @") && $0.hasSuffix(" ('session-1')") })
        #expect(lines.contains("referrers (2):"))
        #expect(lines.contains("  app.Holder @\(graph.id(of: holder)) .session →"))
        #expect(lines.contains("  app.Listener @\(graph.id(of: listener)) .session →"))
        #expect(lines.contains("path from a root:"))
        #expect(lines.last == "  ╰→ app.Session instance @\(id)")
        // Decimal and hex name the same object.
        #expect(try heapgraph(["show", fixture.final, "--id", String(id)]).standardOutput == result.standardOutput)
        #expect(try heapgraph(["show", fixture.final, "--id", "0x" + String(id, radix: 16)]).standardOutput == result.standardOutput)

        let json = try jsonObject(try heapgraph(["show", fixture.final, "--id", "@\(id)", "--json"]))
        #expect(json["type"] as? String == "app.Session")
        #expect(json["retainedBytes"] as? Int == 170)
        #expect(json["shallowBytes"] as? Int == 64)
        let referrers = try #require(json["referrers"] as? [[String: Any]])
        #expect(Set(referrers.compactMap { $0["id"] as? Int }) == [Int(graph.id(of: holder)), Int(graph.id(of: listener))])
        #expect(referrers.allSatisfy { $0["reference"] as? String == "session" })
        let path = try #require(json["path"] as? [[String: Any]])
        #expect(path.compactMap { $0["type"] as? String } == ["list", "app.Holder", "app.Session"])
        #expect(path.last?["id"] as? Int == Int(id))

        // Garbage has no path.
        let node = try #require((0..<graph.nodeCount).first { graph.typeName(of: $0) == "app.Node" })
        let garbage = try heapgraph(["show", fixture.final, "--id", "@\(graph.id(of: node))"])
        #expect(garbage.status == 0)
        #expect(garbage.standardOutput.contains("path from a root: none; no root reaches it"))
    }

    @Test func showRefusesBadAndUnknownIdsInOneLine() throws {
        let directory = try scratchDirectory("show-bad")
        let fixture = try makeLeakFixture(in: directory)
        for (id, message) in [("@999999", "\(fixture.final): no object with id @999999 in this snapshot"),
                              ("banana", "--id banana: not an object id"), ("@", "--id @: not an object id"),
                              ("0xZZ", "--id 0xZZ: not an object id")] {
            let result = try heapgraph(["show", fixture.final, "--id", id])
            #expect(result.status == 2, "\(id)")
            #expect(result.standardOutput == "")
            #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
            #expect(result.standardError.hasPrefix("heapgraph: " + message), "\(result.standardError)")
        }
    }

    @Test func refsTakesATypeAndEveryListHasALimit() throws {
        let directory = try scratchDirectory("refs-type")
        let fixture = try makeLeakFixture(in: directory)
        let graph = try HeapSnapshot(contentsOf: fixture.final)
        let nodes = (0..<graph.nodeCount).filter { graph.typeName(of: $0) == "app.Node" }
        let result = try heapgraph(["refs", fixture.final, "--type", "Node", "--limit", "2"])
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        let heads = lines.filter { !$0.hasPrefix(" ") && !$0.hasPrefix("…") }
        #expect(heads == nodes.prefix(2).map { "app.Node @\(graph.id(of: $0))" })
        #expect(lines.last == "… and 10 more objects of type Node (--limit 0 lists all)")
        // Each Node refers to its class and its partner; with --limit 1, one of them and a note.
        let one = try heapgraph(["refs", fixture.final, "--type", "Node", "--limit", "1"])
        #expect(one.standardOutput.split(separator: "\n").contains("  … and 1 more references (--limit 0 lists all)"))
        // --limit on every listing command, one option: negative is refused alike.
        for command in [["summary"], ["dominators"], ["objects", "--type", "Node"], ["refs", "--type", "Node"],
                        ["show", "--id", "1"], ["growth", fixture.baseline]] {
            let bad = try heapgraph([command[0], fixture.final] + command.dropFirst() + ["--limit", "-1"])
            #expect(bad.status == 2, "\(command)")
            #expect(bad.standardError.hasPrefix("Error: --limit must be 0 or more (0 lists everything)"), "\(command): \(bad.standardError)")
        }
        let summary = try jsonObject(try heapgraph(["summary", fixture.final, "--limit", "2", "--json"]))
        #expect((summary["types"] as? [Any])?.count == 2)
        let dominators = try jsonObject(try heapgraph(["dominators", fixture.final, "--limit", "0", "--json"]))
        #expect((dominators["retainers"] as? [Any])?.count == graph.nodeCount)
    }

    @Test func dominatorsByTypeTotalsEveryByteOnce() throws {
        let directory = try scratchDirectory("dominators-type")
        let fixture = try makeLeakFixture(in: directory)
        let graph = try HeapSnapshot(contentsOf: fixture.final)
        let total = (0..<graph.nodeCount).reduce(0) { $0 + graph.shallowSize(of: $1) }
        let json = try jsonObject(try heapgraph(["dominators", fixture.final, "--by", "type", "--limit", "0", "--json"]))
        let rows = try #require(json["types"] as? [[String: Any]])
        let unreachable = try #require(json["unreachable"] as? [String: Any])
        // No root reaches the six Node rings (12 objects, 960 bytes) nor the attribute name
        // only they refer to.
        let names = (0..<graph.nodeCount).filter { node in
            graph.typeName(of: node) == "str" && !graph.isRoot(node) && !graph.referrers(of: node).isEmpty
                && graph.referrers(of: node).allSatisfy { graph.typeName(of: $0) == "app.Node" }
        }
        #expect(names.count == 1)
        let garbageBytes = 960 + names.reduce(0) { $0 + graph.shallowSize(of: $1) }
        #expect(unreachable["objects"] as? Int == 12 + names.count)
        #expect(unreachable["bytes"] as? Int == garbageBytes)
        // Rows and the unreachable total add up to the heap.
        #expect(rows.reduce(0) { $0 + ($1["retainedBytes"] as? Int ?? 0) } + garbageBytes == total)
        #expect(json["bytes"] as? Int == total)
        let retained = rows.compactMap { $0["retainedBytes"] as? Int }
        #expect(retained == retained.sorted(by: >))
        #expect(!rows.contains { $0["type"] as? String == "app.Node" })

        let text = try heapgraph(["dominators", fixture.final, "--by", "type", "--limit", "2"])
        #expect(text.status == 0)
        let lines = text.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first == "Retained bytes by type (top of the dominator tree) of 3,406 B in \(fixture.final)")
        #expect(lines[1] == "retained      %  objects  shallow  type")
        #expect(lines.count == 6)
        #expect(lines[4].hasPrefix("… and ") && lines[4].hasSuffix(" more types (--limit 0 lists all)"))
        #expect(lines[5] == "unreachable: \(garbageBytes) B (29.3%) in 13 objects no root reaches (see: heapgraph leaks \(fixture.final))")
    }

    @Test func oneStyleForTypesSizesAndJSON() throws {
        let directory = try scratchDirectory("style")
        let fixture = try makeLeakFixture(in: directory)
        // Every command names app.Node the same way.
        let summary = try heapgraph(["summary", fixture.final])
        let row = summary.standardOutput.split(separator: "\n").first { $0.hasPrefix("app.Node ") }
        #expect(row.map { $0.split(separator: " ", omittingEmptySubsequences: true) } == ["app.Node", "12", "960", "B"])
        let growth = try heapgraph(["growth", fixture.baseline, fixture.final])
        #expect(growth.standardOutput.contains("\napp.Node  "))
        let leaks = try heapgraph(["leaks", fixture.final])
        #expect(leaks.standardOutput.contains(": app.Node\n    960 B, retained 960 B\n"))
        // Every JSON output is one compact line.
        for arguments in [["summary", fixture.final, "--json"], ["dominators", fixture.final, "--json"],
                          ["dominators", fixture.final, "--by", "type", "--json"],
                          ["growth", fixture.baseline, fixture.final, "--json"],
                          ["objects", fixture.final, "--type", "Node", "--json"],
                          ["show", fixture.final, "--id", "1", "--json"],
                          ["leaks", fixture.final, "--format", "json", "--fail-on", "none"]] {
            let result = try heapgraph(arguments)
            #expect(result.status == 0, "\(arguments): \(result.standardError)")
            #expect(result.standardOutput.hasSuffix("}\n") && result.standardOutput.filter { $0 == "\n" }.count == 1,
                    "\(arguments) is not one compact line")
            #expect(!result.standardOutput.contains("\" : "), "\(arguments) is pretty-printed")
        }
    }

    @Test func leakGroupsAndTracesCarryIds() throws {
        let directory = try scratchDirectory("leak-ids")
        let fixture = try makeLeakFixture(in: directory)
        let graph = try HeapSnapshot(contentsOf: fixture.final)
        let report = try heapgraph(["leaks", fixture.final, "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.standardOutput.utf8)) as? [String: Any])
        let groups = try #require(json["leaks"] as? [[String: Any]])
        let ids = Set((0..<graph.nodeCount).map { Int(graph.id(of: $0)) })
        for group in groups {
            let examples = try #require(group["exampleIds"] as? [Int])
            #expect(!examples.isEmpty && examples.count <= 5 && examples.allSatisfy(ids.contains), "\(group)")
            for step in group["trace"] as? [[String: Any]] ?? [] { #expect((step["id"] as? Int).map(ids.contains) == true) }
        }
        // Cyclic garbage names one node of each of five of its six rings.
        let garbage = try #require(groups.first { $0["category"] as? String == "cyclic-garbage" })
        let rings = try #require(garbage["exampleIds"] as? [Int])
        #expect(rings.count == 5)
        #expect(rings.allSatisfy { id in (0..<graph.nodeCount).contains { Int(graph.id(of: $0)) == id && graph.typeName(of: $0) == "app.Node" } })
        // The watched group names the watched session.
        let session = try onlyNode(ofType: "app.Session", in: graph)
        #expect(groups.first { $0["category"] as? String == "watched" }?["exampleIds"] as? [Int] == [Int(graph.id(of: session))])
    }

    /// The runtime's ids survive address reuse: a new object at a freed object's address is
    /// a new object to `growth`, not the old one.
    @Test func anAddressReusedByANewObjectIsANewObject() throws {
        let directory = try scratchDirectory("address-reuse")
        let first = directory + "/first.heapgraph", second = directory + "/second.heapgraph"
        let heap = Heap()
        let sessionClass = try heap.makeClass("app.Session")
        let keep = heap.list()
        var oldAddress = 0
        var oldID: UInt64 = 0
        do {
            let old = try heap.instance(of: sessionClass)
            oldAddress = heap.id(of: old)
            oldID = heap.snapshotID(of: old)
            try heap.writeSnapshot(to: first, tag: "before")
        }   // freed here: its count drops to zero
        let new = try heap.instance(of: sessionClass)
        try heap.append(new, to: keep)
        // The allocator handed the freed block to the new object...
        #expect(heap.id(of: new) == oldAddress)
        // ...but the new object has an id of its own.
        let newID = heap.snapshotID(of: new)
        #expect(newID != oldID)
        try heap.writeSnapshot(to: second, tag: "after")
        let firstGraph = try HeapSnapshot(contentsOf: first), secondGraph = try HeapSnapshot(contentsOf: second)
        #expect(node(withID: oldID, in: firstGraph).map(firstGraph.typeName(of:)) == "app.Session")
        #expect(node(withID: oldID, in: secondGraph) == nil)
        #expect(node(withID: newID, in: secondGraph).map(secondGraph.typeName(of:)) == "app.Session")
        // The list made before the first snapshot keeps its id across both.
        #expect(node(withID: heap.snapshotID(of: keep), in: firstGraph) != nil && node(withID: heap.snapshotID(of: keep), in: secondGraph) != nil)

        let growth = try jsonObject(try heapgraph(["growth", first, second, "--json"]))
        let rows = try #require(growth["types"] as? [[String: Any]])
        #expect(rows.first { $0["name"] as? String == "app.Session" }?["counts"] as? [Int] == [1, 1])
        let newObjects = try #require(growth["newObjects"] as? [[String: Any]])
        let sessions = try #require(newObjects.first { $0["type"] as? String == "app.Session" })
        #expect(sessions["ids"] as? [Int] == [Int(newID)])
        let text = try heapgraph(["growth", first, second])
        #expect(text.standardOutput.contains("  app.Session +1: @\(newID)\n") || text.standardOutput.hasSuffix("  app.Session +1: @\(newID)"))
        // The old id names nothing in the second snapshot.
        #expect(try heapgraph(["show", second, "--id", "@\(oldID)"]).status == 2)
        #expect(try heapgraph(["show", first, "--id", "@\(oldID)"]).status == 0)
    }

    @Test func repeatedGrowthNamesTheCollectionThatGrew() throws {
        let directory = try scratchDirectory("min-growth")
        let fixture = try makeLeakFixture(in: directory)
        let files = [fixture.baseline, fixture.middle, fixture.final]
        // One list more in the cache at every step; four more Nodes, all garbage.
        let result = try heapgraph(["growth"] + files + ["--min-growth", "1"])
        #expect(result.status == 1)
        let graph = try HeapSnapshot(contentsOf: fixture.final)
        let cache = try #require((0..<graph.nodeCount).first { node in
            graph.typeName(of: node) == "list" && graph.referrers(of: node).contains { graph.typeName(of: $0) == "dict" }
        })
        let cacheID = graph.id(of: cache)
        #expect(result.standardOutput == """
            Grew by at least 1 at every step of 3 snapshots: 2 types, 1 growing reference
              app.Node  4 → 8 → 12
                held by no growing reference (garbage, or spread over many objects; see heapgraph leaks)
              list  3 → 4 → 5
                through dict['cache'] (list @\(cacheID): 2 → 3 → 4 items)

            Growing references:
              dict['cache']  list @\(cacheID)  2 → 3 → 4 items (+2), gained list ×2

            """)
        // Growth of 2 at every step: only the Nodes.
        let two = try jsonObject(try heapgraph(["growth"] + files + ["--min-growth", "2", "--json"]), status: 1)
        #expect((two["types"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["app.Node"])
        #expect((two["references"] as? [Any])?.isEmpty == true)
        // Nothing grows between a snapshot and itself: exit 0.
        let none = try heapgraph(["growth", fixture.final, fixture.final, "--min-growth", "1"])
        #expect(none.status == 0)
        #expect(none.standardOutput.hasPrefix("Grew by at least 1 at every step of 2 snapshots: 0 types, 0 growing references\n  nothing"))
        let zero = try heapgraph(["growth"] + files + ["--min-growth", "0"])
        #expect(zero.status == 2)
        #expect(zero.standardError.hasPrefix("Error: --min-growth must be 1 or more"))
    }

    @Test func repeatedGrowthFollowsADictAttribute() throws {
        let directory = try scratchDirectory("min-growth-attribute")
        let heap = Heap()
        let cartClass = try heap.makeClass("shop.Cart")
        let itemClass = try heap.makeClass("shop.Item")
        let cart = try heap.instance(of: cartClass)
        let items = heap.dict()
        try heap.setAttribute("items", to: items, on: cart)
        var files: [String] = []
        var made = 0
        for step in 0..<4 {
            for _ in 0..<5 {
                made += 1
                try heap.setItem(heap.str("item-\(made)"), to: heap.instance(of: itemClass), in: items)
            }
            files.append(directory + "/step\(step).heapgraph")
            try heap.writeSnapshot(to: files[step], tag: "step \(step)")
        }
        let json = try jsonObject(try heapgraph(["growth"] + files + ["--min-growth", "5", "--json"]), status: 1)
        let references = try #require(json["references"] as? [[String: Any]])
        #expect(references.count == 1)
        #expect(references.first?["reference"] as? String == "shop.Cart.items")
        #expect(references.first?["id"] as? Int == Int(heap.snapshotID(of: items)))
        #expect(references.first?["lengths"] as? [Int] == [5, 10, 15, 20])
        let types = try #require(json["types"] as? [[String: Any]])
        let item = try #require(types.first { $0["name"] as? String == "shop.Item" })
        #expect(item["counts"] as? [Int] == [5, 10, 15, 20])
        #expect(item["references"] as? [Int] == [Int(heap.snapshotID(of: items))])
        withExtendedLifetime(cart) {}
    }
}
