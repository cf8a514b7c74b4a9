import Foundation
import Logging
import Metrics
import PostgresNIO
import TesseraStore

/// Tessera's PostgreSQL backend, for many `tessera serve` instances sharing
/// one database. Same logical schema as SQLite's (timestamps in BIGINT
/// milliseconds, digests as BYTEA, ids as TEXT), versioned migrations in
/// `schema_migrations`. Every rule holds across instances through the
/// database alone: row locks (`SELECT … FOR UPDATE`) on the rows a rule
/// depends on, unique constraints, and one transaction per change with its
/// audit event; never an in-process lock.
///
/// The client's `run()` must be running while the store is used
/// (`StoreFactory.withStore` runs it for the store's lifetime).
public final class PostgresStore: TokenStore {
    let client: PostgresClient
    let logger: Logger
    /// Where the database is, for connections outside the pool (the
    /// instance's LISTEN connection, `PostgresInstance`).
    public let location: PostgresLocation?
    /// `tessera_database_pool_wait_seconds{pool="postgresql"}`: how long a
    /// statement or transaction waited for a pooled connection (PostgresNIO
    /// does not publish its pool's waits, so they are timed here).
    let poolWait = Metrics.Timer(label: "tessera_database_pool_wait_seconds", dimensions: [("pool", "postgresql")])

    /// Migrates the database behind `client` (which must be running) to the
    /// current schema.
    public init(client: PostgresClient, location: PostgresLocation? = nil, logger: Logger) async throws {
        self.client = client
        self.location = location
        self.logger = logger
        try await PostgresMigrations.migrate(self)
    }

    /// The client configuration for `location`: a small pool (each
    /// instance's writes are short transactions).
    public static func configuration(_ location: PostgresLocation) throws -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS = switch location.tls {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(host: location.host, port: location.port, username: location.user,
                                                         password: location.password, database: location.database, tls: tls)
        configuration.options.maximumConnections = 16
        // Like SQLite's 10 s busy timeout: a statement that waits longer
        // for a lock fails (55P03) instead of holding its request forever.
        configuration.options.additionalStartupParameters = [("lock_timeout", "10s")]
        return configuration
    }

    // MARK: Running statements

    /// Runs `body` in one transaction on one pooled connection: COMMIT when
    /// it returns, ROLLBACK when it throws (its error is rethrown as is, so
    /// a `StoreError` reaches the service unchanged).
    func transaction<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let requested = ContinuousClock.now
        return try await client.withConnection { connection in
            poolWait.record(duration: ContinuousClock.now - requested)
            try await connection.query("BEGIN", logger: logger)
            do {
                let value = try await body(connection)
                try await connection.query("COMMIT", logger: logger)
                return value
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    /// Runs one statement outside an explicit transaction and collects its rows.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        let requested = ContinuousClock.now
        return try await client.withConnection { connection in
            poolWait.record(duration: ContinuousClock.now - requested)
            return try await connection.rows(query, logger)
        }
    }

    public func checkpoint() async {}

    /// The SQLSTATE and PostgreSQL's message (never a statement or its
    /// arguments, nor connection settings); other errors: their type's name.
    public func describeFailure(_ error: any Error) -> String {
        Self.describeFailure(error)
    }

    public static func describeFailure(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return String(describing: type(of: error)) }
        if let info = error.serverInfo {
            return "PostgreSQL error \(info[.sqlState] ?? "?"): \(info[.message] ?? "no message")"
        }
        return "PostgreSQL client error: \(error.code)"
    }

    /// The tables whose `seq` orders keyset pages.
    enum ListedTable: Int32 {
        case users = 1, tokens, events
        /// Not listed, but read in `seq` order by every instance
        /// (`PostgresInstance`): a later seq never commits first.
        case invalidations
    }

    /// Makes this transaction the only one inserting into `table` until it
    /// ends (a transaction-scoped advisory lock), so rows become visible in
    /// `seq` order: a page read while another instance inserts can never
    /// have passed a row that commits later with a smaller `seq` (SQLite's
    /// single writer gives the same). Taken right before the insert, after
    /// any row lock, and held only for the insert, the event and COMMIT.
    static func orderInserts(_ connection: PostgresConnection, into table: ListedTable, _ logger: Logger) async throws {
        try await connection.query("SELECT pg_advisory_xact_lock(\(insertOrderLockClass), \(table.rawValue))", logger: logger)
    }

    /// The first key of those advisory locks (an arbitrary constant).
    static let insertOrderLockClass: Int32 = 0x7453_7131

    /// Whether `error` is a unique violation (SQLSTATE 23505).
    static func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState] == "23505"
    }
}

extension PostgresConnection {
    /// Runs one statement and collects its rows.
    func rows(_ query: PostgresQuery, _ logger: Logger) async throws -> [PostgresRandomAccessRow] {
        try await self.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
    }
}

// MARK: Rows

extension UserRecord {
    /// The columns of `UserRecord.columns`, from `offset` on.
    init(_ row: PostgresRandomAccessRow, at offset: Int = 0) throws {
        try self.init(
            seq: row[offset].decode(Int64.self), id: row[offset + 1].decode(String.self),
            kind: UserKind(rawValue: row[offset + 2].decode(String.self)) ?? .user, email: row[offset + 3].decode(String?.self),
            name: row[offset + 4].decode(String.self), firstName: row[offset + 5].decode(String.self),
            lastName: row[offset + 6].decode(String.self), position: row[offset + 7].decode(String.self),
            description: row[offset + 8].decode(String.self), role: Role(rawValue: row[offset + 9].decode(String.self)) ?? .member,
            createdAt: row[offset + 10].decode(Int64.self), deactivatedAt: row[offset + 11].decode(Int64?.self)
        )
    }
}

extension TokenRecord {
    /// The columns of `TokenRecord.columns`, from `offset` on.
    init(_ row: PostgresRandomAccessRow, at offset: Int = 0) throws {
        try self.init(
            seq: row[offset].decode(Int64.self), id: row[offset + 1].decode(String.self), kind: row[offset + 2].decode(String.self),
            userID: row[offset + 3].decode(String.self), creatorUserID: row[offset + 4].decode(String.self),
            label: row[offset + 5].decode(String.self),
            accessLevel: AccessLevel(rawValue: row[offset + 6].decode(String.self)) ?? .readOnly,
            preview: row[offset + 7].decode(String.self), createdAt: row[offset + 8].decode(Int64.self),
            expiresAt: row[offset + 9].decode(Int64?.self), lastUsedAt: row[offset + 10].decode(Int64?.self),
            digest: [UInt8](row[offset + 11].decode(Data.self))
        )
    }
}

extension EventRecord {
    /// The columns of `EventRecord.columns`.
    init(_ row: PostgresRandomAccessRow) throws {
        try self.init(
            id: row[1].decode(String.self), eventType: row[2].decode(String.self),
            actor: Actor(userID: row[3].decode(String.self), name: row[4].decode(String.self), email: row[5].decode(String?.self),
                         ipAddress: row[6].decode(String?.self), tokenName: row[7].decode(String?.self),
                         tokenPreview: row[8].decode(String?.self)),
            objectID: row[9].decode(String?.self), objectType: row[10].decode(String?.self), objectName: row[11].decode(String?.self),
            createdAt: row[12].decode(Int64.self)
        )
    }
}
