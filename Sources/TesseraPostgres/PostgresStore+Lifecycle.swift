import Foundation
import Logging
import PostgresNIO
import TesseraStore

extension PostgresStore {
    /// Opens the database at `location` for the duration of `body`: the
    /// client's connection pool runs (`client.run()`) until `body` returns
    /// or throws, and is then shut down. It runs in a task of its own, not
    /// a child: cancelling the caller (a server stopped by cancellation)
    /// must not end the pool while `body` still winds down with queries
    /// (the last `last_used_at` times, the instance's row), which would
    /// then wait for a connection that never comes. The first
    /// connection must succeed within `connectTimeout`, so a wrong host or
    /// password is an error, not a hang; no message names the password.
    public static func withStore<T>(_ location: PostgresLocation, clock: TesseraClock = TesseraClock(), logger: Logger,
                                    connectTimeout: Duration = .seconds(20),
                                    _ body: (PostgresStore) async throws -> T) async throws -> T {
        try await firstContact(location, timeout: connectTimeout, logger: logger)
        // The pool reports each connection it opens or loses at info and
        // below; only its warnings and errors belong in Tessera's log.
        var poolLogger = logger
        poolLogger.logLevel = max(logger.logLevel, .notice)
        let client = PostgresClient(configuration: try configuration(location), backgroundLogger: poolLogger)
        // The pool is used only once `run()` has begun.
        let (started, starting) = AsyncStream.makeStream(of: Void.self)
        let pool = Task {
            starting.finish()
            await client.run()
        }
        for await _ in started {}
        let outcome: Result<T, any Error>
        do {
            let store = try await PostgresStore(client: client, location: location, clock: clock, logger: logger)
            outcome = .success(try await body(store))
        } catch {
            outcome = .failure(error)
        }
        pool.cancel()
        await pool.value
        return try outcome.get()
    }

    /// One connection made and closed directly (the pool would retry a
    /// refused password until the timeout), or an error naming the
    /// (redacted) location and the server's reason.
    static func firstContact(_ location: PostgresLocation, timeout: Duration, logger: Logger) async throws {
        let reached = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                do {
                    try await withConnection(location, logger: logger) { _ in }
                    return true
                } catch {
                    throw DatabaseLocationError(message: "cannot use PostgreSQL at \(location): \(describeFailure(error))")
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return false
            }
            defer { group.cancelAll() }
            return try await group.next() ?? false
        }
        if !reached {
            throw DatabaseLocationError(message: "could not connect to PostgreSQL at \(location) within \(timeout)")
        }
    }

    /// A connection of its own to `location`, outside the pool, closed
    /// when `body` returns.
    package static func withConnection<T>(_ location: PostgresLocation, logger: Logger,
                                  _ body: (PostgresConnection) async throws -> T) async throws -> T {
        let tls: PostgresConnection.Configuration.TLS = switch location.tls {
        case .disable: .disable
        case .prefer: try .prefer(NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: try .require(NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        let configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: tls)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        do {
            let value = try await body(connection)
            try await connection.close()
            return value
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Creates a new, empty database beside `location`'s (its role must
    /// have CREATEDB) and returns where it is: tests use one each, so they
    /// run in parallel.
    package static func createScratchDatabase(beside location: PostgresLocation) async throws -> PostgresLocation {
        var scratch = location
        scratch.database = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await withConnection(location, logger: Logger(label: "tessera.postgres")) { connection in
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(scratch.database)"), logger: Logger(label: "tessera.postgres"))
        }
        return scratch
    }

    /// Drops a database `createScratchDatabase` made (ending its sessions).
    package static func dropScratchDatabase(_ scratch: PostgresLocation, beside location: PostgresLocation) async throws {
        precondition(scratch.database.hasPrefix("t_"))
        try await withConnection(location, logger: Logger(label: "tessera.postgres")) { connection in
            try await connection.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(scratch.database) WITH (FORCE)"),
                                       logger: Logger(label: "tessera.postgres"))
        }
    }
}
