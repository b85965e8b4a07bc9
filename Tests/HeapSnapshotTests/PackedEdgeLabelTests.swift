import Foundation
import Testing
import HeapGraphFormat
import HeapGraphModel

/// The graph's edge labels keep 32-bit values (node ordinals, string indexes, indexes): the
/// limits of the packing, at its edges, without making a graph of billions of nodes.
@Suite("Packed edge labels")
struct PackedEdgeLabelTests {
    static let limits: [UInt32] = [0, 1, (1 << 27) - 1, 1 << 27, 1 << 31, UInt32.max - 1, UInt32.max]

    /// Every kind, weak or not, named by text or not, keeps every value up to 2³² − 1, and
    /// gives back the record's kind byte.
    @Test(arguments: limits)
    func everyKindKeepsThirtyTwoBitValues(value: UInt32) throws {
        for kind in SnapshotFormat.EdgeKind.allCases {
            var kindBytes = [kind.rawValue, kind.rawValue | SnapshotFormat.weakBit]
            if kind == .key || kind == .attribute {
                kindBytes += [kind.rawValue | SnapshotFormat.textNameBit,
                              kind.rawValue | SnapshotFormat.textNameBit | SnapshotFormat.weakBit]
            }
            for kindByte in kindBytes {
                let label = try #require(PackedEdgeLabel(kindByte: kindByte, value: value))
                #expect(label.payload == value)
                #expect(label.value == Int(value))
                #expect(label.kind == kind)
                #expect(label.isWeak == (kindByte & SnapshotFormat.weakBit != 0))
                #expect(label.nameIsText == (kindByte & SnapshotFormat.textNameBit != 0))
                #expect(label.kindByte == kindByte)
                // The two columns alone give the same label back.
                #expect(PackedEdgeLabel(code: label.code, payload: label.payload) == label)
            }
        }
    }

    @Test func undefinedKindBytesAreRefused() {
        #expect(PackedEdgeLabel(kindByte: 9, value: 0) == nil)
        #expect(PackedEdgeLabel(kindByte: SnapshotFormat.EdgeKind.named.rawValue | SnapshotFormat.textNameBit, value: 0) == nil)
    }

    /// Indexes past the old 27-bit limit go through the builder, the `.heapgraph` writer and
    /// reader unchanged; past 2³² − 1 they are clamped, as the record's field is 32 bits.
    @Test func largeIndexesSurviveTheBuilderAndTheFile() throws {
        var builder = HeapGraphBuilder()
        let list = builder.node("list", kind: .array)
        let item = builder.node("int", kind: .number)
        builder.edge(from: list, to: item, .index(1 << 27))
        builder.edge(from: list, to: item, .index(Int(UInt32.max)))
        builder.edge(from: list, to: item, .hidden(3_000_000_000))
        builder.edge(from: list, to: item, .index(1 << 40))
        let expected = [1 << 27, Int(UInt32.max), 3_000_000_000, Int(UInt32.max)]
        #expect(builder.build().edges(of: list).map(\.value) == expected)

        let path = temporaryPath("large-indexes.heapgraph")
        try builder.write(to: path)
        let read = try HeapSnapshot(contentsOf: path)
        #expect(read.edges(of: list).map(\.value) == expected)
        #expect(read.edges(of: list).map(\.kind) == [.index, .index, .hidden, .index])
    }

    /// A V8 element index above 2²⁷ is kept, not clamped.
    @Test func largeV8ElementIndexesAreKept() throws {
        let text = V8SnapshotReaderTests.node20.replacingOccurrences(of: "\"edges\":[1,1,7,", with: "\"edges\":[1,4000000000,7,")
        #expect(text != V8SnapshotReaderTests.node20)
        let graph = try V8SnapshotReaderTests.read(text, name: "large-element.heapsnapshot")
        #expect(graph.edges(of: 0).first?.value == 4_000_000_000)
        #expect(graph.edges(of: 0).first?.kind == .index)
    }
}
