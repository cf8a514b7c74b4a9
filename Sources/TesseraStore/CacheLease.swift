import Foundation
import Synchronization

/// Whether this instance may answer from its verification cache.
///
/// With SQLite (one process per file) it always may. With PostgreSQL
/// (several instances, PRODUCT.md §8) only while it can prove its cache
/// current: its LISTEN connection is up and its lease is renewed. The
/// instance coordinator (`PostgresInstance`) moves `deadline` forward to
/// (when it SENT its last successful lease renewal, by the monotonic
/// clock) + lease − margin, and sets it to 0 when its LISTEN connection
/// drops. Past the deadline every verification reads the database and
/// nothing is cached. The check is one atomic load and one monotonic
/// clock read: a cache hit never touches the database.
public final class CacheLease: Sendable {
    private let deadlineNanos: Atomic<Int64>

    /// A lease that never lapses (SQLite).
    public static func always() -> CacheLease { CacheLease(deadline: .max) }

    public init(deadline: Int64 = 0) { deadlineNanos = Atomic(deadline) }

    /// Now on the monotonic clock, in nanoseconds since an arbitrary origin.
    public static func monotonicNanos() -> Int64 {
        let now = ContinuousClock.now.duration(to: origin)
        return -(now.components.seconds * 1_000_000_000 + now.components.attoseconds / 1_000_000_000)
    }

    private static let origin = ContinuousClock.now

    /// Whether the cache may answer now.
    public var isCurrent: Bool { deadlineNanos.load(ordering: .acquiring) > Self.monotonicNanos() }

    /// The cache may answer until `nanos` (monotonic).
    public func extend(until nanos: Int64) { deadlineNanos.store(nanos, ordering: .releasing) }

    /// The cache may not answer until the next `extend`.
    public func revoke() { deadlineNanos.store(0, ordering: .releasing) }
}

/// One committed revocation another instance must apply to its cache.
public enum Invalidation: Sendable, Equatable {
    case token(UUID)
    case user(UUID)
    /// The SHA-256 of a revoked secret (an access token evicted by the
    /// 100-per-key cap).
    case digest([UInt8])
}
