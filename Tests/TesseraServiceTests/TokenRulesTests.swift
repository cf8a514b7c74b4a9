import Foundation
import HTTPTestClient
import TesseraClient
import Testing

/// PRODUCT.md §3-§5a, token rules, through a real `tessera serve`: the
/// secret format, who may create tokens for whom, a service user's two live
/// keys, immediate revocation, expiry and the lifetime limit, the exchange
/// for access tokens, `last_used_at`, list filters and ownership. Answers
/// are read through the generated client (`TesseraClient`); raw requests
/// remain where the bytes on the wire are the point.
@Suite("Token rules")
struct TokenRulesTests {
    // MARK: Secrets

    @Test("Secrets: prefix per kind, 42 characters, a valid CRC32/base62 checksum, preview = last 5")
    func secretFormat() async throws {
        // The reference implementation below is itself checked against zlib's values.
        #expect(SecretFormat.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(SecretFormat.crc32(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
        #expect(SecretFormat.base62(UInt32.max) == "4gfFC3")
        #expect(SecretFormat.base62(61) == "00000z")

        let server = try await TesseraProcess.start()
        let client = server.client
        SecretFormat.expectWellFormed(server.adminSecret, prefix: "tsp_")

        let personal = try await ServiceSteps.newToken(server, label: "personal")
        SecretFormat.expectWellFormed(personal.secret, prefix: "tsp_")
        #expect(personal.token.tokenPreview == String(personal.secret.suffix(5)))

        let serviceUser = try await ServiceSteps.newServiceUser(server, role: .member)
        let service = try await ServiceSteps.newToken(server, label: "service", userID: serviceUser)
        SecretFormat.expectWellFormed(service.secret, prefix: "tss_")
        #expect(service.token.tokenPreview == String(service.secret.suffix(5)))

        let regeneration = try await server.adminAPI.regenerateToken(.init(tokenID: personal.token.tokenID))
        guard case .ok(let regenerated) = regeneration else { throw Unexpected(regeneration, "200") }
        let newSecret = regenerated.secret
        SecretFormat.expectWellFormed(newSecret, prefix: "tsp_")
        #expect(newSecret != personal.secret)
        #expect(regenerated.token.tokenPreview == String(newSecret.suffix(5)))

        let access = try await ServiceSteps.accessToken(server, newSecret).accessToken
        SecretFormat.expectWellFormed(access, prefix: "tsa_")

        // Shown once: no read ever shows a secret again (the bytes of each
        // answer are searched, so these stay raw requests).
        let secrets = [server.adminSecret, personal.secret, service.secret, access, newSecret]
        let serviceID = service.token.tokenID.uuidString.lowercased()
        let single = try await client.call("GET", "/v1/tokens/\(serviceID)", token: server.adminSecret)
        #expect(try ServiceSteps.object(single, 200)["secret"] == nil)
        for (path, token) in [("/v1/tokens/\(serviceID)", server.adminSecret), ("/v1/tokens?page_size=1000", server.adminSecret),
                              ("/v1/self", newSecret), ("/v1/self", service.secret), ("/v1/self", access),
                              ("/v1/events?page_size=1000", server.adminSecret)] {
            let response = try await client.call("GET", path, token: token)
            #expect(response.status == 200, "\(path): \(response.text)")
            for secret in secrets {
                #expect(!response.text.contains(secret), "\(path) shows a secret")
                #expect(!response.text.contains(String(secret.dropFirst(4).prefix(32))), "\(path) shows a secret's random part")
            }
        }
        let me = try ServiceSteps.object(try await client.call("GET", "/v1/self", token: newSecret), 200)
        #expect(me["secret"] == nil && (me["token"] as? [String: Any])?["secret"] == nil)
        #expect(!server.log.contains(personal.secret) && !server.log.contains(newSecret) && !server.log.contains(access))

        // A checksum that does not match is refused (and a fresh, well-formed
        // but unknown secret too).
        var tampered = Array(newSecret)
        tampered[41] = tampered[41] == "0" ? "1" : "0"
        try await ServiceSteps.expectRefused(server, String(tampered))
        try await ServiceSteps.expectRefused(server, SecretFormat.make(prefix: "tsp_"))
    }

    // MARK: Creating

    @Test("POST /tokens: for self, for another user (admin), members only while allowed and only for themselves, 422 for unknown or deactivated users")
    func whoMayCreateForWhom() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let admin = server.adminAPI
        let adminID = try await ServiceSteps.me(server, server.adminSecret).identity.userID

        let before = Date()
        let own = try await ServiceSteps.newToken(server, label: "mine").token
        #expect(own.userID == adminID)
        #expect(own.creatorUserID == adminID)
        #expect(own.tokenLabel == "mine")
        #expect(own.accessLevel == .fullAccess)
        #expect((own.expiresAt ?? nil) == nil)
        #expect((own.lastUsedAt ?? nil) == nil)
        #expect(own.createdAt >= before.addingTimeInterval(-1) && own.createdAt <= Date().addingTimeInterval(1))

        // An admin hands a member their first token.
        let member = try await ServiceSteps.newUser(server, role: .member)
        let issued = try await ServiceSteps.newToken(server, label: "for member", level: .readOnly, userID: member)
        SecretFormat.expectWellFormed(issued.secret, prefix: "tsp_")
        #expect(issued.token.userID == member)
        #expect(issued.token.creatorUserID == adminID)
        #expect(issued.token.accessLevel == .readOnly)
        let identity = try await ServiceSteps.me(server, issued.secret).identity
        #expect(identity.userID == member)
        #expect(identity.type == .user)
        #expect(identity.role == .member)

        let memberKey = try await ServiceSteps.newToken(server, label: "member full", userID: member).secret
        let memberAPI = server.api(memberKey)
        let serviceUser = try await ServiceSteps.newServiceUser(server, role: .member)

        // Setting off: a member may not create, for themselves or anyone.
        for target in [nil, member, adminID] {
            let output = try await memberAPI.createToken(.init(body: .init(tokenLabel: "x", accessLevel: .fullAccess, userID: target)))
            guard case .forbidden(let error) = output else { Issue.record(Unexpected(output, "403")); continue }
            ServiceSteps.expectError(error, .forbidden)
        }

        let settings = try await ServiceSteps.update(server, .init(allowAllUsersToCreatePats: true))
        #expect(settings.allowAllUsersToCreatePats == true)

        // Setting on: for themselves, yes (with or without naming themselves).
        let selfMade = try await memberAPI.createToken(.init(body: .init(tokenLabel: "self-made", accessLevel: .readOnly)))
        guard case .created(let personal) = selfMade else { throw Unexpected(selfMade, "201") }
        #expect(personal.token.userID == member)
        #expect(personal.token.creatorUserID == member)
        SecretFormat.expectWellFormed(personal.secret, prefix: "tsp_")
        let selfNamed = try await memberAPI.createToken(.init(body: .init(tokenLabel: "self-named", accessLevel: .fullAccess, userID: member)))
        guard case .created(let named) = selfNamed else { throw Unexpected(selfNamed, "201") }
        #expect(named.token.userID == member)

        // ...but never for anyone else, person or service user.
        for other in [adminID, serviceUser] {
            let output = try await memberAPI.createToken(.init(body: .init(tokenLabel: "x", accessLevel: .fullAccess, userID: other)))
            guard case .forbidden(let error) = output else { Issue.record(Unexpected(output, "403")); continue }
            ServiceSteps.expectError(error, .forbidden)
        }
        // A member's READ_ONLY token cannot write at all.
        let readOnly = try await server.api(issued.secret).createToken(.init(body: .init(tokenLabel: "x", accessLevel: .readOnly)))
        guard case .forbidden(let readOnlyError) = readOnly else { throw Unexpected(readOnly, "403") }
        ServiceSteps.expectError(readOnlyError, .forbidden)

        // Unknown, deactivated, or deleted targets: 422.
        func expectUnprocessable(_ target: UUID, sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let output = try await admin.createToken(.init(body: .init(tokenLabel: "x", accessLevel: .fullAccess, userID: target)))
            guard case .unprocessableContent(let error) = output else { Issue.record(Unexpected(output, "422"), sourceLocation: sourceLocation); return }
            ServiceSteps.expectError(error, .unprocessableEntity, sourceLocation: sourceLocation)
        }
        try await expectUnprocessable(UUID())
        let leaver = try await ServiceSteps.newUser(server, role: .member)
        let deactivation = try await admin.deactivateUser(.init(userID: leaver))
        guard case .ok = deactivation else { throw Unexpected(deactivation, "200") }
        try await expectUnprocessable(leaver)
        let gone = try await ServiceSteps.newServiceUser(server, role: .member)
        let deletion = try await admin.deleteServiceUser(.init(userID: gone))
        guard case .ok = deletion else { throw Unexpected(deletion, "200") }
        try await expectUnprocessable(gone)
        // A malformed id is a validation error naming it (the client cannot send one: raw).
        let malformed = try await client.call("POST", "/v1/tokens", token: server.adminSecret,
                                              json: ServiceSteps.json(["token_label": "x", "access_level": "FULL_ACCESS", "user_id": "not-a-uuid"]))
        try ServiceSteps.expectValidation(malformed, fields: ["user_id"])
    }

    // MARK: Service users' live keys

    @Test("A service user holds at most 2 live keys: 20 concurrent POSTs give exactly 2 × 201 and 18 × 409")
    func serviceUserLiveKeyLimit() async throws {
        let server = try await TesseraProcess.start()
        let admin = server.adminAPI
        let serviceUser = try await ServiceSteps.newServiceUser(server, role: .member)
        let body = Operations.CreateToken.Input(body: .init(tokenLabel: "race", accessLevel: .fullAccess, userID: serviceUser))

        let outputs = try await ServiceSteps.concurrently(20, width: 20) { _ in try await admin.createToken(body) }
        var created: [Schemas.CreatedToken] = [], conflicts: [Schemas.Error] = [], others: [Operations.CreateToken.Output] = []
        for output in outputs {
            switch output {
            case .created(let key): created.append(key)
            case .conflict(let error): conflicts.append(error)
            default: others.append(output)
            }
        }
        #expect(created.count == 2, "\(outputs)")
        #expect(conflicts.count == 18, "\(outputs)")
        #expect(others.isEmpty, "\(others)")
        for conflict in conflicts { ServiceSteps.expectError(conflict, .conflict) }
        #expect(try await ServiceSteps.listed(server, .init(userID: serviceUser)).count == 2)
        let first = try #require(created.first).token.tokenID
        let second = try #require(created.last).token.tokenID

        func expectConflict(sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let output = try await admin.createToken(body)
            guard case .conflict(let error) = output else { Issue.record(Unexpected(output, "409"), sourceLocation: sourceLocation); return }
            ServiceSteps.expectError(error, .conflict, sourceLocation: sourceLocation)
        }
        // Regenerating uses no slot: it works while full, and the count stays 2.
        let regenerated = try await admin.regenerateToken(.init(tokenID: first))
        guard case .ok = regenerated else { throw Unexpected(regenerated, "200") }
        try await expectConflict()
        #expect(try await ServiceSteps.listed(server, .init(userID: serviceUser)).count == 2)

        // Deleting one frees its slot, once.
        let deleted = try await admin.deleteToken(.init(tokenID: second))
        guard case .ok = deleted else { throw Unexpected(deleted, "200") }
        let replacement = try await admin.createToken(body)
        guard case .created = replacement else { throw Unexpected(replacement, "201") }
        try await expectConflict()

        // That an expired key does not count: ExpiryTests, at exact instants.
    }

    // MARK: Revocation

    @Test("A deleted token is refused on the very next request, 50 times in a row")
    func deletionIsImmediate() async throws {
        let server = try await TesseraProcess.start()
        for round in 0 ..< 50 {
            let issued = try await ServiceSteps.newToken(server, label: "loop \(round)")
            try await ServiceSteps.expectAccepted(server, issued.secret)
            let deleted = try await server.adminAPI.deleteToken(.init(tokenID: issued.token.tokenID))
            guard case .ok = deleted else { throw Unexpected(deleted, "200") }
            try await ServiceSteps.expectRefused(server, issued.secret)
        }
    }

    @Test("A regenerated token: the old secret is refused at once, the new one works, id/label/level/expiry unchanged")
    func regenerationIsImmediate() async throws {
        let server = try await TesseraProcess.start()
        let expiry = Date().addingTimeInterval(3 * 86_400)
        var current = try await ServiceSteps.newToken(server, label: "rotating", level: .fullAccess, expiresAt: expiry)
        let original = current.token
        for round in 0 ..< 50 {
            try await ServiceSteps.expectAccepted(server, current.secret)
            // Alternate: the admin rotates it, or the token rotates itself.
            let by = round.isMultiple(of: 2) ? server.adminSecret : current.secret
            let output = try await server.api(by).regenerateToken(.init(tokenID: original.tokenID))
            guard case .ok(let rotated) = output else { throw Unexpected(output, "200") }
            let token = rotated.token
            #expect(token.tokenID == original.tokenID)
            #expect(token.tokenLabel == original.tokenLabel)
            #expect(token.accessLevel == original.accessLevel)
            #expect(token.expiresAt == original.expiresAt)
            #expect(token.userID == original.userID)
            #expect(token.creatorUserID == original.creatorUserID)
            #expect(token.createdAt == original.createdAt)
            #expect(token.tokenPreview == String(rotated.secret.suffix(5)))
            try await ServiceSteps.expectRefused(server, current.secret)
            try await ServiceSteps.expectAccepted(server, rotated.secret)
            current = rotated
        }
    }

    @Test("Deactivating a user refuses their tokens and access tokens on the very next request")
    func deactivationIsImmediate() async throws {
        let server = try await TesseraProcess.start()
        for _ in 0 ..< 20 {
            let user = try await ServiceSteps.newUser(server, role: .member)
            let key = try await ServiceSteps.newToken(server, label: "doomed", userID: user)
            let access = try await ServiceSteps.accessToken(server, key.secret).accessToken
            try await ServiceSteps.expectAccepted(server, key.secret)
            try await ServiceSteps.expectAccepted(server, access)
            let deactivated = try await server.adminAPI.deactivateUser(.init(userID: user))
            guard case .ok = deactivated else { throw Unexpected(deactivated, "200") }
            try await ServiceSteps.expectRefused(server, key.secret)
            try await ServiceSteps.expectRefused(server, access)
        }
    }

    // MARK: Expiry and lifetime

    // A token's expiry, to the millisecond: ExpiryTests, with a controllable clock.

    @Test("expires_at is kept to the millisecond it was given")
    func expiresAtKeepsItsMillisecond() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let admin = server.adminSecret
        // 40 consecutive milliseconds: a conversion through floating-point
        // seconds that rounds down loses one on some of them. The texts sent
        // and read back are compared, so these stay raw requests (a `Date`
        // on either side would be a floating-point conversion of its own).
        let results = try await ServiceSteps.concurrently(40, width: 8) { index in
            let sent = String(format: "2030-06-01T12:00:00.%03dZ", index + 1)
            let response = try await client.call("POST", "/v1/tokens", token: admin,
                                                 json: ServiceSteps.json(["token_label": "ms", "access_level": "READ_ONLY", "expires_at": sent]))
            let token = try ServiceSteps.object(response, 201)["token"] as? [String: Any]
            return [sent, token?["expires_at"] as? String ?? "-"]
        }
        let shifted = results.filter { ServiceSteps.millisecond($0[0]) != ServiceSteps.millisecond($0[1]) }
        #expect(shifted.isEmpty, "sent → stored: \(shifted.map { "\($0[0]) → \($0[1])" })")
    }

    @Test("max_token_lifetime_days: no expires_at → now + limit; beyond it or in the past → 400 expires_at")
    func lifetimeLimit() async throws {
        let server = try await TesseraProcess.start()
        func create(_ expiresAt: Date?) async throws -> Operations.CreateToken.Output {
            try await server.adminAPI.createToken(.init(body: .init(tokenLabel: "limited", accessLevel: .readOnly, expiresAt: expiresAt)))
        }
        func expiry(_ expiresAt: Date?) async throws -> Date? {
            let output = try await create(expiresAt)
            guard case .created(let created) = output else { throw Unexpected(output, "201") }
            return created.token.expiresAt ?? nil
        }
        func expectRefused(_ expiresAt: Date, sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let output = try await create(expiresAt)
            guard case .badRequest(let error) = output else { Issue.record(Unexpected(output, "400"), sourceLocation: sourceLocation); return }
            ServiceSteps.expectValidation(error, fields: ["expires_at"], sourceLocation: sourceLocation)
        }
        let day = 86_400.0

        // Without a limit: no expiry; the past is still refused.
        #expect(try await expiry(nil) == nil)
        try await expectRefused(Date().addingTimeInterval(-3600))

        #expect(try await ServiceSteps.update(server, .init(maxTokenLifetimeDays: 7)).maxTokenLifetimeDays == 7)
        let before = Date()
        let defaulted = try #require(try await expiry(nil))
        let after = Date()
        #expect(defaulted >= before.addingTimeInterval(7 * day - 0.002) && defaulted <= after.addingTimeInterval(7 * day + 0.002), "\(defaulted)")

        let within = Date().addingTimeInterval(6 * day)
        #expect(try await expiry(within).map { abs($0.timeIntervalSince(within)) < 0.002 } == true)
        #expect(try await expiry(Date().addingTimeInterval(7 * day - 60)) != nil)

        try await expectRefused(Date().addingTimeInterval(8 * day))
        try await expectRefused(Date().addingTimeInterval(7 * day + 120))
        try await expectRefused(Date().addingTimeInterval(-60))

        // Lifting the limit (an explicit null): tokens without expires_at never expire again.
        #expect(try await ServiceSteps.update(server, .init(maxTokenLifetimeDays: .some(nil))).maxTokenLifetimeDays == nil)
        #expect(try await expiry(nil) == nil)
        #expect(try await expiry(Date().addingTimeInterval(400 * day)) != nil)
    }

    // MARK: Exchange

    @Test("POST /auth/token: tsp_ and tss_ → Bearer access tokens acting as their key; tsa_ and garbage → 401")
    func exchange() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let adminID = try await ServiceSteps.me(server, server.adminSecret).identity.userID
        #expect(try await ServiceSteps.update(server, .init(accessTokenTtlSeconds: 600)).accessTokenTtlSeconds == 600)

        let personal = try await ServiceSteps.newToken(server, label: "exchange me")
        let before = Date()
        let body = try await ServiceSteps.accessToken(server, personal.secret)
        #expect(body.tokenType == .bearer)
        #expect(body.expiresIn >= 599 && body.expiresIn <= 600, "expires_in \(body.expiresIn)")
        #expect(body.expiresAt >= before.addingTimeInterval(600 - 1) && body.expiresAt <= Date().addingTimeInterval(600 + 1))
        let access = body.accessToken
        SecretFormat.expectWellFormed(access, prefix: "tsa_")

        let me = try await ServiceSteps.me(server, access)
        #expect(me.identity.userID == adminID)
        #expect(me.token.tokenID == personal.token.tokenID)
        #expect(me.token.tokenPreview == String(personal.secret.suffix(5)))
        let accessExpiry = try #require(me.accessTokenExpiresAt, "\(me)")
        #expect(abs(accessExpiry.timeIntervalSince(body.expiresAt)) < 0.002)
        #expect(try await ServiceSteps.me(server, personal.secret).accessTokenExpiresAt == nil)
        // The scheme is case-insensitive, and `token` works too (a header the client does not write: raw).
        let tokenScheme = try await client.send("GET", "/v1/self", headers: [("Authorization", "TOKEN \(access)")])
        #expect(tokenScheme.status == 200, "\(tokenScheme.text)")

        // A service user's key.
        let serviceUser = try await ServiceSteps.newServiceUser(server, role: .member)
        let serviceKey = try await ServiceSteps.newToken(server, label: "svc", userID: serviceUser)
        let serviceAccess = try await ServiceSteps.accessToken(server, serviceKey.secret).accessToken
        let serviceSelf = try await ServiceSteps.me(server, serviceAccess)
        #expect(serviceSelf.identity.userID == serviceUser)
        #expect(serviceSelf.identity.type == .serviceUser)
        #expect(serviceSelf.token.tokenID == serviceKey.token.tokenID)

        // What cannot be exchanged.
        for key in [access, "garbage", SecretFormat.make(prefix: "tsp_"), SecretFormat.make(prefix: "tss_"), String(personal.secret.dropLast()) + "!"] {
            try await ServiceSteps.expectExchangeRefused(server, key)
        }
        // A body without `api_key` (the client cannot send one: raw).
        try ServiceSteps.expectValidation(try await client.call("POST", "/v1/auth/token", json: "{}"), fields: ["api_key"])

        // A READ_ONLY parent gives a read-only access token.
        let readOnly = try await ServiceSteps.newToken(server, label: "ro", level: .readOnly)
        let readOnlyAccess = server.api(try await ServiceSteps.accessToken(server, readOnly.secret).accessToken)
        let readOnlyList = try await readOnlyAccess.getTokens()
        guard case .ok = readOnlyList else { throw Unexpected(readOnlyList, "200") }
        let readOnlyCreate = try await readOnlyAccess.createToken(.init(body: .init(tokenLabel: "x", accessLevel: .readOnly)))
        guard case .forbidden(let createError) = readOnlyCreate else { throw Unexpected(readOnlyCreate, "403") }
        ServiceSteps.expectError(createError, .forbidden)
        let readOnlyPatch = try await readOnlyAccess.updateSettings(.init(body: .init(allowAllUsersToCreatePats: true)))
        guard case .forbidden(let patchError) = readOnlyPatch else { throw Unexpected(readOnlyPatch, "403") }
        ServiceSteps.expectError(patchError, .forbidden)
        // A member's access token has a member's rights.
        let member = try await ServiceSteps.newUser(server, role: .member)
        let memberKey = try await ServiceSteps.newToken(server, label: "m", userID: member)
        let memberList = try await server.api(try await ServiceSteps.accessToken(server, memberKey.secret).accessToken).getTokens()
        guard case .forbidden(let listError) = memberList else { throw Unexpected(memberList, "403") }
        ServiceSteps.expectError(listError, .forbidden)

        // Access tokens are not API tokens: GET /tokens lists the 5 keys only.
        let listed = try await ServiceSteps.listed(server)
        #expect(listed.count == 5, "\(listed)")
        #expect(Set(listed).isSuperset(of: [personal.token.tokenID, serviceKey.token.tokenID, readOnly.token.tokenID]))

        // The access token never outlives its key.
        let short = try await ServiceSteps.newToken(server, label: "short", expiresAt: Date().addingTimeInterval(120))
        let shortBody = try await ServiceSteps.accessToken(server, short.secret)
        #expect(shortBody.expiresIn <= 120 && shortBody.expiresIn >= 118, "\(shortBody)")
        #expect(shortBody.expiresAt == short.token.expiresAt ?? nil)
    }

    @Test("An access token dies when its key is deleted or regenerated, or its owner deactivated or deleted")
    func accessTokenDiesWithParent() async throws {
        let server = try await TesseraProcess.start()
        let admin = server.adminAPI

        let deleted = try await ServiceSteps.newToken(server, label: "to delete")
        let deletedAccess = try await ServiceSteps.accessToken(server, deleted.secret).accessToken
        try await ServiceSteps.expectAccepted(server, deletedAccess)
        let deletion = try await admin.deleteToken(.init(tokenID: deleted.token.tokenID))
        guard case .ok = deletion else { throw Unexpected(deletion, "200") }
        try await ServiceSteps.expectRefused(server, deletedAccess)
        try await ServiceSteps.expectExchangeRefused(server, deleted.secret)

        let rotated = try await ServiceSteps.newToken(server, label: "to rotate")
        let rotatedAccess = try await ServiceSteps.accessToken(server, rotated.secret).accessToken
        try await ServiceSteps.expectAccepted(server, rotatedAccess)
        let rotation = try await admin.regenerateToken(.init(tokenID: rotated.token.tokenID))
        guard case .ok(let regenerated) = rotation else { throw Unexpected(rotation, "200") }
        try await ServiceSteps.expectRefused(server, rotatedAccess)
        try await ServiceSteps.expectExchangeRefused(server, rotated.secret)
        try await ServiceSteps.expectAccepted(server, try await ServiceSteps.accessToken(server, regenerated.secret).accessToken)

        let person = try await ServiceSteps.newUser(server, role: .admin)
        let personKey = try await ServiceSteps.newToken(server, label: "person", userID: person)
        let personAccess = try await ServiceSteps.accessToken(server, personKey.secret).accessToken
        try await ServiceSteps.expectAccepted(server, personAccess)
        let deactivation = try await admin.deactivateUser(.init(userID: person))
        guard case .ok = deactivation else { throw Unexpected(deactivation, "200") }
        try await ServiceSteps.expectRefused(server, personAccess)
        try await ServiceSteps.expectExchangeRefused(server, personKey.secret)

        let machine = try await ServiceSteps.newServiceUser(server, role: .admin)
        let machineKey = try await ServiceSteps.newToken(server, label: "machine", userID: machine)
        let machineAccess = try await ServiceSteps.accessToken(server, machineKey.secret).accessToken
        try await ServiceSteps.expectAccepted(server, machineAccess)
        let machineDeletion = try await admin.deleteServiceUser(.init(userID: machine))
        guard case .ok = machineDeletion else { throw Unexpected(machineDeletion, "200") }
        try await ServiceSteps.expectRefused(server, machineAccess)
        try await ServiceSteps.expectRefused(server, machineKey.secret)
    }

    @Test("Access tokens and last_used_at survive a graceful restart")
    func accessTokenSurvivesRestart() async throws {
        let server = try await TesseraProcess.start()
        let key = try await ServiceSteps.newToken(server, label: "persistent")
        let access = try await ServiceSteps.accessToken(server, key.secret).accessToken
        let before = try await ServiceSteps.me(server, access)
        let usedFrom = Date()
        try await ServiceSteps.expectAccepted(server, key.secret)
        try await server.restart()
        let after = try await ServiceSteps.me(server, access)
        #expect(after.accessTokenExpiresAt != nil && after.accessTokenExpiresAt == before.accessTokenExpiresAt)
        #expect(after.token.tokenID == key.token.tokenID)
        let output = try await server.adminAPI.getToken(.init(tokenID: key.token.tokenID))
        guard case .ok(let stored) = output else { throw Unexpected(output, "200") }
        let lastUsed = try #require(stored.lastUsedAt ?? nil, "last_used_at lost on restart: \(stored)")
        #expect(lastUsed >= usedFrom.addingTimeInterval(-0.002))
    }

    // MARK: Reading and changing tokens

    @Test("last_used_at is null until the token is used, then the time of use")
    func lastUsedAt() async throws {
        let server = try await TesseraProcess.start()
        let admin = server.adminAPI
        let issued = try await ServiceSteps.newToken(server, label: "unused")
        let id = issued.token.tokenID
        let unusedOutput = try await admin.getToken(.init(tokenID: id))
        guard case .ok(let unused) = unusedOutput else { throw Unexpected(unusedOutput, "200") }
        #expect((unused.lastUsedAt ?? nil) == nil, "\(unused)")
        let before = Date()
        let settings = try await server.api(issued.secret).getSettings()
        guard case .ok = settings else { throw Unexpected(settings, "200") }
        let after = Date()
        let usedOutput = try await admin.getToken(.init(tokenID: id))
        guard case .ok(let token) = usedOutput else { throw Unexpected(usedOutput, "200") }
        let used = try #require(token.lastUsedAt ?? nil, "\(token)")
        #expect(used >= before.addingTimeInterval(-0.002) && used <= after.addingTimeInterval(0.002))
        let listOutput = try await admin.getTokens(.init(tokenIDs: [id]))
        guard case .ok(let listed) = listOutput else { throw Unexpected(listOutput, "200") }
        #expect(listed.results.map(\.tokenID) == [id])
        #expect(listed.results.first?.lastUsedAt == token.lastUsedAt)
    }

    @Test("GET /tokens filters by user_id and by token_ids (comma-separated)")
    func listFilters() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let member = try await ServiceSteps.newUser(server, role: .member)
        let firstKey = try await ServiceSteps.newToken(server, label: "m1", userID: member)
        let first = firstKey.token.tokenID
        let second = try await ServiceSteps.newToken(server, label: "m2", userID: member)
        let mine = try await ServiceSteps.newToken(server, label: "a1").token.tokenID

        #expect(Set(try await ServiceSteps.listed(server, .init(userID: member))) == [first, second.token.tokenID])
        #expect(Set(try await ServiceSteps.listed(server, .init(tokenIDs: [first, mine]))) == [first, mine])
        #expect(try await ServiceSteps.listed(server, .init(tokenIDs: [second.token.tokenID])) == [second.token.tokenID])
        #expect(try await ServiceSteps.listed(server, .init(tokenIDs: [first, mine], userID: member)) == [first])
        #expect(try await ServiceSteps.listed(server, .init(userID: UUID())).isEmpty)
        #expect(try await ServiceSteps.listed(server, .init(tokenIDs: [UUID()])).isEmpty)
        #expect(try await ServiceSteps.listed(server, .init(pageSize: 1000)).count == 4)

        // Malformed ids (which the client cannot send): raw.
        let firstText = first.uuidString.lowercased()
        try ServiceSteps.expectValidation(try await client.call("GET", "/v1/tokens?token_ids=\(firstText),nope", token: server.adminSecret), fields: ["token_ids"])
        try ServiceSteps.expectValidation(try await client.call("GET", "/v1/tokens?user_id=nope", token: server.adminSecret), fields: ["user_id"])
        // `token_ids=` is one empty ID (not "no IDs"), refused like any other bad ID.
        try ServiceSteps.expectValidation(try await client.call("GET", "/v1/tokens?token_ids=", token: server.adminSecret), fields: ["token_ids[0]"])
        let memberList = try await server.api(firstKey.secret).getTokens()
        guard case .forbidden(let error) = memberList else { throw Unexpected(memberList, "403") }
        ServiceSteps.expectError(error, .forbidden)
    }

    @Test("Owner or admin may read, relabel and regenerate a token; anyone else gets 404")
    func ownershipAnd404() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let admin = server.adminAPI
        let alice = try await ServiceSteps.newUser(server, role: .member)
        let bob = try await ServiceSteps.newUser(server, role: .member)
        let aliceKey = try await ServiceSteps.newToken(server, label: "alice", userID: alice)
        let bobKey = try await ServiceSteps.newToken(server, label: "bob", userID: bob)
        let aliceID = aliceKey.token.tokenID, bobID = bobKey.token.tokenID
        let label = Schemas.UpdateTokenRequest(tokenLabel: "renamed")

        /// Each of the four operations on `id` by `caller` is a 404 (`read`
        /// and `delete` only where asked).
        func expectNotFound(_ id: UUID, by caller: Client, delete: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) async throws {
            var errors: [Schemas.Error] = []
            switch try await caller.getToken(.init(tokenID: id)) {
            case .notFound(let error): errors.append(error)
            case let other: Issue.record(Unexpected(other, "404"), sourceLocation: sourceLocation)
            }
            switch try await caller.updateToken(.init(tokenID: id, body: label)) {
            case .notFound(let error): errors.append(error)
            case let other: Issue.record(Unexpected(other, "404"), sourceLocation: sourceLocation)
            }
            switch try await caller.regenerateToken(.init(tokenID: id)) {
            case .notFound(let error): errors.append(error)
            case let other: Issue.record(Unexpected(other, "404"), sourceLocation: sourceLocation)
            }
            if delete {
                switch try await caller.deleteToken(.init(tokenID: id)) {
                case .notFound(let error): errors.append(error)
                case let other: Issue.record(Unexpected(other, "404"), sourceLocation: sourceLocation)
                }
            }
            for error in errors { ServiceSteps.expectError(error, .notFound, sourceLocation: sourceLocation) }
        }

        // Someone else's token, and one that does not exist: the same 404.
        for id in [aliceID, UUID()] {
            try await expectNotFound(id, by: server.api(bobKey.secret))
        }
        try await expectNotFound(UUID(), by: admin, delete: false)
        // A malformed id (which the client cannot send): raw.
        try ServiceSteps.expectValidation(try await client.call("GET", "/v1/tokens/nope", token: server.adminSecret), fields: ["token_id"])
        // Nothing happened to Alice's token.
        try await ServiceSteps.expectAccepted(server, aliceKey.secret)

        // The owner may read, relabel and regenerate.
        let aliceAPI = server.api(aliceKey.secret)
        let read = try await aliceAPI.getToken(.init(tokenID: aliceID))
        guard case .ok(let own) = read else { throw Unexpected(read, "200") }
        #expect(own.tokenLabel == "alice")
        let relabel = try await aliceAPI.updateToken(.init(tokenID: aliceID, body: label))
        guard case .ok(let relabeled) = relabel else { throw Unexpected(relabel, "200") }
        #expect(relabeled.tokenLabel == "renamed")
        #expect(relabeled.tokenID == aliceID)
        let adminRead = try await admin.getToken(.init(tokenID: aliceID))
        guard case .ok(let seen) = adminRead else { throw Unexpected(adminRead, "200") }
        #expect(seen.tokenLabel == "renamed")
        let emptyLabel = try await aliceAPI.updateToken(.init(tokenID: aliceID, body: .init(tokenLabel: "")))
        guard case .badRequest(let emptyError) = emptyLabel else { throw Unexpected(emptyLabel, "400") }
        ServiceSteps.expectValidation(emptyError, fields: ["token_label"])
        // A body without `token_label` (which the client cannot send): raw.
        try ServiceSteps.expectValidation(try await client.call("PATCH", "/v1/tokens/\(aliceID.uuidString.lowercased())", token: aliceKey.secret, json: "{}"),
                                          fields: ["token_label"])
        let rotation = try await aliceAPI.regenerateToken(.init(tokenID: aliceID))
        guard case .ok(let rotated) = rotation else { throw Unexpected(rotation, "200") }
        let aliceAfter = server.api(rotated.secret)

        // Deleting their own: only while members may create tokens.
        let early = try await aliceAfter.deleteToken(.init(tokenID: aliceID))
        guard case .forbidden(let earlyError) = early else { throw Unexpected(early, "403") }
        ServiceSteps.expectError(earlyError, .forbidden)
        _ = try await ServiceSteps.update(server, .init(allowAllUsersToCreatePats: true))
        let byBob = try await server.api(bobKey.secret).deleteToken(.init(tokenID: aliceID))
        guard case .notFound(let bobError) = byBob else { throw Unexpected(byBob, "404") }
        ServiceSteps.expectError(bobError, .notFound)
        let byAlice = try await aliceAfter.deleteToken(.init(tokenID: aliceID))
        guard case .ok = byAlice else { throw Unexpected(byAlice, "200") }
        try await ServiceSteps.expectRefused(server, rotated.secret)

        // An admin may read and relabel anyone's.
        let bobRead = try await admin.getToken(.init(tokenID: bobID))
        guard case .ok = bobRead else { throw Unexpected(bobRead, "200") }
        let adminRelabel = try await admin.updateToken(.init(tokenID: bobID, body: label))
        guard case .ok(let adminRelabeled) = adminRelabel else { throw Unexpected(adminRelabel, "200") }
        #expect(adminRelabeled.tokenLabel == "renamed")
    }
}
