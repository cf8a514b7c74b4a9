import Foundation
import Logging
import PostgresNIO
import Synchronization
import TesseraStore

/// Scale-out (PRODUCT.md §8): what makes a revocation immediate on every
/// `tessera serve` instance sharing one PostgreSQL database, while a cache
/// hit never touches the database.
///
/// - Every revoking transaction (delete, regeneration, label change,
///   deactivation, service-user delete, the access-token cap's evictions)
///   inserts one `invalidations` row per revoked thing and runs
///   `pg_notify('tessera_invalidations', seq)` in the same transaction, so
///   the notification goes out only on commit (`PostgresStore.publish`).
///   Those inserts take an advisory lock held to COMMIT, so seqs become
///   visible in order and an instance reading `seq > applied` never skips one.
/// - Each instance holds a row in `instances`: a lease (`lease_expires_at`,
///   `leaseLength` ahead of the database's clock, renewed every
///   `renewInterval`) and `acked_seq`, the last invalidation it applied to
///   its cache. Renewal and LISTEN share one dedicated connection.
/// - On a notification, and before every renewal (a catch-up), it reads
///   the invalidations past `applied`, applies them to its verifier (which
///   bumps the verifier's epoch, so a lookup in flight does not re-cache
///   stale data), and records `acked_seq`.
/// - A revoking request, after its commit and before it answers, waits
///   (`awaitPeers`) until every OTHER instance with a live lease has
///   `acked_seq` at or past the latest seq, or its lease has lapsed.
/// - An instance answers from its cache only while `lease` is current:
///   until (when it sent its last successful renewal, monotonic) +
///   `leaseLength` − `margin`, which is before the database considers the
///   lease lapsed, and never while the LISTEN connection is down. A lapsed
///   instance reads PostgreSQL for every request (503 when it cannot), and
///   clears its whole cache before trusting it again.
public final class PostgresInstance: Sendable {
    public let id: String
    public let lease: CacheLease
    let store: PostgresStore
    let location: PostgresLocation
    let logger: Logger
    /// Applies invalidations to the verification cache.
    let apply: @Sendable ([Invalidation]) -> Void
    /// Empties the verification cache (after a lapse).
    let reset: @Sendable () -> Void

    public static let channel = "tessera_invalidations"
    public static let leaseLength: Int64 = 3_000
    public static let renewInterval: Duration = .seconds(1)
    /// How much earlier than the database the instance stops trusting its
    /// cache (clock-rate differences, scheduling).
    public static let margin: Int64 = 500

    private let listening = Atomic<Bool>(false)

    public init(store: PostgresStore, location: PostgresLocation, lease: CacheLease, logger: Logger,
                apply: @escaping @Sendable ([Invalidation]) -> Void, reset: @escaping @Sendable () -> Void) {
        id = UUID().text
        self.lease = lease
        self.store = store
        self.location = location
        self.logger = logger
        self.apply = apply
        self.reset = reset
    }

    /// Whether this instance can prove its cache current (`/readyz`).
    public var isReady: Bool { listening.load(ordering: .acquiring) && lease.isCurrent }

    /// The database's clock, in milliseconds, inside a statement.
    static let databaseNow = "(extract(epoch from clock_timestamp()) * 1000)::bigint"

    /// Keeps the lease and the LISTEN connection until cancelled,
    /// reconnecting after a failure; then gives the lease up.
    public func run() async {
        while !Task.isCancelled {
            var connected = false
            do {
                try await PostgresStore.withConnection(location, logger: logger) { connection in
                    connected = true
                    store.unreachable.store(false, ordering: .relaxed)
                    try await session(connection)
                }
            } catch {
                // The database refuses connections (down, restarting):
                // every statement fails at once until it is back.
                if !connected { store.unreachable.store(true, ordering: .relaxed) }
                if !Task.isCancelled {
                    logger.warning("invalidation channel lost; verifying against PostgreSQL until it is back",
                                   metadata: ["error": "\(PostgresStore.describeFailure(error))"])
                }
            }
            listening.store(false, ordering: .releasing)
            lease.revoke()
            try? await Task.sleep(for: .milliseconds(250))
        }
        // Others need not wait for an instance that is gone.
        _ = try? await store.rows("DELETE FROM instances WHERE id = \(id)")
    }

    private enum Wake: Sendable { case notified, tick }

    private func session(_ connection: PostgresConnection) async throws {
        let notifications = try await connection.listen(Self.channel)
        listening.store(true, ordering: .releasing)
        // Everything up to `applied` is in the database before the cache is
        // cleared below; everything after is notified (LISTEN came first).
        let applied = try await connection.rows("SELECT COALESCE(MAX(seq), 0) FROM invalidations", logger)[0][0].decode(Int64.self)
        let sent = CacheLease.monotonicNanos()
        try await connection.query("""
            INSERT INTO instances (id, lease_expires_at, acked_seq) VALUES (\(id), \(unescaped: Self.databaseNow) + \(Self.leaseLength), \(applied))
            ON CONFLICT (id) DO UPDATE SET lease_expires_at = EXCLUDED.lease_expires_at, acked_seq = EXCLUDED.acked_seq
            """, logger: logger)
        reset()
        lease.extend(until: sent + (Self.leaseLength - Self.margin) * 1_000_000)

        let (wakes, wake) = AsyncStream.makeStream(of: Wake.self, bufferingPolicy: .bufferingNewest(16))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for try await _ in notifications { wake.yield(.notified) }
                throw PostgresInstanceError.listenEnded
            }
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: Self.renewInterval)
                    wake.yield(.tick)
                }
            }
            group.addTask { [self, applied] in
                var applied = applied
                for await event in wakes {
                    try await catchUp(connection, applied: &applied)
                    if event == .tick { try await renew(connection, applied: applied) }
                }
            }
            defer { group.cancelAll(); wake.finish() }
            try await group.next()
        }
    }

    /// Applies every invalidation past `applied`, then acknowledges it.
    private func catchUp(_ connection: PostgresConnection, applied: inout Int64) async throws {
        let start = applied
        while true {
            let rows = try await connection.rows("""
                SELECT seq, kind, key FROM invalidations WHERE seq > \(applied) ORDER BY seq LIMIT 1000
                """, logger)
            guard !rows.isEmpty else { break }
            var batch: [Invalidation] = []
            for row in rows {
                let key = try row[2].decode(String.self)
                switch try row[1].decode(String.self) {
                case "token": batch.append(.token(try UUID(stored: key, column: "invalidations.key")))
                case "user": batch.append(.user(try UUID(stored: key, column: "invalidations.key")))
                default: if let bytes = Self.bytes(hex: key) { batch.append(.digest(bytes)) }
                }
                applied = try row[0].decode(Int64.self)
            }
            apply(batch)
            if rows.count < 1000 { break }
        }
        if applied != start {
            try await connection.query("UPDATE instances SET acked_seq = \(applied) WHERE id = \(id)", logger: logger)
        }
    }

    /// Extends the lease. When the cache was no longer trusted (the lease
    /// may have lapsed in the database, so revocations may have answered
    /// without waiting for this instance), it is cleared first.
    private func renew(_ connection: PostgresConnection, applied: Int64) async throws {
        let sent = CacheLease.monotonicNanos()
        try await connection.query("""
            INSERT INTO instances (id, lease_expires_at, acked_seq) VALUES (\(id), \(unescaped: Self.databaseNow) + \(Self.leaseLength), \(applied))
            ON CONFLICT (id) DO UPDATE SET lease_expires_at = EXCLUDED.lease_expires_at, acked_seq = EXCLUDED.acked_seq
            """, logger: logger)
        if !lease.isCurrent {
            reset()
            logger.notice("lease regained; verification cache cleared")
        }
        lease.extend(until: sent + (Self.leaseLength - Self.margin) * 1_000_000)
    }

    /// After a revoking transaction committed: waits until every other
    /// instance with a live lease has acknowledged the latest invalidation
    /// (so none of them still accepts the revoked secret), or its lease has
    /// lapsed. Polls every 2 ms; a live instance acknowledges within one
    /// renewal interval even without the notification, so the wait is
    /// bounded by about the lease length.
    public func awaitPeers() async throws {
        let seq = try await store.rows("SELECT COALESCE(MAX(seq), 0) FROM invalidations")[0][0].decode(Int64.self)
        let started = ContinuousClock.now
        while true {
            let pending = try await store.count("""
                SELECT COUNT(*) FROM instances
                WHERE id <> \(id) AND acked_seq < \(seq) AND lease_expires_at > \(unescaped: Self.databaseNow)
                """)
            if pending == 0 { return }
            if ContinuousClock.now - started > .milliseconds(2 * Self.leaseLength) {
                logger.error("\(pending) instances neither acknowledged invalidation \(seq) nor lost their lease")
                return
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Housekeeping: invalidations older than `age` and instances whose
    /// lease lapsed that long ago.
    public func prune(now: Milliseconds, age: Milliseconds = 3_600_000) async throws {
        _ = try await store.rows("DELETE FROM invalidations WHERE created_at < \(now - age)")
        _ = try await store.rows("DELETE FROM instances WHERE lease_expires_at < \(now - age)")
    }

    static func bytes(hex: String) -> [UInt8]? {
        let utf8 = Array(hex.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let byte = UInt8(String(decoding: utf8[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
            out.append(byte)
            index += 2
        }
        return out
    }
}

enum PostgresInstanceError: Error { case listenEnded }

extension PostgresStore {
    /// Records revocations for the other instances (`PostgresInstance`), in
    /// the revoking transaction, right before its COMMIT: NOTIFY is
    /// delivered only on commit. The advisory lock makes invalidation seqs
    /// commit in order.
    static func publish(_ connection: PostgresConnection, _ revoked: [Invalidation], _ logger: Logger) async throws {
        guard !revoked.isEmpty else { return }
        try await orderInserts(connection, into: .invalidations, logger)
        let kinds = revoked.map { item -> String in
            switch item { case .token: "token"; case .user: "user"; case .digest: "digest" }
        }
        let keys = revoked.map { item -> String in
            switch item {
            case .token(let id), .user(let id): id.text
            case .digest(let bytes): bytes.map { String(format: "%02x", $0) }.joined()
            }
        }
        try await connection.query("""
            WITH added AS (
                INSERT INTO invalidations (kind, key, created_at)
                SELECT k, v, \(unescaped: PostgresInstance.databaseNow) FROM unnest(\(kinds)::text[], \(keys)::text[]) AS t(k, v)
                RETURNING seq
            )
            SELECT pg_notify(\(PostgresInstance.channel), MAX(seq)::text) FROM added
            """, logger: logger)
    }
}
