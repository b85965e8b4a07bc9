import Foundation
@testable import GraphvizRender
#if canImport(Glibc)
import Glibc
#endif

/// A small graph in the style of objgraph's show_backrefs drawings.
let backrefsDOT = #"""
digraph ObjectGraph {
  node [shape=box, style=filled, fillcolor="#eeeeff"];
  target [label="list\n3 items", fillcolor=red];
  holder [label="dict\n2 items"];
  cache [label="Node\n<0x10>"];
  module [label="module\nleakdemo"];
  holder -> target [label="items"];
  cache -> target;
  module -> holder [label="__dict__"];
  cache -> holder;
}
"""#
let backrefsLabels = ["list", "3 items", "dict", "2 items", "Node", "module", "leakdemo", "items", "__dict__"]
let backrefsNodeCount = 4

/// A deterministic graph with `nodes` nodes: a tree (node i hangs under
/// node i/2) plus chords until there are `edges` edges.
func syntheticDOT(nodes: Int, edges: Int, graphAttributes: String = "") -> String {
    var lines = ["digraph G {", graphAttributes, "  node [shape=box];"]
    for i in 0..<nodes { lines.append("  n\(i) [label=\"object \(i)\"];") }
    var count = 0
    for i in 1..<nodes where count < edges {
        lines.append("  n\(i / 2) -> n\(i);")
        count += 1
    }
    var k = 0
    while count < edges {
        lines.append("  n\((k * 7 + 3) % nodes) -> n\((k * 13 + 5) % nodes);")
        count += 1
        k += 1
    }
    lines.append("}")
    return lines.joined(separator: "\n")
}

let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

/// Width and height from a PNG's IHDR chunk, which must come first.
func pngSize(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
    guard bytes.count >= 24, Array(bytes[0..<8]) == pngSignature,
          Array(bytes[12..<16]) == Array("IHDR".utf8) else { return nil }
    func bigEndian(_ offset: Int) -> Int {
        bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
    }
    return (bigEndian(16), bigEndian(20))
}

func text(_ bytes: [UInt8]) -> String {
    String(decoding: bytes, as: UTF8.self)
}

/// Runs `body` with file descriptor 2 pointing at a temporary file and
/// returns what was written to it.
func capturingStandardError(_ body: () throws -> Void) throws -> String {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("gv-stderr-\(UUID().uuidString)").path
    let capture = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0o600)
    guard capture >= 0 else { throw CaptureError.cannotOpen(path) }
    defer { unlink(path) }
    fflush(nil)  // all stdio streams, stderr included
    let saved = dup(2)
    guard saved >= 0 else { close(capture); throw CaptureError.cannotOpen("dup(2)") }
    dup2(capture, 2)
    close(capture)
    defer {
        fflush(nil)  // all stdio streams, stderr included
        dup2(saved, 2)
        close(saved)
    }
    try body()
    fflush(nil)  // all stdio streams, stderr included
    return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
}

enum CaptureError: Error { case cannotOpen(String) }

/// A fresh empty directory under the temporary directory.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("GraphvizRenderTests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
