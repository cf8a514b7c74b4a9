import Foundation

/// Tessera's storage: every read and every change the service makes, with
/// the same meaning on each backend (SQLite, the embedded default, and
/// PostgreSQL for many instances). Each change writes its audit event in
/// its own transaction, and every rule below holds race-free across
/// processes: through the database (SQLite's single writer, PostgreSQL's
/// row locks and constraints), never through an in-process lock.
public protocol TokenStore: Sendable {
    // MARK: Tokens

    /// Stores a token for an active user of the right kind (`.personal`
    /// for people, `.service` for service users; else `.userUnavailable`).
    /// A service user already holding `StoreLimits.liveKeyLimit` unexpired
    /// keys gets `.liveKeyLimit`. The creation time is the later of `time`
    /// and the store's clock read inside the write, so creation times
    /// follow list order.
    func createToken(_ new: NewToken, actor: EventActor, at time: Milliseconds) async throws -> TokenRecord
    func token(id: UUID) async throws -> TokenRecord?
    /// The credential a secret's digest names, whatever its state (the
    /// caller checks expiry, deactivation and a previous secret's grace
    /// period); nil when unknown.
    func credential(digest: [UInt8], access: Bool) async throws -> Credential?
    /// Tokens (not access tokens), oldest first (newest first with
    /// `request.newestFirst`), filtered by owner and ids.
    func tokens(userID: UUID?, ids: [UUID]?, page request: PageRequest) async throws -> Page<TokenRecord>
    func updateTokenLabel(id: UUID, label: String, actor: EventActor, at time: Milliseconds) async throws -> TokenRecord
    /// Gives a token a new secret (same id, label, level and expiry); its
    /// access tokens die with the old secret. With `grace`, the old secret
    /// (and its access tokens) keep working until `grace.until` instead,
    /// and a previous secret still in an earlier grace period dies now.
    ///
    /// Of concurrent regenerations exactly one wins; the others get
    /// `.changedConcurrently` and write nothing. A request loses when the
    /// token no longer has the secret it read (`claim.replacing`), when the
    /// secret was changed after the request arrived (`secret_changed_at`,
    /// stamped with `claim.now()` inside the transaction, is not before
    /// `claim.began`), or when the change before it was still being answered
    /// when it arrived (`claim.overlaps`). `claim.stamping` is told the new
    /// stamp before the transaction commits.
    func regenerateToken(id: UUID, claim: RegenerationClaim, digest: [UInt8], preview: String, grace: GracePeriod?,
                         actor: EventActor, at time: Milliseconds) async throws -> TokenRecord
    /// Deletes a token and its access tokens.
    func deleteToken(id: UUID, actor: EventActor, at time: Milliseconds) async throws -> TokenRecord
    /// Revokes, in one transaction, whatever each secret is: an API token
    /// (deleted with its access tokens), one access token, or a token's
    /// previous secret in its grace period (which ends). Each revocation
    /// records its event; a digest no secret has (or one revoked earlier in
    /// the batch) gives nil and writes nothing.
    func revokeSecrets(_ secrets: [SecretToRevoke], at time: Milliseconds) async throws -> [RevokedSecret?]
    /// Stores an access token exchanged for key `parentID`, if the key still
    /// has the secret `parentDigest` (or has it as its previous secret, in
    /// its grace period at `time`) and an active owner (`.notFound`
    /// otherwise). When the key then holds more than
    /// `StoreLimits.accessTokenLimit` live access tokens, the oldest are
    /// deleted in the same transaction and their digests returned, for the
    /// caller to forget whatever it cached of them.
    func createAccessToken(parentID: UUID, parentDigest: [UInt8], digest: [UInt8], preview: String, expiresAt: Milliseconds,
                           actor: EventActor, at time: Milliseconds) async throws -> (token: AccessTokenRecord, revoked: [[UInt8]])
    /// Writes coalesced uses in one transaction: `last_used_at` never
    /// moves backwards, and each use's addresses go in front of the stored
    /// `last_used_ips` (`LastUsedIPs.merge`: newest first, distinct, at
    /// most 5), so a stored address is only ever pushed out by newer ones.
    /// Race-free across instances; unknown tokens are ignored.
    func flushLastUsed(_ uses: [UUID: TokenUse], now: Milliseconds) async throws
    /// Deletes access tokens that expired before `now`; returns how many.
    @discardableResult
    func pruneExpiredAccessTokens(now: Milliseconds) async throws -> Int

    // MARK: Events

    /// Events, newest first.
    func events(_ filter: EventFilter, page request: PageRequest) async throws -> Page<EventRecord>
    func event(id: UUID) async throws -> EventRecord?
    /// Deletes up to `limit` events created before `cutoff`, oldest first;
    /// returns how many.
    @discardableResult
    func pruneEvents(before cutoff: Milliseconds, limit: Int) async throws -> Int

    // MARK: Settings

    func settings() async throws -> SettingsRecord
    /// Applies `change` to the current settings in one transaction and
    /// records SETTINGS_UPDATED.
    func updateSettings(actor: EventActor, at time: Milliseconds, _ change: @escaping @Sendable (inout SettingsRecord) -> Void) async throws -> SettingsRecord

    // MARK: Users

    /// Creates a person; an email already used (any case) is `.duplicate`.
    /// Like tokens, users are stamped no earlier than the store's clock
    /// inside the write.
    /// `actor` nil means the command line creates it (`tessera bootstrap`).
    func createUser(_ new: NewUser, actor: EventActor?, at time: Milliseconds) async throws -> UserRecord
    func createServiceUser(name: String, description: String, role: Role, actor: EventActor, at time: Milliseconds) async throws -> UserRecord
    /// A user or service user by id.
    func user(id: UUID) async throws -> UserRecord?
    /// A person by email, ignoring case.
    func user(email: String) async throws -> UserRecord?
    /// The oldest active admin, if any.
    func firstActiveAdmin() async throws -> UserRecord?
    /// People or service users, oldest first.
    func users(kind: UserKind, page request: PageRequest) async throws -> Page<UserRecord>
    /// Deactivates a person: every token of theirs stops working. The last
    /// active admin cannot be deactivated (`.lastActiveAdmin`).
    /// Deactivating twice is a no-op.
    func deactivateUser(id: UUID, actor: EventActor, at time: Milliseconds) async throws -> UserRecord
    /// Deletes a service user, its keys and their access tokens.
    func deleteServiceUser(id: UUID, actor: EventActor, at time: Milliseconds) async throws -> UserRecord

    // MARK: Lifecycle

    /// Makes what was committed durable in its final place (SQLite: a WAL
    /// checkpoint; a no-op where there is nothing to do). Used on shutdown.
    func checkpoint() async
    /// How a database failure appears in the log: the backend's codes and
    /// message, never a statement's arguments (they may hold emails or
    /// labels) nor a password. Other errors: their type's name.
    func describeFailure(_ error: any Error) -> String
    /// Whether `error` means the database cannot be reached right now
    /// (answered 503 `service_unavailable`), not a fault (500).
    func isUnavailable(_ error: any Error) -> Bool
}

extension TokenStore {
    /// A file on this machine is never "unreachable" (SQLite).
    public func isUnavailable(_ error: any Error) -> Bool { false }

    /// In batches of 500 by default.
    @discardableResult
    public func pruneEvents(before cutoff: Milliseconds) async throws -> Int {
        try await pruneEvents(before: cutoff, limit: 500)
    }
}

/// The limits every backend enforces.
public enum StoreLimits {
    /// The most live keys a service user may hold.
    public static let liveKeyLimit = 2
    /// The most live access tokens one key holds; an exchange past it
    /// revokes the oldest, so no key can grow the database without bound.
    public static let accessTokenLimit = 100
}

/// How a regeneration tells that it lost a race with another one.
public struct RegenerationClaim: Sendable {
    /// The digest of the secret the request read (and means to replace).
    public var replacing: [UInt8]
    /// When the request arrived, in microseconds since 1970.
    public var began: Int64
    /// Whether the change stamped `stamp` was still being answered when
    /// this request began, as far as this process knows (false when it
    /// does not: then the stamp alone decides).
    public var overlaps: @Sendable (_ stamp: Int64) -> Bool
    /// Told this change's stamp inside the transaction, before it commits.
    public var stamping: @Sendable (_ stamp: Int64) -> Void
    /// Now, in microseconds since 1970.
    public var now: @Sendable () -> Int64

    public init(replacing: [UInt8], began: Int64, overlaps: @escaping @Sendable (Int64) -> Bool,
                stamping: @escaping @Sendable (Int64) -> Void, now: @escaping @Sendable () -> Int64) {
        self.replacing = replacing
        self.began = began
        self.overlaps = overlaps
        self.stamping = stamping
        self.now = now
    }

    /// Whether a token whose current secret has `digest`, last changed at
    /// `stamp`, may still be regenerated by this claim: the one rule both
    /// backends check on the row they hold locked.
    public func admits(digest: [UInt8], stamp: Int64?) -> Bool {
        digest == replacing && (stamp ?? 0) < began && !(stamp.map(overlaps) ?? false)
    }
}

/// A failure the service turns into its published error.
public enum StoreError: Error, Equatable, Sendable {
    /// A unique value (an email) is taken.
    case duplicate(field: String)
    /// A service user already holds its maximum of live keys.
    case liveKeyLimit(limit: Int)
    /// The named row does not exist (or is not visible).
    case notFound
    /// The user a token is issued to is unknown, deactivated, or of the
    /// other kind (a person's token for a service user, or the reverse).
    case userUnavailable
    /// The change would leave the organization without an active admin.
    case lastActiveAdmin
    /// A stored value is not what the schema allows (a hand-edited or
    /// damaged database); `detail` names the column, never its value.
    case corrupt(detail: String)
    /// The row changed after the caller read it (a concurrent regeneration
    /// won); nothing was written.
    case changedConcurrently
}

/// A token's coalesced use since the last flush (`flushLastUsed`).
public struct TokenUse: Sendable, Equatable {
    /// The latest use.
    public var time: Milliseconds
    /// The client addresses it was used from, newest first, distinct, at
    /// most `LastUsedIPs.limit`; empty when none is new.
    public var addresses: [String]

    public init(time: Milliseconds, addresses: [String] = []) {
        self.time = time
        self.addresses = addresses
    }
}

extension TokenStore {
    /// Writes `last_used_at` times with no new addresses.
    public func flushLastUsed(_ times: [UUID: Milliseconds], now: Milliseconds) async throws {
        try await flushLastUsed(times.mapValues { TokenUse(time: $0) }, now: now)
    }
}

/// The rules of a token's `last_used_ips`: the last `limit` distinct client
/// addresses, newest first, stored as one comma-separated text (an address
/// never contains a comma; NULL when there is none).
public enum LastUsedIPs {
    /// The most addresses kept per token.
    public static let limit = 5

    /// `newer` in front of `older`, each address once (at its newest
    /// place), at most `limit`. Empty strings and anything holding a comma
    /// are not addresses and are dropped.
    public static func merge(_ newer: [String], _ older: [String]) -> [String] {
        var merged: [String] = []
        merged.reserveCapacity(limit)
        for address in newer + older where merged.count < limit {
            guard !address.isEmpty, !address.contains(","), !merged.contains(address) else { continue }
            merged.append(address)
        }
        return merged
    }

    /// The stored text of a list; nil for an empty one.
    public static func text(_ addresses: [String]) -> String? {
        addresses.isEmpty ? nil : addresses.joined(separator: ",")
    }

    /// The list a stored text holds (empty for NULL).
    public static func list(_ text: String?) -> [String] {
        guard let text, !text.isEmpty else { return [] }
        return text.split(separator: ",").map(String.init)
    }
}

/// Milliseconds since 1970, the unit of every stored timestamp.
public typealias Milliseconds = Int64

extension Date {
    /// To the nearest millisecond: a parsed `…00.002Z` is 0.00199999… seconds
    /// as a Double, and must stay 2 ms.
    public var milliseconds: Milliseconds { Milliseconds((timeIntervalSince1970 * 1000).rounded()) }
    public init(milliseconds: Milliseconds) { self.init(timeIntervalSince1970: Double(milliseconds) / 1000) }
}

extension UUID {
    /// The lowercase text every id is stored and served as.
    public var text: String { uuidString.lowercased() }

    /// An id read back from the database (`.corrupt` when it is not one).
    package init(stored text: String, column: String) throws {
        guard let id = UUID(uuidString: text) else { throw StoreError.corrupt(detail: column) }
        self = id
    }
}

/// The service's notion of now, in milliseconds: what stamps every row.
/// Stores read it inside their writes (never `Date()` themselves), so a
/// test or an embedding program can give them another clock.
public struct TesseraClock: Sendable {
    private let read: @Sendable () -> Milliseconds

    /// The system's wall clock.
    public init() { read = { Date().milliseconds } }
    public init(_ read: @escaping @Sendable () -> Milliseconds) { self.read = read }

    public func now() -> Milliseconds { read() }
}
