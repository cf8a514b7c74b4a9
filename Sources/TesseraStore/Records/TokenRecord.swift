import Foundation
import TesseraCore

/// What a token may do: read only, or everything its owner may.
public enum AccessLevel: String, Sendable { case readOnly = "READ_ONLY", fullAccess = "FULL_ACCESS" }

/// An API token (personal `tsp_` or service key `tss_`); never its secret,
/// only the secret's SHA-256.
public struct TokenRecord: Sendable, Equatable {
    public var id: UUID
    /// `.personal` or `.service` (access tokens are `AccessTokenRecord`s).
    public var kind: TokenKind
    public var userID: UUID
    public var creatorUserID: UUID
    public var label: String
    public var accessLevel: AccessLevel
    public var preview: String
    public var createdAt: Milliseconds
    public var expiresAt: Milliseconds?
    public var lastUsedAt: Milliseconds?
    /// The SHA-256 of the token's current secret: which secret this record
    /// was read with, so a change can require that it is still current.
    public var digest: [UInt8]
    /// Until when the secret a regeneration replaced keeps working (its
    /// grace period); nil when there is none.
    public var previousSecretExpiresAt: Milliseconds?
    /// The last client addresses that used the token (or its access
    /// tokens), newest first, distinct, at most `LastUsedIPs.limit`.
    public var lastUsedIPs: [String]
    /// The position in list order (keyset pages).
    package var seq: Int64

    package init(seq: Int64, id: UUID, kind: TokenKind, userID: UUID, creatorUserID: UUID, label: String, accessLevel: AccessLevel,
                 preview: String, createdAt: Milliseconds, expiresAt: Milliseconds?, lastUsedAt: Milliseconds?, digest: [UInt8],
                 previousSecretExpiresAt: Milliseconds?, lastUsedIPs: [String] = []) {
        self.previousSecretExpiresAt = previousSecretExpiresAt
        self.seq = seq
        self.id = id
        self.kind = kind
        self.userID = userID
        self.creatorUserID = creatorUserID
        self.label = label
        self.accessLevel = accessLevel
        self.preview = preview
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
        self.digest = digest
        self.lastUsedIPs = lastUsedIPs
    }

    /// The columns both backends select, in the order they read them.
    package static let columns = """
        seq, id, kind, user_id, creator_user_id, label, access_level, preview, created_at, expires_at, last_used_at, digest, \
        previous_secret_expires_at, last_used_ips
        """
    package static let qualifiedColumns = qualify(columns, "t")
    /// How many columns `columns` reads (where the next record's start in a join).
    package static let columnCount = columns.split(separator: ",").count

    public func isExpired(at now: Milliseconds) -> Bool { expiresAt.map { $0 <= now } ?? false }
}
