// swift-tools-version: 6.2
// HeapGraph: a managed object heap with CPython's memory model (HeapRuntime),
// and the tools that turn its graph into leak reports and pictures.
//
// Layers, each depending only on those above it:
//   1. HeapRuntime     objects, ownership, allocator, collector, introspection
//   2. snapshot graph  the file format and the compact graph
//   3. HeapAnalysis    queries, reports, DOT
//   4. GraphvizRender  pictures, over the CGraphviz system library
//   5. front ends      heapgraph, minipy, HeapTesting, samples
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
        .library(name: "HeapRuntime", targets: ["HeapRuntime"]),
        .library(name: "HeapSnapshot", targets: ["HeapSnapshot"]),
        .library(name: "HeapAnalysis", targets: ["HeapAnalysis"]),
        .library(name: "GraphvizRender", targets: ["GraphvizRender"]),
        .executable(name: "heapgraph", targets: ["heapgraph"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Layer 1
        .target(name: "HeapRuntime", swiftSettings: strict),

        // Layer 2
        .target(name: "HeapSnapshot", dependencies: ["HeapRuntime"], swiftSettings: strict),

        // Layer 3
        .target(name: "HeapAnalysis", dependencies: ["HeapSnapshot"], swiftSettings: strict),

        // Layer 4
        .systemLibrary(
            name: "CGraphviz",
            pkgConfig: "libgvc",
            providers: [.apt(["libgraphviz-dev"])]
        ),
        .target(name: "GraphvizRender", dependencies: ["CGraphviz"], swiftSettings: strict),

        // Layer 5
        .executableTarget(
            name: "heapgraph",
            dependencies: [
                "HeapSnapshot", "HeapAnalysis", "GraphvizRender",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
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
            dependencies: ["BenchmarkSupport", "HeapRuntime", "HeapSnapshot"],
            path: "Benchmarks/SnapshotBenchmarks",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "ObjgraphBenchmarks",
            dependencies: ["BenchmarkSupport", "HeapRuntime", "HeapSnapshot", "HeapAnalysis"],
            path: "Benchmarks/ObjgraphBenchmarks",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "LeakBenchmarks",
            dependencies: ["HeapRuntime", "HeapSnapshot", "HeapAnalysis"],
            path: "Benchmarks/LeakBenchmarks",
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
            dependencies: ["HeapRuntime", "LeakyApp", "ReadmeExample"],   // the samples are run as programs
            swiftSettings: strict
        ),
        .testTarget(name: "HeapSnapshotTests", dependencies: ["HeapSnapshot", "HeapRuntime"], swiftSettings: strict),
        .testTarget(name: "HeapAnalysisTests", dependencies: ["HeapAnalysis", "HeapSnapshot", "HeapRuntime"], swiftSettings: strict),
        .testTarget(name: "GraphvizRenderTests", dependencies: ["GraphvizRender"], swiftSettings: strict),
        .testTarget(
            name: "HeapgraphTests",
            dependencies: ["heapgraph", "HeapRuntime", "HeapSnapshot"],
            exclude: ["Golden"],       // expected outputs, read by path
            swiftSettings: strict
        ),
    ]
)
