import XCTest
@testable import GraphvizRender

final class FileOutputTests: XCTestCase {
    func testOneFilePerExtensionWithTheRightContent() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let renderer = GraphvizRenderer()
        let expectedStart: [String: [UInt8]] = [
            "svg": Array("<?xml".utf8),
            "png": pngSignature,
            "pdf": Array("%PDF-".utf8),
            "dot": Array("digraph ObjectGraph {".utf8),
            "gv": Array("digraph ObjectGraph {".utf8),
            "json": Array("{".utf8),
        ]
        XCTAssertEqual(Set(expectedStart.keys.map { "." + $0 }), Set(OutputFormat.fileExtensions))
        for (ext, magic) in expectedStart {
            let path = directory.appendingPathComponent("refs.\(ext)").path
            try renderer.render(dot: backrefsDOT, toFile: path)
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            XCTAssertEqual(Array(bytes.prefix(magic.count)), magic, ext)
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        XCTAssertEqual(names, ["refs.dot", "refs.gv", "refs.json", "refs.pdf", "refs.png", "refs.svg"])
    }

    func testExtensionCaseIsIgnored() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("REFS.PNG").path
        try GraphvizRenderer().render(dot: backrefsDOT, toFile: path)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertEqual(Array(bytes.prefix(8)), pngSignature)
        XCTAssertEqual(try OutputFormat(fileExtension: ".Gv"), .dot)
    }

    func testFailedRenderLeavesNoFile() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("broken.svg").path
        XCTAssertThrowsError(try GraphvizRenderer().render(dot: "digraph { a -> ; }", toFile: path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }
}
