import GraphvizRender
import HeapAnalysis
import HeapGraphModel

/// Routes an ``ExplorerRequest`` to its page, JSON or picture: everything `heapgraph serve`
/// answers, with no socket in sight (the HTTP server only carries requests here).
///
/// Pages: `/`, `/snapshots/K/types`, `/snapshots/K/types/NAME`, `/snapshots/K/objects/ID`
/// (with `/refs` and `/backrefs`, the picture in a page, and `/refs.svg`, `/backrefs.svg`), `/snapshots/K/leaks` (with `/leaks/N.svg`),
/// `/compare?from=A&to=B`; the same under `/api` as JSON. Anything else is a 404 page; a
/// Host header that is not the server's own is refused with 421 before any routing.
struct ExplorerSite: Sendable {
    let snapshots: [ExplorerSnapshot]
    let hostCheck: HostCheck

    private var pages: ExplorerPages { ExplorerPages(snapshots: snapshots) }
    private var api: ExplorerAPI { ExplorerAPI(snapshots: snapshots) }

    /// The answer to `request`; never throws, never traps on what a client sent.
    func respond(to request: ExplorerRequest) -> ExplorerResponse {
        guard hostCheck.accepts(request.host) else {
            return ExplorerResponse(status: 421, contentType: "text/plain; charset=utf-8",
                                    body: "421 Misdirected Request: this server answers only to its own address (\(hostCheck.allowed.sorted().joined(separator: ", ")))\n")
        }
        let segments = request.path.split(separator: "/", omittingEmptySubsequences: true)
            .map { String($0).removingPercentEncoding ?? String($0) }
        if segments.first == "api" {
            return respondJSON(Array(segments.dropFirst()), query: request.query)
        }
        return respondPage(segments, query: request.query)
    }

    private func notFound(_ what: String) -> ExplorerResponse {
        .html(pages.notFound(what), status: 404)
    }

    private func snapshotIndex(_ text: String) -> Int? {
        guard let index = Int(text), snapshots.indices.contains(index) else { return nil }
        return index
    }

    /// The node `text` names (`123`, `@123`, `0x7b`) in snapshot `index`.
    private func node(_ index: Int, _ text: String) -> Int? {
        guard let id = ObjectID(argument: text) else { return nil }
        return snapshots[index].node(withID: id.value)
    }

    private func comparisonPair(_ query: [String: String]) -> (Int, Int)? {
        guard let from = query["from"].flatMap(snapshotIndex), let to = query["to"].flatMap(snapshotIndex) else { return nil }
        return (from, to)
    }

    private func respondPage(_ segments: [String], query: [String: String]) -> ExplorerResponse {
        switch segments.count {
        case 0: return .html(pages.index())
        case 1 where segments[0] == "compare":
            guard let (from, to) = comparisonPair(query) else { return notFound("compare needs ?from=A&to=B, two loaded snapshots") }
            return .html(pages.comparison(from: from, to: to))
        default: break
        }
        guard segments[0] == "snapshots", let index = snapshotIndex(segments[1]) else {
            return notFound("No page at /\(segments.joined(separator: "/")).")
        }
        let rest = Array(segments.dropFirst(2))
        switch rest.count {
        case 0:
            return .html(pages.typeList(index))
        case 1 where rest[0] == "types":
            return .html(pages.typeList(index))
        case 1 where rest[0] == "leaks":
            return .html(pages.leaks(index))
        case 2 where rest[0] == "types":
            guard let page = pages.instances(index, type: rest[1], from: query["from"].flatMap { Int($0) } ?? 0) else {
                return notFound("No objects of type \(rest[1]) in \(snapshots[index].name).")
            }
            return .html(page)
        case 2 where rest[0] == "objects":
            guard let node = node(index, rest[1]) else { return notFound("No object \(rest[1]) in \(snapshots[index].name).") }
            return .html(pages.object(index, node: node))
        case 2 where rest[0] == "leaks" && rest[1].hasSuffix(".svg"):
            let groups = snapshots[index].leaks().groups
            guard let number = Int(rest[1].dropLast(4)), groups.indices.contains(number) else {
                return notFound("No leak group \(rest[1]) in \(snapshots[index].name).")
            }
            return picture(snapshots[index].graph.showLeak(groups[number], maxNodes: DOTOptions().maxNodes))
        case 3 where rest[0] == "objects" && (rest[2] == "refs.svg" || rest[2] == "backrefs.svg"):
            guard let node = node(index, rest[1]) else { return notFound("No object \(rest[1]) in \(snapshots[index].name).") }
            let graph = snapshots[index].graph
            return picture(rest[2] == "refs.svg" ? graph.showRefs([node]) : graph.showBackrefs([node]))
        case 3 where rest[0] == "objects" && (rest[2] == "refs" || rest[2] == "backrefs"):
            guard let node = node(index, rest[1]) else { return notFound("No object \(rest[1]) in \(snapshots[index].name).") }
            let graph = snapshots[index].graph
            let drawn = picture(rest[2] == "refs" ? graph.showRefs([node]) : graph.showBackrefs([node]))
            guard drawn.status == 200, let svg = InlineSVG.element(from: drawn.body, idPrefix: "picture-") else { return drawn }
            let forward = rest[2] == "refs"
            let heading = forward ? "What \(pages.objectLink(index, node)) refers to (show_refs)"
                : "What refers to \(pages.objectLink(index, node)) (show_backrefs)"
            return .html(pages.document(title: (forward ? "show_refs " : "show_backrefs ") + graph.describe(node),
                                        body: "<h1>\(heading)</h1>\n<figure>\(svg)</figure>\n", snapshot: index))
        default:
            return notFound("No page at /\(segments.joined(separator: "/")).")
        }
    }

    /// Draws `dot` to SVG through GraphvizRender.
    private func picture(_ dot: ObjectGraphDOT) -> ExplorerResponse {
        do {
            let bytes = try GraphvizRenderer().render(dot: dot.text, format: .svg)
            return .svg(String(decoding: bytes, as: UTF8.self))
        } catch {
            return .html(pages.document(title: "No picture", body: "<h1>The picture could not be drawn</h1>\n<p>\(HTMLText.escape("\(error)"))</p>\n"), status: 500)
        }
    }

    private func jsonNotFound(_ what: String) -> ExplorerResponse {
        .json((try? ReportJSON.text(["error": what])) ?? "{}", status: 404)
    }

    private func respondJSON(_ segments: [String], query: [String: String]) -> ExplorerResponse {
        do {
            switch segments.count {
            case 0:
                return .json(try api.snapshotList())
            case 1 where segments[0] == "snapshots":
                return .json(try api.snapshotList())
            case 1 where segments[0] == "compare":
                guard let (from, to) = comparisonPair(query) else { return jsonNotFound("compare needs ?from=A&to=B") }
                return .json(try api.comparison(from: from, to: to))
            default: break
            }
            guard segments[0] == "snapshots", let index = snapshotIndex(segments[1]) else { return jsonNotFound("no such resource") }
            let rest = Array(segments.dropFirst(2))
            switch rest.count {
            case 0:
                return .json(try api.types(index))
            case 1 where rest[0] == "types":
                return .json(try api.types(index))
            case 1 where rest[0] == "leaks":
                return .json(try api.leaks(index))
            case 2 where rest[0] == "types":
                guard let text = try api.instances(index, type: rest[1], from: query["from"].flatMap { Int($0) } ?? 0) else {
                    return jsonNotFound("no objects of type \(rest[1])")
                }
                return .json(text)
            case 2 where rest[0] == "objects":
                guard let node = node(index, rest[1]) else { return jsonNotFound("no object \(rest[1])") }
                return .json(try api.object(index, node: node))
            default:
                return jsonNotFound("no such resource")
            }
        } catch {
            return .json("{\"error\":\"cannot write JSON\"}", status: 500)
        }
    }
}
