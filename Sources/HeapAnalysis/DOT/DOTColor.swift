/// An HSV fill colour as objgraph writes it (`"h,s,v"`, each `%g`).
struct DOTColor {
    var hue: Double
    var saturation: Double
    var value: Double

    /// objgraph's gradient: linear from `start` at depth 0 to `end` at `maxDepth`; `start`
    /// when `maxDepth` is 0.
    static func gradient(from start: DOTColor, to end: DOTColor, depth: Int, maxDepth: Int) -> DOTColor {
        guard maxDepth != 0 else { return start }
        let f = Double(depth) / Double(maxDepth)
        return DOTColor(hue: start.hue * (1 - f) + end.hue * f,
                        saturation: start.saturation * (1 - f) + end.saturation * f,
                        value: start.value * (1 - f) + end.value * f)
    }

    /// White to 30 % grey, for object nodes by depth.
    static let nodeStart = DOTColor(hue: 0, saturation: 0, value: 1)
    static let nodeEnd = DOTColor(hue: 0, saturation: 0, value: 0.3)
    /// Red to dark red, for the "N more references" nodes.
    static let elisionStart = DOTColor(hue: 0, saturation: 1, value: 1)
    static let elisionEnd = DOTColor(hue: 0, saturation: 1, value: 0.3)

    var text: String { "\(DOTText.g(hue)),\(DOTText.g(saturation)),\(DOTText.g(value))" }
}
