import ArgumentParser
import GraphvizRender
import HeapAnalysis

/// The picture options `backrefs` and `refs` share: objgraph's `max_depth` and `too_many`,
/// the node cap and layout engine, and `-o` for the file.
struct PictureOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Depth of the picture (objgraph's max_depth).")
    var maxDepth = 3

    @Option(parsing: .unconditional, help: "Edges drawn per object before the rest are elided (objgraph's too_many).")
    var tooMany = 10

    @Option(parsing: .unconditional, help: "At most this many objects in the picture (the rest are counted).")
    var maxNodes = DOTOptions().maxNodes

    @Option(help: "Graphviz layout engine: dot, neato, fdp, sfdp, circo or twopi (default: chosen by size).")
    var engine: LayoutEngine?

    @Option(name: .shortAndLong, help: "Draw the picture into this file (.svg, .png, .pdf, .dot).")
    var output: PathArgument?

    func validate() throws {
        guard maxDepth >= 0 else { throw ValidationError("--max-depth must be 0 or more") }
        guard tooMany >= 1 else { throw ValidationError("--too-many must be 1 or more") }
        guard maxNodes >= 1 else { throw ValidationError("--max-nodes must be 1 or more") }
    }

    /// The picture file, checked before any snapshot is read: a type that cannot be
    /// written, a directory, a missing directory fail here, with one line.
    func checkedPicture() throws(CommandFailure) -> PictureFile? {
        guard let output else { return nil }
        let picture = try PictureFile(output)
        try picture.output.checkWritable()
        return picture
    }

    var dotOptions: DOTOptions {
        var options = DOTOptions()
        options.maxDepth = maxDepth
        options.tooMany = tooMany
        options.maxNodes = maxNodes
        return options
    }

    /// With `-o`, draws `makePicture(options)` into `file` and says so as objgraph does;
    /// objects left out and a bitmap scaled to fit are said on stderr.
    func draw(into file: PictureFile?, quiet: Bool = false, _ makePicture: (DOTOptions) -> ObjectGraphDOT) throws(CommandFailure) {
        guard let file else { return }
        let picture = makePicture(dotOptions)
        try file.write(picture, engine: engine, quiet: quiet, maxNodes: maxNodes)
        try writeOutput("Graph written to \(file.output.displayName) (\(picture.nodeCount) nodes)")
    }
}
