import Foundation
import HTTPTestClient
import Testing

/// PRODUCT.md §3 and §5a, expiry, against the service in process with a
/// `ManualClock`: each request is answered at an instant the test chose,
/// so every assertion runs, however slow the machine.
@Suite("Expiry at exact instants")
struct ExpiryTests {
    /// RFC 3339 with milliseconds for `milliseconds` since 1970, from integers.
    static func timestamp(_ milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let seconds = formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds / 1000)))
        return seconds.dropLast() + String(format: ".%03dZ", Int(milliseconds % 1000))
    }

    @Test("A token works until the millisecond before its expires_at, and from it on neither it nor its access tokens do")
    func expiry() async throws {
        try await InProcessTessera.with { server in
            let client = server.client
            let expiry = server.clock.now + 2_500
            let created = try ServiceSteps.object(try await client.call("POST", "/v1/tokens", token: server.adminSecret, json: ServiceSteps.json(
                ["token_label": "brief", "access_level": "FULL_ACCESS", "expires_at": Self.timestamp(expiry)])), 201)
            let secret = try #require(created["secret"] as? String)
            let stored = try #require((created["token"] as? [String: Any])?["expires_at"] as? String)
            #expect(ServiceSteps.millisecond(stored) == ServiceSteps.millisecond(Self.timestamp(expiry)))

            // Its access token cannot outlive it.
            let exchanged = try ServiceSteps.object(try await client.call("POST", "/v1/auth/token", json: ServiceSteps.json(["api_key": secret])), 200)
            let access = try #require(exchanged["access_token"] as? String)
            #expect(ServiceSteps.millisecond(try #require(exchanged["expires_at"] as? String)) == ServiceSteps.millisecond(stored))
            #expect(exchanged["expires_in"] as? Int == 3, "2.5 s, rounded up: \(exchanged)")

            server.clock.advance(milliseconds: 2_499)
            _ = try ServiceSteps.object(try await client.call("GET", "/v1/self", token: secret), 200)
            _ = try ServiceSteps.object(try await client.call("GET", "/v1/self", token: access), 200)

            server.clock.advance(milliseconds: 1)
            try ServiceSteps.expectUnauthorized(try await client.call("GET", "/v1/self", token: secret))
            try ServiceSteps.expectUnauthorized(try await client.call("GET", "/v1/self", token: access))
            try ServiceSteps.expectUnauthorized(try await client.call("POST", "/v1/auth/token", json: ServiceSteps.json(["api_key": secret])))
        }
    }

    @Test("An expired key does not count towards a service user's two live keys")
    func expiredKeyFreesItsSlot() async throws {
        try await InProcessTessera.with { server in
            let client = server.client
            let serviceUser = try await ServiceSteps.createServiceUser(server, role: "MEMBER")
            let body = ServiceSteps.json(["token_label": "k", "access_level": "READ_ONLY", "user_id": serviceUser])
            let expiry = server.clock.now + 2_500
            let shortLived = try ServiceSteps.object(try await client.call("POST", "/v1/tokens", token: server.adminSecret, json: ServiceSteps.json(
                ["token_label": "short", "access_level": "READ_ONLY", "user_id": serviceUser, "expires_at": Self.timestamp(expiry)])), 201)
            let shortSecret = try #require(shortLived["secret"] as? String)
            _ = try await ServiceSteps.createToken(server, label: "long", userID: serviceUser)
            try (try await client.call("POST", "/v1/tokens", token: server.adminSecret, json: body)).expectError(409, "conflict")

            server.clock.advance(milliseconds: 2_500)
            try ServiceSteps.expectUnauthorized(try await client.call("GET", "/v1/self", token: shortSecret))
            let third = try await client.call("POST", "/v1/tokens", token: server.adminSecret, json: body)
            #expect(third.status == 201, "an expired key still counted: \(third.text)")
            try (try await client.call("POST", "/v1/tokens", token: server.adminSecret, json: body)).expectError(409, "conflict")
        }
    }
}
