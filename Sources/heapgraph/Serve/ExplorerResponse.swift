/// What the explorer answers: a status, a media type and the body's text.
struct ExplorerResponse: Sendable, Equatable {
    var status: Int
    var contentType: String
    var body: String

    static func html(_ body: String, status: Int = 200) -> ExplorerResponse {
        ExplorerResponse(status: status, contentType: "text/html; charset=utf-8", body: body)
    }

    static func json(_ body: String, status: Int = 200) -> ExplorerResponse {
        ExplorerResponse(status: status, contentType: "application/json", body: body)
    }

    static func svg(_ body: String) -> ExplorerResponse {
        ExplorerResponse(status: 200, contentType: "image/svg+xml", body: body)
    }
}
