import Foundation
import GRDB

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
}

/// The filters of `GET /events` (Opal's); nil means no filter.
public struct EventFilter: Sendable {
    /// Inclusive bounds, in milliseconds.
    public var start: Milliseconds?
    public var end: Milliseconds?
    public var actorUserID: String?
    public var objectID: String?
    public var eventType: String?
    /// `LABEL:PREVIEW` of the acting token.
    public var tokenName: String?
    public var tokenPreview: String?

    public init(start: Milliseconds? = nil, end: Milliseconds? = nil, actorUserID: String? = nil, objectID: String? = nil,
                eventType: String? = nil, tokenName: String? = nil, tokenPreview: String? = nil) {
        self.start = start
        self.end = end
        self.actorUserID = actorUserID
        self.objectID = objectID
        self.eventType = eventType
        self.tokenName = tokenName
        self.tokenPreview = tokenPreview
    }
}

extension TesseraStore {
    static func record(_ db: Database, _ type: EventType, actor: Actor, object: EventObject?, at time: Milliseconds) throws {
        try db.execute(sql: """
            INSERT INTO events (id, event_type, actor_user_id, actor_name, actor_email, actor_ip_address,
                                api_token_name, api_token_preview, object_id, object_type, object_name, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [newID(), type.rawValue, actor.userID, actor.name, actor.email, actor.ipAddress,
                             actor.tokenName, actor.tokenPreview, object?.id, object?.type, object?.name, time])
    }

    /// Events, newest first.
    public func events(_ filter: EventFilter, page request: PageRequest) async throws -> Page<EventRecord> {
        try readNow { db in
            var query = KeysetQuery(select: "SELECT \(EventRecord.columns) FROM events", seqColumn: "seq", descending: true)
            if let start = filter.start { query.filter("created_at >= ?", [start]) }
            if let end = filter.end { query.filter("created_at <= ?", [end]) }
            if let actor = filter.actorUserID { query.filter("actor_user_id = ?", [actor]) }
            if let object = filter.objectID { query.filter("object_id = ?", [object]) }
            if let type = filter.eventType { query.filter("event_type = ?", [type]) }
            if let name = filter.tokenName { query.filter("api_token_name = ?", [name]) }
            if let preview = filter.tokenPreview { query.filter("api_token_preview = ?", [preview]) }
            return try query.page(db, request) { row in (row[0], EventRecord(row: row)) }
        }
    }

    /// Deletes up to `limit` events created before `cutoff`, oldest first;
    /// returns how many. Small batches keep each write transaction short,
    /// so requests never wait long behind the pruning.
    @discardableResult
    public func pruneEvents(before cutoff: Milliseconds, limit: Int = 500) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: """
                DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE created_at < ? ORDER BY created_at LIMIT ?)
                """, arguments: [cutoff, limit])
            return db.changesCount
        }
    }

    public func event(id: String) async throws -> EventRecord? {
        try readNow { db in
            try Row.fetchOne(db, sql: "SELECT \(EventRecord.columns) FROM events WHERE id = ?", arguments: [id]).map(EventRecord.init(row:))
        }
    }
}
