import TesseraStore

/// Who is calling: the owner of the presented secret and the key it acts
/// as. For an exchanged access token, `token` is the parent key and
/// `accessTokenExpiresAt` is set.
public struct Caller: Sendable {
    public let user: UserRecord
    public let token: TokenRecord
    public let accessTokenExpiresAt: Milliseconds?
    /// The key's in-memory last use.
    let usage: TokenUsage

    public var isAdmin: Bool { user.role == .admin }

    /// The actor of the events this caller causes: the acting token is the
    /// key (an access token is attributed to its parent key).
    func actor(ipAddress: String?) -> Actor {
        Actor(userID: user.id, name: user.name, email: user.email, ipAddress: ipAddress,
              tokenName: token.label, tokenPreview: token.preview)
    }
}
