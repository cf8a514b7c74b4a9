import Foundation
import HTTPTestClient
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
        let issued = try await ServiceSteps.createToken(server, label: "many places")
        let created = try ServiceSteps.object(try await server.client.call("GET", "/v1/tokens/\(issued.id)", token: server.adminSecret), 200)
        #expect(created["last_used_ips"] as? [String] == [], "\(created)")

        #expect(try await server.client.call("GET", "/v1/self", token: issued.secret).status == 200)
        try await Task.sleep(for: .milliseconds(20))
        #expect(try await server.client(from: "127.0.0.2").call("GET", "/v1/self", token: issued.secret).status == 200)
        try await Task.sleep(for: .milliseconds(20))
        #expect(try await server.client(from: "127.0.0.1").call("GET", "/v1/settings", token: issued.secret).status == 200)
        // An access token's use is its key's.
        let access = try await ServiceSteps.exchange(server, issued.secret)
        try await Task.sleep(for: .milliseconds(20))
        #expect(try await server.client(from: "127.0.0.3").call("GET", "/v1/self", token: access).status == 200)

        let expected = ["127.0.0.3", "127.0.0.1", "127.0.0.2"]
        try await expectIPs(server, issued.id, expected)
        // The list endpoint, and /v1/self's token (in memory, at once).
        let listed = try ServiceSteps.object(try await server.client.call("GET", "/v1/tokens?token_ids=\(issued.id)", token: server.adminSecret), 200)
        #expect((listed["results"] as? [[String: Any]])?.first?["last_used_ips"] as? [String] == expected)
        let me = try ServiceSteps.object(try await server.client(from: "127.0.0.3").call("GET", "/v1/self", token: issued.secret), 200)
        #expect((me["token"] as? [String: Any])?["last_used_ips"] as? [String] == expected, "\(me)")
        // A use from an address already listed moves it to the front.
        #expect(try await server.client(from: "127.0.0.2").call("GET", "/v1/self", token: access).status == 200)
        try await expectIPs(server, issued.id, ["127.0.0.2", "127.0.0.3", "127.0.0.1"])
        // A regenerated token keeps its history (the same token).
        let regenerated = try ServiceSteps.object(try await server.client.call("POST", "/v1/tokens/\(issued.id)/regenerate", token: server.adminSecret), 200)
        #expect((regenerated["token"] as? [String: Any])?["last_used_ips"] as? [String] == ["127.0.0.2", "127.0.0.3", "127.0.0.1"])
        // A new token's body has an empty list.
        let fresh = try ServiceSteps.object(try await server.client.call("POST", "/v1/tokens", token: server.adminSecret,
                                                                    json: ServiceSteps.json(["token_label": "new", "access_level": "READ_ONLY"])), 201)
        #expect((fresh["token"] as? [String: Any])?["last_used_ips"] as? [String] == [], "\(fresh)")
    }

    @Test("At most 5, forwarded by a trusted proxy only; an untrusted peer's X-Forwarded-For is ignored; kept across a restart")
    func capProxiesAndRestart() async throws {
        let server = try await TesseraProcess.start(extraEnvironment: ["TESSERA_TRUSTED_PROXIES": "127.0.0.3"])
        let issued = try await ServiceSteps.createToken(server, label: "behind a proxy")
        let proxy = server.client(from: "127.0.0.3")
        let forwarded = (1...6).map { "198.51.100.\($0)" }
        for address in forwarded {
            // The rightmost untrusted hop is the client.
            let response = try await proxy.call("GET", "/v1/self", token: issued.secret,
                                                headers: [("X-Forwarded-For", "203.0.113.99, \(address)")])
            #expect(response.status == 200)
            try await Task.sleep(for: .milliseconds(5))
        }
        try await expectIPs(server, issued.id, Array(forwarded.reversed().prefix(5)))

        // From an untrusted peer, the header is the client's own claim: the peer is recorded.
        let response = try await server.client(from: "127.0.0.2").call("GET", "/v1/self", token: issued.secret,
                                                                        headers: [("X-Forwarded-For", "192.0.2.66")])
        #expect(response.status == 200)
        let expected = ["127.0.0.2", "198.51.100.6", "198.51.100.5", "198.51.100.4", "198.51.100.3"]
        try await expectIPs(server, issued.id, expected)

        // A use answered just before a graceful stop is written by it.
        let late = try await ServiceSteps.createToken(server, label: "used at the end")
        #expect(try await proxy.call("GET", "/v1/self", token: late.secret, headers: [("X-Forwarded-For", "2001:db8::7")]).status == 200)
        try await server.restart()
        let token = try ServiceSteps.object(try await server.client.call("GET", "/v1/tokens/\(issued.id)", token: server.adminSecret), 200)
        #expect(token["last_used_ips"] as? [String] == expected, "\(token)")
        let lateToken = try ServiceSteps.object(try await server.client.call("GET", "/v1/tokens/\(late.id)", token: server.adminSecret), 200)
        #expect(lateToken["last_used_ips"] as? [String] == ["2001:db8::7"], "\(lateToken)")
    }

    @Test("The same client again after a flush goes back in front of addresses another instance wrote meanwhile")
    func sameClientAfterAFlush() async throws {
        let server = try await TesseraProcess.start()
        let issued = try await ServiceSteps.createToken(server, label: "shared")
        let other = server.client(from: "127.0.0.2")
        for _ in 0..<3 { #expect(try await other.call("GET", "/v1/self", token: issued.secret).status == 200) }
        try await expectIPs(server, issued.id, ["127.0.0.2"])
        // Another instance (here: a write behind the server's back) records a newer client.
        _ = try server.sql("UPDATE tokens SET last_used_ips = '192.0.2.50,127.0.0.2' WHERE id = '\(issued.id)'")
        try await expectIPs(server, issued.id, ["192.0.2.50", "127.0.0.2"])
        #expect(try await other.call("GET", "/v1/self", token: issued.secret).status == 200)
        try await expectIPs(server, issued.id, ["127.0.0.2", "192.0.2.50"])
    }

    /// Polls until the database's `tokens.last_used_ips` (written by the
    /// flush, every 250 ms; 5 s is the deadline) and `GET /v1/tokens/{id}`
    /// both say `expected`.
    private func expectIPs(_ server: TesseraProcess, _ id: String, _ expected: [String],
                           sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let deadline = Date().addingTimeInterval(5)
        var stored = ""
        var served: Any?
        repeat {
            let row = try server.sql("SELECT last_used_ips FROM tokens WHERE id = '\(id)'")
            stored = row.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let token = try ServiceSteps.object(try await server.client.call("GET", "/v1/tokens/\(id)", token: server.adminSecret), 200)
            served = token["last_used_ips"]
            if stored == expected.joined(separator: ","), served as? [String] == expected { return }
            try await Task.sleep(for: .milliseconds(50))
        } while Date() < deadline
        Issue.record("last_used_ips is \(String(describing: served)) (stored: '\(stored)'), expected \(expected)",
                     sourceLocation: sourceLocation)
    }
}
