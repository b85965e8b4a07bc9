/// What Graphviz said about a picture it drew, besides the picture: today, whether a
/// bitmap (PNG) was scaled down because the layout was larger than cairo can draw
/// (30,000 pixels on a side here; Graphviz's own fallback would print to stderr).
///
/// ```swift
/// let notes = try GraphvizRenderer().render(dot: dot, to: OutputFile(path: "big.png"), format: .png)
/// if let scale = notes.bitmapScale { print("scaled by \(scale) to fit") }
/// ```
public struct RenderNotes: Sendable, Hashable {
    /// The factor a bitmap was scaled by to fit (below 1), or nil when it was not scaled.
    public var bitmapScale: Double?

    public init(bitmapScale: Double? = nil) {
        self.bitmapScale = bitmapScale
    }
}
