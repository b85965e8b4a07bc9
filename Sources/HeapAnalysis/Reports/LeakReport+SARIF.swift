import HeapGraphModel

extension LeakReport {
    /// The report as SARIF 2.1.0 (GitHub code scanning and other viewers): one run by the
    /// tool `heapgraph` with one rule per category, one result per group. Results point at
    /// the snapshot file when it is known and carry the group's fingerprint in
    /// `partialFingerprints`, so viewers track a leak across runs.
    public func sarif() -> String {
        let rules: [JSONValue] = LeakCategory.allCases.map { category in
            .object([
                ("id", .string(category.rawValue)),
                ("name", .string(category.rawValue)),
                ("shortDescription", .object([("text", .string(category.summary))])),
                ("defaultConfiguration", .object([("level", .string(Self.sarifLevel(category)))])),
            ])
        }
        let results: [JSONValue] = groups.map { group in
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
            var members: [(String, JSONValue)] = [
                ("ruleId", .string(group.category.rawValue)),
                ("level", .string(Self.sarifLevel(group.category))),
                ("message", .object([("text", .string(message))])),
            ]
            if let file {
                members.append(("locations", .array([.object([
                    ("physicalLocation", .object([("artifactLocation", .object([("uri", .string(file))]))])),
                ])])))
            }
            members.append(("partialFingerprints", .object([("leakFingerprint/v1", .string(group.fingerprint))])))
            members.append(("properties", .object([
                ("count", .int(group.count)), ("bytes", .int(group.bytes)), ("retainedBytes", .int(group.retainedBytes)),
            ])))
            return .object(members)
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

    /// Leaks that are certain are errors; growth is a suspicion, a warning.
    static func sarifLevel(_ category: LeakCategory) -> String {
        category == .growth ? "warning" : "error"
    }
}
