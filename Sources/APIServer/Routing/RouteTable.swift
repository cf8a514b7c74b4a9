/// Matches request paths against the spec's path templates.
///
/// As OpenAPI says, concrete paths match before templated ones: literal
/// segments are tried before template segments, and the first path of the
/// spec that the request's path matches is the one it means, so
/// `/tokens/revoke` and `/tokens/{token_id}` coexist in either order and
/// `PATCH /tokens/revoke` is a 405 for `/tokens/revoke`, not a call of
/// `PATCH /tokens/{token_id}` with the id `revoke`. The search backtracks
/// only out of dead ends (a literal branch that leads to no path at all).
/// A path that exists but not for the request's method yields the methods
/// it has, for a 405 with `Allow`. Built once at start-up; matching
/// allocates only the captured parameter values.
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
        /// The route, and the values of its template's parameters in order.
        case found(Route, parameters: [Substring])
        /// The path has routes, none for this method; `allowed` is for the `Allow` header.
        case methodNotAllowed(allowed: [String])
        /// No route has this path.
        case notFound
    }

    private let root = Node()

    /// An empty table.
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
        switch search(root, segments[...], method: method, captured: &captured) {
        case .route(let route):
            return .found(route, parameters: captured)
        case .otherMethods(var allowed):
            if allowed.contains("GET") { allowed.insert("HEAD") }
            return .methodNotAllowed(allowed: allowed.sorted())
        case .noPath:
            return .notFound
        }
    }

    private enum Search {
        case route(Route)
        /// The path exists, with these methods only.
        case otherMethods(Set<String>)
        case noPath
    }

    private func search(_ node: Node, _ rest: ArraySlice<Substring>, method: String, captured: inout [Substring]) -> Search {
        guard let segment = rest.first else {
            if node.routes.isEmpty { return .noPath }
            if let route = node.routes[method] ?? (method == "HEAD" ? node.routes["GET"] : nil) {
                return .route(route)
            }
            return .otherMethods(Set(node.routes.keys))
        }
        let remaining = rest.dropFirst()
        if let next = node.literals[segment] {
            let result = search(next, remaining, method: method, captured: &captured)
            if case .noPath = result {} else { return result }
        }
        for candidate in node.parameters {
            guard segment.count > candidate.prefix.count + candidate.suffix.count,
                  segment.hasPrefix(candidate.prefix), segment.hasSuffix(candidate.suffix) else { continue }
            let value = segment.dropFirst(candidate.prefix.count).dropLast(candidate.suffix.count)
            captured.append(value)
            let result = search(candidate.node, remaining, method: method, captured: &captured)
            if case .noPath = result {} else { return result }
            captured.removeLast()
        }
        return .noPath
    }
}
