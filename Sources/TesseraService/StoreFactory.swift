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
