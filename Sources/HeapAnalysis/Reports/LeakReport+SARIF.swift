import HeapGraphModel

extension LeakReport {
    /// The report as SARIF 2.1.0 (GitHub code scanning and other viewers): one run by the
    /// tool `heapgraph` with one rule per category, one result per group. Results point at
    /// the snapshot file when it is known and carry the group's fingerprint in
    /// `partialFingerprints`, so viewers track a leak across runs: GitHub code scanning
    /// reads only `primaryLocationLineHash` (and computes one from the file's text when it
    /// is absent), so the fingerprint goes there as well as under `leakFingerprint/v1`.
    ///
    /// Levels agree with the exit status `failingOn` gives: `error` for the failing
    /// categories, `warning` for the tolerated ones. Known leaks are results with an
    /// accepted external `suppressions` entry (the list's reason as justification), level
    /// `note`.
    public func sarif(failingOn: Set<LeakCategory> = Set(LeakCategory.allCases)) -> String {
        let rules: [JSONValue] = LeakCategory.allCases.map { category in
            .object([
                ("id", .string(category.rawValue)),
                ("name", .string(category.rawValue)),
                ("shortDescription", .object([("text", .string(category.summary))])),
                ("fullDescription", .object([("text", .string(category.summary) )])),
                ("help", .object([("text", .string("See docs/leak-report.md for the definition of \(category.rawValue)."))])),
                ("defaultConfiguration", .object([("level", .string(Self.sarifLevel(category, failingOn: failingOn)))])),
            ])
        }
        let results = groups.map { sarifResult(for: $0, level: Self.sarifLevel($0.category, failingOn: failingOn)) }
            + knownLeaks.map { known in
                var result = sarifResult(for: known.group, level: "note")
                if case .object(var members) = result {
                    members.append(("suppressions", .array([.object([
                        ("kind", .string("external")), ("status", .string("accepted")),
                        ("justification", .string((knownLeakFile ?? "known leaks") + ":\(known.entry.line) \(known.entry.text)"
                            + (known.entry.reason.map { " # \($0)" } ?? ""))),
                    ])])))
                    result = .object(members)
                }
                return result
            }
        return JSONValue.object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .array([.object([
                ("tool", .object([("driver", .object([
                    ("name", .string("heapgraph")),
                    ("rules", .array(rules)),
                ]))])),
                ("results", .array(results)),
            ])])),
        ]).serialized()
    }

    /// One SARIF result for a group.
    func sarifResult(for group: LeakGroup, level: String) -> JSONValue {
        var message = "\(Self.plural(group.count, "leak")) of \(group.types.joined(separator: ", ")): "
            + "\(group.bytes) B, retained \(group.retainedBytes) B"
        if let description = group.description { message += " (\(description))" }
        if let cycle = group.exampleCycle { message += "; cycle: \(cycle)" }
        if let trace = group.trace {
            let shown = trace.shortened()
            func references(_ steps: ArraySlice<LeakTrace.Step>) -> [String] {
                steps.map { HeapSnapshot.referenceText(type: $0.typeName, label: $0.reference ?? "?") }
            }
            var path = ["root"] + references(shown.head.dropLast(shown.omitted == 0 ? 1 : 0))
            if shown.omitted > 0 { path += ["… \(shown.omitted) left out …"] + references(shown.tail.dropLast()) }
            message += "; path: " + (path + [trace.steps.last?.typeName ?? "?"]).joined(separator: " → ")
        }
        if let suspect = group.suspect { message += "; suspect: \(suspect.reference) (\(suspect.reason.rawValue))" }
        var members: [(String, JSONValue)] = [
            ("ruleId", .string(group.category.rawValue)),
            ("level", .string(level)),
            ("message", .object([("text", .string(message))])),
        ]
        if let file {
            members.append(("locations", .array([.object([
                ("physicalLocation", .object([("artifactLocation", .object([("uri", .string(file))])),
                                              ("region", .object([("startLine", .int(1))]))])),
            ])])))
        }
        // Code scanning matches alerts across runs by primaryLocationLineHash alone.
        members.append(("partialFingerprints", .object([("primaryLocationLineHash", .string(group.fingerprint)),
                                                        ("leakFingerprint/v1", .string(group.fingerprint))])))
        members.append(("properties", .object([
            ("count", .int(group.count)), ("bytes", .int(group.bytes)), ("retainedBytes", .int(group.retainedBytes)),
        ])))
        return .object(members)
    }

    /// `error` for a category that fails the gate, `warning` for one it tolerates.
    static func sarifLevel(_ category: LeakCategory, failingOn: Set<LeakCategory>) -> String {
        failingOn.contains(category) ? "error" : "warning"
    }
}
