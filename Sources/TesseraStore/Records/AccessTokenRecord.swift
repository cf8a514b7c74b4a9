import Foundation

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
