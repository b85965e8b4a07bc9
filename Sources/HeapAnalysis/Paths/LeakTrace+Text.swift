import HeapGraphModel

extension LeakTrace {
    /// The trace in LeakCanary's layout (see the type's example). `colors` adds ANSI
    /// escapes: the root line bold, references yellow, the retained object red. A long
    /// trace is shortened (``shortened(keepingAtEachEnd:)``): the steps left out are one
    /// line, `│  … 1,999,960 objects left out …`. The ``suspect`` reference is underlined
    /// with `~` and its reason, as LeakCanary marks suspects.
    public func text(colors: Bool = false) -> String {
        let bold = colors ? "\u{1B}[1m" : "", yellow = colors ? "\u{1B}[33m" : ""
        let red = colors ? "\u{1B}[31m" : "", reset = colors ? "\u{1B}[0m" : ""
        let noun = rootReferences == 1 ? "reference" : "references"
        // A chain may start anywhere (find_ref_chain); only a held start is called a root.
        let root = rootCategory == .garbage ? "Root: gc.garbage (objects the collector cannot free)"
            : rootCategory == .other ? "Root: \(rootName ?? "")"
            : rootCategory == .handle ? "Root: held by the host program (\(rootName ?? ""))"
            : rootCategory != nil ? "Root: \(rootCategory?.description ?? "") \(rootName ?? "")"
            : rootReferences > 0 ? "Root: held by the host program (\(rootReferences) \(noun))"
            : "Start: not a root (the host program holds no reference to it)"
        var lines = ["┬───", "│ \(bold)\(root)\(reset)", "│"]
        let shown = shortened()
        for position in Array(shown.head.indices) + Array(shown.tail.indices) {
            let step = steps[position]
            if position == shown.tail.startIndex, shown.omitted > 0 {
                let noun = shown.omitted == 1 ? "object" : "objects"
                lines.append("│  … \(ReportStyle.count(shown.omitted)) \(noun) left out …")
            }
            let object = Self.objectText(step)
            if position + 1 == steps.count {
                lines.append("╰→ \(red)\(object)\(reset)")
            } else {
                lines.append("├─ \(object)")
                let reference = HeapSnapshot.referenceText(type: ReportStyle.typeName(step.typeName), label: step.reference ?? "?")
                lines.append("│    ↓ \(yellow)\(reference)\(reset)")
                if let suspect, suspect.step == position {
                    // LeakCanary's `~~~` under the suspect reference's name.
                    let name = step.reference ?? ""
                    let underlined = !name.isEmpty && reference.hasSuffix(name) ? name.count : reference.count
                    lines.append("│      " + String(repeating: " ", count: reference.count - underlined)
                        + "\(red)" + String(repeating: "~", count: max(underlined, 1)) + "\(reset) " + suspect.reason.rawValue)
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `Node instance @12`, or `Node class @3` for a class object (LeakCanary's wording),
    /// with the object's id as every command prints it (``ReportStyle``).
    static func objectText(_ step: Step) -> String {
        let id = ReportStyle.objectID(step.id)
        if step.typeName == "type" { return "\(ReportStyle.typeName(step.label)) class \(id)" }
        return "\(ReportStyle.typeName(step.typeName)) instance \(id)"
    }
}
