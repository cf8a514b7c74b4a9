import Logging
import ServiceLifecycle
import TesseraPostgres
import TesseraStore

/// The background task that keeps the database from growing without bound:
/// once at start-up and then every `interval`, it deletes access tokens
/// that have expired and events older than `event_retention_days`, the
/// events in batches of `batchSize` with a pause between them, so no write
/// transaction holds up requests for long.
struct Housekeeping: Service {
    let store: any TokenStore
    let clock: TesseraClock
    let logger: Logger
    /// On PostgreSQL: prunes invalidations and lapsed instances too.
    var instance: PostgresInstance? = nil
    var interval: Duration = .seconds(60)
    var batchSize = 500
    var pause: Duration = .milliseconds(20)

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await sweep()
            } catch {
                logger.error("housekeeping failed", metadata: ["error": "\(store.describeFailure(error))"])
            }
            // The wait ends early on graceful shutdown, so it never holds
            // the process up.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// One pass: expired access tokens, then events past their retention.
    func sweep() async throws {
        let now = clock.now()
        try await store.pruneExpiredAccessTokens(now: now)
        // Invalidations older than an hour (every live instance applied
        // them long ago) and instances whose lease lapsed an hour ago.
        try await instance?.prune(now: now)
        guard let days = try await store.settings().eventRetentionDays else { return }
        let cutoff = now - Milliseconds(days) * 86_400_000
        var deleted = 0
        while !Task.isShuttingDownGracefully {
            let batch = try await store.pruneEvents(before: cutoff, limit: batchSize)
            deleted += batch
            if batch < batchSize { break }
            try? await Task.sleep(for: pause)
        }
        if deleted > 0 {
            logger.notice("pruned \(deleted) events older than \(days) days (event_retention_days)")
        }
    }
}
