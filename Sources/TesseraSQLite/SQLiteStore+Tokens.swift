import Foundation
import GRDB
import TesseraStore

extension SQLiteStore {
    /// Stores a token for an active user of the right kind (`tsp` for
    /// people, `tss` for service users; else `.userUnavailable`). A service
    /// user already holding `liveKeyLimit` unexpired keys gets
    /// `.liveKeyLimit`: the count and the insert share one write
    /// transaction, and SQLite has one writer, so concurrent requests
    /// cannot both take the last slot.
    public func createToken(_ new: NewToken, actor: Actor, at time: Milliseconds) async throws -> TokenRecord {
        try await write { db in
            // Stamped inside the write lock, so creation times follow list order.
            let time = max(time, Date().milliseconds)
            guard let user = try Self.user(db, id: new.userID), user.isActive,
                  (user.kind == .serviceUser) == (new.kind == "tss") else {
                throw StoreError.userUnavailable
            }
            if user.kind == .serviceUser {
                let live = try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM tokens WHERE user_id = ? AND (expires_at IS NULL OR expires_at > ?)
                    """, arguments: [user.id, time]) ?? 0
                if live >= StoreLimits.liveKeyLimit { throw StoreError.liveKeyLimit(limit: StoreLimits.liveKeyLimit) }
            }
            let id = newID()
            try db.execute(sql: """
                INSERT INTO tokens (id, kind, user_id, creator_user_id, label, access_level, digest, preview, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, new.kind, new.userID, new.creatorUserID, new.label, new.accessLevel.rawValue,
                                 Data(new.digest), new.preview, time, new.expiresAt])
            try Self.record(db, .apiTokenCreated, actor: actor, object: EventObject(id: id, type: "API_TOKEN", name: new.label), at: time)
            return try Self.token(db, id: id)!
        }
    }

    static func token(_ db: Database, id: String) throws -> TokenRecord? {
        try Row.fetchOne(db, sql: "SELECT \(TokenRecord.columns) FROM tokens WHERE id = ?", arguments: [id]).map(TokenRecord.init(row:))
    }

    public func token(id: String) async throws -> TokenRecord? {
        try readNow { db in try Self.token(db, id: id) }
    }

    /// The credential a secret's digest names, whatever its state (the
    /// caller checks expiry and deactivation); nil when unknown.
    public func credential(digest: [UInt8], access: Bool) async throws -> Credential? {
        try readNow { db in
            if access {
                guard let row = try Row.fetchOne(db, sql: """
                    SELECT id, parent_id, created_at, expires_at FROM access_tokens WHERE digest = ?
                    """, arguments: [Data(digest)]) else { return nil }
                let accessToken = AccessTokenRecord(id: row["id"], parentID: row["parent_id"], createdAt: row["created_at"], expiresAt: row["expires_at"])
                guard let token = try Self.token(db, id: accessToken.parentID), let user = try Self.user(db, id: token.userID) else { return nil }
                return Credential(token: token, user: user, accessToken: accessToken)
            }
            guard let token = try Row.fetchOne(db, sql: "SELECT \(TokenRecord.columns) FROM tokens WHERE digest = ?",
                                               arguments: [Data(digest)]).map(TokenRecord.init(row:)),
                  let user = try Self.user(db, id: token.userID) else { return nil }
            return Credential(token: token, user: user, accessToken: nil)
        }
    }

    /// Tokens (not access tokens), oldest first, filtered by owner and ids.
    public func tokens(userID: String?, ids: [String]?, page request: PageRequest) async throws -> Page<TokenRecord> {
        try readNow { db in
            var query = KeysetQuery(select: "SELECT \(TokenRecord.columns) FROM tokens", seqColumn: "seq")
            if let userID { query.filter("user_id = ?", [userID]) }
            if let ids {
                if ids.isEmpty { return Page(items: [], next: nil, previous: nil) }
                query.filter("id IN (\(Array(repeating: "?", count: ids.count).joined(separator: ", ")))", ids)
            }
            return try query.page(db, request) { row in (row[0], TokenRecord(row: row)) }
        }
    }

    public func updateTokenLabel(id: String, label: String, actor: Actor, at time: Milliseconds) async throws -> TokenRecord {
        try await write { db in
            try db.execute(sql: "UPDATE tokens SET label = ? WHERE id = ?", arguments: [label, id])
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
    public func regenerateToken(id: String, claim: RegenerationClaim, digest: [UInt8], preview: String,
                                actor: Actor, at time: Milliseconds) async throws -> TokenRecord {
        try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT digest, secret_changed_at FROM tokens WHERE id = ?", arguments: [id]) else {
                throw StoreError.notFound
            }
            guard claim.admits(digest: [UInt8](row[0] as Data), stamp: row[1]) else {
                throw StoreError.changedConcurrently
            }
            let changed = claim.now()
            try db.execute(sql: "UPDATE tokens SET digest = ?, preview = ?, secret_changed_at = ? WHERE id = ?",
                           arguments: [Data(digest), preview, changed, id])
            guard let token = try Self.token(db, id: id) else { throw StoreError.notFound }
            try db.execute(sql: "DELETE FROM access_tokens WHERE parent_id = ?", arguments: [id])
            try Self.record(db, .apiTokenRegenerated, actor: actor, object: EventObject(id: id, type: "API_TOKEN", name: token.label), at: time)
            claim.stamping(changed)
            return token
        }
    }

    /// Deletes a token and its access tokens.
    public func deleteToken(id: String, actor: Actor, at time: Milliseconds) async throws -> TokenRecord {
        try await write { db in
            guard let token = try Self.token(db, id: id) else { throw StoreError.notFound }
            try db.execute(sql: "DELETE FROM tokens WHERE id = ?", arguments: [id])
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
    public func createAccessToken(parentID: String, parentDigest: [UInt8], digest: [UInt8], preview: String, expiresAt: Milliseconds,
                                  actor: Actor, at time: Milliseconds) async throws -> (token: AccessTokenRecord, revoked: [[UInt8]]) {
        try await write { db in
            guard let parent = try Row.fetchOne(db, sql: """
                SELECT \(TokenRecord.qualifiedColumns) FROM tokens t JOIN users u ON u.id = t.user_id
                WHERE t.id = ? AND t.digest = ? AND u.deactivated_at IS NULL
                """, arguments: [parentID, Data(parentDigest)]).map(TokenRecord.init(row:)) else { throw StoreError.notFound }
            let id = newID()
            try db.execute(sql: """
                INSERT INTO access_tokens (id, parent_id, digest, preview, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [id, parentID, Data(digest), preview, time, expiresAt])
            try Self.record(db, .accessTokenIssued, actor: actor, object: EventObject(id: parentID, type: "API_TOKEN", name: parent.label), at: time)
            // Expired ones go first (they are dead anyway), then the oldest
            // live ones beyond the limit.
            try db.execute(sql: "DELETE FROM access_tokens WHERE parent_id = ? AND expires_at <= ?", arguments: [parentID, time])
            let excess = try Row.fetchAll(db, sql: """
                SELECT seq, digest FROM access_tokens WHERE parent_id = ? ORDER BY seq DESC LIMIT -1 OFFSET ?
                """, arguments: [parentID, StoreLimits.accessTokenLimit])
            var revoked: [[UInt8]] = []
            for row in excess {
                try db.execute(sql: "DELETE FROM access_tokens WHERE seq = ?", arguments: [row[0] as Int64])
                revoked.append([UInt8](row[1] as Data))
            }
            return (AccessTokenRecord(id: id, parentID: parentID, createdAt: time, expiresAt: expiresAt), revoked)
        }
    }

    /// Writes coalesced `last_used_at` times (never moving one backwards)
    /// and drops access tokens that expired before `now`.
    public func flushLastUsed(_ times: [String: Milliseconds], now: Milliseconds) async throws {
        guard !times.isEmpty else { return }
        try await write { db in
            let statement = try db.cachedStatement(sql: """
                UPDATE tokens SET last_used_at = MAX(COALESCE(last_used_at, 0), ?) WHERE id = ?
                """)
            for (id, time) in times.sorted(by: { $0.key < $1.key }) {
                try statement.execute(arguments: [time, id])
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
