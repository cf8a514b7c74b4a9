import Foundation
import PostgresNIO
import TesseraStore

extension PostgresStore {
    static let tokenColumns = TokenRecord.columns
    static let userColumns = UserRecord.columns

    /// The user row, locked until the transaction ends: what serializes
    /// every change that depends on the user's state (the live-key count,
    /// deactivation) across instances.
    static func lockUser(_ connection: PostgresConnection, id: UUID, _ logger: Logger) async throws -> UserRecord? {
        try await connection.rows("SELECT \(unescaped: userColumns) FROM users WHERE id = \(id.text) FOR UPDATE", logger)
            .first.map { try UserRecord($0) }
    }

    public func createToken(_ new: NewToken, actor: EventActor, at time: Milliseconds) async throws -> TokenRecord {
        let logger = logger
        let clock = clock
        return try await transaction { connection in
            // The user row is locked first, so concurrent creations for one
            // service user count its live keys one after another.
            guard let user = try await Self.lockUser(connection, id: new.userID, logger), user.isActive,
                  (user.kind == .serviceUser) == (new.kind == .service) else {
                throw StoreError.userUnavailable
            }
            if user.kind == .serviceUser {
                let live = try await connection.rows("""
                    SELECT COUNT(*) FROM tokens WHERE user_id = \(user.id.text) AND (expires_at IS NULL OR expires_at > \(max(time, clock.now())))
                    """, logger).first?[0].decode(Int64.self) ?? 0
                if live >= StoreLimits.liveKeyLimit { throw StoreError.liveKeyLimit(limit: StoreLimits.liveKeyLimit) }
            }
            try await Self.orderInserts(connection, into: .tokens, logger)
            // Stamped once this is the only insert into tokens (as SQLite
            // does inside its write lock), so creation times follow list order.
            let time = max(time, clock.now())
            let id = UUID()
            let rows = try await connection.rows("""
                INSERT INTO tokens (id, kind, user_id, creator_user_id, label, access_level, digest, preview, created_at, expires_at)
                VALUES (\(id.text), \(new.kind.rawValue), \(new.userID.text), \(new.creatorUserID.text), \(new.label), \(new.accessLevel.rawValue),
                        \(Data(new.digest)), \(new.preview), \(time), \(new.expiresAt))
                RETURNING \(unescaped: Self.tokenColumns)
                """, logger)
            try await Self.record(connection, .apiTokenCreated, actor: actor, object: EventObject(id: id, type: "API_TOKEN", name: new.label),
                                  at: time, logger)
            return try TokenRecord(rows[0])
        }
    }

    public func token(id: UUID) async throws -> TokenRecord? {
        try await rows("SELECT \(unescaped: Self.tokenColumns) FROM tokens WHERE id = \(id.text)").first.map { try TokenRecord($0) }
    }

    public func credential(digest: [UInt8], access: Bool) async throws -> Credential? {
        let token = qualify(TokenRecord.columns, "t")
        let user = qualify(UserRecord.columns, "u")
        if access {
            guard let row = try await rows("""
                SELECT a.id, a.parent_id, a.created_at, a.expires_at, \(unescaped: token), \(unescaped: user)
                FROM access_tokens a JOIN tokens t ON t.id = a.parent_id JOIN users u ON u.id = t.user_id
                WHERE a.digest = \(Data(digest))
                """).first else { return nil }
            let accessToken = try AccessTokenRecord(id: row.id(0, "access_tokens.id"), parentID: row.id(1, "access_tokens.parent_id"),
                                                    createdAt: row[2].decode(Int64.self), expiresAt: row[3].decode(Int64.self))
            return try Credential(token: TokenRecord(row, at: 4), user: UserRecord(row, at: 4 + TokenRecord.columnCount),
                                  accessToken: accessToken)
        }
        // A current or a previous secret, in one round trip (two index probes).
        let bytes = Data(digest)
        guard let row = try await rows("""
            SELECT \(unescaped: token), \(unescaped: user) FROM tokens t JOIN users u ON u.id = t.user_id
            WHERE t.digest = \(bytes) OR t.previous_digest = \(bytes)
            """).first else { return nil }
        let found = try TokenRecord(row)
        return try Credential(token: found, user: UserRecord(row, at: TokenRecord.columnCount), accessToken: nil,
                              isPreviousSecret: found.digest != digest)
    }

    public func tokens(userID: UUID?, ids: [UUID]?, page request: PageRequest) async throws -> Page<TokenRecord> {
        var query = KeysetQuery(select: "SELECT \(Self.tokenColumns) FROM tokens")
        if let userID { query.filter("user_id =", .text(userID.text)) }
        if let ids {
            if ids.isEmpty { return Page(items: [], next: nil, previous: nil) }
            query.conditions.append("id = ANY(\(query.statement.bind(ids.map(\.text))))")
        }
        return try await query.page(self, request) { row in
            let token = try TokenRecord(row)
            return (token.seq, token)
        }
    }

    public func updateTokenLabel(id: UUID, label: String, actor: EventActor, at time: Milliseconds) async throws -> TokenRecord {
        let logger = logger
        return try await transaction { connection in
            guard let row = try await connection.rows("""
                UPDATE tokens SET label = \(label) WHERE id = \(id.text) RETURNING \(unescaped: Self.tokenColumns)
                """, logger).first else { throw StoreError.notFound }
            try await Self.record(connection, .apiTokenUpdated, actor: actor, object: EventObject(id: id, type: "API_TOKEN", name: label),
                                  at: time, logger)
            try await Self.publish(connection, [.token(id)], logger)
            return try TokenRecord(row)
        }
    }

    /// The claim is checked on the token row locked FOR UPDATE, so of
    /// regenerations through any number of instances one at a time sees
    /// the row, and each later one sees the winner's digest and stamp.
    public func regenerateToken(id: UUID, claim: RegenerationClaim, digest: [UInt8], preview: String, grace: GracePeriod?,
                                actor: EventActor, at time: Milliseconds) async throws -> TokenRecord {
        let logger = logger
        return try await transaction { connection in
            guard let row = try await connection.rows("""
                SELECT digest, secret_changed_at FROM tokens WHERE id = \(id.text) FOR UPDATE
                """, logger).first else { throw StoreError.notFound }
            let replaced = try row[0].decode(Data.self)
            guard try claim.admits(digest: [UInt8](replaced), stamp: row[1].decode(Int64?.self)) else {
                throw StoreError.changedConcurrently
            }
            let changed = claim.now()
            // The replaced secret becomes the previous one for the grace
            // period, or dies now; an earlier previous secret dies either way.
            guard let updated = try await connection.rows("""
                UPDATE tokens SET digest = \(Data(digest)), preview = \(preview), secret_changed_at = \(changed),
                                  previous_digest = \(grace.map { _ in replaced }), previous_secret_expires_at = \(grace?.until)
                WHERE id = \(id.text)
                RETURNING \(unescaped: Self.tokenColumns)
                """, logger).first else { throw StoreError.notFound }
            let token = try TokenRecord(updated)
            if let grace {
                // Those exchanged from the replaced secret live as long as it
                // does; those from an earlier one die with it.
                try await connection.query("""
                    DELETE FROM access_tokens WHERE parent_id = \(id.text) AND parent_digest IS NOT NULL AND parent_digest <> \(replaced)
                    """, logger: logger)
                try await connection.query("""
                    UPDATE access_tokens SET expires_at = LEAST(expires_at, \(grace.until)) WHERE parent_id = \(id.text)
                    """, logger: logger)
            } else {
                try await connection.query("DELETE FROM access_tokens WHERE parent_id = \(id.text)", logger: logger)
            }
            try await Self.record(connection, .apiTokenRegenerated, actor: actor,
                                  object: EventObject(id: id, type: "API_TOKEN", name: token.label), at: time,
                                  detail: grace.map { "grace period \($0.seconds) s" }, logger)
            try await Self.publish(connection, [.token(id)], logger)
            claim.stamping(changed)
            return token
        }
    }

    public func deleteToken(id: UUID, actor: EventActor, at time: Milliseconds) async throws -> TokenRecord {
        let logger = logger
        return try await transaction { connection in
            // Its access tokens go with it (ON DELETE CASCADE).
            guard let row = try await connection.rows("""
                DELETE FROM tokens WHERE id = \(id.text) RETURNING \(unescaped: Self.tokenColumns)
                """, logger).first else { throw StoreError.notFound }
            let token = try TokenRecord(row)
            try await Self.record(connection, .apiTokenDeleted, actor: actor, object: EventObject(id: id, type: "API_TOKEN", name: token.label),
                                  at: time, logger)
            try await Self.publish(connection, [.token(id)], logger)
            return token
        }
    }

    /// The key's row is locked FOR UPDATE (exchanges for one key count its
    /// access tokens one after another, and a regeneration or deletion
    /// waits or wins), its owner's FOR SHARE (a deactivation waits for the
    /// exchange, then deletes what it inserted, or wins and the exchange
    /// finds no active owner).
    public func createAccessToken(parentID: UUID, parentDigest: [UInt8], digest: [UInt8], preview: String, expiresAt: Milliseconds,
                                  actor: EventActor, at time: Milliseconds) async throws -> (token: AccessTokenRecord, revoked: [[UInt8]]) {
        let logger = logger
        return try await transaction { connection in
            guard let row = try await connection.rows("""
                SELECT \(unescaped: qualify(TokenRecord.columns, "t")) FROM tokens t JOIN users u ON u.id = t.user_id
                WHERE t.id = \(parentID.text) AND u.deactivated_at IS NULL
                  AND (t.digest = \(Data(parentDigest)) OR (t.previous_digest = \(Data(parentDigest)) AND t.previous_secret_expires_at > \(time)))
                FOR UPDATE OF t FOR SHARE OF u
                """, logger).first else { throw StoreError.notFound }
            let parent = try TokenRecord(row)
            let id = UUID()
            try await connection.query("""
                INSERT INTO access_tokens (id, parent_id, digest, preview, created_at, expires_at, parent_digest)
                VALUES (\(id.text), \(parentID.text), \(Data(digest)), \(preview), \(time), \(expiresAt), \(Data(parentDigest)))
                """, logger: logger)
            try await Self.record(connection, .accessTokenIssued, actor: actor,
                                  object: EventObject(id: parentID, type: "API_TOKEN", name: parent.label), at: time, logger)
            // Expired ones go first (they are dead anyway), then the oldest
            // live ones beyond the limit.
            try await connection.query("DELETE FROM access_tokens WHERE parent_id = \(parentID.text) AND expires_at <= \(time)", logger: logger)
            let excess = try await connection.rows("""
                DELETE FROM access_tokens WHERE seq IN (
                    SELECT seq FROM access_tokens WHERE parent_id = \(parentID.text) ORDER BY seq DESC OFFSET \(Int64(StoreLimits.accessTokenLimit))
                ) RETURNING seq, digest
                """, logger).map { (seq: try $0[0].decode(Int64.self), digest: [UInt8](try $0[1].decode(Data.self))) }
            let revoked = excess.sorted { $0.seq > $1.seq }.map(\.digest)
            try await Self.publish(connection, revoked.map { .digest($0) }, logger)
            return (AccessTokenRecord(id: id, parentID: parentID, createdAt: time, expiresAt: expiresAt), revoked)
        }
    }

    /// The rows are locked in id order before the one UPDATE, so flushes
    /// from several instances never deadlock; `last_used_ips` is merged
    /// with what the lock read, so no instance's addresses are lost.
    public func flushLastUsed(_ uses: [UUID: TokenUse], now: Milliseconds) async throws {
        guard !uses.isEmpty else { return }
        let sorted = uses.map { (key: $0.key.text, value: $0.value) }.sorted { $0.key < $1.key }
        let ids = sorted.map(\.key)
        let times = sorted.map(\.value.time)
        let logger = logger
        try await transaction { connection in
            let locked = try await connection.rows(
                "SELECT id, last_used_ips FROM tokens WHERE id = ANY(\(ids)) ORDER BY id FOR UPDATE", logger)
            var stored: [String: String?] = [:]
            for row in locked { stored[try row[0].decode(String.self)] = try row[1].decode(String?.self) }
            // '' keeps the stored list (no new address for that token).
            let addresses: [String] = sorted.map { id, use in
                guard !use.addresses.isEmpty, let old = stored[id] else { return "" }
                return LastUsedIPs.text(LastUsedIPs.merge(use.addresses, LastUsedIPs.list(old))) ?? ""
            }
            try await connection.query("""
                UPDATE tokens t SET last_used_at = GREATEST(COALESCE(t.last_used_at, 0), v.time),
                                    last_used_ips = COALESCE(NULLIF(v.ips, ''), t.last_used_ips)
                FROM unnest(\(ids)::text[], \(times)::bigint[], \(addresses)::text[]) AS v(id, time, ips) WHERE t.id = v.id
                """, logger: logger)
        }
    }

    @discardableResult
    public func pruneExpiredAccessTokens(now: Milliseconds) async throws -> Int {
        try await count("""
            WITH gone AS (DELETE FROM access_tokens WHERE expires_at <= \(now) RETURNING 1) SELECT COUNT(*) FROM gone
            """)
    }

    /// The first column of the first row, as a count.
    func count(_ query: PostgresQuery) async throws -> Int {
        Int(try await rows(query).first?[0].decode(Int64.self) ?? 0)
    }
}

extension PostgresStore {
    /// Each row is deleted (or, for a previous secret, cleared) by the
    /// statement that finds it, so of concurrent revocations one writes;
    /// the other instances are told once, at the end.
    public func revokeSecrets(_ secrets: [SecretToRevoke], at time: Milliseconds) async throws -> [RevokedSecret?] {
        guard !secrets.isEmpty else { return [] }
        let logger = logger
        return try await transaction { connection in
            var results: [RevokedSecret?] = []
            var invalidations: [Invalidation] = []
            for secret in secrets {
                let result = try await Self.revoke(secret, connection, at: time, logger)
                switch result {
                case .token(let token)?, .previousSecret(let token)?: invalidations.append(.token(token.id))
                case .accessToken?: invalidations.append(.digest(secret.digest))
                case nil: break
                }
                results.append(result)
            }
            try await Self.publish(connection, invalidations, logger)
            return results
        }
    }

    private static func revoke(_ secret: SecretToRevoke, _ connection: PostgresConnection, at time: Milliseconds,
                               _ logger: Logger) async throws -> RevokedSecret? {
        let digest = Data(secret.digest)
        let revocation = secret.revocation
        if secret.access {
            guard let row = try await connection.rows("""
                DELETE FROM access_tokens WHERE digest = \(digest) RETURNING id, parent_id, created_at, expires_at
                """, logger).first else { return nil }
            let accessToken = try AccessTokenRecord(id: row.id(0, "access_tokens.id"), parentID: row.id(1, "access_tokens.parent_id"),
                                                    createdAt: row[2].decode(Int64.self), expiresAt: row[3].decode(Int64.self))
            guard let parent = try await connection.rows("""
                SELECT \(unescaped: tokenColumns) FROM tokens WHERE id = \(accessToken.parentID.text)
                """, logger).first.map({ try TokenRecord($0) }) else { return nil }
            try await record(connection, revocation.event, actor: revocation.actor(for: parent),
                             object: EventObject(id: parent.id, type: "ACCESS_TOKEN", name: parent.label), at: time,
                             detail: revocation.detail, logger)
            return .accessToken(accessToken)
        }
        if let row = try await connection.rows("""
            DELETE FROM tokens WHERE digest = \(digest) RETURNING \(unescaped: tokenColumns)
            """, logger).first {
            let token = try TokenRecord(row)
            try await record(connection, revocation.event, actor: revocation.actor(for: token),
                             object: EventObject(id: token.id, type: "API_TOKEN", name: token.label), at: time,
                             detail: revocation.detail, logger)
            return .token(token)
        }
        guard let row = try await connection.rows("""
            UPDATE tokens SET previous_digest = NULL, previous_secret_expires_at = NULL WHERE previous_digest = \(digest)
            RETURNING \(unescaped: tokenColumns)
            """, logger).first else { return nil }
        let token = try TokenRecord(row)
        // With the access tokens exchanged from it.
        try await connection.query("DELETE FROM access_tokens WHERE parent_id = \(token.id.text) AND parent_digest = \(digest)",
                                   logger: logger)
        try await record(connection, revocation.event, actor: revocation.actor(for: token),
                         object: EventObject(id: token.id, type: "API_TOKEN", name: token.label), at: time,
                         detail: revocation.previousSecretDetail, logger)
        return .previousSecret(token)
    }
}
