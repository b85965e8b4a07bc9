import GraphvizRender
import HeapAnalysis

/// How a leak check judges a heap and what it writes when it fails.
///
/// ```swift
/// var options = LeakCheckOptions()
/// options.knownLeaks = .file("Tests/leaks.heapgraph-ignore")
/// options.failOn.remove(.watched)
/// ```
public struct LeakCheckOptions: Sendable {
    /// The categories that fail the check: by default uncollectable cycles, cyclic garbage
    /// and watched objects (``noLeaks``); growth for the growth check (``noGrowth``).
    public var failOn: Set<LeakCategory>
    /// The known-leak list; by default `.heapgraph-ignore` in the current directory.
    public var knownLeaks: KnownLeakSource = .discovered()
    /// Whether to collect before looking at the heap.
    public var collection: CollectionPolicy = .whenEnabled
    /// Where a failing check writes its artifacts; by default `HEAPGRAPH_TEST_ARTIFACTS`.
    public var artifacts: ArtifactsDirectory = .fromEnvironment
    /// The picture format of each failing group (`.svg`, `.png`, `.pdf`, or `.dot` for the
    /// DOT text).
    public var pictureFormat: OutputFormat = .svg
    /// At most this many objects are drawn in a picture.
    public var pictureMaxNodes: Int = DOTOptions().maxNodes

    /// Options failing on `failOn`.
    public init(failOn: Set<LeakCategory> = [.uncollectable, .cyclicGarbage, .watched]) {
        self.failOn = failOn
    }

    /// The defaults of `LeakChecker/checkNoLeaks(in:options:name:body:)`.
    public static var noLeaks: LeakCheckOptions { LeakCheckOptions() }
    /// The defaults of `LeakChecker/checkNoGrowth(in:rounds:minimumGrowth:options:name:body:)`.
    public static var noGrowth: LeakCheckOptions { LeakCheckOptions(failOn: [.growth]) }
}
