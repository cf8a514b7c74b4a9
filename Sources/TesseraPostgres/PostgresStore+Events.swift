import Foundation
import PostgresNIO
import TesseraStore

extension PostgresStore {
    static func record(_ connection: PostgresConnection, _ type: EventType, actor: EventActor, object: EventObject?, at time: Milliseconds,
                       detail: String? = nil, _ logger: Logger) async throws {
        try await orderInserts(connection, into: .events, logger)
        try await connection.query("""
            INSERT INTO events (id, event_type, actor_user_id, actor_name, actor_email, actor_ip_address,
                                api_token_name, api_token_preview, object_id, object_type, object_name, created_at, detail)
            VALUES (\(UUID().text), \(type.rawValue), \(actor.userID.text), \(actor.name), \(actor.email), \(actor.ipAddress),
                    \(actor.tokenName), \(actor.tokenPreview), \(object?.id.text), \(object?.type), \(object?.name), \(time), \(detail))
            """, logger: logger)
    }

    public func events(_ filter: EventFilter, page request: PageRequest) async throws -> Page<EventRecord> {
        var query = KeysetQuery(select: "SELECT \(EventRecord.columns) FROM events", descending: true)
        for condition in filter.conditions {
            query.filter(condition.sql, condition.value)
        }
        return try await query.page(self, request) { row in
            try (row[0].decode(Int64.self), EventRecord(row))
        }
    }

    public func event(id: UUID) async throws -> EventRecord? {
        try await rows("SELECT \(unescaped: EventRecord.columns) FROM events WHERE id = \(id.text)").first.map { try EventRecord($0) }
    }

    @discardableResult
    public func pruneEvents(before cutoff: Milliseconds, limit: Int) async throws -> Int {
        try await count("""
            WITH gone AS (
                DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE created_at < \(cutoff) ORDER BY created_at LIMIT \(Int64(limit)))
                RETURNING 1
            ) SELECT COUNT(*) FROM gone
            """)
    }

    // MARK: Settings

    public func settings() async throws -> SettingsRecord {
        try await rows(Self.settingsQuery).first.map(Self.settings) ?? SettingsRecord()
    }

    static let settingsQuery: PostgresQuery = """
        SELECT allow_all_users_to_create_pats, max_token_lifetime_days, access_token_ttl_seconds, event_retention_days
        FROM settings WHERE id = 1
        """

    static func settings(_ row: PostgresRandomAccessRow) throws -> SettingsRecord {
        try SettingsRecord(
            allowAllUsersToCreatePATs: row[0].decode(Bool.self), maxTokenLifetimeDays: row[1].decode(Int64?.self).map(Int.init),
            accessTokenTTLSeconds: Int(row[2].decode(Int64.self)), eventRetentionDays: row[3].decode(Int64?.self).map(Int.init)
        )
    }

    /// The settings row is locked for the read-modify-write, so concurrent
    /// updates through different instances apply one after the other.
    public func updateSettings(actor: EventActor, at time: Milliseconds,
                               _ change: @escaping @Sendable (inout SettingsRecord) -> Void) async throws -> SettingsRecord {
        let logger = logger
        return try await transaction { connection in
            var query = Self.settingsQuery
            query.sql += " FOR UPDATE"
            var settings = try await connection.rows(query, logger).first.map(Self.settings) ?? SettingsRecord()
            change(&settings)
            try await Self.write(settings, connection, logger)
            try await Self.record(connection, .settingsUpdated, actor: actor, object: nil, at: time, logger)
            return settings
        }
    }

    /// Stores `settings` in the one settings row.
    static func write(_ settings: SettingsRecord, _ connection: PostgresConnection, _ logger: Logger) async throws {
        try await connection.query("""
            UPDATE settings SET allow_all_users_to_create_pats = \(settings.allowAllUsersToCreatePATs),
                                max_token_lifetime_days = \(settings.maxTokenLifetimeDays.map(Int64.init)),
                                access_token_ttl_seconds = \(Int64(settings.accessTokenTTLSeconds)),
                                event_retention_days = \(settings.eventRetentionDays.map(Int64.init))
            WHERE id = 1
            """, logger: logger)
    }
}
