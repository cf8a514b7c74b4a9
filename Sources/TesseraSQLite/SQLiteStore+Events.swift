import Foundation
import GRDB
import TesseraStore

extension SQLiteStore {
    static func record(_ db: Database, _ type: EventType, actor: EventActor, object: EventObject?, at time: Milliseconds,
                       detail: String? = nil) throws {
        try db.execute(sql: """
            INSERT INTO events (id, event_type, actor_user_id, actor_name, actor_email, actor_ip_address,
                                api_token_name, api_token_preview, object_id, object_type, object_name, created_at, detail)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [UUID().text, type.rawValue, actor.userID.text, actor.name, actor.email, actor.ipAddress,
                             actor.tokenName, actor.tokenPreview, object?.id.text, object?.type, object?.name, time, detail])
    }

    /// Events, newest first.
    public func events(_ filter: EventFilter, page request: PageRequest) async throws -> Page<EventRecord> {
        try readOnCallingThread { db in
            var query = KeysetQuery(select: "SELECT \(EventRecord.columns) FROM events", seqColumn: "seq", descending: true)
            for condition in filter.conditions {
                query.conditions.append("\(condition.sql) ?")
                query.arguments.append(condition.value.databaseValue)
            }
            return try query.page(db, request) { row in (row[0], try EventRecord(row: row)) }
        }
    }

    /// Deletes up to `limit` events created before `cutoff`, oldest first;
    /// returns how many. Small batches keep each write transaction short,
    /// so requests never wait long behind the pruning.
    @discardableResult
    public func pruneEvents(before cutoff: Milliseconds, limit: Int) async throws -> Int {
        try await write { db in
            try db.execute(sql: """
                DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE created_at < ? ORDER BY created_at LIMIT ?)
                """, arguments: [cutoff, limit])
            return db.changesCount
        }
    }

    public func event(id: UUID) async throws -> EventRecord? {
        try readOnCallingThread { db in
            try Row.fetchOne(db, sql: "SELECT \(EventRecord.columns) FROM events WHERE id = ?", arguments: [id.text]).map(EventRecord.init(row:))
        }
    }
}
