import APIServer
import Foundation
import Synchronization
import TesseraCore
import TesseraStore

/// Turns a presented secret into a `Caller` without touching SQLite on the
/// hot path.
///
/// 1. The secret's format and CRC32 checksum are checked first, so a
///    malformed or mistyped secret costs no database read.
/// 2. Verified credentials are cached by the SHA-256 of the secret. The
///    cache holds no secret and answers only for the exact digest.
/// 3. Every change that can revoke a credential (delete, regenerate,
///    deactivate, delete service user, label change) removes the affected
///    entries after its transaction commits and before its response is
///    sent, so the very next request with an old secret misses the cache
///    and is refused by the database. A lookup that raced with such a
///    change does not repopulate the cache: entries are only inserted when
///    no invalidation happened since the lookup began (the epoch check).
/// 4. Expiry and deactivation are checked on every request against the
///    entry, so a cached token still stops at its `expires_at`.
/// 5. With several instances on PostgreSQL (`PostgresInstance`), other
///    instances' revocations arrive by LISTEN/NOTIFY and are applied here
///    the same way (`apply`), and the cache answers only while `lease` is
///    current: otherwise every verification reads the database, caches
///    nothing, and a database failure is a 503.
/// 6. The cache is bounded and evicts gradually (`VerificationCache`), and
///    checksum-valid digests that turned out unknown are remembered
///    (`UnknownDigests`), so made-up secrets do not each cost a read.
public final class TokenVerifier: Sendable {
    struct State {
        /// The caller each verified secret stands for (an access token's
        /// usage is its parent key's).
        var cache: VerificationCache
        var unknown: UnknownDigests
        var epoch: UInt64 = 0
    }

    private let state: Mutex<State>
    private let store: any TokenStore
    private let lastUsed: LastUsedRecorder
    /// Whether the cache may answer (always, on SQLite).
    let lease: CacheLease
    /// Whether the database is shared with other instances (PostgreSQL).
    let shared: Bool
    /// Cache hits and misses, and why secrets were refused.
    let metrics: ServiceMetrics

    /// The most verified secrets cached (about 1.3 KB each); past it, one
    /// entry is evicted per insert (see `VerificationCache`).
    static let defaultCapacity = 50_000
    /// The most checksum-valid unknown digests remembered (32 bytes each).
    static let defaultUnknownCapacity = 10_000

    init(store: any TokenStore, lastUsed: LastUsedRecorder, capacity: Int = defaultCapacity,
         unknownCapacity: Int = defaultUnknownCapacity, lease: CacheLease? = nil, metrics: ServiceMetrics? = nil) {
        self.metrics = metrics ?? ServiceMetrics(sharedDatabase: lease != nil)
        self.store = store
        self.lastUsed = lastUsed
        self.lease = lease ?? .always()
        shared = lease != nil
        state = Mutex(State(cache: VerificationCache(capacity: capacity), unknown: UnknownDigests(capacity: unknownCapacity)))
    }

    /// The caller a secret authenticates, or nil when it is malformed,
    /// unknown, expired, or its owner is deactivated. Records the use (and
    /// the client address of `request`, if any), and counts the cache hit
    /// or miss and the reason for a refusal.
    func verify<Client: ClientAddressSource>(_ text: Substring, now: Milliseconds, from request: Client?) async throws -> Caller? {
        guard let secret = TokenSecret(parsing: text) else {
            metrics.authenticationFailed(.malformed)
            return nil
        }
        let digest = secret.digest
        guard lease.isCurrent else {
            metrics.cacheMisses.increment()
            return try await verifyUncached(secret, digest: digest, now: now, from: request)
        }
        let (hit, epoch, known) = state.withLock { state in
            (state.cache.lookup(digest), state.epoch, !state.unknown.contains(digest))
        }
        var cached = hit
        if cached == nil {
            metrics.cacheMisses.increment()
            guard known else {
                metrics.authenticationFailed(.unknown)
                return nil
            }
            guard let credential = try await read(secret, digest: digest) else {
                state.withLock { $0.unknown.insert(digest) }
                metrics.authenticationFailed(.unknown)
                return nil
            }
            let found = caller(credential)
            let released = state.withLock { state -> [UUID] in
                // A change that may have revoked this credential committed
                // while it was read: do not cache what was read before it.
                guard state.epoch == epoch else { return [] }
                state.cache.insert(found, for: digest)
                return state.cache.takeReleased()
            }
            lastUsed.release(released)
            cached = found
        } else {
            metrics.cacheHits.increment()
        }
        return admit(cached, secret, now: now, from: request)
    }

    /// The credential of `secret` in the database; a failure of a shared
    /// database (PostgreSQL) is a 503: the instance cannot tell whether
    /// the secret was revoked.
    private func read(_ secret: TokenSecret, digest: SecretDigest) async throws -> Credential? {
        do {
            return try await store.credential(digest: digest.bytes, access: secret.kind == .access)
        } catch where shared && !(error is APIError) {
            throw APIError(.serviceUnavailable, "The database cannot be reached; try again shortly.")
        }
    }

    /// Without a current lease: straight from the database, nothing cached.
    private func verifyUncached<Client: ClientAddressSource>(_ secret: TokenSecret, digest: SecretDigest, now: Milliseconds,
                                                             from request: Client?) async throws -> Caller? {
        guard let credential = try await read(secret, digest: digest) else {
            metrics.authenticationFailed(.unknown)
            return nil
        }
        return admit(caller(credential), secret, now: now, from: request)
    }

    /// The caller a credential read from the store stands for, sharing its
    /// token's usage record (which learns the stored `last_used_ips`).
    private func caller(_ credential: Credential) -> Caller {
        Caller(user: credential.user, token: credential.token,
               accessTokenExpiresAt: credential.accessToken?.expiresAt,
               // A grace period cleared since (a revoked previous secret) is over.
               previousSecretExpiresAt: credential.isPreviousSecret ? credential.token.previousSecretExpiresAt ?? 0 : nil,
               usage: lastUsed.usage(for: credential.token.id, stored: credential.token.lastUsedIPs))
    }

    private func admit<Client: ClientAddressSource>(_ cached: Caller?, _ secret: TokenSecret, now: Milliseconds, from request: Client?) -> Caller? {
        guard let caller = cached else { return nil }
        guard caller.user.isActive else { return refuse(.deactivated) }
        guard !caller.token.isExpired(at: now) else { return refuse(.expired) }
        if let accessTokenExpiresAt = caller.accessTokenExpiresAt {
            // A prefix that does not match the stored kind: no such secret was issued.
            guard secret.kind == .access else { return refuse(.unknown) }
            guard accessTokenExpiresAt > now else { return refuse(.expired) }
        } else {
            guard secret.kind == caller.token.kind else { return refuse(.unknown) }
            // A replaced secret works only until its grace period ends,
            // which every instance tells by the clock, without a message.
            if let until = caller.previousSecretExpiresAt, until <= now { return refuse(.expired) }
        }
        // The client's address is compared as a key and made into text
        // only when this token has not seen that client yet.
        lastUsed.record(caller.usage, at: now, from: request?.clientAddressKey, address: { request?.clientAddress })
        return caller
    }

    private func refuse(_ reason: ServiceMetrics.FailureReason) -> Caller? {
        metrics.authenticationFailed(reason)
        return nil
    }

    /// Forgets every cached credential of token `id` (and its access tokens).
    func invalidate(tokenID id: UUID) {
        let released = state.withLock { state in
            state.epoch &+= 1
            state.cache.removeToken(id)
            return state.cache.takeReleased()
        }
        lastUsed.release(released)
    }

    /// Forgets every cached credential owned by user `id`.
    func invalidate(userID id: UUID) {
        let released = state.withLock { state in
            state.epoch &+= 1
            state.cache.removeUser(id)
            return state.cache.takeReleased()
        }
        lastUsed.release(released)
    }

    /// Forgets the cached credentials of these secrets (access tokens
    /// revoked to keep their key under its limit).
    func invalidate(digests: [[UInt8]]) {
        guard !digests.isEmpty else { return }
        let released = state.withLock { state in
            state.epoch &+= 1
            for bytes in digests { if let digest = SecretDigest(bytes: bytes) { state.cache.remove(digest) } }
            return state.cache.takeReleased()
        }
        lastUsed.release(released)
    }

    /// Another instance's revocations (`PostgresInstance`).
    func apply(_ invalidations: [Invalidation]) {
        guard !invalidations.isEmpty else { return }
        state.withLock { state in
            state.epoch &+= 1
            for item in invalidations {
                switch item {
                case .token(let id): state.cache.removeToken(id)
                case .user(let id): state.cache.removeUser(id)
                case .digest(let bytes): if let digest = SecretDigest(bytes: bytes) { state.cache.remove(digest) }
                }
            }
        }
    }

    /// Forgets every cached credential (a lapsed lease was regained).
    func reset() {
        state.withLock { state in
            state.epoch &+= 1
            state.cache = VerificationCache(capacity: state.cache.capacity)
        }
    }

    var count: Int { state.withLock { $0.cache.count } }
}
