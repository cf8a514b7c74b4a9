import Foundation

/// One audit-trail entry.
public struct EventRecord: Sendable, Equatable {
    public var id: UUID
    public var eventType: EventType
    public var actor: EventActor
    public var objectID: UUID?
    public var objectType: String?
    public var objectName: String?
    public var createdAt: Milliseconds
    /// Context in words: a leak report's source and URL, a grace period.
    public var detail: String?

    package init(id: UUID, eventType: EventType, actor: EventActor, objectID: UUID?, objectType: String?, objectName: String?,
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
