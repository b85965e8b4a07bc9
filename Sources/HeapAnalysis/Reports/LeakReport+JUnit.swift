extension LeakReport {
    /// The report as JUnit XML for CI: one `testsuite` named `heapgraph.leaks`, one
    /// `testcase` per category. A category with findings fails, its `failure` element
    /// listing the groups; growth without baselines is `skipped`.
    public func junitXML() -> String {
        let failing = LeakCategory.allCases.filter { !findings(in: [$0]).isEmpty }.count
        let skipped = baselineCount == 0 ? 1 : 0
        var lines = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#,
            #"<testsuite name="heapgraph.leaks" tests="\#(LeakCategory.allCases.count)" failures="\#(failing)" errors="0" skipped="\#(skipped)">"#,
        ]
        for category in LeakCategory.allCases {
            let found = findings(in: [category])
            let opening = #"  <testcase classname="heapgraph.leaks" name="\#(category.rawValue)""#
            if category == .growth && baselineCount == 0 {
                lines.append(opening + ">")
                lines.append(#"    <skipped message="no baseline snapshot given"/>"#)
                lines.append("  </testcase>")
            } else if found.isEmpty {
                lines.append(opening + "/>")
            } else {
                let message = "\(Self.plural(leakCount(in: category), "leak")) in \(Self.plural(found.count, "group")): \(category.summary)"
                let body = found.map { group in
                    var text = "\(group.count) × \(group.fingerprint) \(group.types.joined(separator: ", ")): "
                        + "\(group.bytes) B, retained \(group.retainedBytes) B"
                    if let description = group.description { text += " (\(description))" }
                    if let cycle = group.exampleCycle { text += "\n  cycle: \(cycle)" }
                    if let trace = group.trace { text += "\n" + trace.text() }
                    return text
                }.joined(separator: "\n")
                lines.append(opening + ">")
                lines.append(#"    <failure type="\#(category.rawValue)" message="\#(message.xmlEscaped)">\#(body.xmlEscaped)</failure>"#)
                lines.append("  </testcase>")
            }
        }
        lines.append("</testsuite>")
        return lines.joined(separator: "\n") + "\n"
    }
}
