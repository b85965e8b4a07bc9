import XCTest
@testable import GraphvizRender

final class LayoutPolicyTests: XCTestCase {
    let standard = LayoutPolicy.standard
    let bounded = ["nslimit": "0.001", "nslimit1": "1", "mclimit": "0.1", "splines": "line"]

    func testSmallAndTreeLikeGraphsGetPlainDot() {
        XCTAssertEqual(standard.plan(nodes: 0, edges: 0), LayoutPlan(engine: .dot))
        XCTAssertEqual(standard.plan(nodes: 100, edges: 130), LayoutPlan(engine: .dot))
        // 300 nodes with exactly 64 edges beyond a spanning tree (299 edges).
        XCTAssertEqual(standard.plan(nodes: 300, edges: 299 + 64), LayoutPlan(engine: .dot))
        // Few nodes but many parallel edges still count as cross edges.
        XCTAssertEqual(standard.plan(nodes: 2, edges: 65), LayoutPlan(engine: .dot))
    }

    func testDenseOrMidSizedGraphsGetBoundedDot() {
        XCTAssertEqual(standard.plan(nodes: 300, edges: 299 + 65), LayoutPlan(engine: .dot, attributes: bounded))
        XCTAssertEqual(standard.plan(nodes: 2, edges: 66), LayoutPlan(engine: .dot, attributes: bounded))
        XCTAssertEqual(standard.plan(nodes: 301, edges: 300), LayoutPlan(engine: .dot, attributes: bounded))
        XCTAssertEqual(standard.plan(nodes: 200, edges: 350), LayoutPlan(engine: .dot, attributes: bounded))
        XCTAssertEqual(standard.plan(nodes: 1000, edges: 1000), LayoutPlan(engine: .dot, attributes: bounded))
    }

    func testLargeGraphsSwitchToSFDP() {
        let large = LayoutPlan(engine: .sfdp, attributes: ["outputorder": "edgesfirst"])
        XCTAssertEqual(standard.plan(nodes: 1001, edges: 1000), large)
        XCTAssertEqual(standard.plan(nodes: 1000, edges: 1001), large)
        XCTAssertEqual(standard.plan(nodes: 1000, edges: 2000), large)
        XCTAssertEqual(standard.plan(nodes: 100, edges: 5000), large)
        XCTAssertEqual(standard.plan(nodes: 1000, edges: 2000).description, "sfdp outputorder=edgesfirst")
        XCTAssertEqual(standard.plan(nodes: 200, edges: 350).description,
                       "dot mclimit=0.1 nslimit=0.001 nslimit1=1 splines=line")
    }

    func testRuleIsOverridable() {
        XCTAssertEqual(LayoutPolicy.graphvizDefaults.plan(nodes: 1000, edges: 2000), LayoutPlan(engine: .dot))
        var policy = LayoutPolicy.standard
        policy.largeGraphEngine = .neato
        policy.largeGraphAttributes = [:]
        policy.maxNodesForBoundedDot = 500
        XCTAssertEqual(policy.plan(nodes: 600, edges: 700), LayoutPlan(engine: .neato))
    }

    // MARK: - The rule as applied to real graphs (read back from DOT output)

    private func graphLine(_ dot: String, renderer: GraphvizRenderer = GraphvizRenderer(),
                           engine: LayoutEngine? = nil) throws -> String {
        let output = text(try renderer.render(dot: dot, format: .dot, engine: engine))
        // The graph's attributes come first, over one or more lines:
        // `graph [bb="…",\n\t\tlayout=…];`. Return them on one line.
        let start = try XCTUnwrap(output.range(of: "graph ["), output)
        let end = try XCTUnwrap(output.range(of: "];", range: start.upperBound..<output.endIndex), output)
        return output[start.lowerBound..<end.upperBound]
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    func testAppliedToParsedGraphCounts() throws {
        let small = try graphLine(backrefsDOT)
        XCTAssertTrue(small.contains("layout=dot"), small)
        XCTAssertFalse(small.contains("nslimit"), small)

        let mid = try graphLine(syntheticDOT(nodes: 200, edges: 350))
        XCTAssertTrue(mid.contains("layout=dot"), mid)
        for (name, value) in bounded {
            XCTAssertTrue(mid.contains("\(name)=\(value)") || mid.contains("\(name)=\"\(value)\""), "\(name) in \(mid)")
        }

        let large = try graphLine(syntheticDOT(nodes: 1000, edges: 2000))
        XCTAssertTrue(large.contains("layout=sfdp"), large)
        XCTAssertTrue(large.contains("outputorder=edgesfirst"), large)
        XCTAssertEqual(try GraphvizRenderer().layoutPlan(forDOT: syntheticDOT(nodes: 1000, edges: 2000)).engine, .sfdp)
    }

    func testDOTAttributesWinOverThePlan() throws {
        let line = try graphLine(syntheticDOT(nodes: 200, edges: 350, graphAttributes: "mclimit=2;"))
        XCTAssertTrue(line.contains("mclimit=2"), line)
        XCTAssertTrue(line.contains("nslimit=0.001") || line.contains("nslimit=\"0.001\""), line)
    }

    func testExplicitEngineOrLayoutAttributeSkipsTheRule() throws {
        let dense = syntheticDOT(nodes: 40, edges: 120)
        XCTAssertEqual(try GraphvizRenderer().layoutPlan(forDOT: dense), LayoutPlan(engine: .dot, attributes: bounded))
        let explicit = try graphLine(dense, engine: .neato)
        XCTAssertTrue(explicit.contains("layout=neato"), explicit)
        XCTAssertFalse(explicit.contains("nslimit"), explicit)
        let fromAttribute = try graphLine(syntheticDOT(nodes: 40, edges: 120, graphAttributes: "layout=circo;"))
        XCTAssertTrue(fromAttribute.contains("layout=circo"), fromAttribute)
        XCTAssertFalse(fromAttribute.contains("nslimit"), fromAttribute)
    }

    func testGraphvizDefaultsPolicyLeavesGraphAlone() throws {
        let line = try graphLine(syntheticDOT(nodes: 40, edges: 120), renderer: GraphvizRenderer(policy: .graphvizDefaults))
        XCTAssertTrue(line.contains("layout=dot"), line)
        XCTAssertFalse(line.contains("nslimit") || line.contains("splines"), line)
    }
}
