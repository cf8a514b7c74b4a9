/// What a secret is for; its raw value is the secret's prefix.
public enum TokenKind: String, Sendable, CaseIterable {
    /// A human's API token.
    case personal = "tsp"
    /// A service user's key.
    case service = "tss"
    /// A short-lived access token from an exchange.
    case access = "tsa"
}
