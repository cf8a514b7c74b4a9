/// Matches request paths against the spec's path templates.
///
/// Literal segments are tried before template segments, and the search
/// backtracks, so `/users/me` and `/users/{id}` coexist in either order and
/// `DELETE /users/me` still reaches `DELETE /users/{id}`. A path that matches
/// a template but not for the request's method yields the methods that would
/// match, for a 405 with `Allow`. Built once at start-up; matching allocates
/// only the captured parameter values.
public struct RouteTable<Route: Sendable>: Sendable {
    /// One segment of a template: literal text, or `prefix{name}suffix`.
    enum Segment: Sendable, Equatable {
        case literal(Substring)
        case parameter(prefix: Substring, suffix: Substring)
    }

    final class Node: @unchecked Sendable {
        // Mutated only while the table is built, then read-only.
        var literals: [Substring: Node] = [:]
        var parameters: [(prefix: Substring, suffix: Substring, node: Node)] = []
        var routes: [String: Route] = [:]
    }

    /// The outcome of matching one request.
    public enum Match {
        case found(Route, parameters: [Substring])
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    private let root = Node()

    public init() {}

    /// Adds `route` for `method` (`GET`) at `template` (`/v1/tokens/{token_id}`).
    /// Parameter values are captured in template order.
    public mutating func add(method: String, template: String, route: Route) {
        var node = root
        for segment in Self.segments(of: template) {
            switch segment {
            case .literal(let text):
                if let next = node.literals[text] {
                    node = next
                } else {
                    let next = Node()
                    node.literals[text] = next
                    node = next
                }
            case .parameter(let prefix, let suffix):
                if let existing = node.parameters.first(where: { $0.prefix == prefix && $0.suffix == suffix }) {
                    node = existing.node
                } else {
                    let next = Node()
                    node.parameters.append((prefix, suffix, next))
                    // Longer fixed parts are more specific: try them first.
                    node.parameters.sort { ($0.prefix.count + $0.suffix.count) > ($1.prefix.count + $1.suffix.count) }
                    node = next
                }
            }
        }
        node.routes[method] = route
    }

    static func segments(of template: String) -> [Segment] {
        template.split(separator: "/").map { part in
            guard let open = part.firstIndex(of: "{"), let close = part[open...].firstIndex(of: "}") else {
                return .literal(part)
            }
            return .parameter(prefix: part[..<open], suffix: part[part.index(after: close)...])
        }
    }

    /// Matches `path` (without query) for `method`; `HEAD` falls back to `GET`.
    /// Paths match only as written: one `/` between segments, none at the
    /// end (`//v1/self`, `/v1//self` and `/v1/self/` are not `/v1/self`), so
    /// a proxy's path rules in front of the server mean what they say.
    public func match(method: String, path: Substring) -> Match {
        guard path.first == "/" else { return .notFound }
        let segments = path == "/" ? [] : path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        if segments.contains(where: \.isEmpty) { return .notFound }
        var captured: [Substring] = []
        var allowed: Set<String> = []
        if let route = search(root, segments[...], method: method, captured: &captured, allowed: &allowed) {
            return .found(route, parameters: captured)
        }
        if allowed.isEmpty { return .notFound }
        if allowed.contains("GET") { allowed.insert("HEAD") }
        return .methodNotAllowed(allowed: allowed.sorted())
    }

    private func search(_ node: Node, _ rest: ArraySlice<Substring>, method: String, captured: inout [Substring], allowed: inout Set<String>) -> Route? {
        guard let segment = rest.first else {
            if let route = node.routes[method] ?? (method == "HEAD" ? node.routes["GET"] : nil) {
                return route
            }
            allowed.formUnion(node.routes.keys)
            return nil
        }
        let remaining = rest.dropFirst()
        if let next = node.literals[segment], let route = search(next, remaining, method: method, captured: &captured, allowed: &allowed) {
            return route
        }
        for candidate in node.parameters {
            guard segment.count > candidate.prefix.count + candidate.suffix.count,
                  segment.hasPrefix(candidate.prefix), segment.hasSuffix(candidate.suffix) else { continue }
            let value = segment.dropFirst(candidate.prefix.count).dropLast(candidate.suffix.count)
            captured.append(value)
            if let route = search(candidate.node, remaining, method: method, captured: &captured, allowed: &allowed) {
                return route
            }
            captured.removeLast()
        }
        return nil
    }
}
