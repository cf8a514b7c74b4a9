import Logging
import TesseraPostgres
import TesseraSQLite
import TesseraStore

/// The one place that turns a `--database` value into a store.
public enum StoreFactory {
    /// Opens (creating and migrating when needed) the store at `location`
    /// for the duration of `body`, with whatever runs beside it (for
    /// PostgreSQL, the connection pool) running until `body` returns, so
    /// the final `last_used_at` flush after a graceful shutdown still has
    /// its connections.
    public static func withStore<T>(_ location: DatabaseLocation, clock: TesseraClock = TesseraClock(), logger: Logger,
                                    _ body: (any TokenStore) async throws -> T) async throws -> T {
        switch location {
        case .sqlite(let path):
            return try await body(SQLiteStore(path: path, clock: clock))
        case .postgres(let postgres):
            return try await PostgresStore.withStore(postgres, clock: clock, logger: logger) { store in try await body(store) }
        }
    }
}

extension StoreFactory {
    /// `tessera import`: copies the SQLite database at `path` (a consistent
    /// snapshot; a server may keep running on it, though what it writes
    /// after the snapshot is not copied) into the empty PostgreSQL database
    /// at `target`, in one transaction. The source is migrated to the
    /// current schema first, as `tessera serve` would.
    public static func importSQLite(_ path: String, into target: PostgresLocation, logger: Logger) async throws -> CopyReport {
        let source = try SQLiteStore(path: path)
        let snapshot = try source.snapshot()
        defer { withExtendedLifetime(source) {} }
        return try await PostgresStore.withStore(target, logger: logger) { store in try await store.importRows(from: snapshot) }
    }
}
