import TesseraAPI
import TesseraStore

/// Who is calling: the owner of the presented secret and the key it acts
/// as. For an exchanged access token, `token` is the parent key and
/// `accessTokenExpiresAt` is set.
///
/// A class, immutable: the verifier caches one per secret and every request
/// with that secret shares it, so passing it along the request costs one
/// reference count instead of copying two records' strings.
public final class Caller: Sendable {
    public let user: UserRecord
    public let token: TokenRecord
    public let accessTokenExpiresAt: Milliseconds?
    /// Set when the secret is the key's previous one, in a regeneration's
    /// grace period: it works until then.
    public let previousSecretExpiresAt: Milliseconds?
    /// The key's in-memory last use.
    let usage: TokenUsage
    /// The owner and key as `GET /self` publishes them, made once (ids
    /// parsed once) with the key's stored `last_used_at`.
    let published: (identity: Schemas.Identity, token: Schemas.Token)

    init(user: UserRecord, token: TokenRecord, accessTokenExpiresAt: Milliseconds?, previousSecretExpiresAt: Milliseconds? = nil,
         usage: TokenUsage) {
        self.user = user
        self.token = token
        self.accessTokenExpiresAt = accessTokenExpiresAt
        self.previousSecretExpiresAt = previousSecretExpiresAt
        self.usage = usage
        published = (TokenService.identity(user), TokenService.token(token, recentUse: nil, now: 0))
    }

    public var isAdmin: Bool { user.role == .admin }

    /// The actor of the events this caller causes: the acting token is the
    /// key (an access token is attributed to its parent key).
    func actor(ipAddress: String?) -> EventActor {
        EventActor(userID: user.id, name: user.name, email: user.email, ipAddress: ipAddress,
              tokenName: token.label, tokenPreview: token.preview)
    }
}
