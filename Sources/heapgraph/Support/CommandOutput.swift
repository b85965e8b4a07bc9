import GraphvizRender

/// Where a command writes: standard output (no `-o`, or `-o -`) or a file, through
/// GraphvizRender's ``OutputFile`` so that devices, FIFOs and links are written into, never
/// replaced.
extension OutputFile {
    /// The output `-o` names; `-` and no `-o` mean standard output.
    init(argument: PathArgument?) {
        guard let argument, !argument.isStandardStream else {
            self = .standardOutput
            return
        }
        self.init(pathBytes: argument.bytes, displayName: argument.display)
    }

    var isStandardOutput: Bool { destination == .standardOutput }

    /// ``check()`` as a command failure: done before any snapshot is read.
    func checkWritable() throws(CommandFailure) {
        do { _ = try check() } catch { throw CommandFailure(error.description) }
    }

    /// Writes `text`, ending it with a newline.
    func writeText(_ text: String) throws(CommandFailure) {
        do { try write(text.hasSuffix("\n") ? text : text + "\n") } catch { throw CommandFailure(error.description) }
    }

    /// Fails when this output is one of `inputs` (same device and inode, links followed):
    /// `leaks app.heapgraph -o app.heapgraph` would destroy what it reads.
    func refuseOverwriting(_ inputs: [SnapshotSource]) throws(CommandFailure) {
        guard case .replace = try? check(), let identity = existingIdentity() else { return }
        for input in inputs where input.identity == identity {
            let same = input.argument.display == displayName ? "" : " (\(input.argument.display))"
            throw CommandFailure("\(displayName): is the snapshot this command reads\(same); write the output to another file")
        }
    }
}

/// Writes text to standard output, ending it with a newline.
func writeOutput(_ text: String) throws(CommandFailure) {
    try OutputFile.standardOutput.writeText(text)
}
