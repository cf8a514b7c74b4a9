import Hummingbird

/// One scheme of a security requirement, with the scopes it must grant.
public struct SecurityScope: Sendable, Equatable {
    /// The security scheme's name in `components.securitySchemes`.
    public var scheme: String
    /// The scopes the principal must hold (OAuth scopes, or the service's own meaning).
    public var scopes: [String]

    /// A requirement of `scheme` with `scopes`.
    public init(_ scheme: String, scopes: [String] = []) {
        self.scheme = scheme
        self.scopes = scopes
    }
}

/// Turns a request's credentials into a principal, and says which scopes a
/// principal holds. Hand-written by the service; the generated routes call
/// it before anything else, as the spec's `security` says. It sees the
/// whole `APIRequest`: the Hummingbird request (`request.request`) and
/// where it comes from (`clientAddress`, `clientAddressKey`).
///
///     struct TokenAuthenticator: APIAuthenticator {
///         func authenticate(scheme: String, request: APIRequest) async throws -> Caller? { ... }
///         func principal(_ caller: Caller, grants scope: String, request: APIRequest) -> Bool { ... }
///     }
public protocol APIAuthenticator<Principal>: Sendable {
    /// What the service makes of valid credentials (a user, a key); handlers read it from `context.principal`.
    associatedtype Principal: Sendable

    /// The principal for the credentials `scheme` (named as in the spec)
    /// finds in the request; nil when they are absent or not valid.
    func authenticate(scheme: String, request: APIRequest) async throws -> Principal?

    /// Whether `principal` holds `scope` (as the spec names it) for this request.
    func principal(_ principal: Principal, grants scope: String, request: APIRequest) -> Bool

    /// The `WWW-Authenticate` value of a 401, if any.
    var challenge: String? { get }

    /// The message of a 401 (default: ``APIError/unauthorizedMessage``).
    var unauthorizedMessage: String { get }
}

extension APIAuthenticator {
    /// No `WWW-Authenticate` by default.
    public var challenge: String? { nil }

    /// ``APIError/unauthorizedMessage`` by default.
    public var unauthorizedMessage: String { APIError.unauthorizedMessage }

    /// Applies an operation's security alternatives (any one may pass; an
    /// empty alternative means anonymous access). Throws 401 when no
    /// alternative's credentials are valid, 403 when valid credentials lack a
    /// scope. Returns the principal of the alternative that passed.
    @inlinable
    public func authorize(_ alternatives: [[SecurityScope]], request: APIRequest) async throws -> Principal? {
        guard !alternatives.isEmpty else { return nil }
        var lacksScope = false
        var allowsAnonymous = false
        for alternative in alternatives {
            if alternative.isEmpty {
                allowsAnonymous = true
                continue
            }
            var principal: Principal?
            var passed = true
            for requirement in alternative {
                guard let found = try await authenticate(scheme: requirement.scheme, request: request) else {
                    passed = false
                    break
                }
                principal = found
                if !requirement.scopes.allSatisfy({ self.principal(found, grants: $0, request: request) }) {
                    lacksScope = true
                    passed = false
                    break
                }
            }
            if passed { return principal }
        }
        if allowsAnonymous { return nil }
        if lacksScope {
            throw APIError(.forbidden, "These credentials do not allow this operation.")
        }
        throw APIError(.unauthorized, unauthorizedMessage, headers: challenge.map { [(name: "WWW-Authenticate", value: $0)] } ?? [])
    }
}

extension APIError {
    /// The default message of a 401 from an operation's `security`.
    public static let unauthorizedMessage = "Authentication is required, and the request carries no valid credentials."
}

/// The authenticator of an API without credentials: it finds none in any
/// request, so an operation with `security: []` (or none declared) runs
/// and one that requires credentials answers 401. Its `Principal` is
/// `Never`: no handler ever receives one.
///
///     struct PetStore: APIProtocol {
///         typealias Principal = Never
///         ...
///     }
///     let routes = PetStore().routes(authenticator: OpenAccess())
public struct OpenAccess: APIAuthenticator {
    /// No principal: no credentials are ever accepted.
    public typealias Principal = Never

    /// An authenticator that accepts no credentials.
    public init() {}

    /// Always nil: there are no credentials to accept.
    public func authenticate(scheme: String, request: APIRequest) async throws -> Never? { nil }

    /// Never called: there is no principal.
    public func principal(_ principal: Never, grants scope: String, request: APIRequest) -> Bool {}
}
