import HeapAnalysis
import HeapGraphModel

/// The explorer's HTML pages: server-rendered, linked to each other, readable with
/// JavaScript off. Every string from a snapshot passes through ``HTMLText/escape(_:)``.
struct ExplorerPages {
    let snapshots: [ExplorerSnapshot]

    /// At most this many rows in one table; the rest are a "next" link away.
    static let pageSize = 500

    private func e(_ text: String) -> String { HTMLText.escape(text) }

    /// The page around `body`: the report's style sheet, a header with the navigation.
    func document(title: String, body: String, snapshot: Int? = nil) -> String {
        var nav = "<a href=\"/\">Snapshots</a>"
        if let snapshot {
            nav += "<a href=\"\(ExplorerURL.types(snapshot))\">Types</a><a href=\"\(ExplorerURL.leaks(snapshot))\">Leaks</a>"
        }
        if snapshots.count >= 2 { nav += "<a href=\"\(ExplorerURL.compare(from: 0, to: snapshots.count - 1))\">Compare</a>" }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(e(title)) — heapgraph serve</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>\(ReportPageAssets.css)</style></head>
            <body><header><nav>\(nav)</nav></header>
            <main>
            \(body)</main>
            <footer>heapgraph \(HeapgraphVersion.current) serve · read-only · <a href="/api">JSON API</a></footer>
            </body></html>

            """
    }

    /// `/`: the loaded snapshots, and a form to compare two.
    func index() -> String {
        var out = "<h1>Loaded snapshots</h1>\n<table><thead><tr><th>#</th><th>File</th><th class=\"num\">Objects</th>"
        out += "<th class=\"num\">References</th><th class=\"num\">Bytes</th><th></th></tr></thead><tbody>\n"
        for (index, snapshot) in snapshots.enumerated() {
            let bytes = snapshot.types.reduce(0) { $0 + $1.bytes }
            out += "<tr><td>\(index)</td><td><a href=\"\(ExplorerURL.types(index))\">\(e(snapshot.name))</a></td>"
            out += "<td class=\"num\">\(ReportStyle.count(snapshot.graph.nodeCount))</td>"
            out += "<td class=\"num\">\(ReportStyle.count(snapshot.graph.edgeCount))</td>"
            out += "<td class=\"num\">\(ReportStyle.bytes(bytes))</td>"
            out += "<td><a href=\"\(ExplorerURL.leaks(index))\">leaks</a></td></tr>\n"
        }
        out += "</tbody></table>\n"
        if snapshots.count >= 2 {
            out += "<h2>Compare</h2>\n<form action=\"/compare\" method=\"get\">"
            for (field, selected) in [("from", 0), ("to", snapshots.count - 1)] {
                out += "<label>\(field) <select name=\"\(field)\">"
                for (index, snapshot) in snapshots.enumerated() {
                    out += "<option value=\"\(index)\"\(index == selected ? " selected" : "")>\(index): \(e(snapshot.name))</option>"
                }
                out += "</select></label> "
            }
            out += "<button>Compare</button></form>\n"
        }
        return document(title: "Snapshots", body: out)
    }

    /// `/snapshots/K/types`: every type, most numerous first.
    func typeList(_ index: Int) -> String {
        let snapshot = snapshots[index]
        var out = "<h1>Types in \(e(snapshot.name))</h1>\n"
        out += "<p>\(ReportStyle.count(snapshot.graph.nodeCount)) objects of \(ReportStyle.count(snapshot.types.count)) types.</p>\n"
        out += "<table class=\"types\"><thead><tr><th>Type</th><th class=\"num\">Objects</th><th class=\"num\">Shallow bytes</th></tr></thead><tbody>\n"
        for type in snapshot.types {
            out += "<tr><td><a href=\"\(ExplorerURL.type(index, type.name))\">\(e(ReportStyle.typeName(type.name)))</a></td>"
            out += "<td class=\"num\">\(ReportStyle.count(type.count))</td><td class=\"num\">\(ReportStyle.bytes(type.bytes))</td></tr>\n"
        }
        out += "</tbody></table>\n"
        return document(title: "Types", body: out, snapshot: index)
    }

    /// `/snapshots/K/types/NAME?from=N`: the objects of one type, ``pageSize`` at a time;
    /// nil when the snapshot has no such type.
    func instances(_ index: Int, type name: String, from: Int) -> String? {
        let snapshot = snapshots[index]
        guard let nodes = snapshot.nodes(ofType: name) else { return nil }
        let start = min(max(0, from), nodes.count)
        let shown = nodes[start..<min(nodes.count, start + Self.pageSize)]
        var out = "<h1>\(ReportStyle.count(nodes.count)) objects of type <code>\(e(ReportStyle.typeName(name)))</code></h1>\n"
        out += "<p>In \(e(snapshot.name)); objects \(start + 1)–\(start + shown.count) of \(ReportStyle.count(nodes.count)).</p>\n"
        out += "<table class=\"objects\"><thead><tr><th>Object</th><th class=\"num\">Shallow</th><th class=\"num\">Retained</th></tr></thead><tbody>\n"
        for node in shown {
            out += "<tr><td>\(objectLink(index, node))</td><td class=\"num\">\(ReportStyle.bytes(snapshot.graph.shallowSize(of: node)))</td>"
            out += "<td class=\"num\">\(ReportStyle.bytes(snapshot.dominators.retainedSize(of: node)))</td></tr>\n"
        }
        out += "</tbody></table>\n"
        if start > 0 { out += "<a rel=\"prev\" href=\"\(e(ExplorerURL.type(index, name, from: max(0, start - Self.pageSize))))\">previous</a> " }
        if start + shown.count < nodes.count {
            out += "<a rel=\"next\" href=\"\(e(ExplorerURL.type(index, name, from: start + shown.count)))\">next</a>"
        }
        return document(title: ReportStyle.typeName(name), body: out, snapshot: index)
    }

    /// A link to an object's page, reading as every command names it.
    func objectLink(_ index: Int, _ node: Int) -> String {
        let graph = snapshots[index].graph
        return "<a class=\"object\" href=\"\(ExplorerURL.object(index, graph.id(of: node)))\">\(e(graph.describe(node)))</a>"
    }

    /// `/snapshots/K/objects/ID`: one object, as `heapgraph show` tells it, with links.
    /// - Complexity: O(its references both ways (at most ``pageSize`` of each shown) + path length).
    func object(_ index: Int, node: Int) -> String {
        let snapshot = snapshots[index]
        let graph = snapshot.graph
        let id = graph.id(of: node)
        let details = ObjectDetails(graph: graph, node: node, dominators: snapshot.dominators, paths: snapshot.rootPaths)
        var out = "<h1>\(e(graph.describe(node)))</h1>\n<dl class=\"figures\">"
        out += "<div><dt>Type</dt><dd><a href=\"\(ExplorerURL.type(index, graph.typeName(of: node)))\">\(e(ReportStyle.typeName(graph.typeName(of: node))))</a></dd></div>"
        out += "<div><dt>Shallow size</dt><dd class=\"shallow\">\(ReportStyle.bytes(graph.shallowSize(of: node)))</dd></div>"
        out += "<div><dt>Retained size</dt><dd class=\"retained\">\(ReportStyle.bytes(details.retainedSize))</dd></div>"
        out += "</dl>\n"
        let flags = graph.flagNames(of: node)
        if !flags.isEmpty { out += "<p>Flags: \(e(flags.joined(separator: ", ")))</p>\n" }
        if let description = graph.metadata.watched?[id] { out += "<p>Watched as: \(e(description))</p>\n" }
        out += "<p>Pictures: <a href=\"\(ExplorerURL.refsPage(index, id))\">what it refers to (show_refs)</a> "
        out += "(<a href=\"\(ExplorerURL.refsPicture(index, id))\">SVG</a>) · "
        out += "<a href=\"\(ExplorerURL.backrefsPage(index, id))\">what refers to it (show_backrefs)</a> "
        out += "(<a href=\"\(ExplorerURL.backrefsPicture(index, id))\">SVG</a>) · "
        out += "<a href=\"/api\(ExplorerURL.object(index, id))\">JSON</a></p>\n"

        out += "<h2>Path from a root</h2>\n"
        if let trace = details.trace {
            out += "<ol class=\"path\">\n"
            if let root = trace.rootName { out += "<li>root: <code>\(e(root))</code></li>\n" }
            // A step's reference is the edge it follows to the next step.
            for step in trace.steps {
                let reference = step.reference.map { " <code>\(e(ReportStyle.referenceName($0)))</code> ↓" } ?? ""
                out += "<li>\(objectLink(index, step.node))\(reference)</li>\n"
            }
            out += "</ol>\n"
        } else {
            out += "<p class=\"none\">No root reaches this object over strong references (garbage, or a root itself).</p>\n"
        }

        out += "<h2>Referents (\(ReportStyle.count(details.referents.count)))</h2>\n"
        out += referenceTable(index, details.referents.prefix(Self.pageSize), total: details.referents.count, cssClass: "referents")
        out += "<h2>Referrers (\(ReportStyle.count(details.referrers.count)))</h2>\n"
        out += referenceTable(index, details.referrers.prefix(Self.pageSize), total: details.referrers.count, cssClass: "referrers")
        return document(title: graph.describe(node), body: out, snapshot: index)
    }

    private func referenceTable(_ index: Int, _ rows: ArraySlice<ObjectDetails.Reference>, total: Int, cssClass: String) -> String {
        guard !rows.isEmpty else { return "<p class=\"none\">None.</p>\n" }
        var out = "<table class=\"\(cssClass)\"><thead><tr><th>Reference</th><th>Object</th></tr></thead><tbody>\n"
        for row in rows {
            out += "<tr><td><code>\(e(ReportStyle.referenceName(row.label)))</code>\(row.isWeak ? " (weak)" : "")</td><td>\(objectLink(index, row.node))</td></tr>\n"
        }
        out += "</tbody></table>\n"
        if total > rows.count { out += "<p class=\"cut\">\(ReportStyle.count(total - rows.count)) more not shown.</p>\n" }
        return out
    }

    /// `/snapshots/K/leaks`: the leak groups, each with its trace, example objects and a
    /// link to its picture.
    func leaks(_ index: Int) -> String {
        let snapshot = snapshots[index]
        let report = snapshot.leaks()
        var out = "<h1>Leaks in \(e(snapshot.name))</h1>\n"
        out += "<p>\(LeakReportCounts.plural(report.groups.count, "group")), \(LeakReportCounts.plural(report.groups.reduce(0) { $0 + $1.count }, "leak")).</p>\n"
        for (number, group) in report.groups.prefix(Self.pageSize).enumerated() {
            out += "<article class=\"leak \(group.category.rawValue)\" id=\"leak-\(number)\">\n"
            out += "<h3><span class=\"category\">\(group.category.rawValue)</span> \(LeakReportCounts.plural(group.count, "leak")) "
            out += "<span class=\"fingerprint\">\(e(group.fingerprint))</span>: "
            out += group.types.map { "<code>\(e($0))</code>" }.joined(separator: ", ") + "</h3>\n<ul>\n"
            out += "<li>\(ReportStyle.bytes(group.bytes)), retained \(ReportStyle.bytes(group.retainedBytes))</li>\n"
            if !group.exampleNodes.isEmpty {
                out += "<li>examples: " + group.exampleNodes.map { objectLink(index, $0) }.joined(separator: " ") + "</li>\n"
            }
            if let cycle = group.exampleCycle { out += "<li>cycle: <code>\(e(cycle))</code></li>\n" }
            out += "<li><a href=\"\(ExplorerURL.leakPicture(index, group: number))\">picture (SVG)</a></li>\n</ul>\n"
            if let trace = group.trace { out += "<pre class=\"trace\">\(e(trace.text()))</pre>\n" }
            out += "</article>\n"
        }
        if report.groups.isEmpty { out += "<p class=\"none\">No leaks found.</p>\n" }
        return document(title: "Leaks", body: out, snapshot: index)
    }

    /// `/compare?from=A&to=B`: per-type growth between two loaded snapshots.
    func comparison(from: Int, to: Int) -> String {
        let comparison = SnapshotComparison([snapshots[from].graph, snapshots[to].graph])
        var out = "<h1>From \(e(snapshots[from].name)) to \(e(snapshots[to].name))</h1>\n"
        out += "<table class=\"comparison\"><thead><tr><th>Type</th><th class=\"num\">Before</th><th class=\"num\">After</th>"
        out += "<th class=\"num\">Change</th><th class=\"num\">Bytes change</th></tr></thead><tbody>\n"
        for row in comparison.rows.prefix(Self.pageSize) {
            let before = row.counts.first ?? 0, after = row.counts.last ?? 0
            let name = after > 0 ? "<a href=\"\(ExplorerURL.type(to, row.name))\">\(e(ReportStyle.typeName(row.name)))</a>"
                : e(ReportStyle.typeName(row.name))
            out += "<tr><td>\(name)</td><td class=\"num\">\(ReportStyle.count(before))</td><td class=\"num\">\(ReportStyle.count(after))</td>"
            out += "<td class=\"num\">\(ReportStyle.signedCount(row.change))</td><td class=\"num\">\(ReportStyle.signedBytes(row.bytesChange))</td></tr>\n"
        }
        out += "</tbody></table>\n"
        if comparison.rows.count > Self.pageSize { out += "<p class=\"cut\">\(ReportStyle.count(comparison.rows.count - Self.pageSize)) more types not shown.</p>\n" }
        return document(title: "Compare", body: out)
    }

    /// The page for a path that names nothing.
    func notFound(_ what: String) -> String {
        document(title: "Not found", body: "<h1>Not found</h1>\n<p>\(e(what))</p>\n<p><a href=\"/\">Back to the snapshots</a></p>\n")
    }
}
