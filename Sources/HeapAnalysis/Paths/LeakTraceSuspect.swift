/// The reference of a leak trace a reader should look at first, as LeakCanary underlines
/// its suspect references with `~~~` (docs/leak-report.md gives the rule).
public struct LeakTraceSuspect: Sendable, Hashable {
    /// Why this reference is the suspect.
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        /// The target reaches the reference's source: the reference closes a cycle.
        case closesCycle = "closes the cycle"
        /// The reference's target is of a type that grew at every snapshot.
        case targetTypeGrows = "its target's type grows at every snapshot"
        /// No better clue: the last reference, into the object that leaks.
        case holdsLeakingObject = "holds the leaking object"
    }

    /// The index in ``LeakTrace/steps`` of the step whose ``LeakTrace/Step/reference`` is
    /// the suspect.
    public var step: Int
    public var reason: Reason

    public init(step: Int, reason: Reason) {
        self.step = step
        self.reason = reason
    }
}
