import HeapGraphModel

extension LeakGroup {
    /// The group's suspect reference as text (`service.Listener.session`) and why: its
    /// trace's (``LeakTrace/suspect``), or else its cycle's closing reference.
    public var suspect: (reference: String, reason: LeakTraceSuspect.Reason)? {
        if let trace, let suspect = trace.suspect, suspect.step + 1 < trace.steps.count {
            let step = trace.steps[suspect.step]
            return (HeapSnapshot.referenceText(type: step.typeName, label: step.reference ?? "?"), suspect.reason)
        }
        return suspectReference.map { ($0, .closesCycle) }
    }
}
