import Foundation
import HTTPTestClient
import Testing

/// Rotation with overlap (`grace_period_seconds` on regenerate), through the
/// real server, on the backend the run uses.
@Suite("Grace periods")
struct GracePeriodTests {
    static func regenerate(_ server: TesseraProcess, _ id: String, grace: Int?) async throws -> [String: Any] {
        let body = grace.map { ServiceSteps.json(["grace_period_seconds": $0]) }
        return try ServiceSteps.object(try await server.client.call("POST", "/v1/tokens/\(id)/regenerate", token: server.adminSecret,
                                                                json: body), 200)
    }

    static func secret(_ created: [String: Any]) throws -> String { try #require(created["secret"] as? String) }

    static func graceEnd(_ created: [String: Any]) -> Date? {
        ServiceSteps.date((created["token"] as? [String: Any])?["previous_secret_expires_at"])
    }

    @Test("Both secrets work during the grace period; a second rotation ends it at once; the old secret and its access tokens stop at its end")
    func bothSecretsThenTheNewOne() async throws {
        let server = try await TesseraProcess.start()
        let service = try await ServiceSteps.createServiceUser(server, role: "MEMBER")
        let key = try await ServiceSteps.createToken(server, label: "deploy key", userID: service)
        let before = try await ServiceSteps.exchange(server, key.secret)
        let sent = Date()
        let rotated = try await Self.regenerate(server, key.id, grace: 600)
        let second = try Self.secret(rotated)
        let end = try #require(Self.graceEnd(rotated))
        #expect(end > sent.addingTimeInterval(599) && end < Date().addingTimeInterval(601), "\(end)")
        let shown = try ServiceSteps.object(try await server.client.call("GET", "/v1/tokens/\(key.id)", token: server.adminSecret), 200)
        #expect(ServiceSteps.date(shown["previous_secret_expires_at"]) == end)

        // During the grace period: the old secret, the new one and the access token from before.
        for secret in [key.secret, second, before] {
            _ = try ServiceSteps.object(try await server.client.call("GET", "/v1/self", token: secret), 200)
        }
        // The old secret may still be exchanged; that access token ends with the grace period at the latest.
        let exchanged = try ServiceSteps.object(try await server.client.call("POST", "/v1/auth/token",
                                                                         json: ServiceSteps.json(["api_key": key.secret])), 200)
        let during = try #require(exchanged["access_token"] as? String)
        #expect(ServiceSteps.date(exchanged["expires_at"]).map { $0 <= end } == true)
        _ = try ServiceSteps.object(try await server.client.call("GET", "/v1/self", token: during), 200)
        let fromSecond = try await ServiceSteps.exchange(server, second)

        // A second rotation (2 s of grace) ends the first grace period at
        // once: the first secret and both access tokens from it die now.
        let sentAgain = Date()
        let again = try await Self.regenerate(server, key.id, grace: 2)
        let third = try Self.secret(again)
        let answered = Date()
        // The answer comes after a 500 ms settling pause; on a loaded
        // machine the 2 s may be over by then, and it says so with null.
        // Otherwise the end is 2 s after the server began, which lies
        // between sending and the answer.
        if let end = Self.graceEnd(again) {
            #expect(end >= sentAgain.addingTimeInterval(1.99) && end <= answered.addingTimeInterval(2.01), "\(end)")
        }
        let shortEnd = Self.graceEnd(again) ?? answered
        for secret in [key.secret, before, during] {
            try await server.client.call("GET", "/v1/self", token: secret).expectError(401, "unauthorized")
        }
        _ = try ServiceSteps.object(try await server.client.call("GET", "/v1/self", token: third), 200)

        // After the second grace period: the second secret and its access token are refused too.
        let wait = shortEnd.timeIntervalSinceNow + 0.2
        if wait > 0 { try await Task.sleep(for: .seconds(wait)) }
        for secret in [second, fromSecond] {
            try await server.client.call("GET", "/v1/self", token: secret).expectError(401, "unauthorized")
        }
        _ = try ServiceSteps.object(try await server.client.call("GET", "/v1/self", token: third), 200)
        let after = try ServiceSteps.object(try await server.client.call("GET", "/v1/tokens/\(key.id)", token: server.adminSecret), 200)
        #expect(ServiceSteps.isNull(after["previous_secret_expires_at"]))

        // A rotation without a grace period kills the one it replaces at once.
        let plain = try await Self.regenerate(server, key.id, grace: nil)
        #expect(ServiceSteps.isNull((plain["token"] as? [String: Any])?["previous_secret_expires_at"]))
        try await server.client.call("GET", "/v1/self", token: third).expectError(401, "unauthorized")
        _ = try ServiceSteps.object(try await server.client.call("GET", "/v1/self", token: try Self.secret(plain)), 200)

        // The events record the grace period.
        let events = try ServiceSteps.object(try await server.client.call("GET", "/v1/events?event_type_filter=API_TOKEN_REGENERATED",
                                                                      token: server.adminSecret), 200)
        let details = (events["results"] as? [[String: Any]] ?? []).map { $0["detail"] as? String }
        #expect(details == [nil, "grace period 2 s", "grace period 600 s"], "\(details)")
    }

    @Test("A grace period never outlives the token; out-of-range values are a 400 naming the field; no body is no grace")
    func boundsAndDefaults() async throws {
        let server = try await TesseraProcess.start()
        let expiry = Date().addingTimeInterval(3600)
        let key = try await ServiceSteps.createToken(server, label: "short-lived", expiresAt: expiry)
        let rotated = try await Self.regenerate(server, key.id, grace: 86_400)
        let tokenExpiry = try #require(ServiceSteps.date((rotated["token"] as? [String: Any])?["expires_at"]))
        #expect(Self.graceEnd(rotated) == tokenExpiry)
        _ = try ServiceSteps.object(try await server.client.call("GET", "/v1/self", token: key.secret), 200)

        for bad in [-1, 86_401] {
            let response = try await server.client.call("POST", "/v1/tokens/\(key.id)/regenerate", token: server.adminSecret,
                                                        json: ServiceSteps.json(["grace_period_seconds": bad]))
            try response.expectError(400, "validation_error")
            #expect(ServiceSteps.fields(response).contains("grace_period_seconds"), "\(response.text)")
        }
        // Without a body (Opal's SDK): the old secret dies at once.
        let plain = try await Self.regenerate(server, key.id, grace: nil)
        #expect(ServiceSteps.isNull((plain["token"] as? [String: Any])?["previous_secret_expires_at"]))
        try await server.client.call("GET", "/v1/self", token: try Self.secret(rotated)).expectError(401, "unauthorized")
        _ = try ServiceSteps.object(try await server.client.call("GET", "/v1/self", token: try Self.secret(plain)), 200)
    }

    @Test("A leaked previous secret is revoked alone: the grace period ends, the token and its new secret live on")
    func revokingThePreviousSecret() async throws {
        let server = try await TesseraProcess.start()
        let key = try await ServiceSteps.createToken(server, label: "rolling")
        let rotated = try await Self.regenerate(server, key.id, grace: 3600)
        _ = try ServiceSteps.object(try await server.client.call("GET", "/v1/self", token: key.secret), 200)
        _ = try ServiceSteps.object(try await server.client.call("POST", "/v1/tokens/revoke", json: ServiceSteps.json(["secret": key.secret])), 200)
        try await server.client.call("GET", "/v1/self", token: key.secret).expectError(401, "unauthorized")
        _ = try ServiceSteps.object(try await server.client.call("GET", "/v1/self", token: try Self.secret(rotated)), 200)
        let shown = try ServiceSteps.object(try await server.client.call("GET", "/v1/tokens/\(key.id)", token: server.adminSecret), 200)
        #expect(ServiceSteps.isNull(shown["previous_secret_expires_at"]))
    }
}
