import Foundation

/// The one JSON style of every command (docs/cli.md): compact, keys sorted, `/` unescaped.
enum ReportJSON {
    static func text<Value: Encodable>(_ value: Value) throws(CommandFailure) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do { return String(decoding: try encoder.encode(value), as: UTF8.self) } catch {
            throw CommandFailure("cannot write JSON: \(error)")
        }
    }
}
