import XCTest
@testable import GraphvizRender
#if canImport(FoundationXML)
import FoundationXML
#endif

final class RenderOutputTests: XCTestCase {
    let renderer = GraphvizRenderer()

    func testSVGParsesAsXMLAndHoldsEveryLabel() throws {
        let svg = try renderer.render(dot: backrefsDOT, format: .svg)
        let collector = SVGCollector()
        let parser = XMLParser(data: Data(svg))
        parser.delegate = collector
        XCTAssertTrue(parser.parse(), "SVG is not well-formed XML: \(String(describing: parser.parserError))")
        XCTAssertEqual(collector.rootElement, "svg")
        XCTAssertEqual(collector.groupClasses.filter { $0 == "node" }.count, backrefsNodeCount)
        XCTAssertEqual(collector.groupClasses.filter { $0 == "edge" }.count, 4)
        for label in backrefsLabels {
            XCTAssertTrue(collector.texts.contains(label), "label \(label) missing from \(collector.texts)")
        }
    }

    func testPNGHasSignatureAndSaneSizeFromIHDR() throws {
        let png = try renderer.render(dot: backrefsDOT, format: .png)
        XCTAssertEqual(Array(png.prefix(8)), pngSignature)
        let size = try XCTUnwrap(pngSize(png))
        XCTAssertGreaterThan(size.width, 50)
        XCTAssertLessThan(size.width, 2000)
        XCTAssertGreaterThan(size.height, 50)
        XCTAssertLessThan(size.height, 2000)

        // A chain of 8 boxes ranked top to bottom is taller than wide.
        let chain = "digraph { a -> b -> c -> d -> e -> f -> g -> h }"
        let tall = try XCTUnwrap(pngSize(try renderer.render(dot: chain, format: .png)))
        XCTAssertGreaterThan(tall.height, tall.width * 3)
        // The same chain left to right is wider than tall.
        let lr = "digraph { rankdir=LR; a -> b -> c -> d -> e -> f -> g -> h }"
        let wide = try XCTUnwrap(pngSize(try renderer.render(dot: lr, format: .png)))
        XCTAssertGreaterThan(wide.width, wide.height * 3)
    }

    func testPDFStartsWithPDFHeaderAndEndsWithEOF() throws {
        let pdf = try renderer.render(dot: backrefsDOT, format: .pdf)
        XCTAssertEqual(text(Array(pdf.prefix(5))), "%PDF-")
        XCTAssertTrue(text(Array(pdf.suffix(16))).contains("%%EOF"))
    }

    func testDOTOutputCarriesLayoutPositions() throws {
        let dot = text(try renderer.render(dot: backrefsDOT, format: .dot))
        XCTAssertTrue(dot.hasPrefix("digraph ObjectGraph {"), dot)
        XCTAssertTrue(dot.contains("bb=\""))
        // Every node and edge got a position.
        XCTAssertEqual(dot.components(separatedBy: "pos=\"").count - 1, backrefsNodeCount + 4)
    }

    func testJSONOutputParsesWithNodesAndEdges() throws {
        let json = try renderer.render(dot: backrefsDOT, format: .json)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
        XCTAssertEqual(object["name"] as? String, "ObjectGraph")
        let nodes = try XCTUnwrap(object["objects"] as? [[String: Any]])
        XCTAssertEqual(Set(nodes.compactMap { $0["name"] as? String }), ["target", "holder", "cache", "module"])
        XCTAssertEqual((object["edges"] as? [Any])?.count, 4)
    }

    func testEveryEngineLaysOutTheGraph() throws {
        for engine in LayoutEngine.allCases {
            let dot = text(try renderer.render(dot: backrefsDOT, format: .dot, engine: engine))
            XCTAssertTrue(dot.contains("layout=\(engine.rawValue)"), "\(engine): \(dot)")
            XCTAssertEqual(dot.components(separatedBy: "pos=\"").count - 1, backrefsNodeCount + 4, "\(engine)")
        }
    }

    func testUnicodeLabelsSurvive() throws {
        let svg = text(try renderer.render(dot: #"digraph { a [label="Größe → 🐍"] }"#, format: .svg))
        XCTAssertTrue(svg.contains("Größe → 🐍"), svg)
    }
}

/// Collects what the SVG tests look at.
private final class SVGCollector: NSObject, XMLParserDelegate {
    var rootElement: String?
    var groupClasses: [String] = []
    var texts: [String] = []
    private var inText = false
    private var currentText = ""

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        if rootElement == nil { rootElement = name }
        if name == "g", let cls = attributes["class"] { groupClasses.append(cls) }
        if name == "text" { inText = true; currentText = "" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { currentText += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" { texts.append(currentText); inText = false }
    }
}
