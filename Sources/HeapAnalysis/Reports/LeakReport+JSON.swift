extension LeakReport {
    /// The report as JSON, version 1 (schema in docs/leak-report.md). Keys come in a fixed
    /// order and there is no whitespace, so the same report gives the same bytes.
    public func json() -> String { jsonValue.serialized() }

    var jsonValue: JSONValue {
        .object([
            ("version", .int(1)),
            ("file", .optional(file)),
            ("summary", summaryJSON),
            ("leaks", .array(groups.map(Self.json(for:)))),
        ])
    }

    /// Per category: how many leaks and groups; `growthChecked` says whether baselines
    /// were given.
    var summaryJSON: JSONValue {
        .object([
            ("groups", .int(groups.count)),
            ("leaks", .int(groups.reduce(0) { $0 + $1.count })),
            ("growthChecked", .bool(baselineCount > 0)),
            ("categories", .object(LeakCategory.allCases.map { category in
                (category.rawValue, .object([
                    ("groups", .int(findings(in: [category]).count)),
                    ("leaks", .int(leakCount(in: category))),
                ]))
            })),
        ])
    }

    static func json(for group: LeakGroup) -> JSONValue {
        .object([
            ("category", .string(group.category.rawValue)),
            ("fingerprint", .string(group.fingerprint)),
            ("count", .int(group.count)),
            ("types", .array(group.types.map(JSONValue.string))),
            ("bytes", .int(group.bytes)),
            ("retainedBytes", .int(group.retainedBytes)),
            ("exampleCycle", .optional(group.exampleCycle)),
            ("trace", group.trace.map { trace in
                let shown = trace.shortened()
                return .array((shown.head + shown.tail).map { step in
                    .object([("type", .string(step.typeName)), ("label", .string(step.label)),
                             ("reference", .optional(step.reference))])
                })
            } ?? .null),
            // A long trace is shortened as in the text: `after` steps from the root, then
            // `count` left out, then the rest of `trace`.
            ("traceOmitted", group.trace.map { trace in
                let shown = trace.shortened()
                guard shown.omitted > 0 else { return JSONValue.null }
                return .object([("after", .int(shown.head.count)), ("count", .int(shown.omitted))])
            } ?? .null),
            ("description", .optional(group.description)),
            ("note", .optional(group.note)),
            ("allocationSite", .optional(group.allocationSite)),
        ])
    }
}
