// swift-tools-version: 6.2
// HeapGraph: a managed object heap with CPython's memory model (HeapRuntime),
// and the tools that turn its graph into leak reports and pictures.
//
// Layers, each depending only on those above it (docs/architecture.md):
//   1. HeapGraphFormat      the .heapgraph file: constants, records, labels, writer, reader
//   2. HeapRuntime          objects, ownership, allocator, collector; writes through the format
//      HeapGraphModel       the compact, source-neutral graph (reads files; never the runtime)
//   3. HeapRuntimeSnapshot  a live heap's graph without a file (the runtime-to-graph bridge)
//      HeapAnalysis         queries, reports, DOT, over the graph
//   4. GraphvizRender       pictures, over the CGraphviz system library
//   5. front ends           heapgraph (no runtime linked), samples, HeapTesting
//
// Platforms: Linux only. The runtime calls Glibc directly (`mmap`, `write`, `exit`,
// pthreads), and nothing has been built or tested on macOS or Windows, so no other
// platform is claimed. Swift 6.2 or later: the exit tests (`#expect(processExitsWith:)`)
// first shipped with Swift 6.2's swift-testing.
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
]

let package = Package(
    name: "HeapGraph",
    products: [
        .library(name: "HeapGraphFormat", targets: ["HeapGraphFormat"]),
        .library(name: "HeapRuntime", targets: ["HeapRuntime"]),
        .library(name: "HeapGraphModel", targets: ["HeapGraphModel"]),
        .library(name: "HeapRuntimeSnapshot", targets: ["HeapRuntimeSnapshot"]),
        .library(name: "HeapAnalysis", targets: ["HeapAnalysis"]),
        .library(name: "GraphvizRender", targets: ["GraphvizRender"]),
        .executable(name: "heapgraph", targets: ["heapgraph"]),
        .executable(name: "minipy", targets: ["minipy"]),
        .library(name: "HeapTesting", targets: ["HeapTesting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // `swift package generate-documentation`: the DocC catalogs (Sources/*/*.docc),
        // built by scripts/test with warnings as errors. A plugin only: nothing links it.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
        // `heapgraph serve`'s web server (issue 21).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // Layer 1
        .target(name: "HeapGraphFormat", swiftSettings: strict),

        // Layer 2
        .target(name: "HeapRuntime", dependencies: ["HeapGraphFormat"], swiftSettings: strict),
        .target(name: "HeapGraphModel", dependencies: ["HeapGraphFormat"], swiftSettings: strict),

        // Layer 3
        .target(name: "HeapRuntimeSnapshot", dependencies: ["HeapRuntime", "HeapGraphModel"], swiftSettings: strict),
        .target(name: "HeapAnalysis", dependencies: ["HeapGraphModel", "HeapGraphFormat"], swiftSettings: strict),

        // Layer 4
        .systemLibrary(
            name: "CGraphviz",
            pkgConfig: "libgvc",
            providers: [.apt(["libgraphviz-dev"])]
        ),
        .target(name: "GraphvizRender", dependencies: ["CGraphviz", "HeapGraphFormat"], swiftSettings: strict),

        // Layer 5
        .executableTarget(
            name: "heapgraph",
            dependencies: [
                "HeapGraphFormat", "HeapGraphModel", "HeapAnalysis", "GraphvizRender",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // minipy: a small Python interpreter whose values live on a HeapRuntime heap.
        // The interpreter's state is one thread's (like CPython's under its GIL); run-time
        // exclusivity checks on it cost a tenth of a function call, so they are off here.
        .target(
            name: "MiniPy",
            dependencies: ["HeapRuntime", "HeapRuntimeSnapshot", "HeapAnalysis", "GraphvizRender"],
            swiftSettings: strict + [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
        ),
        .executableTarget(name: "minipy", dependencies: ["MiniPy"], swiftSettings: strict),
        // Leak assertions for test suites that embed HeapRuntime (Swift Testing and XCTest).
        .target(
            name: "HeapTesting",
            dependencies: ["HeapRuntime", "HeapRuntimeSnapshot", "HeapGraphModel", "HeapAnalysis", "GraphvizRender"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "RuntimeTour",
            dependencies: ["HeapRuntime"],
            path: "samples/RuntimeTour",
            swiftSettings: strict
        ),

        // The README's example, built and run by a test that checks the README still
        // shows exactly this file.
        .executableTarget(
            name: "ReadmeExample",
            dependencies: ["HeapRuntime"],
            path: "samples/ReadmeExample",
            swiftSettings: strict
        ),

        // The README's analyzer example, checked and run the same way.
        .executableTarget(
            name: "ReadmeAnalysis",
            dependencies: ["HeapRuntime", "HeapRuntimeSnapshot", "HeapGraphModel", "HeapAnalysis"],
            path: "samples/ReadmeAnalysis",
            swiftSettings: strict
        ),

        .executableTarget(
            name: "LeakyApp",
            dependencies: ["HeapRuntime"],
            path: "samples/LeakyApp",
            swiftSettings: strict
        ),

        // Benchmarks: run in release by scripts/bench/run, never in tests.
        .target(name: "BenchmarkSupport", path: "Benchmarks/BenchmarkSupport", swiftSettings: strict),
        .executableTarget(
            name: "RuntimeBenchmarks",
            dependencies: ["BenchmarkSupport", "HeapRuntime"],
            path: "Benchmarks/RuntimeBenchmarks",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "SnapshotBenchmarks",
            dependencies: ["BenchmarkSupport", "HeapRuntime", "HeapGraphModel"],
            path: "Benchmarks/SnapshotBenchmarks",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "ObjgraphBenchmarks",
            dependencies: ["BenchmarkSupport", "HeapRuntime", "HeapGraphModel", "HeapRuntimeSnapshot", "HeapAnalysis"],
            path: "Benchmarks/ObjgraphBenchmarks",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "LeakBenchmarks",
            dependencies: ["HeapRuntime", "HeapGraphModel", "HeapRuntimeSnapshot", "HeapAnalysis"],
            path: "Benchmarks/LeakBenchmarks",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "V8Benchmarks",
            dependencies: ["HeapRuntime", "HeapGraphModel", "HeapRuntimeSnapshot"],
            path: "Benchmarks/V8Benchmarks",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "RenderBenchmarks",
            dependencies: ["GraphvizRender"],
            path: "Benchmarks/RenderBenchmarks",
            swiftSettings: strict
        ),

        .testTarget(
            name: "HeapRuntimeTests",
            dependencies: ["HeapRuntime", "LeakyApp", "ReadmeExample", "ReadmeAnalysis"],   // the samples are run as programs
            swiftSettings: strict
        ),
        .testTarget(
            name: "HeapSnapshotTests",
            dependencies: ["HeapGraphFormat", "HeapGraphModel", "HeapRuntime", "HeapRuntimeSnapshot"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "HeapAnalysisTests",
            dependencies: ["HeapAnalysis", "HeapGraphModel", "HeapRuntime", "HeapRuntimeSnapshot"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "MiniPyTests",
            dependencies: ["MiniPy", "minipy", "HeapGraphModel"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "HeapTestingTests",
            dependencies: ["HeapTesting", "HeapRuntime", "HeapAnalysis", "HeapGraphModel", "GraphvizRender"],
            swiftSettings: strict
        ),
        .testTarget(name: "GraphvizRenderTests", dependencies: ["GraphvizRender"], swiftSettings: strict),
        .testTarget(
            name: "HeapgraphTests",
            dependencies: ["heapgraph", "HeapRuntime", "HeapGraphModel", "LeakyApp"],   // the report tests run LeakyApp
            exclude: ["Golden"],       // expected outputs, read by path
            swiftSettings: strict
        ),
    ]
)
