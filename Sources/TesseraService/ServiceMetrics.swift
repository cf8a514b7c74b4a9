import Metrics

/// Tessera's own measurements, through the swift-metrics API (the
/// executable chooses the backend; without one they cost a no-op call).
/// Made once per server, after the backend is bootstrapped, so no request
/// makes a metric or builds a label list. Labels never carry a token, a
/// user, an address or a path.
final class ServiceMetrics: Sendable {
    /// Why a credential was refused. A revoked (deleted or regenerated)
    /// secret is gone from the database, so it is `unknown`.
    enum FailureReason: Int, CaseIterable, Sendable {
        /// A secured operation was called without `Authorization`.
        case missing
        /// Not a Tessera secret (wrong scheme, format or checksum), or the
        /// wrong kind of secret (an access token given to `POST /auth/token`).
        case malformed
        /// Well-formed, but no token has it (never issued, deleted or regenerated).
        case unknown
        /// The token or access token is past its expiry.
        case expired
        /// The token's owner is deactivated.
        case deactivated
        /// The client address is blocked for failing too often (429).
        case throttled

        var label: String {
            switch self {
            case .missing: "missing"
            case .malformed: "malformed"
            case .unknown: "unknown"
            case .expired: "expired"
            case .deactivated: "deactivated"
            case .throttled: "throttled"
            }
        }
    }

    /// `tessera_authentication_failures_total{reason}`, by `FailureReason.rawValue`.
    private let failures: [Counter]
    /// `tessera_verification_cache_hits_total` / `_misses_total`: lookups
    /// answered from the cache, and those that were not (read from the
    /// database, refused as a remembered unknown secret, or made while the
    /// cache could not be trusted: a lapsed lease on PostgreSQL).
    let cacheHits = Counter(label: "tessera_verification_cache_hits_total")
    let cacheMisses = Counter(label: "tessera_verification_cache_misses_total")
    /// `tessera_verification_cache_entries`: set when scraped.
    let cacheEntries = Gauge(label: "tessera_verification_cache_entries")
    /// PostgreSQL only: `tessera_invalidation_roundtrip_seconds`, a
    /// revocation's wait for every other live instance to acknowledge it,
    /// and `tessera_instance_lease_current` (1 while this instance may
    /// answer from its cache; set when scraped).
    let invalidationRoundTrip: Metrics.Timer?
    let leaseCurrent: Gauge?

    init(sharedDatabase: Bool) {
        failures = FailureReason.allCases.map {
            Counter(label: "tessera_authentication_failures_total", dimensions: [("reason", $0.label)])
        }
        invalidationRoundTrip = sharedDatabase ? Metrics.Timer(label: "tessera_invalidation_roundtrip_seconds") : nil
        leaseCurrent = sharedDatabase ? Gauge(label: "tessera_instance_lease_current") : nil
    }

    func authenticationFailed(_ reason: FailureReason) {
        failures[reason.rawValue].increment()
    }
}
