/// How one of the spec's `securitySchemes` carries its credential; generated
/// clients list each operation's `security` alternatives in these terms.
public enum ClientSecurityScheme: Sendable, Equatable {
    /// `type: http, scheme: bearer`: `Authorization: Bearer <credential>`.
    case bearer(scheme: String)
    /// `type: http, scheme: basic`: `Authorization: Basic <credential>`
    /// (the credential is the base64 of `user:password`, already encoded).
    case basic(scheme: String)
    /// `type: apiKey, in: header`.
    case apiKeyHeader(scheme: String, name: String)
    /// `type: apiKey, in: query`.
    case apiKeyQuery(scheme: String, name: String)
    /// `type: apiKey, in: cookie`.
    case apiKeyCookie(scheme: String, name: String)

    /// The scheme's name under `components.securitySchemes`.
    public var scheme: String {
        switch self {
        case .bearer(let scheme), .basic(let scheme), .apiKeyHeader(let scheme, _), .apiKeyQuery(let scheme, _), .apiKeyCookie(let scheme, _):
            return scheme
        }
    }
}

/// The credentials a client presents, by security scheme name:
///
///     let client = Client(transport: transport, credentials: ClientCredentials(["BearerAuth": token]))
///
/// For each request the client takes the operation's first `security`
/// alternative whose every scheme has a credential here, and sends nothing
/// when none has (the server then answers its documented 401). Credentials
/// are never part of a description, a dump or a log line: every printed
/// form shows the scheme names only.
public struct ClientCredentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private var values: [String: String]

    /// `values`: scheme name → credential (a bearer token, an API key…).
    public init(_ values: [String: String] = [:]) {
        self.values = values
    }

    /// The same credentials with `scheme`'s set to `credential` (removed for nil).
    public func with(_ scheme: String, _ credential: String?) -> ClientCredentials {
        var copy = self
        copy.values[scheme] = credential
        return copy
    }

    /// Adds the credentials of the first alternative this holds them all for.
    public func authorize(_ request: inout ClientRequest, alternatives: [[ClientSecurityScheme]]) {
        guard let chosen = alternatives.first(where: { !$0.isEmpty && $0.allSatisfy { values[$0.scheme] != nil } }) else { return }
        for scheme in chosen {
            guard let credential = values[scheme.scheme] else { continue }
            switch scheme {
            case .bearer: request.headers.append(("Authorization", "Bearer " + credential))
            case .basic: request.headers.append(("Authorization", "Basic " + credential))
            case .apiKeyHeader(_, let name): request.headers.append((name, credential))
            case .apiKeyQuery(_, let name): request.appendQuery(name, credential)
            case .apiKeyCookie(_, let name): request.appendCookie(name, credential)
            }
        }
    }

    public var description: String {
        "ClientCredentials(" + values.keys.sorted().map { "\($0): ***" }.joined(separator: ", ") + ")"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror { Mirror(self, children: ["schemes": values.keys.sorted()]) }
}
