import Foundation
import GRDB
import TesseraStore

extension SQLiteStore {
    public func settings() async throws -> SettingsRecord {
        try readOnCallingThread { db in try Self.settings(db) }
    }

    static func settings(_ db: Database) throws -> SettingsRecord {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM settings WHERE id = 1") else { return SettingsRecord() }
        return SettingsRecord(
            allowAllUsersToCreatePATs: row["allow_all_users_to_create_pats"],
            maxTokenLifetimeDays: row["max_token_lifetime_days"],
            accessTokenTTLSeconds: row["access_token_ttl_seconds"],
            eventRetentionDays: row["event_retention_days"]
        )
    }

    /// Applies `change` to the current settings in one transaction and
    /// records SETTINGS_UPDATED.
    public func updateSettings(actor: EventActor, at time: Milliseconds, _ change: @escaping @Sendable (inout SettingsRecord) -> Void) async throws -> SettingsRecord {
        try await write { db in
            var settings = try Self.settings(db)
            change(&settings)
            try db.execute(sql: """
                UPDATE settings SET allow_all_users_to_create_pats = ?, max_token_lifetime_days = ?, access_token_ttl_seconds = ?,
                                    event_retention_days = ?
                WHERE id = 1
                """, arguments: [settings.allowAllUsersToCreatePATs, settings.maxTokenLifetimeDays, settings.accessTokenTTLSeconds,
                                 settings.eventRetentionDays])
            try Self.record(db, .settingsUpdated, actor: actor, object: nil, at: time)
            return settings
        }
    }
}
