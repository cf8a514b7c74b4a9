import Foundation
import HTTPTestClient
import TesseraClient
import Testing

/// `last_used_ips` (PRODUCT.md §10), through a real `tessera serve`: the
/// last 5 distinct client addresses that used a token or its access tokens,
/// newest first, written with `last_used_at` (every 250 ms and at a
/// graceful stop), and behind a proxy only through a trusted proxy's
/// `X-Forwarded-For`.
@Suite("last_used_ips")
struct LastUsedIPsTests {
    @Test("Newest first and distinct, from the token and its access tokens; [] until used; on every token body")
    func orderAndDistinctness() async throws {
        let server = try await TesseraProcess.start()
        let issued = try await ServiceSteps.newToken(server, label: "many places")
        let id = issued.token.tokenID
        let created = try await Self.token(server, id)
        #expect(created.lastUsedIps == [], "\(created)")

        /// GET /self with `secret` from `source` is a 200.
        func use(_ secret: String, from source: String, settings: Bool = false) async throws -> Schemas.SelfResponse? {
            let caller = server.api(secret, from: source)
            if settings {
                let output = try await caller.getSettings()
                guard case .ok = output else { throw Unexpected(output, "200") }
                return nil
            }
            let output = try await caller.getSelf()
            guard case .ok(let me) = output else { throw Unexpected(output, "200") }
            return me
        }
        _ = try await use(issued.secret, from: "127.0.0.1")
        try await Task.sleep(for: .milliseconds(20))
        _ = try await use(issued.secret, from: "127.0.0.2")
        try await Task.sleep(for: .milliseconds(20))
        _ = try await use(issued.secret, from: "127.0.0.1", settings: true)
        // An access token's use is its key's.
        let access = try await ServiceSteps.accessToken(server, issued.secret).accessToken
        try await Task.sleep(for: .milliseconds(20))
        _ = try await use(access, from: "127.0.0.3")

        let expected = ["127.0.0.3", "127.0.0.1", "127.0.0.2"]
        try await expectIPs(server, id, expected)
        // The list endpoint, and /v1/self's token (in memory, at once).
        #expect(try await ServiceSteps.listedTokens(server, .init(tokenIDs: [id])).first?.lastUsedIps == expected)
        let me = try await use(issued.secret, from: "127.0.0.3")
        #expect(me?.token.lastUsedIps == expected, "\(String(describing: me))")
        // A use from an address already listed moves it to the front.
        _ = try await use(access, from: "127.0.0.2")
        try await expectIPs(server, id, ["127.0.0.2", "127.0.0.3", "127.0.0.1"])
        // A regenerated token keeps its history (the same token).
        let regeneration = try await server.adminAPI.regenerateToken(.init(tokenID: id))
        guard case .ok(let regenerated) = regeneration else { throw Unexpected(regeneration, "200") }
        #expect(regenerated.token.lastUsedIps == ["127.0.0.2", "127.0.0.3", "127.0.0.1"])
        // A new token's body has an empty list.
        let fresh = try await ServiceSteps.newToken(server, label: "new", level: .readOnly)
        #expect(fresh.token.lastUsedIps == [], "\(fresh)")
    }

    @Test("At most 5, forwarded by a trusted proxy only; an untrusted peer's X-Forwarded-For is ignored; kept across a restart")
    func capProxiesAndRestart() async throws {
        let server = try await TesseraProcess.start(extraEnvironment: ["TESSERA_TRUSTED_PROXIES": "127.0.0.3"])
        let issued = try await ServiceSteps.newToken(server, label: "behind a proxy")
        let id = issued.token.tokenID
        let proxy = server.client(from: "127.0.0.3")
        let forwarded = (1...6).map { "198.51.100.\($0)" }
        for address in forwarded {
            // The rightmost untrusted hop is the client.
            let response = try await proxy.call("GET", "/v1/self", token: issued.secret,
                                                headers: [("X-Forwarded-For", "203.0.113.99, \(address)")])
            #expect(response.status == 200)
            try await Task.sleep(for: .milliseconds(5))
        }
        try await expectIPs(server, id, Array(forwarded.reversed().prefix(5)))

        // From an untrusted peer, the header is the client's own claim: the peer is recorded.
        let response = try await server.client(from: "127.0.0.2").call("GET", "/v1/self", token: issued.secret,
                                                                        headers: [("X-Forwarded-For", "192.0.2.66")])
        #expect(response.status == 200)
        let expected = ["127.0.0.2", "198.51.100.6", "198.51.100.5", "198.51.100.4", "198.51.100.3"]
        try await expectIPs(server, id, expected)

        // A use answered just before a graceful stop is written by it.
        let late = try await ServiceSteps.newToken(server, label: "used at the end")
        #expect(try await proxy.call("GET", "/v1/self", token: late.secret, headers: [("X-Forwarded-For", "2001:db8::7")]).status == 200)
        try await server.restart()
        let token = try await Self.token(server, id)
        #expect(token.lastUsedIps == expected, "\(token)")
        let lateToken = try await Self.token(server, late.token.tokenID)
        #expect(lateToken.lastUsedIps == ["2001:db8::7"], "\(lateToken)")
    }

    @Test("The same client again after a flush goes back in front of addresses another instance wrote meanwhile")
    func sameClientAfterAFlush() async throws {
        let server = try await TesseraProcess.start()
        let issued = try await ServiceSteps.newToken(server, label: "shared")
        let id = issued.token.tokenID
        let other = server.api(issued.secret, from: "127.0.0.2")
        for _ in 0..<3 {
            let output = try await other.getSelf()
            guard case .ok = output else { throw Unexpected(output, "200") }
        }
        try await expectIPs(server, id, ["127.0.0.2"])
        // Another instance (here: a write behind the server's back) records a newer client.
        _ = try server.sql("UPDATE tokens SET last_used_ips = '192.0.2.50,127.0.0.2' WHERE id = '\(id.uuidString.lowercased())'")
        try await expectIPs(server, id, ["192.0.2.50", "127.0.0.2"])
        let again = try await other.getSelf()
        guard case .ok = again else { throw Unexpected(again, "200") }
        try await expectIPs(server, id, ["127.0.0.2", "192.0.2.50"])
    }

    /// Polls until the database's `tokens.last_used_ips` (written by the
    /// flush, every 250 ms; 5 s is the deadline) and `GET /v1/tokens/{id}`
    /// both say `expected`.
    private func expectIPs(_ server: TesseraProcess, _ id: UUID, _ expected: [String],
                           sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let deadline = Date().addingTimeInterval(5)
        var stored = ""
        var served: [String]?
        repeat {
            let row = try server.sql("SELECT last_used_ips FROM tokens WHERE id = '\(id.uuidString.lowercased())'")
            stored = row.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            served = try await Self.token(server, id).lastUsedIps
            if stored == expected.joined(separator: ","), served == expected { return }
            try await Task.sleep(for: .milliseconds(50))
        } while Date() < deadline
        Issue.record("last_used_ips is \(String(describing: served)) (stored: '\(stored)'), expected \(expected)",
                     sourceLocation: sourceLocation)
    }

    /// GET /tokens/{id} by the admin.
    static func token(_ server: TesseraProcess, _ id: UUID) async throws -> Schemas.Token {
        let output = try await server.adminAPI.getToken(.init(tokenID: id))
        guard case .ok(let token) = output else { throw Unexpected(output, "200") }
        return token
    }
}
