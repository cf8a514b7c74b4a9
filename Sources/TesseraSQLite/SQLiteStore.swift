import Foundation
import GRDB
import Metrics
import TesseraStore

/// Tessera's SQLite database: one file, WAL, foreign keys, versioned
/// migrations. Every change and its audit event commit in one transaction,
/// so nothing is ever half-written; `synchronous = FULL` makes a commit that
/// has returned survive a crash of the process or the machine.
public final class SQLiteStore: TokenStore {
    let pool: DatabasePool
    public let path: String
    /// Read inside the writes that stamp a creation time (tokens, users).
    let clock: TesseraClock
    /// `tessera_database_pool_wait_seconds{pool="sqlite_writer"}` and
    /// `{pool="sqlite_reader"}`: how long a write waited for the single
    /// writer, and a read for one of the readers.
    let writerWait = Metrics.Timer(label: "tessera_database_pool_wait_seconds", dimensions: [("pool", "sqlite_writer")])
    let readerWait = Metrics.Timer(label: "tessera_database_pool_wait_seconds", dimensions: [("pool", "sqlite_reader")])

    /// Opens (creating when new) the database at `path` and migrates it to
    /// the current schema.
    public init(path: String, clock: TesseraClock = TesseraClock()) throws {
        var configuration = Configuration()
        configuration.label = "tessera"
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.maximumReaderCount = 4
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        self.path = path
        self.clock = clock
        pool = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(pool)
    }

    /// The schema, one migration per version. Never edit a shipped
    /// migration: add the next one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE users (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE,
                    kind TEXT NOT NULL CHECK (kind IN ('USER', 'SERVICE_USER')),
                    email TEXT,
                    name TEXT NOT NULL,
                    first_name TEXT NOT NULL DEFAULT '',
                    last_name TEXT NOT NULL DEFAULT '',
                    position TEXT NOT NULL DEFAULT '',
                    description TEXT NOT NULL DEFAULT '',
                    role TEXT NOT NULL CHECK (role IN ('ADMIN', 'MEMBER')),
                    created_at INTEGER NOT NULL,
                    deactivated_at INTEGER
                );
                CREATE UNIQUE INDEX users_email ON users (email COLLATE NOCASE) WHERE email IS NOT NULL;
                CREATE INDEX users_kind_seq ON users (kind, seq);

                CREATE TABLE tokens (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE,
                    kind TEXT NOT NULL CHECK (kind IN ('tsp', 'tss')),
                    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                    creator_user_id TEXT NOT NULL,
                    label TEXT NOT NULL,
                    access_level TEXT NOT NULL CHECK (access_level IN ('READ_ONLY', 'FULL_ACCESS')),
                    digest BLOB NOT NULL UNIQUE,
                    preview TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER,
                    last_used_at INTEGER
                );
                CREATE INDEX tokens_user_seq ON tokens (user_id, seq);

                CREATE TABLE access_tokens (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE,
                    parent_id TEXT NOT NULL REFERENCES tokens (id) ON DELETE CASCADE,
                    digest BLOB NOT NULL UNIQUE,
                    preview TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL
                );
                CREATE INDEX access_tokens_parent ON access_tokens (parent_id);

                CREATE TABLE settings (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    allow_all_users_to_create_pats INTEGER NOT NULL DEFAULT 0,
                    max_token_lifetime_days INTEGER,
                    access_token_ttl_seconds INTEGER NOT NULL DEFAULT 3600
                );
                INSERT INTO settings (id) VALUES (1);

                CREATE TABLE events (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE,
                    event_type TEXT NOT NULL,
                    actor_user_id TEXT NOT NULL,
                    actor_name TEXT NOT NULL,
                    actor_email TEXT,
                    actor_ip_address TEXT,
                    api_token_name TEXT,
                    api_token_preview TEXT,
                    object_id TEXT,
                    object_type TEXT,
                    object_name TEXT,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX events_created ON events (created_at);
                CREATE INDEX events_actor ON events (actor_user_id, seq);
                CREATE INDEX events_object ON events (object_id, seq);
                CREATE INDEX events_type ON events (event_type, seq);
                CREATE INDEX events_token ON events (api_token_name, api_token_preview, seq);
                """)
        }
        migrator.registerMigration("v2") { db in
            // Events are kept for a number of days (null keeps them all);
            // existing databases get the default, 400.
            try db.execute(sql: "ALTER TABLE settings ADD COLUMN event_retention_days INTEGER DEFAULT 400")
            // When a token's secret was last regenerated, in microseconds
            // since 1970: a regeneration that began before it lost a race.
            try db.execute(sql: "ALTER TABLE tokens ADD COLUMN secret_changed_at INTEGER")
        }
        migrator.registerMigration("v3") { db in
            // Rotation with overlap: the replaced secret's digest and when it
            // stops working, and which secret each access token was
            // exchanged from (NULL for older rows: their key's current one);
            // the last client addresses that used the token; free-text
            // context on events (a leak report's source, a grace period).
            try db.execute(sql: """
                ALTER TABLE tokens ADD COLUMN previous_digest BLOB;
                ALTER TABLE tokens ADD COLUMN previous_secret_expires_at INTEGER;
                ALTER TABLE tokens ADD COLUMN last_used_ips TEXT;
                CREATE UNIQUE INDEX tokens_previous_digest ON tokens (previous_digest) WHERE previous_digest IS NOT NULL;
                ALTER TABLE events ADD COLUMN detail TEXT;
                ALTER TABLE access_tokens ADD COLUMN parent_digest BLOB;
                """)
        }
        return migrator
    }

    /// Reads on the calling thread. A read is CPU work on pages SQLite has
    /// in memory (WAL readers never wait for the writer), so running it in
    /// place is cheaper than GRDB's async read, which hops to a reader
    /// queue and back: on a 2-core machine that hop cost more than the
    /// query. Writes stay async: they wait for fsync.
    func readOnCallingThread<T>(_ body: (Database) throws -> T) throws -> T {
        let requested = ContinuousClock.now
        return try pool.read { db in
            readerWait.record(duration: ContinuousClock.now - requested)
            return try body(db)
        }
    }

    /// Runs `updates` in one write transaction, once the single writer is
    /// free (the wait is measured).
    func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let requested = ContinuousClock.now
        let wait = writerWait
        return try await pool.write { db in
            wait.record(duration: ContinuousClock.now - requested)
            return try updates(db)
        }
    }

    /// Checkpoints the WAL into the main file (used on shutdown).
    public func checkpoint() {
        _ = try? pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }
}

extension SQLiteStore {
    /// How a database failure appears in the log: SQLite's result codes and
    /// message (`SQLite error 13 (SQLITE_FULL)…`), never the statement's
    /// arguments (they may hold emails or labels). Other errors: their
    /// type's name.
    public func describeFailure(_ error: any Error) -> String { Self.describeFailure(error) }

    public static func describeFailure(_ error: any Error) -> String {
        guard let error = error as? DatabaseError else { return String(describing: type(of: error)) }
        return "SQLite error \(error.extendedResultCode.rawValue) (result code \(error.resultCode.rawValue)): \(error.message ?? "no message")"
    }
}

extension SQLiteStore {
    /// Writes a consistent copy of the live database to `path` with SQLite's
    /// online backup (one read transaction: writers carry on meanwhile).
    /// The copy is written beside `path` and renamed into place, so `path`
    /// is never half-written; an existing `path` is refused.
    public func backup(to path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw CocoaError(.fileWriteFileExists, userInfo: [NSFilePathErrorKey: path])
        }
        let partial = path + ".partial-\(getpid())"
        do {
            try pool.backup(to: DatabaseQueue(path: partial))
            guard rename(partial, path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            unlink(partial)
            throw error
        }
    }
}

extension SQLiteStore {
    /// A consistent view of the whole database as it is now (a WAL
    /// snapshot: writers carry on, the view does not change), to copy from.
    package func snapshot() throws -> some RowSource {
        SQLiteSnapshot(snapshot: try pool.makeSnapshot())
    }
}

/// `SQLiteStore.snapshot()`.
struct SQLiteSnapshot: RowSource, @unchecked Sendable {
    // DatabaseSnapshot serializes its reads itself.
    let snapshot: DatabaseSnapshot

    func rows(of table: CopiedTable, after seq: Int64, limit: Int) throws -> [(seq: Int64, values: [StoredValue])] {
        try snapshot.read { db in
            let sql = "SELECT seq, \(table.columns.joined(separator: ", ")) FROM \(table.name) WHERE seq > ? ORDER BY seq LIMIT ?"
            return try Row.fetchAll(db, sql: sql, arguments: [seq, limit]).map { row in
                (row[0] as Int64, (1...table.columns.count).map { Self.value(row[$0] as DatabaseValue) })
            }
        }
    }

    func copiedSettings() throws -> SettingsRecord {
        try snapshot.read { db in try SQLiteStore.settings(db) }
    }

    static func value(_ value: DatabaseValue) -> StoredValue {
        switch value.storage {
        case .null: .null
        case .int64(let number): .integer(number)
        case .double(let number): .integer(Int64(number))
        case .string(let text): .text(text)
        case .blob(let data): .blob([UInt8](data))
        }
    }
}
