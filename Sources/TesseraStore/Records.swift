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

    /// Reads the columns of `columns`, by position (GRDB's by-name lookup
    /// costs a case-insensitive search per column).
    init(row: Row) {
        seq = row[0]
        id = row[1]
        kind = UserKind(rawValue: row[2]) ?? .user
        email = row[3]
        name = row[4]
        firstName = row[5]
        lastName = row[6]
        position = row[7]
        description = row[8]
        role = Role(rawValue: row[9]) ?? .member
        createdAt = row[10]
        deactivatedAt = row[11]
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
    /// The SHA-256 of the token's current secret: which secret this record
    /// was read with, so a change can require that it is still current.
    /// Read by `token(id:)` only; empty in lists.
    public var digest: [UInt8]
    var seq: Int64

    /// Reads the columns of `columns`, by position.
    init(row: Row) {
        seq = row[0]
        id = row[1]
        kind = row[2]
        userID = row[3]
        creatorUserID = row[4]
        label = row[5]
        accessLevel = AccessLevel(rawValue: row[6]) ?? .readOnly
        preview = row[7]
        createdAt = row[8]
        expiresAt = row[9]
        lastUsedAt = row[10]
        digest = row.count > 11 ? [UInt8]((row[11] as Data?) ?? Data()) : []
    }

    /// The columns lists read (no digest: a page need not copy 50 of them).
    static let columns = "seq, id, kind, user_id, creator_user_id, label, access_level, preview, created_at, expires_at, last_used_at"
    /// The columns of one token read to change it: with its digest.
    static let columnsWithDigest = columns + ", digest"
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
    public var id: String
    public var eventType: String
    public var actor: Actor
    public var objectID: String?
    public var objectType: String?
    public var objectName: String?
    public var createdAt: Milliseconds

    /// Reads the columns of `columns`, by position.
    init(row: Row) {
        id = row[1]
        eventType = row[2]
        actor = Actor(userID: row[3], name: row[4], email: row[5], ipAddress: row[6], tokenName: row[7], tokenPreview: row[8])
        objectID = row[9]
        objectType = row[10]
        objectName = row[11]
        createdAt = row[12]
    }

    static let columns = """
        seq, id, event_type, actor_user_id, actor_name, actor_email, actor_ip_address, \
        api_token_name, api_token_preview, object_id, object_type, object_name, created_at
        """
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

extension Actor {
    /// `tessera bootstrap`, run on the server's machine: no token, no
    /// address. Events need a user id; it is the admin the command acts for.
    public static func commandLine(userID: String) -> Actor {
        Actor(userID: userID, name: "tessera bootstrap (command line)", email: nil, ipAddress: nil, tokenName: nil, tokenPreview: nil)
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
