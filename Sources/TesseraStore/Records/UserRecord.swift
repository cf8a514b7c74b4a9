import Foundation

/// Whether a user is a person or a service user.
public enum UserKind: String, Sendable { case user = "USER", serviceUser = "SERVICE_USER" }

/// What a user may do: administer the organization, or manage their own tokens.
public enum Role: String, Sendable { case admin = "ADMIN", member = "MEMBER" }

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
