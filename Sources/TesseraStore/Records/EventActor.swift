import Foundation

/// Who did something: the user, the token they acted with, and from where.
/// Recorded with every change.
public struct EventActor: Sendable, Equatable {
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

extension EventActor {
    /// `tessera bootstrap`, run on the server's machine: no token, no
    /// address. Events need a user id; it is the admin the command acts for.
    public static func commandLine(userID: UUID) -> EventActor {
        EventActor(userID: userID, name: "tessera bootstrap (command line)", email: nil, ipAddress: nil, tokenName: nil, tokenPreview: nil)
    }
}
