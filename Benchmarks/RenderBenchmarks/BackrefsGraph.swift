/// Deterministic DOT graphs styled like objgraph's `show_backrefs` output:
/// filled boxes labelled "type\nsummary", some edges labelled with the
/// referring slot.
struct BackrefsGraph {
    enum Shape {
        /// What show_backrefs draws: a breadth-first tree of referrers
        /// growing from one target, plus cross edges (cycles and shared
        /// referrers) to objects no deeper than the referrer.
        case backrefs
        /// A random recursive tree plus uniformly random cross edges, whose
        /// long edges make `dot` much slower; `LayoutPolicy` is tuned on these.
        case random
    }

    var shape: Shape
    var nodes: Int
    var edges: Int
    var seed: UInt64

    func dot() -> String {
        var random = SplitMix64(seed: seed)
        var depth = [0]
        var lines = [
            "digraph ObjectGraph {",
            "  node [shape=box, style=filled, fillcolor=white, fontname=Helvetica, fontsize=10];",
            "  edge [fontname=Helvetica, fontsize=9];",
            "  o0 [label=\"list\\n3 items\", fillcolor=red];",
        ]
        var edgeLines: [String] = []

        func add(referrerOf referent: Int) {
            let id = depth.count
            depth.append(depth[referent] + 1)
            lines.append("  o\(id) [label=\"\(label(&random))\", fillcolor=\"\(color(depth: depth[id]))\"];")
            edgeLines.append(edge(from: id, to: referent, &random))
        }
        switch shape {
        case .backrefs:
            // Breadth-first: each object gets one to four referrers until
            // the node budget is spent; edges point from referrer to referent.
            var frontier = 0
            while depth.count < nodes {
                let referent = frontier
                frontier += 1
                for _ in 0..<(1 + random.below(4)) where depth.count < nodes {
                    add(referrerOf: referent)
                }
            }
        case .random:
            while depth.count < nodes {
                add(referrerOf: random.below(depth.count))
            }
        }
        while edgeLines.count < edges {
            let from = random.below(nodes)
            let to = random.below(nodes)
            // show_backrefs reaches a referrer's referents first, so its cross
            // edges point at objects no deeper than the referrer.
            if shape == .backrefs && depth[to] > depth[from] { continue }
            edgeLines.append(edge(from: from, to: to, &random))
        }
        return (lines + edgeLines + ["}"]).joined(separator: "\n") + "\n"
    }

    private func label(_ random: inout SplitMix64) -> String {
        switch random.below(7) {
        case 0: return "list\\n\(random.below(50)) items"
        case 1: return "dict\\n\(random.below(30)) items"
        case 2: return "tuple\\n\(1 + random.below(5)) items"
        case 3: return "function\\nhandler_\(random.below(100))"
        case 4: return "cell\\n<0x7f\(String(random.next() & 0xFFFFFF, radix: 16))>"
        case 5: return "module\\nmod\(random.below(20))"
        default: return "Node\\n<Node object>"
        }
    }

    private func color(depth: Int) -> String {
        // objgraph fades the fill with distance from the target.
        let saturation = max(0.0, 0.8 - 0.12 * Double(depth))
        return "0.6,\(String(format2: saturation)),1"
    }

    private func edge(from: Int, to: Int, _ random: inout SplitMix64) -> String {
        switch random.below(4) {
        case 0: return "  o\(from) -> o\(to) [label=\"[\(random.below(10))]\"];"
        case 1: return "  o\(from) -> o\(to) [label=\"__dict__\"];"
        default: return "  o\(from) -> o\(to);"
        }
    }
}

/// SplitMix64: a tiny, fully specified generator, so every run and every
/// platform draws the same graphs.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound`; the modulo bias is irrelevant here.
    mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }
}

extension String {
    /// `value` with two decimals, without Foundation's locale-dependent formatting.
    init(format2 value: Double) {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        self = "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
