import Foundation
import PostgresNIO
import TesseraStore

/// The PostgreSQL schema, one migration per version, the same logical
/// schema as SQLite's v1 and v2. Never edit a shipped migration: add the
/// next one. Instances that start together migrate one at a time (an
/// advisory lock held by the migrating transaction).
enum PostgresMigrations {
    static let migrations: [(version: String, statements: [String])] = [
        ("v1", [
            """
            CREATE TABLE users (
                seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL CHECK (kind IN ('USER', 'SERVICE_USER')),
                email TEXT,
                name TEXT NOT NULL,
                first_name TEXT NOT NULL DEFAULT '',
                last_name TEXT NOT NULL DEFAULT '',
                position TEXT NOT NULL DEFAULT '',
                description TEXT NOT NULL DEFAULT '',
                role TEXT NOT NULL CHECK (role IN ('ADMIN', 'MEMBER')),
                created_at BIGINT NOT NULL,
                deactivated_at BIGINT
            )
            """,
            "CREATE UNIQUE INDEX users_email ON users (lower(email)) WHERE email IS NOT NULL",
            "CREATE INDEX users_kind_seq ON users (kind, seq)",
            "CREATE INDEX users_admins ON users (seq) WHERE kind = 'USER' AND role = 'ADMIN' AND deactivated_at IS NULL",
            """
            CREATE TABLE tokens (
                seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL CHECK (kind IN ('tsp', 'tss')),
                user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                creator_user_id TEXT NOT NULL,
                label TEXT NOT NULL,
                access_level TEXT NOT NULL CHECK (access_level IN ('READ_ONLY', 'FULL_ACCESS')),
                digest BYTEA NOT NULL UNIQUE,
                preview TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT,
                last_used_at BIGINT
            )
            """,
            "CREATE INDEX tokens_user_seq ON tokens (user_id, seq)",
            """
            CREATE TABLE access_tokens (
                seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                parent_id TEXT NOT NULL REFERENCES tokens (id) ON DELETE CASCADE,
                digest BYTEA NOT NULL UNIQUE,
                preview TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX access_tokens_parent ON access_tokens (parent_id, seq)",
            "CREATE INDEX access_tokens_expires ON access_tokens (expires_at)",
            """
            CREATE TABLE settings (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                allow_all_users_to_create_pats BOOLEAN NOT NULL DEFAULT FALSE,
                max_token_lifetime_days BIGINT,
                access_token_ttl_seconds BIGINT NOT NULL DEFAULT 3600
            )
            """,
            "INSERT INTO settings (id) VALUES (1)",
            """
            CREATE TABLE events (
                seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX events_created ON events (created_at)",
            "CREATE INDEX events_actor ON events (actor_user_id, seq)",
            "CREATE INDEX events_object ON events (object_id, seq)",
            "CREATE INDEX events_type ON events (event_type, seq)",
            "CREATE INDEX events_token ON events (api_token_name, api_token_preview, seq)",
        ]),
        ("v2", [
            // Events are kept for a number of days (null keeps them all).
            "ALTER TABLE settings ADD COLUMN event_retention_days BIGINT DEFAULT 400",
            // When a token's secret was last regenerated, in microseconds.
            "ALTER TABLE tokens ADD COLUMN secret_changed_at BIGINT",
        ]),
        ("v3", [
            // Scale-out (PostgresInstance): each `tessera serve` holds a
            // short lease and acknowledges the revocations it has applied.
            """
            CREATE TABLE instances (
                id TEXT PRIMARY KEY,
                lease_expires_at BIGINT NOT NULL,
                acked_seq BIGINT NOT NULL DEFAULT 0
            )
            """,
            // Every revoking transaction writes one row per revoked thing
            // (kind: token, user or digest) and NOTIFYs its seq.
            """
            CREATE TABLE invalidations (
                seq BIGSERIAL PRIMARY KEY,
                kind TEXT NOT NULL CHECK (kind IN ('token', 'user', 'digest')),
                key TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX invalidations_created ON invalidations (created_at)",
        ]),
        ("v4", [
            // As SQLite's v3: rotation with overlap, last client addresses,
            // free-text context on events.
            "ALTER TABLE tokens ADD COLUMN previous_digest BYTEA",
            "ALTER TABLE tokens ADD COLUMN previous_secret_expires_at BIGINT",
            "ALTER TABLE tokens ADD COLUMN last_used_ips TEXT",
            "CREATE UNIQUE INDEX tokens_previous_digest ON tokens (previous_digest) WHERE previous_digest IS NOT NULL",
            "ALTER TABLE events ADD COLUMN detail TEXT",
            "ALTER TABLE access_tokens ADD COLUMN parent_digest BYTEA",
        ]),
    ]

    /// An arbitrary constant: the advisory lock that serializes migrations.
    static let lockKey: Int64 = 0x7465_7373_6572_61

    static func migrate(_ store: PostgresStore) async throws {
        let logger = store.logger
        try await store.transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)
                """, logger: logger)
            let applied = Set(try await connection.rows("SELECT version FROM schema_migrations", logger).map { try $0[0].decode(String.self) })
            for migration in migrations where !applied.contains(migration.version) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("""
                    INSERT INTO schema_migrations (version, applied_at) VALUES (\(migration.version), \(store.clock.now()))
                    """, logger: logger)
            }
        }
    }
}
