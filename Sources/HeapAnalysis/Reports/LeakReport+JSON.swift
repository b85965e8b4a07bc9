import HeapGraphModel

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
            ("comparison", comparabilityJSON),
            ("knownLeaks", knownLeakFile == nil ? .null : .array(knownLeaks.map { known in
                .object([("group", Self.json(for: known.group)), ("entry", Self.json(for: known.entry))])
            })),
            ("staleKnownLeaks", knownLeakFile == nil ? .null : .array(staleKnownLeaks.map(Self.json(for:)))),
            ("knownLeakFile", .optional(knownLeakFile)),
        ])
    }

    /// `{"byObject":…, "note":…}` with baselines, null without.
    var comparabilityJSON: JSONValue {
        guard let comparability else { return .null }
        var note: String?
        if case .typeCountsOnly(let reason) = comparability { note = reason }
        return .object([("byObject", .bool(comparability.matchesObjects)), ("note", .optional(note))])
    }

    static func json(for entry: KnownLeakEntry) -> JSONValue {
        .object([("line", .int(entry.line)), ("kind", .string(entry.kind.rawValue)), ("pattern", .string(entry.pattern)),
                 ("reason", .optional(entry.reason))])
    }

    /// Per category: how many leaks and groups; `growthChecked` says whether baselines
    /// were given.
    var summaryJSON: JSONValue {
        .object([
            ("groups", .int(groups.count)),
            ("leaks", .int(groups.reduce(0) { $0 + $1.count })),
            ("growthChecked", .bool(baselineCount > 0)),
            ("knownLeaks", .int(knownLeaks.reduce(0) { $0 + $1.group.count })),
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
                    .object([("id", .int(Int(truncatingIfNeeded: step.id))), ("type", .string(step.typeName)),
                             ("label", .string(step.label)),
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
            ("exampleIds", .array(group.exampleIDs.map { .int(Int(truncatingIfNeeded: $0)) })),
            ("description", .optional(group.description)),
            ("note", .optional(group.note)),
            ("alsoFits", .array(group.alsoFits.map { .string($0.rawValue) })),
            ("suspect", suspectJSON(for: group)),
            ("allocationSite", .optional(group.allocationSite)),
        ])
    }

    /// The suspect reference: for a trace, `index` into the `trace` array as written (null
    /// when the step was left out of a long trace); for a cycle, its closing reference.
    static func suspectJSON(for group: LeakGroup) -> JSONValue {
        guard let suspect = group.suspect else { return .null }
        var index: Int?
        if let trace = group.trace, let step = trace.suspect?.step {
            let shown = trace.shortened()
            index = shown.head.indices.contains(step) ? step - shown.head.startIndex
                : shown.tail.indices.contains(step) ? shown.head.count + step - shown.tail.startIndex : nil
        }
        return .object([("index", index.map(JSONValue.int) ?? .null), ("reference", .string(suspect.reference)),
                        ("reason", .string(suspect.reason.rawValue))])
    }
}
