import Foundation
import GRDB

public enum UserKind: String, Sendable { case user = "USER", serviceUser = "SERVICE_USER" }
public enum Role: String, Sendable { case admin = "ADMIN", member = "MEMBER" }
public enum AccessLevel: String, Sendable { case readOnly = "READ_ONLY", fullAccess = "FULL_ACCESS" }

/// A person or a service user (they share one id space).
public struct UserRecord: Sendable, Equatable {
    public var id: String
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
    var seq: Int64

    public var isActive: Bool { deactivatedAt == nil }

    init(row: Row) {
        seq = row["seq"]
        id = row["id"]
        kind = UserKind(rawValue: row["kind"]) ?? .user
        email = row["email"]
        name = row["name"]
        firstName = row["first_name"]
        lastName = row["last_name"]
        position = row["position"]
        description = row["description"]
        role = Role(rawValue: row["role"]) ?? .member
        createdAt = row["created_at"]
        deactivatedAt = row["deactivated_at"]
    }

    static let columns = "seq, id, kind, email, name, first_name, last_name, position, description, role, created_at, deactivated_at"
}

/// An API token (personal `tsp_` or service key `tss_`); never its secret,
/// only the secret's SHA-256.
public struct TokenRecord: Sendable, Equatable {
    public var id: String
    public var kind: String
    public var userID: String
    public var creatorUserID: String
    public var label: String
    public var accessLevel: AccessLevel
    public var preview: String
    public var createdAt: Milliseconds
    public var expiresAt: Milliseconds?
    public var lastUsedAt: Milliseconds?
    var seq: Int64

    init(row: Row) {
        seq = row["seq"]
        id = row["id"]
        kind = row["kind"]
        userID = row["user_id"]
        creatorUserID = row["creator_user_id"]
        label = row["label"]
        accessLevel = AccessLevel(rawValue: row["access_level"]) ?? .readOnly
        preview = row["preview"]
        createdAt = row["created_at"]
        expiresAt = row["expires_at"]
        lastUsedAt = row["last_used_at"]
    }

    static let columns = "seq, id, kind, user_id, creator_user_id, label, access_level, preview, created_at, expires_at, last_used_at"
    static let qualifiedColumns = columns.split(separator: ",").map { "t." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")

    public func isExpired(at now: Milliseconds) -> Bool { expiresAt.map { $0 <= now } ?? false }
}

/// An exchanged access token (`tsa_`): it acts as its parent key.
public struct AccessTokenRecord: Sendable, Equatable {
    public var id: String
    public var parentID: String
    public var createdAt: Milliseconds
    public var expiresAt: Milliseconds
}

/// The organization's settings.
public struct SettingsRecord: Sendable, Equatable {
    public var allowAllUsersToCreatePATs: Bool
    public var maxTokenLifetimeDays: Int?
    public var accessTokenTTLSeconds: Int

    public init(allowAllUsersToCreatePATs: Bool = false, maxTokenLifetimeDays: Int? = nil, accessTokenTTLSeconds: Int = 3600) {
        self.allowAllUsersToCreatePATs = allowAllUsersToCreatePATs
        self.maxTokenLifetimeDays = maxTokenLifetimeDays
        self.accessTokenTTLSeconds = accessTokenTTLSeconds
    }
}

/// One audit-trail entry.
public struct EventRecord: Sendable, Equatable {
    public var id: String
    public var eventType: String
    public var actor: Actor
    public var objectID: String?
    public var objectType: String?
    public var objectName: String?
    public var createdAt: Milliseconds

    init(row: Row) {
        id = row["id"]
        eventType = row["event_type"]
        actor = Actor(userID: row["actor_user_id"], name: row["actor_name"], email: row["actor_email"],
                      ipAddress: row["actor_ip_address"], tokenName: row["api_token_name"], tokenPreview: row["api_token_preview"])
        objectID = row["object_id"]
        objectType = row["object_type"]
        objectName = row["object_name"]
        createdAt = row["created_at"]
    }
}

/// Who did something: the user, the token they acted with, and from where.
/// Recorded with every change.
public struct Actor: Sendable, Equatable {
    public var userID: String
    public var name: String
    public var email: String?
    public var ipAddress: String?
    /// The acting token's label and preview (its parent key's, for an
    /// exchanged access token); nil for the command line.
    public var tokenName: String?
    public var tokenPreview: String?

    public init(userID: String, name: String, email: String?, ipAddress: String?, tokenName: String?, tokenPreview: String?) {
        self.userID = userID
        self.name = name
        self.email = email
        self.ipAddress = ipAddress
        self.tokenName = tokenName
        self.tokenPreview = tokenPreview
    }
}

/// What an event is about.
public struct EventObject: Sendable {
    public var id: String
    public var type: String
    public var name: String?

    public init(id: String, type: String, name: String?) {
        self.id = id
        self.type = type
        self.name = name
    }
}
