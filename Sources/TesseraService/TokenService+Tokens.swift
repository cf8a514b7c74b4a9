import APIServer
import Foundation
import TesseraAPI
import TesseraCore
import TesseraStore

extension TokenService {
    public func getTokens(_ input: Operations.GetTokens.Input, context: OperationContext<Caller>) async throws(Operations.GetTokens.Failure) -> Operations.GetTokens.Output {
        var request = try pageRequest(cursor: input.cursor, size: input.pageSize, for: input)
        request.newestFirst = input.newestFirst
        let page = try await translatingStoreErrors(for: input) {
            try await store.tokens(userID: input.userID, ids: input.tokenIDs, page: request)
        }
        return .ok(Schemas.PaginatedTokensList(next: .some(page.next), previous: .some(page.previous), results: page.items.map { token($0) }))
    }

    /// `POST /tokens`. A caller issues a token to itself, or (admins only)
    /// to another user named by `user_id`: that is how an admin hands a
    /// member or a service user its first token. Members may create their
    /// own tokens only while `allow_all_users_to_create_pats` is on.
    public func createToken(_ input: Operations.CreateToken.Input, context: OperationContext<Caller>) async throws(Operations.CreateToken.Failure) -> Operations.CreateToken.Output {
        let caller = try caller(context, for: input)
        let body = input.body
        let targetID = body.userID ?? caller.user.id
        let now = clock.now()
        let settings = try await translatingStoreErrors(for: input) { try await store.settings() }
        if targetID != caller.user.id {
            guard caller.isAdmin else {
                throw .forbidden("Only admins may issue tokens to other users.")
            }
        } else if caller.user.kind == .serviceUser {
            // Whatever its role and the PAT setting: a service user's keys
            // are issued by an admin, so a key can never extend itself.
            throw .forbidden("A service user cannot create its own keys; an admin issues them.")
        } else if !caller.isAdmin && !settings.allowAllUsersToCreatePATs {
            throw .forbidden("Members may not create tokens in this organization; ask an admin to issue one.")
        }
        guard let target = try await translatingStoreErrors(for: input, { try await store.user(id: targetID) }), target.isActive else {
            throw .unprocessableContent("The user \(targetID.text) is unknown or deactivated.")
        }
        let expiresAt = try expiry(requested: body.expiresAt, settings: settings, now: now, for: input)
        let kind: TokenKind = target.kind == .serviceUser ? .service : .personal
        let secret = TokenSecret.generate(kind)
        let record = try await translatingStoreErrors(for: input, answering: { error in
            switch error {
            case .liveKeyLimit: .conflict(error.message)
            case .userUnavailable: .unprocessableContent(error.message)
            default: nil
            }
        }) {
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
    func expiry<I: OperationInput>(requested: Date?, settings: SettingsRecord, now: Milliseconds, for input: I) throws(I.Failure) -> Milliseconds?
        where I.Failure: Failures.BadRequest {
        let limit = settings.maxTokenLifetimeDays.map { now + Milliseconds($0) * 86_400_000 }
        guard let requested else { return limit }
        let time = requested.milliseconds
        if time <= now {
            throw .field("expires_at", "must be in the future")
        }
        if let limit, time > limit {
            throw .field("expires_at", "must be at most \(settings.maxTokenLifetimeDays!) days from now (max_token_lifetime_days)")
        }
        return time
    }

    public func getToken(_ input: Operations.GetToken.Input, context: OperationContext<Caller>) async throws(Operations.GetToken.Failure) -> Operations.GetToken.Output {
        .ok(token(try await visibleToken(input.tokenID, to: try caller(context, for: input), for: input)))
    }

    public func updateToken(_ input: Operations.UpdateToken.Input, context: OperationContext<Caller>) async throws(Operations.UpdateToken.Failure) -> Operations.UpdateToken.Output {
        let caller = try caller(context, for: input)
        let existing = try await visibleToken(input.tokenID, to: caller, for: input)
        let record = try await translatingStoreErrors(for: input, answering: Self.onNotFound(.notFound("There is no token \(input.tokenID.text)."))) {
            try await store.updateTokenLabel(id: existing.id, label: input.body.tokenLabel, actor: actor(caller, context), at: clock.now())
        }
        verifier.invalidate(tokenID: record.id)
        try await peersCaughtUp(for: input)
        return .ok(token(record))
    }

    /// Opal's rule: admins delete any token; others only their own, and only
    /// while the organization allows all users to create tokens.
    public func deleteToken(_ input: Operations.DeleteToken.Input, context: OperationContext<Caller>) async throws(Operations.DeleteToken.Failure) -> Operations.DeleteToken.Output {
        let caller = try caller(context, for: input)
        let existing = try await visibleToken(input.tokenID, to: caller, for: input)
        if !caller.isAdmin, !(try await translatingStoreErrors(for: input, { try await store.settings() }).allowAllUsersToCreatePATs) {
            throw .forbidden("Members may delete their tokens only when the organization allows all users to create tokens.")
        }
        _ = try await translatingStoreErrors(for: input, answering: Self.onNotFound(.notFound("There is no token \(input.tokenID.text)."))) {
            try await store.deleteToken(id: existing.id, actor: actor(caller, context), at: clock.now())
        }
        verifier.invalidate(tokenID: existing.id)
        lastUsed.forget(existing.id)
        try await peersCaughtUp(for: input)
        return .ok
    }

    /// How long a regeneration waits between its commit and its answer:
    /// longer than a loaded server takes to read requests that arrived
    /// with it (seen at up to 200 ms with a load average of 10 on 2 cores).
    static let regenerationSettling: Duration = .milliseconds(500)

    /// A new secret for the same token; the old one (and every access token
    /// exchanged for it) stops working before this returns. Owners may
    /// always rotate their own tokens: it grants nothing new.
    public func regenerateToken(_ input: Operations.RegenerateToken.Input, context: OperationContext<Caller>) async throws(Operations.RegenerateToken.Failure) -> Operations.RegenerateToken.Output {
        let caller = try caller(context, for: input)
        let existing = try await visibleToken(input.tokenID, to: caller, for: input)
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
        let gone = Operations.RegenerateToken.Failure.notFound("There is no token \(id.text).")
        let lost = Operations.RegenerateToken.Failure.conflict(StoreError.changedConcurrently.message)
        _ = try await translatingStoreErrors(for: input, answering: { error in
            switch error {
            case .notFound: gone
            case .changedConcurrently: lost
            default: nil
            }
        }) {
            try await store.regenerateToken(id: id, claim: claim, digest: secret.digest.bytes, preview: secret.preview, grace: grace,
                                            actor: actor(caller, context), at: now)
        }
        // Whatever happens from here, the change counts as answered when
        // this returns, so it never refuses later regenerations.
        defer { ledger.answered(id, at: WallClock.microseconds()) }
        verifier.invalidate(tokenID: existing.id)
        try await peersCaughtUp(for: input)
        // A settling pause before answering: a regeneration of this token
        // that arrives meanwhile was sent before this answer, so it is
        // concurrent and loses (409), even when a busy server reads it
        // only after this one committed. A client that waits for this
        // answer before regenerating again is never refused.
        try? await Task.sleep(for: Self.regenerationSettling)
        // A concurrent regeneration through another instance may have won
        // meanwhile: then this secret is already dead, and is not handed out.
        guard let current = try await translatingStoreErrors(for: input, { try await store.token(id: id) }) else { throw gone }
        guard current.digest == secret.digest.bytes else { throw lost }
        // The token as read now, not before the pause: uses flushed
        // meanwhile (`last_used_at`, `last_used_ips`) are in it.
        return .ok(Schemas.CreatedToken(token: token(current), secret: secret.text))
    }

    public func getSelf(_ input: Operations.GetSelf.Input, context: OperationContext<Caller>) async throws(Operations.GetSelf.Failure) -> Operations.GetSelf.Output {
        let caller = try caller(context, for: input)
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
    public func exchangeToken(_ input: Operations.ExchangeToken.Input, context: OperationContext<Caller>) async throws(Operations.ExchangeToken.Failure) -> Operations.ExchangeToken.Output {
        let refused = Operations.ExchangeToken.Failure.unauthorized(
            APIError.invalidCredentialsMessage, headers: .init(wwwAuthenticate: APIError.invalidTokenChallenge)
        )
        let key = Substring(input.body.apiKey)
        guard let secret = TokenSecret(parsing: key), secret.kind != .access else {
            verifier.metrics.authenticationFailed(.malformed)
            throw refused
        }
        let now = clock.now()
        // Exchanging is a use of the key, from the exchanging client.
        let verified: Caller?
        do {
            verified = try await verifier.verify(key, now: now, from: context)
        } catch let unavailable as APIError where unavailable.status == .serviceUnavailable {
            // The shared database cannot say whether the key was revoked.
            throw .serviceUnavailable(unavailable.message)
        } catch {
            throw .unexpected(error)
        }
        guard let caller = verified else { throw refused }
        let settings = try await translatingStoreErrors(for: input) { try await store.settings() }
        var expiresAt = now + Milliseconds(settings.accessTokenTTLSeconds) * 1000
        if let keyExpiry = caller.token.expiresAt { expiresAt = min(expiresAt, keyExpiry) }
        // From a previous secret: never past its grace period.
        if let graceEnd = caller.previousSecretExpiresAt { expiresAt = min(expiresAt, graceEnd) }
        let access = TokenSecret.generate(.access)
        // Not found: the key was revoked or its owner deactivated meanwhile.
        let created = try await translatingStoreErrors(for: input, answering: { error in
            guard error == .notFound else { return nil }
            verifier.metrics.authenticationFailed(.unknown)
            return refused
        }) {
            try await store.createAccessToken(
                parentID: caller.token.id, parentDigest: secret.digest.bytes, digest: access.digest.bytes, preview: access.preview,
                expiresAt: expiresAt, actor: actor(caller, context), at: now
            )
        }
        // The oldest access tokens past the key's limit were revoked:
        // they stop working before this answers.
        verifier.invalidate(digests: created.revoked)
        if !created.revoked.isEmpty { try await peersCaughtUp(for: input) }
        return .ok(Schemas.AccessToken(
            accessToken: access.text,
            tokenType: .bearer,
            expiresIn: Int((expiresAt - now + 999) / 1000),
            expiresAt: Date(milliseconds: expiresAt)
        ))
    }
}
