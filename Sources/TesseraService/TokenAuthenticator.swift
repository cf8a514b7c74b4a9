import APIServer
import Hummingbird
import TesseraStore

/// The spec's `BearerAuth`: `Authorization: Bearer <secret>` or
/// `Authorization: token <secret>` (scheme case-insensitive). Scopes:
/// `admin` = the owner's role is ADMIN (a member's token never has it);
/// `write` = the token is FULL_ACCESS (READ_ONLY tokens only GET);
/// `credentials` = the caller may manage API tokens: it presents an API
/// token (never an exchanged access token, so a leaked short-lived token
/// cannot mint a long-lived one or take over its parent key), and is a
/// person or an ADMIN service user (a member service user's keys are
/// issued, rotated and revoked by admins).
struct TokenAuthenticator: APIAuthenticator {
    let verifier: TokenVerifier
    let clock: TesseraClock

    var challenge: String? { APIError.invalidTokenChallenge }

    var unauthorizedMessage: String { APIError.invalidCredentialsMessage }

    func authenticate(scheme: String, request: APIRequest) async throws -> Caller? {
        guard scheme == "BearerAuth" else { return nil }
        guard let header = request.request.headers[.authorization] else {
            verifier.metrics.authenticationFailed(.missing)
            return nil
        }
        guard let secret = Self.credential(in: header) else {
            verifier.metrics.authenticationFailed(.malformed)
            return nil
        }
        return try await verifier.verify(secret, now: clock.now(), from: request)
    }

    func principal(_ caller: Caller, grants scope: String, request: APIRequest) -> Bool {
        switch scope {
        case "admin": caller.user.role == .admin
        case "write": caller.token.accessLevel == .fullAccess
        case "credentials": caller.accessTokenExpiresAt == nil && (caller.user.kind == .user || caller.isAdmin)
        default: false
        }
    }

    /// The secret after `Bearer ` or `token ` (any case, spaces around).
    static func credential(in header: String) -> Substring? {
        let trimmed = header.drop { $0 == " " }
        guard let space = trimmed.firstIndex(of: " ") else { return nil }
        let scheme = trimmed[..<space].lowercased()
        guard scheme == "bearer" || scheme == "token" else { return nil }
        var secret = trimmed[space...].drop { $0 == " " }
        while secret.last == " " { secret = secret.dropLast() }
        return secret.isEmpty ? nil : secret
    }
}
