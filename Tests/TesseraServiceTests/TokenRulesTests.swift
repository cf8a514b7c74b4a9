import Foundation
import HTTPTestClient
import Testing

/// PRODUCT.md §3-§5a, token rules, through a real `tessera serve`: the
/// secret format, who may create tokens for whom, a service user's two live
/// keys, immediate revocation, expiry and the lifetime limit, the exchange
/// for access tokens, `last_used_at`, list filters and ownership.
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

        let personal = try await ServiceSteps.createToken(server, label: "personal")
        SecretFormat.expectWellFormed(personal.secret, prefix: "tsp_")
        #expect(personal.token["token_preview"] as? String == String(personal.secret.suffix(5)))

        let serviceUser = try await ServiceSteps.createServiceUser(server, role: "MEMBER")
        let service = try await ServiceSteps.createToken(server, label: "service", userID: serviceUser)
        SecretFormat.expectWellFormed(service.secret, prefix: "tss_")
        #expect(service.token["token_preview"] as? String == String(service.secret.suffix(5)))

        let regenerated = try ServiceSteps.object(try await client.call("POST", "/v1/tokens/\(personal.id)/regenerate", token: server.adminSecret), 200)
        let newSecret = try #require(regenerated["secret"] as? String)
        SecretFormat.expectWellFormed(newSecret, prefix: "tsp_")
        #expect(newSecret != personal.secret)
        #expect((regenerated["token"] as? [String: Any])?["token_preview"] as? String == String(newSecret.suffix(5)))

        let access = try await ServiceSteps.exchange(server, newSecret)
        SecretFormat.expectWellFormed(access, prefix: "tsa_")

        // Shown once: no read ever shows a secret again.
        let secrets = [server.adminSecret, personal.secret, service.secret, access, newSecret]
        let single = try await client.call("GET", "/v1/tokens/\(service.id)", token: server.adminSecret)
        #expect(try ServiceSteps.object(single, 200)["secret"] == nil)
        for (path, token) in [("/v1/tokens/\(service.id)", server.adminSecret), ("/v1/tokens?page_size=1000", server.adminSecret),
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
        try ServiceSteps.expectUnauthorized(try await client.call("GET", "/v1/self", token: String(tampered)))
        try ServiceSteps.expectUnauthorized(try await client.call("GET", "/v1/self", token: SecretFormat.make(prefix: "tsp_")))
    }

    // MARK: Creating

    @Test("POST /tokens: for self, for another user (admin), members only while allowed and only for themselves, 422 for unknown or deactivated users")
    func whoMayCreateForWhom() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let adminID = try await ServiceSteps.userID(server, server.adminSecret)

        let before = Date()
        let own = try await ServiceSteps.createToken(server, label: "mine")
        #expect(own.token["user_id"] as? String == adminID)
        #expect(own.token["creator_user_id"] as? String == adminID)
        #expect(own.token["token_label"] as? String == "mine")
        #expect(own.token["access_level"] as? String == "FULL_ACCESS")
        #expect(ServiceSteps.isNull(own.token["expires_at"]))
        #expect(ServiceSteps.isNull(own.token["last_used_at"]))
        let created = try #require(ServiceSteps.date(own.token["created_at"]))
        #expect(created >= before.addingTimeInterval(-1) && created <= Date().addingTimeInterval(1))

        // An admin hands a member their first token.
        let member = try await ServiceSteps.createUser(server, role: "MEMBER")
        let issued = try await ServiceSteps.createToken(server, label: "for member", level: "READ_ONLY", userID: member)
        SecretFormat.expectWellFormed(issued.secret, prefix: "tsp_")
        #expect(issued.token["user_id"] as? String == member)
        #expect(issued.token["creator_user_id"] as? String == adminID)
        #expect(issued.token["access_level"] as? String == "READ_ONLY")
        let identity = try ServiceSteps.object(try await client.call("GET", "/v1/self", token: issued.secret), 200)["identity"] as? [String: Any]
        #expect(identity?["user_id"] as? String == member)
        #expect(identity?["type"] as? String == "USER")
        #expect(identity?["role"] as? String == "MEMBER")

        let memberKey = try await ServiceSteps.createToken(server, label: "member full", userID: member).secret
        let serviceUser = try await ServiceSteps.createServiceUser(server, role: "MEMBER")

        // Setting off: a member may not create, for themselves or anyone.
        for body in [ServiceSteps.json(["token_label": "x", "access_level": "FULL_ACCESS"]),
                     ServiceSteps.json(["token_label": "x", "access_level": "FULL_ACCESS", "user_id": member]),
                     ServiceSteps.json(["token_label": "x", "access_level": "FULL_ACCESS", "user_id": adminID])] {
            try (try await client.call("POST", "/v1/tokens", token: memberKey, json: body)).expectError(403, "forbidden")
        }

        let settings = try await ServiceSteps.patchSettings(server, ["allow_all_users_to_create_pats": true])
        #expect(settings["allow_all_users_to_create_pats"] as? Bool == true)

        // Setting on: for themselves, yes (with or without naming themselves).
        let personal = try ServiceSteps.object(try await client.call("POST", "/v1/tokens", token: memberKey,
                                                                  json: ServiceSteps.json(["token_label": "self-made", "access_level": "READ_ONLY"])), 201)
        let personalToken = personal["token"] as? [String: Any]
        #expect(personalToken?["user_id"] as? String == member)
        #expect(personalToken?["creator_user_id"] as? String == member)
        SecretFormat.expectWellFormed(personal["secret"] as? String, prefix: "tsp_")
        let named = try await client.call("POST", "/v1/tokens", token: memberKey,
                                          json: ServiceSteps.json(["token_label": "self-named", "access_level": "FULL_ACCESS", "user_id": member]))
        #expect((try ServiceSteps.object(named, 201)["token"] as? [String: Any])?["user_id"] as? String == member)

        // ...but never for anyone else, person or service user.
        for other in [adminID, serviceUser] {
            let response = try await client.call("POST", "/v1/tokens", token: memberKey,
                                                 json: ServiceSteps.json(["token_label": "x", "access_level": "FULL_ACCESS", "user_id": other]))
            try response.expectError(403, "forbidden")
        }
        // A member's READ_ONLY token cannot write at all.
        let readOnly = try await client.call("POST", "/v1/tokens", token: issued.secret,
                                             json: ServiceSteps.json(["token_label": "x", "access_level": "READ_ONLY"]))
        try readOnly.expectError(403, "forbidden")

        // Unknown, deactivated, or deleted targets: 422.
        let unknown = try await client.call("POST", "/v1/tokens", token: server.adminSecret,
                                            json: ServiceSteps.json(["token_label": "x", "access_level": "FULL_ACCESS", "user_id": UUID().uuidString.lowercased()]))
        try unknown.expectError(422, "unprocessable_entity")
        let leaver = try await ServiceSteps.createUser(server, role: "MEMBER")
        _ = try ServiceSteps.object(try await client.call("DELETE", "/v1/users/\(leaver)", token: server.adminSecret), 200)
        let deactivated = try await client.call("POST", "/v1/tokens", token: server.adminSecret,
                                                json: ServiceSteps.json(["token_label": "x", "access_level": "FULL_ACCESS", "user_id": leaver]))
        try deactivated.expectError(422, "unprocessable_entity")
        let gone = try await ServiceSteps.createServiceUser(server, role: "MEMBER")
        #expect(try await client.call("DELETE", "/v1/service-users/\(gone)", token: server.adminSecret).status == 200)
        let deleted = try await client.call("POST", "/v1/tokens", token: server.adminSecret,
                                            json: ServiceSteps.json(["token_label": "x", "access_level": "FULL_ACCESS", "user_id": gone]))
        try deleted.expectError(422, "unprocessable_entity")
        // A malformed id is a validation error naming it.
        let malformed = try await client.call("POST", "/v1/tokens", token: server.adminSecret,
                                              json: ServiceSteps.json(["token_label": "x", "access_level": "FULL_ACCESS", "user_id": "not-a-uuid"]))
        try ServiceSteps.expectValidation(malformed, fields: ["user_id"])
    }

    // MARK: Service users' live keys

    @Test("A service user holds at most 2 live keys: 20 concurrent POSTs give exactly 2 × 201 and 18 × 409")
    func serviceUserLiveKeyLimit() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let admin = server.adminSecret
        let serviceUser = try await ServiceSteps.createServiceUser(server, role: "MEMBER")
        let body = ServiceSteps.json(["token_label": "race", "access_level": "FULL_ACCESS", "user_id": serviceUser])

        let responses = try await ServiceSteps.concurrently(20, width: 20) { _ in
            try await client.call("POST", "/v1/tokens", token: admin, json: body)
        }
        let created = responses.filter { $0.status == 201 }
        let conflicts = responses.filter { $0.status == 409 }
        #expect(created.count == 2, "\(responses.map(\.status))")
        #expect(conflicts.count == 18, "\(responses.map(\.status))")
        for conflict in conflicts { try conflict.expectError(409, "conflict") }
        let live = try await ServiceSteps.tokenIDs(server, query: "user_id=\(serviceUser)")
        #expect(live.count == 2)
        let keys = try created.map { try $0.object }
        let first = try #require((keys.first?["token"] as? [String: Any])?["token_id"] as? String)
        let second = try #require((keys.last?["token"] as? [String: Any])?["token_id"] as? String)

        // Regenerating uses no slot: it works while full, and the count stays 2.
        let regenerated = try await client.call("POST", "/v1/tokens/\(first)/regenerate", token: admin)
        #expect(regenerated.status == 200, "\(regenerated.text)")
        try (try await client.call("POST", "/v1/tokens", token: admin, json: body)).expectError(409, "conflict")
        #expect(try await ServiceSteps.tokenIDs(server, query: "user_id=\(serviceUser)").count == 2)

        // Deleting one frees its slot, once.
        #expect(try await client.call("DELETE", "/v1/tokens/\(second)", token: admin).status == 200)
        let replacement = try await client.call("POST", "/v1/tokens", token: admin, json: body)
        #expect(replacement.status == 201, "\(replacement.text)")
        try (try await client.call("POST", "/v1/tokens", token: admin, json: body)).expectError(409, "conflict")

        // That an expired key does not count: ExpiryTests, at exact instants.
    }

    // MARK: Revocation

    @Test("A deleted token is refused on the very next request, 50 times in a row")
    func deletionIsImmediate() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        for round in 0 ..< 50 {
            let issued = try await ServiceSteps.createToken(server, label: "loop \(round)")
            #expect(try await client.call("GET", "/v1/self", token: issued.secret).status == 200)
            #expect(try await client.call("DELETE", "/v1/tokens/\(issued.id)", token: server.adminSecret).status == 200)
            try ServiceSteps.expectUnauthorized(try await client.call("GET", "/v1/self", token: issued.secret))
        }
    }

    @Test("A regenerated token: the old secret is refused at once, the new one works, id/label/level/expiry unchanged")
    func regenerationIsImmediate() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let expiry = Date().addingTimeInterval(3 * 86_400)
        var current = try await ServiceSteps.createToken(server, label: "rotating", level: "FULL_ACCESS", expiresAt: expiry)
        let original = current.token
        for round in 0 ..< 50 {
            #expect(try await client.call("GET", "/v1/self", token: current.secret).status == 200)
            // Alternate: the admin rotates it, or the token rotates itself.
            let by = round.isMultiple(of: 2) ? server.adminSecret : current.secret
            let rotated = try ServiceSteps.object(try await client.call("POST", "/v1/tokens/\(current.id)/regenerate", token: by), 200)
            let token = try #require(rotated["token"] as? [String: Any])
            let secret = try #require(rotated["secret"] as? String)
            for field in ["token_id", "token_label", "access_level", "expires_at", "user_id", "creator_user_id", "created_at"] {
                #expect(token[field] as? String == original[field] as? String, "\(field) changed")
            }
            #expect(token["token_preview"] as? String == String(secret.suffix(5)))
            try ServiceSteps.expectUnauthorized(try await client.call("GET", "/v1/self", token: current.secret))
            #expect(try await client.call("GET", "/v1/self", token: secret).status == 200)
            current = ServiceSteps.Issued(id: current.id, secret: secret, token: token)
        }
    }

    @Test("Deactivating a user refuses their tokens and access tokens on the very next request")
    func deactivationIsImmediate() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        for _ in 0 ..< 20 {
            let user = try await ServiceSteps.createUser(server, role: "MEMBER")
            let key = try await ServiceSteps.createToken(server, label: "doomed", userID: user)
            let access = try await ServiceSteps.exchange(server, key.secret)
            #expect(try await client.call("GET", "/v1/self", token: key.secret).status == 200)
            #expect(try await client.call("GET", "/v1/self", token: access).status == 200)
            #expect(try await client.call("DELETE", "/v1/users/\(user)", token: server.adminSecret).status == 200)
            try ServiceSteps.expectUnauthorized(try await client.call("GET", "/v1/self", token: key.secret))
            try ServiceSteps.expectUnauthorized(try await client.call("GET", "/v1/self", token: access))
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
        // seconds that rounds down loses one on some of them.
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
        let client = server.client
        func create(_ expiresAt: Date?) async throws -> LoopbackResponse {
            var body: [String: Any] = ["token_label": "limited", "access_level": "READ_ONLY"]
            if let expiresAt { body["expires_at"] = ServiceSteps.timestamp(expiresAt) }
            return try await client.call("POST", "/v1/tokens", token: server.adminSecret, json: ServiceSteps.json(body))
        }
        let day = 86_400.0

        // Without a limit: no expiry; the past is still refused.
        #expect(ServiceSteps.isNull((try ServiceSteps.object(try await create(nil), 201)["token"] as? [String: Any])?["expires_at"]))
        try ServiceSteps.expectValidation(try await create(Date().addingTimeInterval(-3600)), fields: ["expires_at"])

        #expect(try await ServiceSteps.patchSettings(server, ["max_token_lifetime_days": 7])["max_token_lifetime_days"] as? Int == 7)
        let before = Date()
        let defaulted = try ServiceSteps.object(try await create(nil), 201)["token"] as? [String: Any]
        let after = Date()
        let expiry = try #require(ServiceSteps.date(defaulted?["expires_at"]))
        #expect(expiry >= before.addingTimeInterval(7 * day - 0.002) && expiry <= after.addingTimeInterval(7 * day + 0.002), "\(expiry)")

        let within = Date().addingTimeInterval(6 * day)
        let accepted = try ServiceSteps.object(try await create(within), 201)["token"] as? [String: Any]
        #expect(ServiceSteps.date(accepted?["expires_at"]).map { abs($0.timeIntervalSince(within)) < 0.002 } == true)
        #expect(try await create(Date().addingTimeInterval(7 * day - 60)).status == 201)

        try ServiceSteps.expectValidation(try await create(Date().addingTimeInterval(8 * day)), fields: ["expires_at"])
        try ServiceSteps.expectValidation(try await create(Date().addingTimeInterval(7 * day + 120)), fields: ["expires_at"])
        try ServiceSteps.expectValidation(try await create(Date().addingTimeInterval(-60)), fields: ["expires_at"])

        // Lifting the limit: tokens without expires_at never expire again.
        #expect(try await ServiceSteps.patchSettings(server, ["max_token_lifetime_days": NSNull()])["max_token_lifetime_days"] is NSNull)
        #expect(ServiceSteps.isNull((try ServiceSteps.object(try await create(nil), 201)["token"] as? [String: Any])?["expires_at"]))
        #expect(try await create(Date().addingTimeInterval(400 * day)).status == 201)
    }

    // MARK: Exchange

    @Test("POST /auth/token: tsp_ and tss_ → Bearer access tokens acting as their key; tsa_ and garbage → 401")
    func exchange() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let adminID = try await ServiceSteps.userID(server, server.adminSecret)
        #expect(try await ServiceSteps.patchSettings(server, ["access_token_ttl_seconds": 600])["access_token_ttl_seconds"] as? Int == 600)

        let personal = try await ServiceSteps.createToken(server, label: "exchange me")
        let before = Date()
        let response = try await client.call("POST", "/v1/auth/token", json: ServiceSteps.json(["api_key": personal.secret]))
        let body = try ServiceSteps.object(response, 200)
        #expect(body["token_type"] as? String == "Bearer")
        let expiresIn = try #require(body["expires_in"] as? Int)
        #expect(expiresIn >= 599 && expiresIn <= 600, "expires_in \(expiresIn)")
        let expiresAt = try #require(ServiceSteps.date(body["expires_at"]))
        #expect(expiresAt >= before.addingTimeInterval(600 - 1) && expiresAt <= Date().addingTimeInterval(600 + 1))
        let access = try #require(body["access_token"] as? String)
        SecretFormat.expectWellFormed(access, prefix: "tsa_")

        let me = try ServiceSteps.object(try await client.call("GET", "/v1/self", token: access), 200)
        #expect((me["identity"] as? [String: Any])?["user_id"] as? String == adminID)
        #expect((me["token"] as? [String: Any])?["token_id"] as? String == personal.id)
        #expect((me["token"] as? [String: Any])?["token_preview"] as? String == String(personal.secret.suffix(5)))
        let accessExpiry = try #require(ServiceSteps.date(me["access_token_expires_at"]), "\(me)")
        #expect(abs(accessExpiry.timeIntervalSince(expiresAt)) < 0.002)
        #expect(try ServiceSteps.object(try await client.call("GET", "/v1/self", token: personal.secret), 200)["access_token_expires_at"] == nil)
        // The scheme is case-insensitive, and `token` works too.
        let tokenScheme = try await client.send("GET", "/v1/self", headers: [("Authorization", "TOKEN \(access)")])
        #expect(tokenScheme.status == 200, "\(tokenScheme.text)")

        // A service user's key.
        let serviceUser = try await ServiceSteps.createServiceUser(server, role: "MEMBER")
        let serviceKey = try await ServiceSteps.createToken(server, label: "svc", userID: serviceUser)
        let serviceAccess = try await ServiceSteps.exchange(server, serviceKey.secret)
        let serviceSelf = try ServiceSteps.object(try await client.call("GET", "/v1/self", token: serviceAccess), 200)
        #expect((serviceSelf["identity"] as? [String: Any])?["user_id"] as? String == serviceUser)
        #expect((serviceSelf["identity"] as? [String: Any])?["type"] as? String == "SERVICE_USER")
        #expect((serviceSelf["token"] as? [String: Any])?["token_id"] as? String == serviceKey.id)

        // What cannot be exchanged.
        for key in [access, "garbage", SecretFormat.make(prefix: "tsp_"), SecretFormat.make(prefix: "tss_"), String(personal.secret.dropLast()) + "!"] {
            try ServiceSteps.expectUnauthorized(try await client.call("POST", "/v1/auth/token", json: ServiceSteps.json(["api_key": key])))
        }
        try ServiceSteps.expectValidation(try await client.call("POST", "/v1/auth/token", json: "{}"), fields: ["api_key"])

        // A READ_ONLY parent gives a read-only access token.
        let readOnly = try await ServiceSteps.createToken(server, label: "ro", level: "READ_ONLY")
        let readOnlyAccess = try await ServiceSteps.exchange(server, readOnly.secret)
        #expect(try await client.call("GET", "/v1/tokens", token: readOnlyAccess).status == 200)
        try (try await client.call("POST", "/v1/tokens", token: readOnlyAccess,
                                   json: ServiceSteps.json(["token_label": "x", "access_level": "READ_ONLY"]))).expectError(403, "forbidden")
        try (try await client.call("PATCH", "/v1/settings", token: readOnlyAccess,
                                   json: ServiceSteps.json(["allow_all_users_to_create_pats": true]))).expectError(403, "forbidden")
        // A member's access token has a member's rights.
        let member = try await ServiceSteps.createUser(server, role: "MEMBER")
        let memberAccess = try await ServiceSteps.exchange(server, try await ServiceSteps.createToken(server, label: "m", userID: member).secret)
        try (try await client.call("GET", "/v1/tokens", token: memberAccess)).expectError(403, "forbidden")

        // Access tokens are not API tokens: GET /tokens lists the 5 keys only.
        let listed = try await ServiceSteps.tokenIDs(server, query: "page_size=1000")
        #expect(listed.count == 5, "\(listed)")
        #expect(Set(listed).isSuperset(of: [personal.id, serviceKey.id, readOnly.id]))

        // The access token never outlives its key.
        let short = try await ServiceSteps.createToken(server, label: "short", expiresAt: Date().addingTimeInterval(120))
        let shortBody = try ServiceSteps.object(try await client.call("POST", "/v1/auth/token", json: ServiceSteps.json(["api_key": short.secret])), 200)
        #expect((shortBody["expires_in"] as? Int).map { $0 <= 120 && $0 >= 118 } == true, "\(shortBody)")
        #expect(ServiceSteps.date(shortBody["expires_at"]) == ServiceSteps.date(short.token["expires_at"]))
    }

    @Test("An access token dies when its key is deleted or regenerated, or its owner deactivated or deleted")
    func accessTokenDiesWithParent() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let admin = server.adminSecret

        let deleted = try await ServiceSteps.createToken(server, label: "to delete")
        let deletedAccess = try await ServiceSteps.exchange(server, deleted.secret)
        #expect(try await client.call("GET", "/v1/self", token: deletedAccess).status == 200)
        #expect(try await client.call("DELETE", "/v1/tokens/\(deleted.id)", token: admin).status == 200)
        try ServiceSteps.expectUnauthorized(try await client.call("GET", "/v1/self", token: deletedAccess))
        try ServiceSteps.expectUnauthorized(try await client.call("POST", "/v1/auth/token", json: ServiceSteps.json(["api_key": deleted.secret])))

        let rotated = try await ServiceSteps.createToken(server, label: "to rotate")
        let rotatedAccess = try await ServiceSteps.exchange(server, rotated.secret)
        #expect(try await client.call("GET", "/v1/self", token: rotatedAccess).status == 200)
        let newSecret = try #require(try ServiceSteps.object(try await client.call("POST", "/v1/tokens/\(rotated.id)/regenerate", token: admin), 200)["secret"] as? String)
        try ServiceSteps.expectUnauthorized(try await client.call("GET", "/v1/self", token: rotatedAccess))
        try ServiceSteps.expectUnauthorized(try await client.call("POST", "/v1/auth/token", json: ServiceSteps.json(["api_key": rotated.secret])))
        #expect(try await client.call("GET", "/v1/self", token: try await ServiceSteps.exchange(server, newSecret)).status == 200)

        let person = try await ServiceSteps.createUser(server, role: "ADMIN")
        let personKey = try await ServiceSteps.createToken(server, label: "person", userID: person)
        let personAccess = try await ServiceSteps.exchange(server, personKey.secret)
        #expect(try await client.call("GET", "/v1/self", token: personAccess).status == 200)
        #expect(try await client.call("DELETE", "/v1/users/\(person)", token: admin).status == 200)
        try ServiceSteps.expectUnauthorized(try await client.call("GET", "/v1/self", token: personAccess))
        try ServiceSteps.expectUnauthorized(try await client.call("POST", "/v1/auth/token", json: ServiceSteps.json(["api_key": personKey.secret])))

        let machine = try await ServiceSteps.createServiceUser(server, role: "ADMIN")
        let machineKey = try await ServiceSteps.createToken(server, label: "machine", userID: machine)
        let machineAccess = try await ServiceSteps.exchange(server, machineKey.secret)
        #expect(try await client.call("GET", "/v1/self", token: machineAccess).status == 200)
        #expect(try await client.call("DELETE", "/v1/service-users/\(machine)", token: admin).status == 200)
        try ServiceSteps.expectUnauthorized(try await client.call("GET", "/v1/self", token: machineAccess))
        try ServiceSteps.expectUnauthorized(try await client.call("GET", "/v1/self", token: machineKey.secret))
    }

    @Test("Access tokens and last_used_at survive a graceful restart")
    func accessTokenSurvivesRestart() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let key = try await ServiceSteps.createToken(server, label: "persistent")
        let access = try await ServiceSteps.exchange(server, key.secret)
        let before = try ServiceSteps.object(try await client.call("GET", "/v1/self", token: access), 200)
        let usedFrom = Date()
        #expect(try await client.call("GET", "/v1/self", token: key.secret).status == 200)
        try await server.restart()
        let after = try ServiceSteps.object(try await server.client.call("GET", "/v1/self", token: access), 200)
        #expect(after["access_token_expires_at"] as? String == before["access_token_expires_at"] as? String)
        #expect((after["token"] as? [String: Any])?["token_id"] as? String == key.id)
        let stored = try ServiceSteps.object(try await server.client.call("GET", "/v1/tokens/\(key.id)", token: server.adminSecret), 200)
        let lastUsed = try #require(ServiceSteps.date(stored["last_used_at"]), "last_used_at lost on restart: \(stored)")
        #expect(lastUsed >= usedFrom.addingTimeInterval(-0.002))
    }

    // MARK: Reading and changing tokens

    @Test("last_used_at is null until the token is used, then the time of use")
    func lastUsedAt() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let issued = try await ServiceSteps.createToken(server, label: "unused")
        let unused = try ServiceSteps.object(try await client.call("GET", "/v1/tokens/\(issued.id)", token: server.adminSecret), 200)
        #expect(ServiceSteps.isNull(unused["last_used_at"]), "\(unused)")
        let before = Date()
        #expect(try await client.call("GET", "/v1/settings", token: issued.secret).status == 200)
        let after = Date()
        let token = try ServiceSteps.object(try await client.call("GET", "/v1/tokens/\(issued.id)", token: server.adminSecret), 200)
        let used = try #require(ServiceSteps.date(token["last_used_at"]), "\(token)")
        #expect(used >= before.addingTimeInterval(-0.002) && used <= after.addingTimeInterval(0.002))
        let listed = try ServiceSteps.object(try await client.call("GET", "/v1/tokens?token_ids=\(issued.id)", token: server.adminSecret), 200)
        #expect(((listed["results"] as? [[String: Any]])?.first?["last_used_at"] as? String) == token["last_used_at"] as? String)
    }

    @Test("GET /tokens filters by user_id and by token_ids (comma-separated)")
    func listFilters() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let member = try await ServiceSteps.createUser(server, role: "MEMBER")
        let first = try await ServiceSteps.createToken(server, label: "m1", userID: member)
        let second = try await ServiceSteps.createToken(server, label: "m2", userID: member)
        let mine = try await ServiceSteps.createToken(server, label: "a1")

        #expect(Set(try await ServiceSteps.tokenIDs(server, query: "user_id=\(member)")) == [first.id, second.id])
        #expect(Set(try await ServiceSteps.tokenIDs(server, query: "token_ids=\(first.id),\(mine.id)")) == [first.id, mine.id])
        #expect(try await ServiceSteps.tokenIDs(server, query: "token_ids=\(second.id)") == [second.id])
        #expect(try await ServiceSteps.tokenIDs(server, query: "token_ids=\(first.id),\(mine.id)&user_id=\(member)") == [first.id])
        #expect(try await ServiceSteps.tokenIDs(server, query: "user_id=\(UUID().uuidString.lowercased())").isEmpty)
        #expect(try await ServiceSteps.tokenIDs(server, query: "token_ids=\(UUID().uuidString.lowercased())").isEmpty)
        #expect(try await ServiceSteps.tokenIDs(server, query: "page_size=1000").count == 4)

        try ServiceSteps.expectValidation(try await client.call("GET", "/v1/tokens?token_ids=\(first.id),nope", token: server.adminSecret), fields: ["token_ids"])
        try ServiceSteps.expectValidation(try await client.call("GET", "/v1/tokens?user_id=nope", token: server.adminSecret), fields: ["user_id"])
        // `token_ids=` is one empty ID (not "no IDs"), refused like any other bad ID.
        try ServiceSteps.expectValidation(try await client.call("GET", "/v1/tokens?token_ids=", token: server.adminSecret), fields: ["token_ids[0]"])
        try (try await client.call("GET", "/v1/tokens", token: first.secret)).expectError(403, "forbidden")
    }

    @Test("Owner or admin may read, relabel and regenerate a token; anyone else gets 404")
    func ownershipAnd404() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let alice = try await ServiceSteps.createUser(server, role: "MEMBER")
        let bob = try await ServiceSteps.createUser(server, role: "MEMBER")
        let aliceKey = try await ServiceSteps.createToken(server, label: "alice", userID: alice)
        let bobKey = try await ServiceSteps.createToken(server, label: "bob", userID: bob)
        let label = ServiceSteps.json(["token_label": "renamed"])

        // Someone else's token, and one that does not exist: the same 404.
        for id in [aliceKey.id, UUID().uuidString.lowercased()] {
            try (try await client.call("GET", "/v1/tokens/\(id)", token: bobKey.secret)).expectError(404, "not_found")
            try (try await client.call("PATCH", "/v1/tokens/\(id)", token: bobKey.secret, json: label)).expectError(404, "not_found")
            try (try await client.call("POST", "/v1/tokens/\(id)/regenerate", token: bobKey.secret)).expectError(404, "not_found")
            try (try await client.call("DELETE", "/v1/tokens/\(id)", token: bobKey.secret)).expectError(404, "not_found")
        }
        let unknown = UUID().uuidString.lowercased()
        try (try await client.call("GET", "/v1/tokens/\(unknown)", token: server.adminSecret)).expectError(404, "not_found")
        try (try await client.call("PATCH", "/v1/tokens/\(unknown)", token: server.adminSecret, json: label)).expectError(404, "not_found")
        try (try await client.call("POST", "/v1/tokens/\(unknown)/regenerate", token: server.adminSecret)).expectError(404, "not_found")
        try ServiceSteps.expectValidation(try await client.call("GET", "/v1/tokens/nope", token: server.adminSecret), fields: ["token_id"])
        // Nothing happened to Alice's token.
        #expect(try await client.call("GET", "/v1/self", token: aliceKey.secret).status == 200)

        // The owner may read, relabel and regenerate.
        let own = try ServiceSteps.object(try await client.call("GET", "/v1/tokens/\(aliceKey.id)", token: aliceKey.secret), 200)
        #expect(own["token_label"] as? String == "alice")
        let relabeled = try ServiceSteps.object(try await client.call("PATCH", "/v1/tokens/\(aliceKey.id)", token: aliceKey.secret, json: label), 200)
        #expect(relabeled["token_label"] as? String == "renamed")
        #expect(relabeled["token_id"] as? String == aliceKey.id)
        let seen = try ServiceSteps.object(try await client.call("GET", "/v1/tokens/\(aliceKey.id)", token: server.adminSecret), 200)
        #expect(seen["token_label"] as? String == "renamed")
        try ServiceSteps.expectValidation(try await client.call("PATCH", "/v1/tokens/\(aliceKey.id)", token: aliceKey.secret,
                                                            json: ServiceSteps.json(["token_label": ""])), fields: ["token_label"])
        try ServiceSteps.expectValidation(try await client.call("PATCH", "/v1/tokens/\(aliceKey.id)", token: aliceKey.secret, json: "{}"),
                                      fields: ["token_label"])
        let rotated = try ServiceSteps.object(try await client.call("POST", "/v1/tokens/\(aliceKey.id)/regenerate", token: aliceKey.secret), 200)
        let aliceSecret = try #require(rotated["secret"] as? String)

        // Deleting their own: only while members may create tokens.
        try (try await client.call("DELETE", "/v1/tokens/\(aliceKey.id)", token: aliceSecret)).expectError(403, "forbidden")
        _ = try await ServiceSteps.patchSettings(server, ["allow_all_users_to_create_pats": true])
        try (try await client.call("DELETE", "/v1/tokens/\(aliceKey.id)", token: bobKey.secret)).expectError(404, "not_found")
        #expect(try await client.call("DELETE", "/v1/tokens/\(aliceKey.id)", token: aliceSecret).status == 200)
        try ServiceSteps.expectUnauthorized(try await client.call("GET", "/v1/self", token: aliceSecret))

        // An admin may read and relabel anyone's.
        #expect(try await client.call("GET", "/v1/tokens/\(bobKey.id)", token: server.adminSecret).status == 200)
        let adminRelabel = try ServiceSteps.object(try await client.call("PATCH", "/v1/tokens/\(bobKey.id)", token: server.adminSecret, json: label), 200)
        #expect(adminRelabel["token_label"] as? String == "renamed")
    }
}
