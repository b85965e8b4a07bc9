import XCTest
import Foundation
@testable import GraphvizRender

final class PluginConfigurationTests: XCTestCase {
    func testExplanationWhenConfigurationIsMissing() {
        let plugin = MissingPlugin(
            kind: .layoutEngine, name: "dot", configurationPath: "/opt/gv/graphviz/config6a",
            configurationExists: false, graphvizMessage: #"Layout type: "dot" not recognized. Use one of:"#
        )
        XCTAssertEqual(
            plugin.explanation,
            "Graphviz plugin configuration not found at /opt/gv/graphviz/config6a: run `dot -c` as root or "
                + "reinstall libgvc6 (scripts/setup does this). Graphviz said: Layout type: \"dot\" not recognized. Use one of:"
        )
        XCTAssertEqual(GraphvizError.pluginsMissing(plugin).description, plugin.explanation)
    }

    func testExplanationWhenOnePluginIsMissing() {
        let plugin = MissingPlugin(
            kind: .renderer, name: "png", configurationPath: "/usr/lib/x86_64-linux-gnu/graphviz/config6a",
            configurationExists: true, graphvizMessage: "renderer for png is unavailable"
        )
        let text = plugin.explanation
        XCTAssertTrue(text.hasPrefix(#"Graphviz renderer "png" is unavailable although the plugin configuration exists at /usr/lib/x86_64-linux-gnu/graphviz/config6a"#), text)
        XCTAssertTrue(text.contains("run `dot -c` as root or reinstall libgvc6 (scripts/setup does this)"), text)
        XCTAssertTrue(text.hasSuffix("Graphviz said: renderer for png is unavailable"), text)
    }

    func testStandardNamesThatAreNotRecognizedMeanMissingPlugins() {
        guard case .pluginsMissing(let engine) = GraphvizSession.layoutFailure(
            engine: "dot", message: #"Layout type: "dot" not recognized. Use one of:"#) else {
            return XCTFail("a missing dot engine is a plugin problem")
        }
        XCTAssertEqual(engine.kind, .layoutEngine)
        XCTAssertEqual(engine.name, "dot")
        XCTAssertEqual(engine.configurationPath, PluginConfiguration.currentPath())

        guard case .pluginsMissing(let renderer) = GraphvizSession.renderFailure(
            format: "png", message: "renderer for png is unavailable") else {
            return XCTFail("a missing png renderer is a plugin problem")
        }
        XCTAssertEqual(renderer.kind, .renderer)
        XCTAssertEqual(renderer.name, "png")

        XCTAssertEqual(GraphvizSession.renderFailure(format: "gif2", message: "renderer for gif2 is unavailable"),
                       .unknownFormat(name: "gif2", message: "renderer for gif2 is unavailable"))
        XCTAssertEqual(GraphvizSession.layoutFailure(engine: "dot", message: "trouble in init_rank"),
                       .layoutFailed(engine: "dot", message: "trouble in init_rank"))
    }

    func testConfigurationPathFollowsLibgvc() {
        let maps = """
            7f0000000000-7f0000001000 r--p 00000000 08:01 11 /usr/lib/x86_64-linux-gnu/libcgraph.so.6.0.0
            7f0000002000-7f0000003000 r-xp 00002000 08:01 12 /opt/graphviz/lib/libgvc.so.6.0.0
            7f0000004000-7f0000005000 rw-p 00000000 00:00 0
            """
        XCTAssertEqual(PluginConfiguration.path(gvbindir: nil, loadedObjects: maps),
                       "/opt/graphviz/lib/graphviz/config6a")
        XCTAssertEqual(PluginConfiguration.path(gvbindir: "/tmp/plugins/", loadedObjects: maps),
                       "/tmp/plugins/config6a")
        XCTAssertEqual(PluginConfiguration.path(gvbindir: "", loadedObjects: nil),
                       "/usr/lib/x86_64-linux-gnu/graphviz/config6a")
    }

    func testThisMachinesConfigurationIsFound() throws {
        try XCTSkipIf(ProcessInfo.processInfo.environment["GVBINDIR"] != nil, "GVBINDIR is set")
        // Render once so libgvc is loaded and mapped.
        _ = try GraphvizRenderer().render(dot: "digraph { a }", format: .svg)
        let path = PluginConfiguration.currentPath()
        XCTAssertTrue(path.hasSuffix("/graphviz/config6a"), path)
        XCTAssertTrue(PluginConfiguration.exists(path), "\(path) missing: run scripts/setup")
    }
}
