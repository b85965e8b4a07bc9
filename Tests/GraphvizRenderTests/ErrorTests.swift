import XCTest
@testable import GraphvizRender

final class ErrorTests: XCTestCase {
    let renderer = GraphvizRenderer()

    /// The GraphvizError `body` throws; a test failure if it returns or
    /// throws anything else.
    private func error(
        _ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line
    ) -> GraphvizError? {
        do {
            try body()
            XCTFail("expected a GraphvizError", file: file, line: line)
        } catch let error as GraphvizError {
            return error
        } catch {
            XCTFail("expected a GraphvizError, got \(error)", file: file, line: line)
        }
        return nil
    }

    func testSyntaxErrorCarriesGraphvizMessage() {
        let thrown = error { _ = try renderer.render(dot: "digraph { a -> ; }", format: .svg) }
        XCTAssertEqual(thrown, .syntax(message: "syntax error in line 1 near ';'"))
        XCTAssertEqual(thrown?.description, "invalid DOT: syntax error in line 1 near ';'")
    }

    func testSyntaxErrorLineNumberIsGraphviz() {
        let thrown = error { _ = try renderer.render(dot: "digraph {\n a -> b;\n c -> }\n", format: .svg) }
        XCTAssertEqual(thrown, .syntax(message: "syntax error in line 3 near '}'"))
    }

    func testEmptyInputIsASyntaxError() {
        XCTAssertEqual(error { _ = try renderer.render(dot: "", format: .svg) },
                       .syntax(message: "no graph in the DOT text"))
        XCTAssertEqual(error { _ = try renderer.render(dot: "  \n// nothing\n", format: .svg) },
                       .syntax(message: "no graph in the DOT text"))
    }

    func testTrailingGarbageIsASyntaxError() {
        let thrown = error { _ = try renderer.render(dot: "digraph { a -> b } garbage ;;", format: .svg) }
        XCTAssertEqual(thrown, .syntax(message: "syntax error in line 1 near 'garbage'"))
    }

    func testSeveralGraphsAreRejectedAndDoNotLeakIntoTheNextRender() throws {
        let thrown = error { _ = try renderer.render(dot: "digraph { a -> b } digraph { c } graph { d }", format: .svg) }
        XCTAssertEqual(thrown, .multipleGraphs(count: 3))
        // Graphviz's lexer keeps unread text between reads; the next render
        // must see its own three nodes, not the leftover "digraph { c }".
        let json = try renderer.render(dot: "digraph { x -> y -> z }", format: .json)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
        XCTAssertEqual((object["objects"] as? [Any])?.count, 3)
    }

    func testUnknownEngineFromLayoutAttribute() {
        let thrown = error { _ = try renderer.render(dot: "digraph { layout=nope; a -> b }", format: .svg) }
        guard case .unknownEngine(let name, let message) = thrown else {
            return XCTFail("expected unknownEngine, got \(String(describing: thrown))")
        }
        XCTAssertEqual(name, "nope")
        XCTAssertTrue(message.hasPrefix(#"Layout type: "nope" not recognized. Use one of:"#), message)
        for engine in LayoutEngine.allCases {
            XCTAssertTrue(message.contains(" \(engine.rawValue)"), "\(engine) not listed in \(message)")
        }
        XCTAssertEqual(thrown?.description, "unknown layout engine \"nope\": \(message)")
    }

    func testUnknownEngineByName() {
        let thrown = error { _ = try renderer.render(dot: "digraph { a -> b }", formatName: "svg", engineName: "nope") }
        guard case .unknownEngine("nope", let message) = thrown else {
            return XCTFail("expected unknownEngine, got \(String(describing: thrown))")
        }
        XCTAssertTrue(message.hasPrefix(#"Layout type: "nope" not recognized."#), message)
    }

    func testExplicitEngineBeatsLayoutAttribute() throws {
        let dot = text(try renderer.render(dot: "digraph { layout=nope; a -> b }", format: .dot, engine: .neato))
        XCTAssertTrue(dot.contains("layout=neato"), dot)
    }

    func testUnknownFormatCarriesGraphvizMessage() {
        let thrown = error { _ = try renderer.render(dot: "digraph { a -> b }", formatName: "bogus", engineName: nil) }
        XCTAssertEqual(thrown, .unknownFormat(name: "bogus", message: "renderer for bogus is unavailable"))
        XCTAssertEqual(thrown?.description, "unknown output format \"bogus\": renderer for bogus is unavailable")
    }

    func testErrorsDoNotSpoilLaterRenders() throws {
        // All renders share one libgvc context; a failed job must not linger.
        _ = error { _ = try renderer.render(dot: "digraph { a -> b }", formatName: "bogus", engineName: nil) }
        XCTAssertEqual(Array(try renderer.render(dot: "digraph { a -> b }", format: .png).prefix(8)), pngSignature)
        _ = error { _ = try renderer.render(dot: "digraph { a -> ; }", format: .svg) }
        _ = error { _ = try renderer.render(dot: "digraph { layout=nope; a }", format: .svg) }
        let svg = text(try renderer.render(dot: "digraph { after -> errors }", format: .svg))
        XCTAssertTrue(svg.contains(">after<") && svg.contains(">errors<"), svg)
    }

    func testNothingReachesStandardError() throws {
        // Control: the capture sees writes to fd 2, so the real check can fail.
        let control = try capturingStandardError {
            _ = "control line\n".withCString { write(2, $0, strlen($0)) }
        }
        XCTAssertEqual(control, "control line\n")

        let captured = try capturingStandardError {
            _ = error { _ = try renderer.render(dot: "digraph { a -> ; }", format: .svg) }
            // Bad HTML-like label: Graphviz complains and falls back to plain text.
            _ = try? renderer.render(dot: #"digraph { a [label=<<b>unclosed>] }"#, format: .svg)
            _ = error { _ = try renderer.render(dot: "digraph { layout=nope; a -> b }", format: .svg) }
            _ = error { _ = try renderer.render(dot: "digraph { a -> b }", formatName: "bogus", engineName: nil) }
            _ = error { _ = try renderer.render(dot: "digraph { a } digraph { b }", format: .svg) }
            // Renders that make Graphviz warn: unknown shape, bad colour, unknown attribute value.
            _ = try renderer.render(dot: "digraph { a [shape=nosuchshape, color=notacolor]; a -> b [dir=sideways] }", format: .svg)
            _ = try renderer.render(dot: "digraph { a [shape=nosuchshape, color=notacolor]; a -> b }", format: .png)
        }
        XCTAssertEqual(captured, "", "Graphviz wrote to stderr")
    }

    func testUnknownFileExtension() {
        let directory = FileManager.default.temporaryDirectory.path
        XCTAssertEqual(error { try renderer.render(dot: "digraph { a }", toFile: directory + "/out.bmp") },
                       .unknownFileExtension("bmp"))
        XCTAssertEqual(error { try renderer.render(dot: "digraph { a }", toFile: directory + "/out") },
                       .unknownFileExtension(""))
        XCTAssertEqual(GraphvizError.unknownFileExtension("bmp").description,
                       "cannot pick an output format from file extension \".bmp\"; use one of .svg, .png, .pdf, .dot, .gv, .json")
        XCTAssertThrowsError(try OutputFormat(fileExtension: "jpeg"))
    }

    func testUnwritableFileIsATypedError() {
        let path = "/nonexistent-\(UUID().uuidString)/out.svg"
        let thrown = error { try renderer.render(dot: "digraph { a }", toFile: path) }
        guard case .fileWriteFailed(let failedPath, let reason) = thrown else {
            return XCTFail("expected fileWriteFailed, got \(String(describing: thrown))")
        }
        XCTAssertEqual(failedPath, path)
        XCTAssertFalse(reason.isEmpty)
    }
}
