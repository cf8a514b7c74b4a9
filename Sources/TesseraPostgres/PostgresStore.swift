import Foundation
import Logging
import Metrics
import PostgresNIO
import Synchronization
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
    /// Read inside the writes that stamp a creation time (tokens, users).
    let clock: TesseraClock
    /// Set while this instance's own connection attempts fail
    /// (`PostgresInstance`, every 250 ms): statements then fail at once
    /// with `PostgresUnavailable` instead of each waiting `acquireTimeout`.
    let unreachable = Atomic<Bool>(false)
    /// `tessera_database_pool_wait_seconds{pool="postgresql"}`: how long a
    /// statement or transaction waited for a pooled connection (PostgresNIO
    /// does not publish its pool's waits, so they are timed here).
    let poolWait = Metrics.Timer(label: "tessera_database_pool_wait_seconds", dimensions: [("pool", "postgresql")])

    /// Migrates the database behind `client` (which must be running) to the
    /// current schema.
    public init(client: PostgresClient, location: PostgresLocation? = nil, clock: TesseraClock = TesseraClock(),
                logger: Logger) async throws {
        self.client = client
        self.location = location
        self.clock = clock
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
        try await pooled { connection in
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
        try await pooled { connection in try await connection.rows(query, logger) }
    }

    /// How long a statement may wait for a pooled connection. While the
    /// database cannot be reached, postgres-nio's pool keeps a request
    /// queued (up to a minute, until its circuit breaker trips) rather than
    /// failing it. So a waiting statement gives up (`PostgresUnavailable`,
    /// a 503) as soon as this instance's own reconnects are refused
    /// (`unreachable`, checked every `unreachablePoll`), and in any case
    /// after this bound (a database that drops packets rather than refusing
    /// them). A busy but healthy pool is waited for: its transactions take
    /// milliseconds, and `lock_timeout` (10 s) bounds the rest.
    static let acquireTimeout: Duration = .seconds(10)
    static let unreachablePoll: Duration = .milliseconds(50)

    /// Runs `body` on a pooled connection obtained within `acquireTimeout`
    /// (the wait is recorded in `poolWait`). Either the wait gives up or
    /// `body` runs, never both: a body never starts after its request was
    /// answered 503.
    func pooled<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        if unreachable.load(ordering: .relaxed) { throw PostgresUnavailable() }
        let race = AcquireRace()
        let requested = ContinuousClock.now
        return try await withoutActuallyEscaping(body) { body in
            try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask { [client, poolWait] in
                    try await client.withConnection { connection in
                        guard race.acquire() else { throw PostgresUnavailable() }
                        poolWait.record(duration: ContinuousClock.now - requested)
                        return try await body(connection)
                    }
                }
                group.addTask { [self] in
                    let deadline = ContinuousClock.now + Self.acquireTimeout
                    while ContinuousClock.now < deadline, !unreachable.load(ordering: .relaxed) {
                        try await Task.sleep(for: Self.unreachablePoll)
                    }
                    if race.giveUp() { throw PostgresUnavailable() }
                    return nil
                }
                defer { group.cancelAll() }
                while let result = try await group.next() {
                    if let value = result { return value }
                }
                throw PostgresUnavailable()
            }
        }
    }

    public func checkpoint() async {}

    /// The SQLSTATE and PostgreSQL's message (never a statement or its
    /// arguments, nor connection settings); other errors: their type's name.
    public func describeFailure(_ error: any Error) -> String {
        Self.describeFailure(error)
    }

    public static func describeFailure(_ error: any Error) -> String {
        if error is PostgresUnavailable { return "no pooled PostgreSQL connection (database unreachable, or none within \(acquireTimeout))" }
        if isPoolError(error) { return "PostgreSQL connection pool: \(error)" }
        guard let error = error as? PSQLError else { return String(describing: type(of: error)) }
        if let info = error.serverInfo {
            return "PostgreSQL error \(info[.sqlState] ?? "?"): \(info[.message] ?? "no message")"
        }
        return "PostgreSQL client error: \(error.code)"
    }

    /// Whether `error` means the database cannot be reached right now
    /// (no connection within `acquireTimeout`, a connection lost or
    /// refused, the server shutting down or starting up, out of
    /// connections), as opposed to a fault in a statement: the service
    /// answers 503 `service_unavailable` for it.
    public func isUnavailable(_ error: any Error) -> Bool { Self.isUnavailable(error) }

    public static func isUnavailable(_ error: any Error) -> Bool {
        if error is PostgresUnavailable || isPoolError(error) { return true }
        guard let error = error as? PSQLError else { return false }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            return true
        case .server:
            // 08: connection exception; 57P01-03: shutting down, crashed,
            // starting up; 53300: too many connections.
            let state = error.serverInfo?[.sqlState] ?? ""
            return state.hasPrefix("08") || ["57P01", "57P02", "57P03", "53300"].contains(state)
        default:
            return false
        }
    }

    /// postgres-nio's `ConnectionPoolError` (e.g. its circuit breaker
    /// tripped after a minute without a connection), from a module this
    /// package does not import.
    static func isPoolError(_ error: any Error) -> Bool {
        String(reflecting: type(of: error)).hasSuffix(".ConnectionPoolError")
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

/// No pooled connection within `PostgresStore.acquireTimeout`: the
/// database cannot be reached (a 503).
public struct PostgresUnavailable: Error, Sendable {}

/// Who won between a pooled request's connection and its timeout.
final class AcquireRace: Sendable {
    private let state = Atomic<UInt8>(0) // 0 waiting, 1 acquired, 2 gave up

    /// The connection came first: `body` may run.
    func acquire() -> Bool { state.compareExchange(expected: 0, desired: 1, ordering: .acquiringAndReleasing).exchanged }

    /// The timeout came first: the request fails.
    func giveUp() -> Bool { state.compareExchange(expected: 0, desired: 2, ordering: .acquiringAndReleasing).exchanged }
}

extension PostgresConnection {
    /// Runs one statement and collects its rows.
    func rows(_ query: PostgresQuery, _ logger: Logger) async throws -> [PostgresRandomAccessRow] {
        try await self.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
    }
}

// MARK: Rows
//
// Ids are TEXT (lowercase UUIDs), the same as SQLite's: always bound as
// `id.text` (a bound `UUID` would be PostgreSQL's uuid type).

extension PostgresRandomAccessRow {
    /// The id in column `index` (`.corrupt` naming `column` when it is not one).
    func id(_ index: Int, _ column: String) throws -> UUID {
        try UUID(stored: self[index].decode(String.self), column: column)
    }

    func optionalID(_ index: Int, _ column: String) throws -> UUID? {
        try self[index].decode(String?.self).map { try UUID(stored: $0, column: column) }
    }

    /// The value of an enum column (`.corrupt` naming `column` for any other).
    func value<T: RawRepresentable>(_ index: Int, _ column: String) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: try self[index].decode(String.self)) else { throw StoreError.corrupt(detail: column) }
        return value
    }
}

extension UserRecord {
    /// The columns of `UserRecord.columns`, from `offset` on.
    init(_ row: PostgresRandomAccessRow, at offset: Int = 0) throws {
        try self.init(
            seq: row[offset].decode(Int64.self), id: row.id(offset + 1, "users.id"),
            kind: row.value(offset + 2, "users.kind"), email: row[offset + 3].decode(String?.self),
            name: row[offset + 4].decode(String.self), firstName: row[offset + 5].decode(String.self),
            lastName: row[offset + 6].decode(String.self), position: row[offset + 7].decode(String.self),
            description: row[offset + 8].decode(String.self), role: row.value(offset + 9, "users.role"),
            createdAt: row[offset + 10].decode(Int64.self), deactivatedAt: row[offset + 11].decode(Int64?.self)
        )
    }
}

extension TokenRecord {
    /// The columns of `TokenRecord.columns`, from `offset` on.
    init(_ row: PostgresRandomAccessRow, at offset: Int = 0) throws {
        try self.init(
            seq: row[offset].decode(Int64.self), id: row.id(offset + 1, "tokens.id"), kind: row.value(offset + 2, "tokens.kind"),
            userID: row.id(offset + 3, "tokens.user_id"), creatorUserID: row.id(offset + 4, "tokens.creator_user_id"),
            label: row[offset + 5].decode(String.self),
            accessLevel: row.value(offset + 6, "tokens.access_level"),
            preview: row[offset + 7].decode(String.self), createdAt: row[offset + 8].decode(Int64.self),
            expiresAt: row[offset + 9].decode(Int64?.self), lastUsedAt: row[offset + 10].decode(Int64?.self),
            digest: [UInt8](row[offset + 11].decode(Data.self)), previousSecretExpiresAt: row[offset + 12].decode(Int64?.self),
            lastUsedIPs: LastUsedIPs.list(row[offset + 13].decode(String?.self))
        )
    }
}

extension EventRecord {
    /// The columns of `EventRecord.columns`.
    init(_ row: PostgresRandomAccessRow) throws {
        try self.init(
            id: row.id(1, "events.id"), eventType: row.value(2, "events.event_type"),
            actor: EventActor(userID: row.id(3, "events.actor_user_id"), name: row[4].decode(String.self), email: row[5].decode(String?.self),
                         ipAddress: row[6].decode(String?.self), tokenName: row[7].decode(String?.self),
                         tokenPreview: row[8].decode(String?.self)),
            objectID: row.optionalID(9, "events.object_id"), objectType: row[10].decode(String?.self),
            objectName: row[11].decode(String?.self), createdAt: row[12].decode(Int64.self), detail: row[13].decode(String?.self)
        )
    }
}
