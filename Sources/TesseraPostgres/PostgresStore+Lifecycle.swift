import Foundation
import Logging
import PostgresNIO
import TesseraStore

extension PostgresStore {
    /// Opens the database at `location` for the duration of `body`: the
    /// client's connection pool runs (`client.run()`) in a child task
    /// until `body` returns or throws, and is then shut down. The first
    /// connection must succeed within `connectTimeout`, so a wrong host or
    /// password is an error, not a hang; no message names the password.
    public static func withStore<T>(_ location: PostgresLocation, logger: Logger, connectTimeout: Duration = .seconds(20),
                                    _ body: (PostgresStore) async throws -> T) async throws -> T {
        try await firstContact(location, timeout: connectTimeout, logger: logger)
        let client = PostgresClient(configuration: try configuration(location), backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            // The pool is used only once `run()` has begun.
            let (started, starting) = AsyncStream.makeStream(of: Void.self)
            group.addTask {
                starting.finish()
                await client.run()
            }
            defer { group.cancelAll() }
            for await _ in started {}
            let store = try await PostgresStore(client: client, logger: logger)
            return try await body(store)
        }
    }

    /// One connection made and closed directly (the pool would retry a
    /// refused password until the timeout), or an error naming the
    /// (redacted) location and the server's reason.
    static func firstContact(_ location: PostgresLocation, timeout: Duration, logger: Logger) async throws {
        let reached = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                do {
                    let tls: PostgresConnection.Configuration.TLS = switch location.tls {
                    case .disable: .disable
                    case .prefer: try .prefer(NIOSSLContext(configuration: .makeClientConfiguration()))
                    case .require: try .require(NIOSSLContext(configuration: .makeClientConfiguration()))
                    }
                    let configuration = PostgresConnection.Configuration(
                        host: location.host, port: location.port, username: location.user, password: location.password,
                        database: location.database, tls: tls)
                    let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
                    try await connection.close()
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
}
