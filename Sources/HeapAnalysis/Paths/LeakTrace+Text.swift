import HeapSnapshot

extension LeakTrace {
    /// The trace in LeakCanary's layout (see the type's example). `colors` adds ANSI
    /// escapes: the root line bold, references yellow, the retained object red.
    public func text(colors: Bool = false) -> String {
        let bold = colors ? "\u{1B}[1m" : "", yellow = colors ? "\u{1B}[33m" : ""
        let red = colors ? "\u{1B}[31m" : "", reset = colors ? "\u{1B}[0m" : ""
        let noun = rootReferences == 1 ? "reference" : "references"
        // A chain may start anywhere (find_ref_chain); only a held start is called a root.
        let root = rootName == "gc.garbage" ? "Root: gc.garbage (objects the collector cannot free)"
            : rootReferences > 0 ? "Root: held by the host program (\(rootReferences) \(noun))"
            : "Start: not a root (the host program holds no reference to it)"
        var lines = ["┬───", "│ \(bold)\(root)\(reset)", "│"]
        for (position, step) in steps.enumerated() {
            let object = Self.objectText(step)
            if position + 1 == steps.count {
                lines.append("╰→ \(red)\(object)\(reset)")
            } else {
                lines.append("├─ \(object)")
                let reference = HeapSnapshot.referenceText(type: step.typeName, label: step.reference ?? "?")
                lines.append("│    ↓ \(yellow)\(reference)\(reset)")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `Node instance`, or `Node class` for a class object (LeakCanary's wording).
    static func objectText(_ step: Step) -> String {
        if step.typeName == "type" { return "\(step.label) class" }
        return "\(step.typeName) instance"
    }
}
