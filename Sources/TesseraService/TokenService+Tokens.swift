import APIServer
import Foundation
import TesseraAPI
import TesseraCore
import TesseraStore

extension TokenService {
    public func getTokens(_ input: Operations.GetTokens.Input, context: OperationContext<Caller>) async throws -> Operations.GetTokens.Output {
        var request = try pageRequest(cursor: input.cursor, size: input.pageSize)
        request.newestFirst = input.newestFirst
        let page = try await store.tokens(
            userID: input.userID,
            ids: input.tokenIDs,
            page: request
        )
        return .ok(Schemas.PaginatedTokensList(next: .some(page.next), previous: .some(page.previous), results: page.items.map { token($0) }))
    }

    /// `POST /tokens`. A caller issues a token to itself, or (admins only)
    /// to another user named by `user_id`: that is how an admin hands a
    /// member or a service user its first token. Members may create their
    /// own tokens only while `allow_all_users_to_create_pats` is on.
    public func createToken(_ input: Operations.CreateToken.Input, context: OperationContext<Caller>) async throws -> Operations.CreateToken.Output {
        let caller = try caller(context)
        let body = input.body
        let targetID = body.userID ?? caller.user.id
        let now = clock.now()
        let settings = try await store.settings()
        if targetID != caller.user.id {
            guard caller.isAdmin else {
                throw APIError(.forbidden, "Only admins may issue tokens to other users.")
            }
        } else if caller.user.kind == .serviceUser {
            // Whatever its role and the PAT setting: a service user's keys
            // are issued by an admin, so a key can never extend itself.
            throw APIError(.forbidden, "A service user cannot create its own keys; an admin issues them.")
        } else if !caller.isAdmin && !settings.allowAllUsersToCreatePATs {
            throw APIError(.forbidden, "Members may not create tokens in this organization; ask an admin to issue one.")
        }
        guard let target = try await store.user(id: targetID), target.isActive else {
            throw APIError(.unprocessableEntity, "The user \(targetID.text) is unknown or deactivated.")
        }
        let expiresAt = try expiry(requested: body.expiresAt, settings: settings, now: now)
        let kind: TokenKind = target.kind == .serviceUser ? .service : .personal
        let secret = TokenSecret.generate(kind)
        let record = try await translatingStoreErrors {
            try await store.createToken(
                NewToken(kind: kind, userID: target.id, creatorUserID: caller.user.id, label: body.tokenLabel,
                         accessLevel: body.accessLevel == .fullAccess ? .fullAccess : .readOnly,
                         digest: secret.digest.bytes, preview: secret.preview, expiresAt: expiresAt),
                actor: actor(caller, context), at: now
            )
        }
        return .created(Schemas.CreatedToken(token: token(record), secret: secret.text))
    }

    /// A new token's expiry: the requested one if it is in the future and
    /// within `max_token_lifetime_days`; none requested means the limit
    /// (or never, without a limit).
    func expiry(requested: Date?, settings: SettingsRecord, now: Milliseconds) throws -> Milliseconds? {
        let limit = settings.maxTokenLifetimeDays.map { now + Milliseconds($0) * 86_400_000 }
        guard let requested else { return limit }
        let time = requested.milliseconds
        if time <= now {
            throw APIError.field("expires_at", "must be in the future")
        }
        if let limit, time > limit {
            throw APIError.field("expires_at", "must be at most \(settings.maxTokenLifetimeDays!) days from now (max_token_lifetime_days)")
        }
        return time
    }

    public func getToken(_ input: Operations.GetToken.Input, context: OperationContext<Caller>) async throws -> Operations.GetToken.Output {
        .ok(token(try await visibleToken(input.tokenID, to: try caller(context))))
    }

    public func updateToken(_ input: Operations.UpdateToken.Input, context: OperationContext<Caller>) async throws -> Operations.UpdateToken.Output {
        let caller = try caller(context)
        let existing = try await visibleToken(input.tokenID, to: caller)
        let record = try await translatingStoreErrors {
            try await store.updateTokenLabel(id: existing.id, label: input.body.tokenLabel, actor: actor(caller, context), at: clock.now())
        }
        verifier.invalidate(tokenID: record.id)
        try await peersCaughtUp()
        return .ok(token(record))
    }

    /// Opal's rule: admins delete any token; others only their own, and only
    /// while the organization allows all users to create tokens.
    public func deleteToken(_ input: Operations.DeleteToken.Input, context: OperationContext<Caller>) async throws -> Operations.DeleteToken.Output {
        let caller = try caller(context)
        let existing = try await visibleToken(input.tokenID, to: caller)
        if !caller.isAdmin, !(try await store.settings().allowAllUsersToCreatePATs) {
            throw APIError(.forbidden, "Members may delete their tokens only when the organization allows all users to create tokens.")
        }
        _ = try await translatingStoreErrors { try await store.deleteToken(id: existing.id, actor: actor(caller, context), at: clock.now()) }
        verifier.invalidate(tokenID: existing.id)
        lastUsed.forget(existing.id)
        try await peersCaughtUp()
        return .ok
    }

    /// How long a regeneration waits between its commit and its answer:
    /// longer than a loaded server takes to read requests that arrived
    /// with it (seen at up to 200 ms with a load average of 10 on 2 cores).
    static let regenerationSettling: Duration = .milliseconds(500)

    /// A new secret for the same token; the old one (and every access token
    /// exchanged for it) stops working before this returns. Owners may
    /// always rotate their own tokens: it grants nothing new.
    public func regenerateToken(_ input: Operations.RegenerateToken.Input, context: OperationContext<Caller>) async throws -> Operations.RegenerateToken.Output {
        let caller = try caller(context)
        let existing = try await visibleToken(input.tokenID, to: caller)
        let secret = TokenSecret.generate(existing.kind)
        let now = clock.now()
        let graceSeconds = input.body?.gracePeriodSeconds ?? 0
        // Never past the token's own expiry.
        let grace = graceSeconds > 0
            ? GracePeriod(seconds: graceSeconds, until: min(now + Milliseconds(graceSeconds) * 1000, existing.expiresAt ?? .max))
            : nil
        let id = existing.id
        let ledger = regenerations
        let claim = RegenerationClaim(
            replacing: existing.digest, began: context.receivedAt,
            overlaps: { ledger.overlaps(id, stamp: $0, began: context.receivedAt) },
            stamping: { ledger.stamping(id, stamp: $0) },
            now: WallClock.microseconds
        )
        _ = try await translatingStoreErrors {
            try await store.regenerateToken(id: id, claim: claim, digest: secret.digest.bytes, preview: secret.preview, grace: grace,
                                            actor: actor(caller, context), at: now)
        }
        // Whatever happens from here, the change counts as answered when
        // this returns, so it never refuses later regenerations.
        defer { ledger.answered(id, at: WallClock.microseconds()) }
        verifier.invalidate(tokenID: existing.id)
        try await peersCaughtUp()
        // A settling pause before answering: a regeneration of this token
        // that arrives meanwhile was sent before this answer, so it is
        // concurrent and loses (409), even when a busy server reads it
        // only after this one committed. A client that waits for this
        // answer before regenerating again is never refused.
        try? await Task.sleep(for: Self.regenerationSettling)
        // A concurrent regeneration through another instance may have won
        // meanwhile: then this secret is already dead, and is not handed out.
        guard let current = try await store.token(id: id) else { throw storeFailure(.notFound) }
        guard current.digest == secret.digest.bytes else { throw storeFailure(.changedConcurrently) }
        // The token as read now, not before the pause: uses flushed
        // meanwhile (`last_used_at`, `last_used_ips`) are in it.
        return .ok(Schemas.CreatedToken(token: token(current), secret: secret.text))
    }

    public func getSelf(_ input: Operations.GetSelf.Input, context: OperationContext<Caller>) async throws -> Operations.GetSelf.Output {
        let caller = try caller(context)
        var token = caller.published.token
        token.lastUsedAt = .some(Self.lastUsedAt(stored: caller.token.lastUsedAt, recent: caller.usage.latestTime))
        token.lastUsedIps = caller.usage.lastUsedIPs
        if caller.token.previousSecretExpiresAt != nil {
            token.previousSecretExpiresAt = .some(Self.previousSecretExpiresAt(caller.token, now: clock.now()))
        }
        return .ok(Schemas.SelfResponse(
            identity: caller.published.identity,
            token: token,
            accessTokenExpiresAt: caller.accessTokenExpiresAt.map(Date.init(milliseconds:))
        ))
    }

    /// `POST /auth/token`: a personal or service key for a short-lived
    /// access token that acts as the key and dies with it (its expiry never
    /// outlives the key's).
    public func exchangeToken(_ input: Operations.ExchangeToken.Input, context: OperationContext<Caller>) async throws -> Operations.ExchangeToken.Output {
        let refused = APIError.invalidToken
        let key = Substring(input.body.apiKey)
        guard let secret = TokenSecret(parsing: key), secret.kind != .access else {
            verifier.metrics.authenticationFailed(.malformed)
            throw refused
        }
        let now = clock.now()
        // Exchanging is a use of the key, from the exchanging client.
        guard let caller = try await verifier.verify(key, now: now, from: context) else { throw refused }
        let settings = try await store.settings()
        var expiresAt = now + Milliseconds(settings.accessTokenTTLSeconds) * 1000
        if let keyExpiry = caller.token.expiresAt { expiresAt = min(expiresAt, keyExpiry) }
        // From a previous secret: never past its grace period.
        if let graceEnd = caller.previousSecretExpiresAt { expiresAt = min(expiresAt, graceEnd) }
        let access = TokenSecret.generate(.access)
        // Not found: the key was revoked or its owner deactivated meanwhile.
        let created = try await translatingStoreErrors(notFound: keyGoneMeanwhile(refused)) {
            try await store.createAccessToken(
                parentID: caller.token.id, parentDigest: secret.digest.bytes, digest: access.digest.bytes, preview: access.preview,
                expiresAt: expiresAt, actor: actor(caller, context), at: now
            )
        }
        // The oldest access tokens past the key's limit were revoked:
        // they stop working before this answers.
        verifier.invalidate(digests: created.revoked)
        if !created.revoked.isEmpty { try await peersCaughtUp() }
        return .ok(Schemas.AccessToken(
            accessToken: access.text,
            tokenType: .bearer,
            expiresIn: Int((expiresAt - now + 999) / 1000),
            expiresAt: Date(milliseconds: expiresAt)
        ))
    }

    /// The 401 of an exchange whose key was revoked while it ran, counted
    /// as an `unknown` authentication failure.
    private func keyGoneMeanwhile(_ refused: APIError) -> APIError {
        verifier.metrics.authenticationFailed(.unknown)
        return refused
    }
}
