extension LeakReport {
    /// The report as JUnit XML for CI: one `testsuite` named `heapgraph.leaks`, one
    /// `testcase` per category, agreeing with the exit status `failingOn` gives:
    /// - findings in a failing category: a `failure` listing the groups;
    /// - findings in a tolerated category: `skipped`, with the same text, "tolerated";
    /// - a category the report could not check (growth without baselines, survivors
    ///   without a target): `skipped`;
    /// - otherwise a passing test case.
    /// With a known-leak list, one more test case `known-leaks`: `skipped` when it matched
    /// leaks, its stale entries in `system-out`.
    public func junitXML(failingOn: Set<LeakCategory> = Set(LeakCategory.allCases)) -> String {
        var cases: [String] = []
        var failures = 0, skipped = 0
        for category in LeakCategory.allCases {
            let found = findings(in: [category])
            let opening = #"  <testcase classname="heapgraph.leaks" name="\#(category.rawValue)""#
            if !checks(category) {
                skipped += 1
                let why = category == .growth ? "no baseline snapshot given" : "no target snapshot given"
                cases += [opening + ">", #"    <skipped message="\#(why)"/>"#, "  </testcase>"]
            } else if found.isEmpty {
                cases.append(opening + "/>")
            } else {
                let message = "\(Self.plural(leakCount(in: category), "leak")) in \(Self.plural(found.count, "group")): \(category.summary)"
                let body = found.map(Self.junitText(for:)).joined(separator: "\n")
                if failingOn.contains(category) {
                    failures += 1
                    cases.append(opening + ">")
                    cases.append(#"    <failure type="\#(category.rawValue)" message="\#(message.xmlEscaped)">\#(body.xmlEscaped)</failure>"#)
                } else {
                    skipped += 1
                    let tolerated = message + " (tolerated: not in --fail-on)"
                    cases.append(opening + ">")
                    cases.append(#"    <skipped message="\#(tolerated.xmlEscaped)">\#(body.xmlEscaped)</skipped>"#)
                }
                cases.append("  </testcase>")
            }
        }
        if let list = knownLeakFile {
            let opening = #"  <testcase classname="heapgraph.leaks" name="known-leaks""#
            let stale = staleKnownLeaks.map { "stale entry \(list):\($0.line): \($0.text) matches nothing" }.joined(separator: "\n")
            let output = stale.isEmpty ? [] : ["    <system-out>\(stale.xmlEscaped)</system-out>"]
            if knownLeaks.isEmpty {
                cases += output.isEmpty ? [opening + "/>"] : [opening + ">"] + output + ["  </testcase>"]
            } else {
                skipped += 1
                let total = knownLeaks.reduce(0) { $0 + $1.group.count }
                let message = "\(Self.plural(total, "known leak")) accepted by \(list)"
                let body = knownLeaks.map { known in
                    Self.junitText(for: known.group) + "\n  known: \(list):\(known.entry.line) \(known.entry.text)"
                        + (known.entry.reason.map { " # \($0)" } ?? "")
                }.joined(separator: "\n")
                cases += [opening + ">", #"    <skipped message="\#(message.xmlEscaped)">\#(body.xmlEscaped)</skipped>"#] + output
                    + ["  </testcase>"]
            }
        }
        let tests = LeakCategory.allCases.count + (knownLeakFile == nil ? 0 : 1)
        var lines = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#,
            #"<testsuite name="heapgraph.leaks" tests="\#(tests)" failures="\#(failures)" errors="0" skipped="\#(skipped)">"#,
        ]
        lines += cases
        lines.append("</testsuite>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// One group as a paragraph of a `failure` or `skipped` element.
    static func junitText(for group: LeakGroup) -> String {
        var text = "\(group.count) × \(group.fingerprint) \(group.types.joined(separator: ", ")): "
            + "\(group.bytes) B, retained \(group.retainedBytes) B"
        if let description = group.description { text += " (\(description))" }
        if let cycle = group.exampleCycle { text += "\n  cycle: \(cycle)" }
        if !group.alsoFits.isEmpty { text += "\n  also fits: \(group.alsoFits.map(\.rawValue).joined(separator: ", "))" }
        if let trace = group.trace { text += "\n" + trace.text() }
        return text
    }
}
