/// What Graphviz said about a picture it drew, besides the picture: today, whether a
/// bitmap (PNG) was scaled down because the layout was larger than the renderer allows.
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

    /// Reads Graphviz's warning "…: graph is too large for cairo-renderer bitmaps. Scaling
    /// by 0.41 to fit" (the gd renderer says the same).
    init(warning: String) {
        guard let range = warning.firstRange(of: "Scaling by ") else { self.init(); return }
        let number = warning[range.upperBound...].prefix { $0.isNumber || $0 == "." || $0 == "e" || $0 == "-" }
        self.init(bitmapScale: Double(number))
    }
}
