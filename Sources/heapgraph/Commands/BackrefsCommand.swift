import ArgumentParser
import HeapAnalysis
import HeapGraphModel

/// Which object a command is about: `--id`, or `--type` with `--nth`.
struct ObjectSelection: ParsableArguments {
    @Option(help: "The object's id (@12345 as reports print it, decimal, or hex with 0x).")
    var id: ObjectID?

    @Option(help: "A type name (Session, or service.Session); with --nth, which object of it.")
    var type: String?

    // .unconditional: `--nth -1` is a (bad) value, not an unknown option named -1.
    @Option(parsing: .unconditional, help: "With --type: which object of that type, 1 for the first (file order).")
    var nth: Int?

    func validate() throws {
        switch (id, type) {
        case (nil, nil): throw ValidationError("give --id ID or --type NAME")
        case (.some, .some): throw ValidationError("give --id or --type, not both")
        default: break
        }
        if let nth {
            guard id == nil else {
                throw ValidationError("--nth picks one of the objects of --type; --id already names one object, so give --id or --type with --nth")
            }
            guard nth >= 1 else {
                throw ValidationError("--nth counts from 1 (1 is the first object of the type, in file order), so \(nth) names none")
            }
        }
    }

    func node(in graph: HeapSnapshot, file: String) throws(CommandFailure) -> Int {
        if let id { return try graph.requireNode(withID: id, file: file) }
        return try graph.requireNode(ofType: type ?? "", nth: nth ?? 1, file: file)
    }
}

/// `heapgraph backrefs`: why is this object alive? The shortest strong path from a root,
/// as a leak trace, and objgraph's show_backrefs as a picture.
struct BackrefsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backrefs",
        abstract: "Why an object is alive: the shortest strong path from a root, and a back-reference picture.",
        discussion: """
            Prints the path as a leak trace: each object, then the reference followed to the \
            next. Weak references are never followed. In a V8 .heapsnapshot the path is the \
            one DevTools' distances give, from the synthetic root (docs/v8.md). With -o, draws objgraph's show_backrefs \
            (.svg, .png, .pdf or .dot).

            Example:
              heapgraph backrefs app.heapgraph --type Session --nth 3 -o session.svg
              heapgraph backrefs app.heapgraph --id @1234
            """
    )

    @Argument(help: "A .heapgraph or V8 .heapsnapshot file (- for standard input).")
    var file: PathArgument

    @OptionGroup var selection: ObjectSelection

    @OptionGroup var picture: PictureOptions

    @OptionGroup var common: CommonOptions

    func run() throws {
        let pictureFile = try picture.checkedPicture()
        let source = try SnapshotSource.open(file)
        try pictureFile?.output.refuseOverwriting([source])
        let graph = try source.load(quiet: common.quiet)
        let node = try selection.node(in: graph, file: file.display)
        if RetentionRules(for: graph) == .devTools {
            // A V8 heap: the path DevTools' distances give, from the synthetic root.
            if let trace = RootPaths(graph: graph, rules: .devTools).trace(to: node, in: graph) {
                try writeOutput(trace.text(colors: Terminal.standardOutput.usesColor))
            } else {
                try writeOutput("""
                    No strong path from the root reaches \(graph.describe(node)): only weak references \
                    or objects the root does not reach refer to it (DevTools shows its distance as "-").
                    """)
            }
            try picture.draw(into: pictureFile) { graph.showBackrefs([node], options: $0) }
            return
        }
        let chain = graph.findBackrefChain(to: node, maxDepth: Int.max)
        if graph.isRoot(node) || chain.count > 1 {
            try writeOutput(LeakTrace(graph: graph, path: chain).text(colors: Terminal.standardOutput.usesColor))
        } else {
            try writeOutput("""
                No strong path from a root reaches \(graph.describe(node)):
                only unreachable objects refer to it, so it stays alive through a reference cycle \
                (cyclic garbage, freed by the next collection unless the collector is off) or through gc.garbage.
                See: heapgraph leaks \(file.display)
                """)
        }
        try picture.draw(into: pictureFile, quiet: common.quiet) { graph.showBackrefs([node], options: $0) }
    }
}
