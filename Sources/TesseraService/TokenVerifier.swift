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
public final class TokenVerifier: Sendable {
    struct State {
        /// The caller each verified secret stands for (an access token's
        /// usage is its parent key's).
        var entries: [SecretDigest: Caller] = [:]
        var epoch: UInt64 = 0
    }

    private let state = Mutex(State())
    private let store: TesseraStore
    private let lastUsed: LastUsedRecorder
    /// The most entries kept; past it the cache starts over (a miss costs
    /// one indexed read).
    let capacity: Int

    init(store: TesseraStore, lastUsed: LastUsedRecorder, capacity: Int = 200_000) {
        self.store = store
        self.lastUsed = lastUsed
        self.capacity = capacity
    }

    /// The caller a secret authenticates, or nil when it is malformed,
    /// unknown, expired, or its owner is deactivated. Records the use.
    func verify(_ text: Substring, now: Milliseconds) async throws -> Caller? {
        guard let secret = TokenSecret(parsing: text) else { return nil }
        let digest = secret.digest
        var cached = state.withLock { $0.entries[digest] }
        if cached == nil {
            let epoch = state.withLock { $0.epoch }
            guard let credential = try await store.credential(digest: digest.bytes, access: secret.kind == .access) else {
                return nil
            }
            let found = Caller(user: credential.user, token: credential.token,
                               accessTokenExpiresAt: credential.accessToken?.expiresAt,
                               usage: lastUsed.usage(for: credential.token.id))
            state.withLock { state in
                guard state.epoch == epoch else { return }
                if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
                state.entries[digest] = found
            }
            cached = found
        }
        guard let caller = cached, caller.user.isActive, !caller.token.isExpired(at: now) else { return nil }
        if let accessTokenExpiresAt = caller.accessTokenExpiresAt {
            guard secret.kind == .access, accessTokenExpiresAt > now else { return nil }
        } else {
            guard secret.kind.rawValue == caller.token.kind else { return nil }
        }
        lastUsed.record(caller.usage, at: now)
        return caller
    }

    /// Forgets every cached credential of token `id` (and its access tokens).
    func invalidate(tokenID id: String) {
        invalidate { $0.token.id == id }
    }

    /// Forgets every cached credential owned by user `id`.
    func invalidate(userID id: String) {
        invalidate { $0.user.id == id }
    }

    private func invalidate(where matches: (Caller) -> Bool) {
        state.withLock { state in
            state.epoch &+= 1
            state.entries = state.entries.filter { !matches($0.value) }
        }
    }

    var count: Int { state.withLock { $0.entries.count } }
}
