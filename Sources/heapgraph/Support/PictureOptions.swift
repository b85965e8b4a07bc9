import ArgumentParser
import HeapAnalysis

/// The picture options `backrefs` and `refs` share: objgraph's `max_depth` and `too_many`,
/// and `-o` for the file.
struct PictureOptions: ParsableArguments {
    @Option(help: "Depth of the picture (objgraph's max_depth).")
    var maxDepth = 3

    @Option(help: "Edges drawn per object before the rest are elided (objgraph's too_many).")
    var tooMany = 10

    @Option(name: .shortAndLong, help: "Draw the picture into this file (.svg, .png, .pdf, .dot).")
    var output: String?

    func validate() throws {
        guard maxDepth >= 0 else { throw ValidationError("--max-depth must be 0 or more") }
        guard tooMany >= 1 else { throw ValidationError("--too-many must be 1 or more") }
    }

    /// Fails before any output when `-o` names a type that cannot be written.
    func checkOutput() throws(CommandFailure) {
        if let output { try checkPictureType(output) }
    }

    var dotOptions: DOTOptions {
        var options = DOTOptions()
        options.maxDepth = maxDepth
        options.tooMany = tooMany
        return options
    }

    /// With `-o`, draws `makePicture(options)` there and says so as objgraph does.
    func draw(_ makePicture: (DOTOptions) -> ObjectGraphDOT) throws(CommandFailure) {
        guard let output else { return }
        let picture = makePicture(dotOptions)
        try writePicture(picture, to: output)
        try writeOutput("Graph written to \(output) (\(picture.nodeCount) nodes)", to: nil)
    }
}
