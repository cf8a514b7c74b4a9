import Foundation
import HTTPTestClient
import TesseraClient
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

    /// The milliseconds since 1970 of a decoded date (rounded: the
    /// floating point of `Date` only blurs what is below a millisecond).
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// POST /tokens by the bootstrap admin, expiring at `expiry` sent as the
    /// text of that exact millisecond (a raw request: a `Date` sent by the
    /// client would be a floating-point conversion of its own).
    static func token(_ server: InProcessTessera, label: String, level: String = "FULL_ACCESS", expiresAt expiry: Int64,
                      userID: UUID? = nil) async throws -> Schemas.CreatedToken {
        var body: [String: Any] = ["token_label": label, "access_level": level, "expires_at": timestamp(expiry)]
        if let userID { body["user_id"] = userID.uuidString.lowercased() }
        let response = try await server.client.call("POST", "/v1/tokens", token: server.adminSecret, json: ServiceSteps.json(body))
        return try ServiceSteps.decode(Schemas.CreatedToken.self, response, 201)
    }

    @Test("A token works until the millisecond before its expires_at, and from it on neither it nor its access tokens do")
    func expiry() async throws {
        try await InProcessTessera.with { server in
            let expiry = server.clock.now + 2_500
            let created = try await Self.token(server, label: "brief", expiresAt: expiry)
            let secret = created.secret
            let stored = try #require(created.token.expiresAt ?? nil)
            #expect(Self.milliseconds(stored) == expiry)

            // Its access token cannot outlive it.
            let exchanged = try await ServiceSteps.accessToken(server, secret)
            #expect(Self.milliseconds(exchanged.expiresAt) == expiry)
            #expect(exchanged.expiresIn == 3, "2.5 s, rounded up: \(exchanged)")

            server.clock.advance(milliseconds: 2_499)
            try await ServiceSteps.expectAccepted(server, secret)
            try await ServiceSteps.expectAccepted(server, exchanged.accessToken)

            server.clock.advance(milliseconds: 1)
            try await ServiceSteps.expectRefused(server, secret)
            try await ServiceSteps.expectRefused(server, exchanged.accessToken)
            try await ServiceSteps.expectExchangeRefused(server, secret)
        }
    }

    @Test("An expired key does not count towards a service user's two live keys")
    func expiredKeyFreesItsSlot() async throws {
        try await InProcessTessera.with { server in
            let serviceUser = try await ServiceSteps.newServiceUser(server, role: .member)
            let body = Operations.CreateToken.Input(body: .init(tokenLabel: "k", accessLevel: .readOnly, userID: serviceUser))
            func create() async throws -> Operations.CreateToken.Output { try await server.adminAPI.createToken(body) }
            func expectConflict(sourceLocation: SourceLocation = #_sourceLocation) async throws {
                let output = try await create()
                guard case .conflict(let error) = output else { Issue.record(Unexpected(output, "409"), sourceLocation: sourceLocation); return }
                ServiceSteps.expectError(error, .conflict, sourceLocation: sourceLocation)
            }
            let shortLived = try await Self.token(server, label: "short", level: "READ_ONLY", expiresAt: server.clock.now + 2_500, userID: serviceUser)
            _ = try await ServiceSteps.newToken(server, label: "long", userID: serviceUser)
            try await expectConflict()

            server.clock.advance(milliseconds: 2_500)
            try await ServiceSteps.expectRefused(server, shortLived.secret)
            let third = try await create()
            guard case .created = third else { throw Unexpected(third, "201 (an expired key still counted)") }
            try await expectConflict()
        }
    }
}
