import ArgumentParser
import HeapAnalysis

/// The picture options `backrefs` and `refs` share: objgraph's `max_depth` and `too_many`,
/// and `-o` for the file.
struct PictureOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Depth of the picture (objgraph's max_depth).")
    var maxDepth = 3

    @Option(parsing: .unconditional, help: "Edges drawn per object before the rest are elided (objgraph's too_many).")
    var tooMany = 10

    @Option(name: .shortAndLong, help: "Draw the picture into this file (.svg, .png, .pdf, .dot).")
    var output: PathArgument?

    func validate() throws {
        guard maxDepth >= 0 else { throw ValidationError("--max-depth must be 0 or more") }
        guard tooMany >= 1 else { throw ValidationError("--too-many must be 1 or more") }
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
        return options
    }

    /// With `-o`, draws `makePicture(options)` into `file` and says so as objgraph does.
    func draw(into file: PictureFile?, _ makePicture: (DOTOptions) -> ObjectGraphDOT) throws(CommandFailure) {
        guard let file else { return }
        let picture = makePicture(dotOptions)
        try file.write(picture)
        try writeOutput("Graph written to \(file.output.displayName) (\(picture.nodeCount) nodes)")
    }
}
