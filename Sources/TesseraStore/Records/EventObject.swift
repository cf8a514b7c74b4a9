import Foundation

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
