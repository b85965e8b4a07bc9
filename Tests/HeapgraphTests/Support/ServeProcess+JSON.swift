import Foundation
import Testing

extension ServeProcess {
    /// A JSON answer of the server, parsed.
    func json(_ path: String) throws -> Any {
        let answer = try get(path)
        try #require(answer.status == 200, "\(path): \(answer.status)")
        return try JSONSerialization.jsonObject(with: Data(answer.body.utf8))
    }
}
