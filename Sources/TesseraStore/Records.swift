import Foundation
import TesseraCore

public enum UserKind: String, Sendable { case user = "USER", serviceUser = "SERVICE_USER" }
public enum Role: String, Sendable { case admin = "ADMIN", member = "MEMBER" }
public enum AccessLevel: String, Sendable { case readOnly = "READ_ONLY", fullAccess = "FULL_ACCESS" }

/// A person or a service user (they share one id space).
public struct UserRecord: Sendable, Equatable {
    public var id: UUID
    public var kind: UserKind
    public var email: String?
    /// A human's full name or a service user's name.
    public var name: String
    public var firstName: String
    public var lastName: String
    public var position: String
    public var description: String
    public var role: Role
    public var createdAt: Milliseconds
    public var deactivatedAt: Milliseconds?
    /// The position in list order (keyset pages).
    package var seq: Int64

    public var isActive: Bool { deactivatedAt == nil }

    package init(seq: Int64, id: UUID, kind: UserKind, email: String?, name: String, firstName: String, lastName: String,
                 position: String, description: String, role: Role, createdAt: Milliseconds, deactivatedAt: Milliseconds?) {
        self.seq = seq
        self.id = id
        self.kind = kind
        self.email = email
        self.name = name
        self.firstName = firstName
        self.lastName = lastName
        self.position = position
        self.description = description
        self.role = role
        self.createdAt = createdAt
        self.deactivatedAt = deactivatedAt
    }

    /// The columns both backends select, in the order they read them.
    package static let columns = "seq, id, kind, email, name, first_name, last_name, position, description, role, created_at, deactivated_at"
}

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

/// An exchanged access token (`tsa_`): it acts as its parent key.
public struct AccessTokenRecord: Sendable, Equatable {
    public var id: UUID
    public var parentID: UUID
    public var createdAt: Milliseconds
    public var expiresAt: Milliseconds

    package init(id: UUID, parentID: UUID, createdAt: Milliseconds, expiresAt: Milliseconds) {
        self.id = id
        self.parentID = parentID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// The organization's settings.
public struct SettingsRecord: Sendable, Equatable {
    public var allowAllUsersToCreatePATs: Bool
    public var maxTokenLifetimeDays: Int?
    public var accessTokenTTLSeconds: Int
    /// How long events are kept; nil keeps them all.
    public var eventRetentionDays: Int?

    public init(allowAllUsersToCreatePATs: Bool = false, maxTokenLifetimeDays: Int? = nil, accessTokenTTLSeconds: Int = 3600,
                eventRetentionDays: Int? = 400) {
        self.allowAllUsersToCreatePATs = allowAllUsersToCreatePATs
        self.maxTokenLifetimeDays = maxTokenLifetimeDays
        self.accessTokenTTLSeconds = accessTokenTTLSeconds
        self.eventRetentionDays = eventRetentionDays
    }
}

/// One audit-trail entry.
public struct EventRecord: Sendable, Equatable {
    public var id: UUID
    public var eventType: EventType
    public var actor: Actor
    public var objectID: UUID?
    public var objectType: String?
    public var objectName: String?
    public var createdAt: Milliseconds
    /// Context in words: a leak report's source and URL, a grace period.
    public var detail: String?

    package init(id: UUID, eventType: EventType, actor: Actor, objectID: UUID?, objectType: String?, objectName: String?,
                 createdAt: Milliseconds, detail: String?) {
        self.detail = detail
        self.id = id
        self.eventType = eventType
        self.actor = actor
        self.objectID = objectID
        self.objectType = objectType
        self.objectName = objectName
        self.createdAt = createdAt
    }

    /// The columns both backends select, in the order they read them.
    package static let columns = """
        seq, id, event_type, actor_user_id, actor_name, actor_email, actor_ip_address, \
        api_token_name, api_token_preview, object_id, object_type, object_name, created_at, detail
        """
}

/// Who did something: the user, the token they acted with, and from where.
/// Recorded with every change.
public struct Actor: Sendable, Equatable {
    public var userID: UUID
    public var name: String
    public var email: String?
    public var ipAddress: String?
    /// The acting token's label and preview (its parent key's, for an
    /// exchanged access token); nil for the command line.
    public var tokenName: String?
    public var tokenPreview: String?

    public init(userID: UUID, name: String, email: String?, ipAddress: String?, tokenName: String?, tokenPreview: String?) {
        self.userID = userID
        self.name = name
        self.email = email
        self.ipAddress = ipAddress
        self.tokenName = tokenName
        self.tokenPreview = tokenPreview
    }
}

extension Actor {
    /// `tessera bootstrap`, run on the server's machine: no token, no
    /// address. Events need a user id; it is the admin the command acts for.
    public static func commandLine(userID: UUID) -> Actor {
        Actor(userID: userID, name: "tessera bootstrap (command line)", email: nil, ipAddress: nil, tokenName: nil, tokenPreview: nil)
    }
}

/// What an event is about.
public struct EventObject: Sendable {
    public var id: UUID
    public var type: String
    public var name: String?

    public init(id: UUID, type: String, name: String?) {
        self.id = id
        self.type = type
        self.name = name
    }
}

/// `columns` ("a, b") with each prefixed by `alias` ("t.a, t.b").
package func qualify(_ columns: String, _ alias: String) -> String {
    columns.split(separator: ",").map { "\(alias)." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", ")
}
