import HeapAnalysis
import HeapGraphModel

/// `heapgraph report`'s page: one self-contained HTML document (inline CSS, inline SVG,
/// one small inline script, no URL of anything) with the summary, the growth between the
/// snapshots, the leak groups with their traces and pictures, the known leaks apart, and
/// the largest dominators.
///
/// Everything reads with JavaScript off; the script only adds sorting to the tables and a
/// search box. Every string from the snapshot goes through ``HTMLText/escape(_:)``.
struct HeapReportPage {
    /// What the page says about the input.
    var file: String
    var graph: HeapSnapshot
    var report: LeakReport
    /// The comparison of the baselines (oldest first) with the snapshot; nil without baselines.
    var comparison: SnapshotComparison?
    /// The baselines' names, oldest first.
    var baselineNames: [String]
    var dominators: DominatorTree
    /// The pictures of the first ``ReportLimits/pictures`` groups, by group index.
    var pictures: [Int: LeakPictureSVG]
    var limits: ReportLimits

    /// The whole page.
    /// - Complexity: O(nodes) for the census and type counts, plus the shown rows.
    func html() -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>HeapGraph report: \(e(file))</title>\n<style>\n\(ReportPageAssets.css)</style>\n</head>\n<body>\n"
        out += header()
        out += summarySection()
        out += growthSection()
        out += leaksSection()
        out += knownLeaksSection()
        out += dominatorsSection()
        out += "<footer>Written by heapgraph \(HeapgraphVersion.current). This page loads nothing from anywhere.</footer>\n"
        out += "<script>\n\(ReportPageAssets.script)</script>\n</body>\n</html>\n"
        return out
    }

    private func e(_ text: String) -> String { HTMLText.escape(text) }

    private func header() -> String {
        var out = "<header>\n<h1>HeapGraph report: <code>\(e(file))</code></h1>\n"
        var about: [String] = []
        if let tag = graph.metadata.tag, !tag.isEmpty { about.append("tag “\(e(tag))”") }
        if let time = graph.metadata.time { about.append("written \(e(time))") }
        if let producer = graph.metadata.producer { about.append("by \(e(producer))") }
        if !baselineNames.isEmpty { about.append("compared with \(baselineNames.map { "<code>\(e($0))</code>" }.joined(separator: ", "))") }
        if !about.isEmpty { out += "<p class=\"about\">\(about.joined(separator: ", "))</p>\n" }
        out += "<nav><a href=\"#summary\">Summary</a> <a href=\"#growth\">Growth</a> <a href=\"#leaks\">Leaks</a> "
        out += "<a href=\"#known-leaks\">Known leaks</a> <a href=\"#dominators\">Dominators</a></nav>\n</header>\n"
        return out
    }

    private func summarySection() -> String {
        let census = graph.census()
        var out = "<section id=\"summary\">\n<h2>Summary</h2>\n<dl class=\"figures\">\n"
        let figures: [(String, String)] = [
            ("objects", ReportStyle.count(graph.nodeCount)), ("references", ReportStyle.count(graph.edgeCount)),
            ("bytes", ReportStyle.bytes(census.bytes)), ("roots", ReportStyle.count(census.roots)),
            ("tracked", ReportStyle.count(census.tracked)), ("in gc.garbage", ReportStyle.count(census.inGarbage)),
            ("watched", ReportStyle.count(census.watched)),
        ]
        for (name, value) in figures { out += "<div><dt>\(name)</dt><dd>\(value)</dd></div>\n" }
        out += "</dl>\n<h3>Most common types</h3>\n"
        let types = graph.mostCommonTypes(limit: nil, style: .recorded, scope: .all)
        let shown = types.prefix(limits.types)
        out += "<table class=\"sortable\" id=\"types\">\n<thead><tr><th>type</th><th class=\"num\">count</th><th class=\"num\">bytes</th></tr></thead>\n<tbody>\n"
        for row in shown {
            out += "<tr><td><code>\(e(row.name))</code></td>\(number(row.count, ReportStyle.count(row.count)))\(number(row.bytes, ReportStyle.bytes(row.bytes)))</tr>\n"
        }
        out += "</tbody>\n</table>\n"
        out += cutNote(shown: shown.count, total: types.count, noun: "types", by: "count")
        return out + "</section>\n"
    }

    private func growthSection() -> String {
        var out = "<section id=\"growth\">\n<h2>Growth</h2>\n"
        guard let comparison else {
            return out + "<p class=\"none\">No baseline given: run <code>heapgraph report FILE --baseline OLD</code> to see what grew.</p>\n</section>\n"
        }
        if case .typeCountsOnly(let reason) = comparison.comparability {
            out += "<p class=\"warning\">Only type counts are compared: \(e(reason)).</p>\n"
        }
        let changed = comparison.rows.filter { $0.change != 0 }
        let shown = changed.prefix(limits.growthRows)
        if shown.isEmpty { return out + "<p class=\"none\">No type changed its count.</p>\n</section>\n" }
        let names = baselineNames + [file]
        out += "<table class=\"sortable\" id=\"growth-table\">\n<thead><tr><th>type</th>"
        for name in names { out += "<th class=\"num\" title=\"\(e(name))\">\(e(shortFileName(name)))</th>" }
        out += "<th class=\"num\">change</th><th class=\"num\">bytes change</th><th>every step</th></tr></thead>\n<tbody>\n"
        let everyStep = Set(comparison.grewEveryStep)
        for row in shown {
            out += "<tr><td><code>\(e(row.name))</code></td>"
            for count in row.counts { out += number(count, ReportStyle.count(count)) }
            out += number(row.change, ReportStyle.signedCount(row.change)) + number(row.bytesChange, ReportStyle.signedBytes(row.bytesChange))
            out += "<td>\(everyStep.contains(row.name) ? "grew" : "")</td></tr>\n"
        }
        out += "</tbody>\n</table>\n"
        out += cutNote(shown: shown.count, total: changed.count, noun: "types that changed", by: "size of the change")
        return out + "</section>\n"
    }

    private func leaksSection() -> String {
        let total = report.groups.reduce(0) { $0 + $1.count }
        var out = "<section id=\"leaks\">\n<h2>Leaks</h2>\n"
        out += "<p>\(LeakReportCounts.plural(report.groups.count, "group")), \(LeakReportCounts.plural(total, "leak")).</p>\n"
        if report.groups.isEmpty { out += "<p class=\"none\">No leaks found.</p>\n" }
        if case .typeCountsOnly(let reason)? = report.comparability { out += "<p class=\"warning\">Baselines: \(e(reason)).</p>\n" }
        for (index, group) in report.groups.prefix(limits.groups).enumerated() {
            out += leakGroup(group, index: index)
        }
        if report.groups.count > limits.groups {
            out += "<p class=\"cut\">\(ReportStyle.count(report.groups.count - limits.groups)) more leak groups not shown "
            out += "(at most \(limits.groups) on a page; <code>heapgraph leaks</code> lists them all).</p>\n"
        }
        if report.groups.count > limits.pictures {
            out += "<p class=\"cut\">Pictures are drawn for the first \(limits.pictures) groups only "
            out += "(<code>heapgraph leaks --render-dir DIR</code> draws them all).</p>\n"
        }
        return out + "</section>\n"
    }

    private func leakGroup(_ group: LeakGroup, index: Int) -> String {
        var out = "<article class=\"leak \(group.category.rawValue)\" id=\"leak-\(index + 1)\" data-fingerprint=\"\(e(group.fingerprint))\">\n"
        out += "<h3><span class=\"category\">\(group.category.rawValue)</span> "
        out += "\(group.count == 1 ? "1 leak" : "\(ReportStyle.count(group.count)) leaks") "
        out += "<span class=\"fingerprint\">\(e(group.fingerprint))</span>: "
        out += group.types.map { "<code>\(e($0))</code>" }.joined(separator: ", ") + "</h3>\n"
        out += "<p class=\"category-summary\">\(e(group.category.summary))</p>\n<ul class=\"facts\">\n"
        out += "<li>\(ReportStyle.bytes(group.bytes)), retained \(ReportStyle.bytes(group.retainedBytes))</li>\n"
        if !group.exampleIDs.isEmpty {
            let more = group.count > group.exampleIDs.count ? " (\(group.exampleIDs.count) of \(ReportStyle.count(group.count)))" : ""
            let ids = group.exampleIDs.map { "<code class=\"id\">\(ReportStyle.objectID($0))</code>" }.joined(separator: " ")
            out += "<li>example ids: \(ids)\(more) — <code>heapgraph show FILE --id ID</code></li>\n"
        }
        if let description = group.description { out += "<li>description: \(e(description))</li>\n" }
        if let note = group.note { out += "<li>\(e(note))</li>\n" }
        if let cycle = group.exampleCycle { out += "<li>cycle: <code>\(e(cycle))</code></li>\n" }
        if let suspect = group.suspectReference { out += "<li>suspect reference: <code class=\"suspect\">\(e(suspect))</code></li>\n" }
        if !group.alsoFits.isEmpty { out += "<li>also fits: \(group.alsoFits.map(\.rawValue).joined(separator: ", ")) (counted here only)</li>\n" }
        out += "</ul>\n"
        if let trace = group.trace { out += "<details open><summary>Leak trace</summary>\n<pre class=\"trace\">\(e(trace.text()))</pre>\n</details>\n" }
        if let picture = pictures[index] {
            out += "<figure>\n"
            if let svg = picture.svg { out += svg + "\n" }
            if let note = picture.note { out += "<figcaption>\(e(note))</figcaption>\n" }
            out += "</figure>\n"
        }
        return out + "</article>\n"
    }

    private func knownLeaksSection() -> String {
        var out = "<section id=\"known-leaks\">\n<h2>Known leaks</h2>\n"
        guard let list = report.knownLeakFile else {
            return out + "<p class=\"none\">No known-leak list (<code>--ignore FILE</code> or <code>.heapgraph-ignore</code>).</p>\n</section>\n"
        }
        let total = report.knownLeaks.reduce(0) { $0 + $1.group.count }
        out += "<p>\(LeakReportCounts.plural(report.knownLeaks.count, "group")), \(LeakReportCounts.plural(total, "leak")), "
        out += "matched by <code>\(e(list))</code>; they never fail the gate.</p>\n"
        if !report.knownLeaks.isEmpty {
            out += "<table class=\"sortable\" id=\"known-table\">\n<thead><tr><th>category</th><th>fingerprint</th><th class=\"num\">count</th>"
            out += "<th>types</th><th class=\"num\">retained</th><th>entry</th><th>reason</th></tr></thead>\n<tbody>\n"
            for known in report.knownLeaks {
                let group = known.group
                out += "<tr class=\"known\" data-fingerprint=\"\(e(group.fingerprint))\"><td>\(group.category.rawValue)</td>"
                out += "<td><span class=\"fingerprint\">\(e(group.fingerprint))</span></td>\(number(group.count, ReportStyle.count(group.count)))"
                out += "<td>\(group.types.map { "<code>\(e($0))</code>" }.joined(separator: ", "))</td>"
                out += number(group.retainedBytes, ReportStyle.bytes(group.retainedBytes))
                out += "<td><code>\(e(list)):\(known.entry.line) \(e(known.entry.text))</code></td><td>\(e(known.entry.reason ?? ""))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        if !report.staleKnownLeaks.isEmpty {
            out += "<h3>Stale entries</h3>\n<p class=\"warning\">\(report.staleKnownLeaks.count) entries of <code>\(e(list))</code> match nothing (remove them):</p>\n<ul>\n"
            for entry in report.staleKnownLeaks {
                out += "<li><code>\(e(list)):\(entry.line): \(e(entry.text))</code>\(entry.reason.map { " — \(e($0))" } ?? "")</li>\n"
            }
            out += "</ul>\n"
        }
        return out + "</section>\n"
    }

    private func dominatorsSection() -> String {
        let total = graph.census().bytes
        let retainers = dominators.topRetainers(limit: limits.dominators)
        var out = "<section id=\"dominators\">\n<h2>Largest dominators</h2>\n"
        out += "<p>What would be freed with each object: the sizes of the objects every strong path from a root to them passes through it.</p>\n"
        out += "<table class=\"sortable\" id=\"dominators-table\">\n<thead><tr><th class=\"num\">retained</th><th class=\"num\">%</th>"
        out += "<th class=\"num\">shallow</th><th>id</th><th>type</th><th>object</th></tr></thead>\n<tbody>\n"
        for retainer in retainers {
            let shallow = graph.shallowSize(of: retainer.node)
            let tenths = total > 0 ? (retainer.retainedSize * 1000 + total / 2) / total : 0
            out += "<tr>\(number(retainer.retainedSize, ReportStyle.bytes(retainer.retainedSize)))"
            out += number(tenths, total > 0 ? "\(tenths / 10).\(tenths % 10)%" : "-")
            out += number(shallow, ReportStyle.bytes(shallow))
            out += "<td><code class=\"id\">\(ReportStyle.objectID(graph.id(of: retainer.node)))</code></td>"
            out += "<td><code>\(e(graph.typeName(of: retainer.node)))</code></td><td>\(e(graph.shortLabel(of: retainer.node)))</td></tr>\n"
        }
        out += "</tbody>\n</table>\n"
        if graph.nodeCount > retainers.count {
            out += "<p class=\"cut\">The \(retainers.count) objects retaining the most are shown, of \(ReportStyle.count(graph.nodeCount)) "
            out += "(<code>heapgraph dominators FILE --by type</code> groups them all).</p>\n"
        }
        return out + "</section>\n"
    }

    /// A right-aligned cell whose sort key is `value`.
    private func number(_ value: Int, _ text: String) -> String {
        "<td class=\"num\" data-value=\"\(value)\">\(e(text))</td>"
    }

    /// Says how many rows a capped table left out.
    private func cutNote(shown: Int, total: Int, noun: String, by order: String) -> String {
        guard total > shown else { return "" }
        return "<p class=\"cut\">The first \(shown) of \(ReportStyle.count(total)) \(noun) by \(order) are shown; "
            + "\(ReportStyle.count(total - shown)) more are not.</p>\n"
    }

    private func shortFileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
