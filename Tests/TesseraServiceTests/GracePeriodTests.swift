import Foundation
import HTTPTestClient
import TesseraClient
import Testing

/// Rotation with overlap (`grace_period_seconds` on regenerate), through the
/// real server, on the backend the run uses.
@Suite("Grace periods")
struct GracePeriodTests {
    /// POST /tokens/{id}/regenerate by the admin; without a body for a nil `grace`.
    static func regenerate(_ server: TesseraProcess, _ id: UUID, grace: Int?) async throws -> Schemas.CreatedToken {
        let output = try await server.adminAPI.regenerateToken(.init(tokenID: id, body: grace.map { .init(gracePeriodSeconds: $0) }))
        guard case .ok(let created) = output else { throw Unexpected(output, "200") }
        return created
    }

    /// GET /tokens/{id} by the admin.
    static func token(_ server: TesseraProcess, _ id: UUID) async throws -> Schemas.Token {
        let output = try await server.adminAPI.getToken(.init(tokenID: id))
        guard case .ok(let token) = output else { throw Unexpected(output, "200") }
        return token
    }

    @Test("Both secrets work during the grace period; a second rotation ends it at once; the old secret and its access tokens stop at its end")
    func bothSecretsThenTheNewOne() async throws {
        let server = try await TesseraProcess.start()
        let service = try await ServiceSteps.newServiceUser(server, role: .member)
        let key = try await ServiceSteps.newToken(server, label: "deploy key", userID: service)
        let id = key.token.tokenID
        let before = try await ServiceSteps.accessToken(server, key.secret).accessToken
        let sent = Date()
        let rotated = try await Self.regenerate(server, id, grace: 600)
        let second = rotated.secret
        let end = try #require(rotated.token.previousSecretExpiresAt ?? nil)
        #expect(end > sent.addingTimeInterval(599) && end < Date().addingTimeInterval(601), "\(end)")
        #expect(try await Self.token(server, id).previousSecretExpiresAt ?? nil == end)

        // During the grace period: the old secret, the new one and the access token from before.
        for secret in [key.secret, second, before] {
            try await ServiceSteps.expectAccepted(server, secret)
        }
        // The old secret may still be exchanged; that access token ends with the grace period at the latest.
        let exchanged = try await ServiceSteps.accessToken(server, key.secret)
        let during = exchanged.accessToken
        #expect(exchanged.expiresAt <= end)
        try await ServiceSteps.expectAccepted(server, during)
        let fromSecond = try await ServiceSteps.accessToken(server, second).accessToken

        // A second rotation (2 s of grace) ends the first grace period at
        // once: the first secret and both access tokens from it die now.
        let sentAgain = Date()
        let again = try await Self.regenerate(server, id, grace: 2)
        let third = again.secret
        let answered = Date()
        // The answer comes after a 500 ms settling pause; on a loaded
        // machine the 2 s may be over by then, and it says so with null.
        // Otherwise the end is 2 s after the server began, which lies
        // between sending and the answer.
        if let end = again.token.previousSecretExpiresAt ?? nil {
            #expect(end >= sentAgain.addingTimeInterval(1.99) && end <= answered.addingTimeInterval(2.01), "\(end)")
        }
        let shortEnd = (again.token.previousSecretExpiresAt ?? nil) ?? answered
        for secret in [key.secret, before, during] {
            try await ServiceSteps.expectRefused(server, secret)
        }
        try await ServiceSteps.expectAccepted(server, third)

        // After the second grace period: the second secret and its access token are refused too.
        let wait = shortEnd.timeIntervalSinceNow + 0.2
        if wait > 0 { try await Task.sleep(for: .seconds(wait)) }
        for secret in [second, fromSecond] {
            try await ServiceSteps.expectRefused(server, secret)
        }
        try await ServiceSteps.expectAccepted(server, third)
        #expect((try await Self.token(server, id).previousSecretExpiresAt ?? nil) == nil)

        // A rotation without a grace period kills the one it replaces at once.
        let plain = try await Self.regenerate(server, id, grace: nil)
        #expect((plain.token.previousSecretExpiresAt ?? nil) == nil)
        try await ServiceSteps.expectRefused(server, third)
        try await ServiceSteps.expectAccepted(server, plain.secret)

        // The events record the grace period.
        let events = try await server.adminAPI.events(.init(eventTypeFilter: "API_TOKEN_REGENERATED"))
        guard case .ok(let page) = events else { throw Unexpected(events, "200") }
        let details = (page.results ?? []).map { $0.detail ?? nil }
        #expect(details == [nil, "grace period 2 s", "grace period 600 s"], "\(details)")
    }

    @Test("A grace period never outlives the token; out-of-range values are a 400 naming the field; no body is no grace")
    func boundsAndDefaults() async throws {
        let server = try await TesseraProcess.start()
        let expiry = Date().addingTimeInterval(3600)
        let key = try await ServiceSteps.newToken(server, label: "short-lived", expiresAt: expiry)
        let id = key.token.tokenID
        let rotated = try await Self.regenerate(server, id, grace: 86_400)
        let tokenExpiry = try #require(rotated.token.expiresAt ?? nil)
        #expect(rotated.token.previousSecretExpiresAt ?? nil == tokenExpiry)
        try await ServiceSteps.expectAccepted(server, key.secret)

        for bad in [-1, 86_401] {
            let output = try await server.adminAPI.regenerateToken(.init(tokenID: id, body: .init(gracePeriodSeconds: bad)))
            guard case .badRequest(let error) = output else { Issue.record(Unexpected(output, "400")); continue }
            ServiceSteps.expectValidation(error, fields: ["grace_period_seconds"])
        }
        // Without a body (Opal's SDK): the old secret dies at once.
        let plain = try await Self.regenerate(server, id, grace: nil)
        #expect((plain.token.previousSecretExpiresAt ?? nil) == nil)
        try await ServiceSteps.expectRefused(server, rotated.secret)
        try await ServiceSteps.expectAccepted(server, plain.secret)
    }

    @Test("A leaked previous secret is revoked alone: the grace period ends, the token and its new secret live on")
    func revokingThePreviousSecret() async throws {
        let server = try await TesseraProcess.start()
        let key = try await ServiceSteps.newToken(server, label: "rolling")
        let rotated = try await Self.regenerate(server, key.token.tokenID, grace: 3600)
        try await ServiceSteps.expectAccepted(server, key.secret)
        let revocation = try await server.api(nil).revokeSecret(.init(body: .init(secret: key.secret)))
        guard case .ok = revocation else { throw Unexpected(revocation, "200") }
        try await ServiceSteps.expectRefused(server, key.secret)
        try await ServiceSteps.expectAccepted(server, rotated.secret)
        #expect((try await Self.token(server, key.token.tokenID).previousSecretExpiresAt ?? nil) == nil)
    }
}
