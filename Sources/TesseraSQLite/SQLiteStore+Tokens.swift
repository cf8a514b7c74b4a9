import Foundation
import GRDB
import TesseraStore

extension SQLiteStore {
    /// Stores a token for an active user of the right kind (`.personal` for
    /// people, `.service` for service users; else `.userUnavailable`). A service
    /// user already holding `liveKeyLimit` unexpired keys gets
    /// `.liveKeyLimit`: the count and the insert share one write
    /// transaction, and SQLite has one writer, so concurrent requests
    /// cannot both take the last slot.
    public func createToken(_ new: NewToken, actor: EventActor, at time: Milliseconds) async throws -> TokenRecord {
        try await write { db in
            // Stamped inside the write lock, so creation times follow list order.
            let time = max(time, self.clock.now())
            guard let user = try Self.user(db, id: new.userID), user.isActive,
                  (user.kind == .serviceUser) == (new.kind == .service) else {
                throw StoreError.userUnavailable
            }
            if user.kind == .serviceUser {
                let live = try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM tokens WHERE user_id = ? AND (expires_at IS NULL OR expires_at > ?)
                    """, arguments: [user.id.text, time]) ?? 0
                if live >= StoreLimits.liveKeyLimit { throw StoreError.liveKeyLimit(limit: StoreLimits.liveKeyLimit) }
            }
            let id = UUID()
            try db.execute(sql: """
                INSERT INTO tokens (id, kind, user_id, creator_user_id, label, access_level, digest, preview, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id.text, new.kind.rawValue, new.userID.text, new.creatorUserID.text, new.label, new.accessLevel.rawValue,
                                 Data(new.digest), new.preview, time, new.expiresAt])
            try Self.record(db, .apiTokenCreated, actor: actor, object: EventObject(id: id, type: "API_TOKEN", name: new.label), at: time)
            return try Self.token(db, id: id)!
        }
    }

    static func token(_ db: Database, id: UUID) throws -> TokenRecord? {
        try Row.fetchOne(db, sql: "SELECT \(TokenRecord.columns) FROM tokens WHERE id = ?", arguments: [id.text]).map(TokenRecord.init(row:))
    }

    public func token(id: UUID) async throws -> TokenRecord? {
        try readOnCallingThread { db in try Self.token(db, id: id) }
    }

    /// The credential a secret's digest names, whatever its state (the
    /// caller checks expiry, deactivation and a grace period); nil when
    /// unknown. A current secret is looked up first (one index probe, the
    /// common case), then a previous one.
    public func credential(digest: [UInt8], access: Bool) async throws -> Credential? {
        try readOnCallingThread { db in
            let digest = Data(digest)
            if access {
                guard let accessToken = try Self.accessToken(db, digest: digest),
                      let token = try Self.token(db, id: accessToken.parentID), let user = try Self.user(db, id: token.userID) else { return nil }
                return Credential(token: token, user: user, accessToken: accessToken)
            }
            var isPrevious = false
            var found = try Self.token(db, digest: digest)
            if found == nil {
                found = try Self.token(db, previousDigest: digest)
                isPrevious = true
            }
            guard let token = found, let user = try Self.user(db, id: token.userID) else { return nil }
            return Credential(token: token, user: user, accessToken: nil, isPreviousSecret: isPrevious)
        }
    }

    /// The access token whose secret has `digest`.
    static func accessToken(_ db: Database, digest: Data) throws -> AccessTokenRecord? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT id, parent_id, created_at, expires_at FROM access_tokens WHERE digest = ?
            """, arguments: [digest]) else { return nil }
        return AccessTokenRecord(id: try row.id(0, "access_tokens.id"), parentID: try row.id(1, "access_tokens.parent_id"),
                                 createdAt: row[2], expiresAt: row[3])
    }

    /// The token whose current secret has `digest`.
    static func token(_ db: Database, digest: Data) throws -> TokenRecord? {
        try Row.fetchOne(db, sql: "SELECT \(TokenRecord.columns) FROM tokens WHERE digest = ?", arguments: [digest]).map(TokenRecord.init(row:))
    }

    /// The token whose previous secret (in a grace period, or one that ended) has `digest`.
    static func token(_ db: Database, previousDigest digest: Data) throws -> TokenRecord? {
        try Row.fetchOne(db, sql: "SELECT \(TokenRecord.columns) FROM tokens WHERE previous_digest = ?", arguments: [digest])
            .map(TokenRecord.init(row:))
    }

    /// Tokens (not access tokens), oldest first (newest first with
    /// `request.newestFirst`), filtered by owner and ids.
    public func tokens(userID: UUID?, ids: [UUID]?, page request: PageRequest) async throws -> Page<TokenRecord> {
        try readOnCallingThread { db in
            var query = KeysetQuery(select: "SELECT \(TokenRecord.columns) FROM tokens", seqColumn: "seq")
            if let userID { query.filter("user_id = ?", [userID.text]) }
            if let ids {
                if ids.isEmpty { return Page(items: [], next: nil, previous: nil) }
                query.filter("id IN (\(Array(repeating: "?", count: ids.count).joined(separator: ", ")))", ids.map(\.text))
            }
            return try query.page(db, request) { row in (row[0], try TokenRecord(row: row)) }
        }
    }

    public func updateTokenLabel(id: UUID, label: String, actor: EventActor, at time: Milliseconds) async throws -> TokenRecord {
        try await write { db in
            try db.execute(sql: "UPDATE tokens SET label = ? WHERE id = ?", arguments: [label, id.text])
            guard db.changesCount > 0, let token = try Self.token(db, id: id) else { throw StoreError.notFound }
            try Self.record(db, .apiTokenUpdated, actor: actor, object: EventObject(id: id, type: "API_TOKEN", name: label), at: time)
            return token
        }
    }

    /// Gives a token a new secret (same id, label, level and expiry); its
    /// access tokens die with the old secret.
    ///
    /// Of concurrent regenerations exactly one wins; the others get
    /// `.changedConcurrently` and write nothing, so no caller is handed a
    /// secret that a regeneration running beside it replaced. A request
    /// loses when the token no longer has the secret it read, when the
    /// secret was changed after the request arrived (`secret_changed_at`,
    /// stamped in microseconds inside the transaction), or when the change
    /// before it was still being answered when it arrived (`overlaps`).
    public func regenerateToken(id: UUID, claim: RegenerationClaim, digest: [UInt8], preview: String, grace: GracePeriod?,
                                actor: EventActor, at time: Milliseconds) async throws -> TokenRecord {
        try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT digest, secret_changed_at FROM tokens WHERE id = ?", arguments: [id.text]) else {
                throw StoreError.notFound
            }
            guard claim.admits(digest: [UInt8](row[0] as Data), stamp: row[1]) else {
                throw StoreError.changedConcurrently
            }
            let changed = claim.now()
            // The replaced secret becomes the previous one for the grace
            // period, or dies now; an earlier previous secret dies either way.
            try db.execute(sql: """
                UPDATE tokens SET digest = ?, preview = ?, secret_changed_at = ?, previous_digest = ?, previous_secret_expires_at = ?
                WHERE id = ?
                """, arguments: [Data(digest), preview, changed, grace.map { _ in row[0] as Data }, grace?.until, id.text])
            guard let token = try Self.token(db, id: id) else { throw StoreError.notFound }
            if let grace {
                // Those exchanged from the replaced secret live as long as it
                // does; those from an earlier one die with it.
                try db.execute(sql: """
                    DELETE FROM access_tokens WHERE parent_id = ? AND parent_digest IS NOT NULL AND parent_digest <> ?
                    """, arguments: [id.text, row[0] as Data])
                try db.execute(sql: "UPDATE access_tokens SET expires_at = MIN(expires_at, ?) WHERE parent_id = ?",
                               arguments: [grace.until, id.text])
            } else {
                try db.execute(sql: "DELETE FROM access_tokens WHERE parent_id = ?", arguments: [id.text])
            }
            try Self.record(db, .apiTokenRegenerated, actor: actor, object: EventObject(id: id, type: "API_TOKEN", name: token.label), at: time,
                            detail: grace.map { "grace period \($0.seconds) s" })
            claim.stamping(changed)
            return token
        }
    }

    /// Deletes a token and its access tokens.
    public func deleteToken(id: UUID, actor: EventActor, at time: Milliseconds) async throws -> TokenRecord {
        try await write { db in
            guard let token = try Self.token(db, id: id) else { throw StoreError.notFound }
            try db.execute(sql: "DELETE FROM tokens WHERE id = ?", arguments: [id.text])
            try Self.record(db, .apiTokenDeleted, actor: actor, object: EventObject(id: id, type: "API_TOKEN", name: token.label), at: time)
            return token
        }
    }

    /// Stores an access token exchanged for key `parentID`, if the key still
    /// has the secret `parentDigest` and an active owner (`.notFound`
    /// otherwise: it was deleted, regenerated or deactivated meanwhile).
    /// When the key then holds more than `accessTokenLimit` live access
    /// tokens, the oldest are deleted in the same transaction; their digests
    /// are returned, for the caller to forget whatever it cached of them.
    public func createAccessToken(parentID: UUID, parentDigest: [UInt8], digest: [UInt8], preview: String, expiresAt: Milliseconds,
                                  actor: EventActor, at time: Milliseconds) async throws -> (token: AccessTokenRecord, revoked: [[UInt8]]) {
        try await write { db in
            guard let parent = try Row.fetchOne(db, sql: """
                SELECT \(TokenRecord.qualifiedColumns) FROM tokens t JOIN users u ON u.id = t.user_id
                WHERE t.id = ? AND (t.digest = ? OR (t.previous_digest = ? AND t.previous_secret_expires_at > ?)) AND u.deactivated_at IS NULL
                """, arguments: [parentID.text, Data(parentDigest), Data(parentDigest), time]).map(TokenRecord.init(row:)) else {
                throw StoreError.notFound
            }
            let id = UUID()
            try db.execute(sql: """
                INSERT INTO access_tokens (id, parent_id, digest, preview, created_at, expires_at, parent_digest) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id.text, parentID.text, Data(digest), preview, time, expiresAt, Data(parentDigest)])
            try Self.record(db, .accessTokenIssued, actor: actor, object: EventObject(id: parentID, type: "API_TOKEN", name: parent.label), at: time)
            // Expired ones go first (they are dead anyway), then the oldest
            // live ones beyond the limit.
            try db.execute(sql: "DELETE FROM access_tokens WHERE parent_id = ? AND expires_at <= ?", arguments: [parentID.text, time])
            let excess = try Row.fetchAll(db, sql: """
                SELECT seq, digest FROM access_tokens WHERE parent_id = ? ORDER BY seq DESC LIMIT -1 OFFSET ?
                """, arguments: [parentID.text, StoreLimits.accessTokenLimit])
            var revoked: [[UInt8]] = []
            for row in excess {
                try db.execute(sql: "DELETE FROM access_tokens WHERE seq = ?", arguments: [row[0] as Int64])
                revoked.append([UInt8](row[1] as Data))
            }
            return (AccessTokenRecord(id: id, parentID: parentID, createdAt: time, expiresAt: expiresAt), revoked)
        }
    }

    /// Writes coalesced `last_used_at` times (never moving one backwards)
    /// and merges new addresses into `last_used_ips`, read and written in
    /// the one write transaction (SQLite's single writer: no other
    /// process's flush interleaves).
    public func flushLastUsed(_ uses: [UUID: TokenUse], now: Milliseconds) async throws {
        guard !uses.isEmpty else { return }
        try await write { db in
            let time = try db.cachedStatement(sql: """
                UPDATE tokens SET last_used_at = MAX(COALESCE(last_used_at, 0), ?) WHERE id = ?
                """)
            let read = try db.cachedStatement(sql: "SELECT last_used_ips FROM tokens WHERE id = ?")
            let addresses = try db.cachedStatement(sql: "UPDATE tokens SET last_used_ips = ? WHERE id = ?")
            for (id, use) in uses.map({ (id: $0.key.text, use: $0.value) }).sorted(by: { $0.id < $1.id }) {
                try time.execute(arguments: [use.time, id])
                guard !use.addresses.isEmpty, let row = try Row.fetchOne(read, arguments: [id]) else { continue }
                let merged = LastUsedIPs.merge(use.addresses, LastUsedIPs.list(row[0]))
                try addresses.execute(arguments: [LastUsedIPs.text(merged), id])
            }
        }
    }

    /// Deletes access tokens that expired before `now`; returns how many.
    @discardableResult
    public func pruneExpiredAccessTokens(now: Milliseconds) async throws -> Int {
        try await write { db in
            try db.execute(sql: "DELETE FROM access_tokens WHERE expires_at <= ?", arguments: [now])
            return db.changesCount
        }
    }
}

extension SQLiteStore {
    /// One write transaction: each row found is the row deleted.
    public func revokeSecrets(_ secrets: [SecretToRevoke], at time: Milliseconds) async throws -> [RevokedSecret?] {
        guard !secrets.isEmpty else { return [] }
        return try await write { db in
            try secrets.map { try Self.revoke($0, db, at: time) }
        }
    }

    private static func revoke(_ secret: SecretToRevoke, _ db: Database, at time: Milliseconds) throws -> RevokedSecret? {
        let digest = Data(secret.digest)
        let revocation = secret.revocation
        if secret.access {
            guard let accessToken = try accessToken(db, digest: digest), let parent = try token(db, id: accessToken.parentID) else { return nil }
            try db.execute(sql: "DELETE FROM access_tokens WHERE id = ?", arguments: [accessToken.id.text])
            try record(db, revocation.event, actor: revocation.actor(for: parent),
                       object: EventObject(id: parent.id, type: "ACCESS_TOKEN", name: parent.label), at: time, detail: revocation.detail)
            return .accessToken(accessToken)
        }
        if let found = try token(db, digest: digest) {
            try db.execute(sql: "DELETE FROM tokens WHERE id = ?", arguments: [found.id.text])
            try record(db, revocation.event, actor: revocation.actor(for: found),
                       object: EventObject(id: found.id, type: "API_TOKEN", name: found.label), at: time, detail: revocation.detail)
            return .token(found)
        }
        guard let found = try token(db, previousDigest: digest) else { return nil }
        try db.execute(sql: "UPDATE tokens SET previous_digest = NULL, previous_secret_expires_at = NULL WHERE id = ?",
                       arguments: [found.id.text])
        // With the access tokens exchanged from it.
        try db.execute(sql: "DELETE FROM access_tokens WHERE parent_id = ? AND parent_digest = ?", arguments: [found.id.text, digest])
        try record(db, revocation.event, actor: revocation.actor(for: found),
                   object: EventObject(id: found.id, type: "API_TOKEN", name: found.label), at: time, detail: revocation.previousSecretDetail)
        return .previousSecret(found)
    }
}
