extension LayoutPlan: CustomStringConvertible {
    /// The engine and its attributes in key order, e.g.
    /// `dot mclimit=0.1 nslimit=0.001 nslimit1=1 splines=line`.
    public var description: String {
        let settings = attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return ([engine.rawValue] + settings).joined(separator: " ")
    }
}
