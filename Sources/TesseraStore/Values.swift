import Foundation
import TesseraCore

/// A token to store: only the SHA-256 of its secret and the secret's
/// last five characters are kept.
public struct NewToken: Sendable {
    /// `.personal` for a person, `.service` for a service user.
    public var kind: TokenKind
    public var userID: UUID
    public var creatorUserID: UUID
    public var label: String
    public var accessLevel: AccessLevel
    public var digest: [UInt8]
    public var preview: String
    public var expiresAt: Milliseconds?

    public init(kind: TokenKind, userID: UUID, creatorUserID: UUID, label: String, accessLevel: AccessLevel,
                digest: [UInt8], preview: String, expiresAt: Milliseconds?) {
        self.kind = kind
        self.userID = userID
        self.creatorUserID = creatorUserID
        self.label = label
        self.accessLevel = accessLevel
        self.digest = digest
        self.preview = preview
        self.expiresAt = expiresAt
    }
}

/// What a secret authenticates as: its token (for an access token, its
/// parent key), the owner, and the access token itself when exchanged.
public struct Credential: Sendable {
    public var token: TokenRecord
    public var user: UserRecord
    public var accessToken: AccessTokenRecord?
    /// The secret is the token's previous one, in its grace period (it
    /// works until `token.previousSecretExpiresAt`).
    public var isPreviousSecret: Bool

    package init(token: TokenRecord, user: UserRecord, accessToken: AccessTokenRecord?, isPreviousSecret: Bool = false) {
        self.token = token
        self.user = user
        self.accessToken = accessToken
        self.isPreviousSecret = isPreviousSecret
    }
}

/// A regeneration's grace period: the replaced secret keeps working until
/// `until` (already capped at the token's expiry).
public struct GracePeriod: Sendable {
    public var seconds: Int
    public var until: Milliseconds

    public init(seconds: Int, until: Milliseconds) {
        self.seconds = seconds
        self.until = until
    }
}

/// A new person.
public struct NewUser: Sendable {
    public var email: String
    public var fullName: String
    public var firstName: String
    public var lastName: String
    public var position: String
    public var role: Role

    public init(email: String, fullName: String, firstName: String = "", lastName: String = "", position: String = "", role: Role) {
        self.email = email
        self.fullName = fullName
        self.firstName = firstName
        self.lastName = lastName
        self.position = position
        self.role = role
    }
}

/// The audit trail: every change writes its event in the change's own
/// transaction.
public enum EventType: String, Sendable, CaseIterable {
    case apiTokenCreated = "API_TOKEN_CREATED"
    case apiTokenUpdated = "API_TOKEN_UPDATED"
    case apiTokenDeleted = "API_TOKEN_DELETED"
    case apiTokenRegenerated = "API_TOKEN_REGENERATED"
    case accessTokenIssued = "ACCESS_TOKEN_ISSUED"
    case usersCreated = "USERS_CREATED"
    case userDeactivated = "USER_DEACTIVATED"
    case serviceUserCreated = "SERVICE_USER_CREATED"
    case serviceUserDeleted = "SERVICE_USER_DELETED"
    case settingsUpdated = "SETTINGS_UPDATED"
    /// Revoked by whoever held the secret (`POST /tokens/revoke`).
    case apiTokenRevoked = "API_TOKEN_REVOKED"
    /// Revoked because a secret-scanning partner reported it leaked.
    case apiTokenLeaked = "API_TOKEN_LEAKED"
}

/// Who revoked a secret without signing in: its holder, or a secret
/// scanner that found it. Its event names the token's owner as the actor's
/// user, `name` as the actor's name.
public struct SecretRevocation: Sendable {
    public var name: String
    public var ipAddress: String?
    public var event: EventType
    public var detail: String?

    public init(name: String, ipAddress: String?, event: EventType, detail: String?) {
        self.name = name
        self.ipAddress = ipAddress
        self.event = event
        self.detail = detail
    }
}

/// One secret for `revokeSecrets`: the SHA-256 of its text, whether it is
/// an access token's (`tsa_`), and who revokes it.
public struct SecretToRevoke: Sendable {
    public var digest: [UInt8]
    public var access: Bool
    public var revocation: SecretRevocation

    public init(digest: [UInt8], access: Bool, revocation: SecretRevocation) {
        self.digest = digest
        self.access = access
        self.revocation = revocation
    }
}

/// What `revokeSecrets` revoked for one secret.
public enum RevokedSecret: Sendable, Equatable {
    /// An API token, with its access tokens.
    case token(TokenRecord)
    /// One access token; its key lives on.
    case accessToken(AccessTokenRecord)
    /// A token's previous secret, still in its rotation grace period: the
    /// grace ends now; the token and its current secret live on.
    case previousSecret(TokenRecord)
}

extension SecretRevocation {
    /// The actor of the revocation's event: the token's owner, named as
    /// whoever revoked it, from their address.
    package func actor(for token: TokenRecord) -> EventActor {
        EventActor(userID: token.userID, name: name, email: nil, ipAddress: ipAddress, tokenName: nil, tokenPreview: nil)
    }

    /// The event's detail when the secret was a token's previous one.
    package var previousSecretDetail: String {
        [detail, "the previous secret, in its rotation grace period"].compactMap { $0 }.joined(separator: "; ")
    }
}

/// The filters of `GET /events` (Opal's); nil means no filter.
public struct EventFilter: Sendable {
    /// Inclusive bounds, in milliseconds.
    public var start: Milliseconds?
    public var end: Milliseconds?
    public var actorUserID: UUID?
    public var objectID: UUID?
    public var eventType: EventType?
    /// `LABEL:PREVIEW` of the acting token.
    public var tokenName: String?
    public var tokenPreview: String?

    public init(start: Milliseconds? = nil, end: Milliseconds? = nil, actorUserID: UUID? = nil, objectID: UUID? = nil,
                eventType: EventType? = nil, tokenName: String? = nil, tokenPreview: String? = nil) {
        self.start = start
        self.end = end
        self.actorUserID = actorUserID
        self.objectID = objectID
        self.eventType = eventType
        self.tokenName = tokenName
        self.tokenPreview = tokenPreview
    }
}

/// A value a filter compares a column with, in a backend-neutral form.
package enum FilterValue: Sendable {
    case text(String)
    case integer(Int64)
}

extension EventFilter {
    /// The filters present, as `column operator` and the value to compare
    /// with; each backend adds its own placeholder.
    package var conditions: [(sql: String, value: FilterValue)] {
        var conditions: [(sql: String, value: FilterValue)] = []
        if let start { conditions.append(("created_at >=", .integer(start))) }
        if let end { conditions.append(("created_at <=", .integer(end))) }
        if let actorUserID { conditions.append(("actor_user_id =", .text(actorUserID.text))) }
        if let objectID { conditions.append(("object_id =", .text(objectID.text))) }
        if let eventType { conditions.append(("event_type =", .text(eventType.rawValue))) }
        if let tokenName { conditions.append(("api_token_name =", .text(tokenName))) }
        if let tokenPreview { conditions.append(("api_token_preview =", .text(tokenPreview))) }
        return conditions
    }
}
