import Foundation
import HTTPTestClient
import Testing
import TestSupport

/// PRODUCT.md §8: three `tessera serve` instances on one PostgreSQL
/// database. Once a revocation has answered, no instance accepts the old
/// secret, even when each had it cached a moment before; an instance killed
/// with `kill -9` holds revocations up for at most its lease, and, restarted,
/// refuses what was revoked while it was down. Needs `TESSERA_TEST_POSTGRES`
/// (scripts/test provides one) and fails without it.
@Suite(.serialized) struct MultiInstanceTests {
    /// Revocations of each kind in the tight loop.
    static let iterations = 30

    @Test func revocationIsImmediateOnEveryInstance() async throws {
        let database = try await TesseraProcess.freshPostgresDatabase()
        let bootstrap = try run(Locations.tessera, ["bootstrap", "--database", database])
        guard bootstrap.status == 0, let admin = bootstrap.stdout.split(separator: "\n").last.map(String.init) else {
            throw ServerError(description: "bootstrap failed (\(bootstrap.status)): \(bootstrap.stderr)")
        }
        var servers: [TesseraProcess] = []
        for _ in 0..<3 { servers.append(try await TesseraProcess.serve(database: database, adminSecret: admin)) }
        defer { for server in servers { server.stop(signal: SIGKILL) } }
        var clients = servers.map(\.client)
        for client in clients { try await waitUntilReady(client) }

        // A load balancer's worth of requests, round-robin.
        var next = 0
        func anyClient() -> LoopbackClient {
            next += 1
            return clients[next % clients.count]
        }
        for _ in 0..<30 {
            #expect(try await anyClient().call("GET", "/v1/self", token: admin).status == 200)
        }

        var accepted = 0
        var checks = 0
        var latencies: [Double] = []
        /// Every instance accepts `secret` now (it is cached everywhere).
        func warm(_ secret: String, on clients: [LoopbackClient]) async throws {
            for client in clients {
                let response = try await client.call("GET", "/v1/self", token: secret)
                #expect(response.status == 200, "warming: \(response.status) \(response.text)")
            }
        }
        /// Right after the revocation answered: no instance accepts it.
        func expectRefused(_ secret: String, on clients: [LoopbackClient], _ what: String) async throws {
            for (index, client) in clients.enumerated() {
                let status = try await client.call("GET", "/v1/self", token: secret).status
                checks += 1
                if status != 401 {
                    accepted += status == 200 ? 1 : 0
                    Issue.record("\(what): instance \(index) answered \(status) for a revoked secret")
                }
            }
        }
        func timed(_ body: () async throws -> LoopbackResponse) async throws -> LoopbackResponse {
            let start = ContinuousClock.now
            let response = try await body()
            let elapsed = ContinuousClock.now - start
            latencies.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
            return response
        }
        func createToken(via client: LoopbackClient, userID: String? = nil) async throws -> (id: String, secret: String) {
            let target = userID.map { #","user_id":"\#($0)""# } ?? ""
            let response = try await client.call("POST", "/v1/tokens", token: admin,
                                                 json: #"{"token_label":"multi","access_level":"FULL_ACCESS"\#(target)}"#)
            #expect(response.status == 201, "\(response.text)")
            let body = try response.object
            let token = body["token"] as? [String: Any]
            return (token?["token_id"] as? String ?? "", body["secret"] as? String ?? "")
        }

        for iteration in 0..<Self.iterations {
            let via = clients[iteration % 3]
            // Delete.
            let deleted = try await createToken(via: anyClient())
            try await warm(deleted.secret, on: clients)
            #expect(try await timed { try await via.call("DELETE", "/v1/tokens/\(deleted.id)", token: admin) }.status == 200)
            try await expectRefused(deleted.secret, on: clients, "delete #\(iteration)")

            // Regenerate: the old secret dies, the new one works everywhere.
            let rotated = try await createToken(via: anyClient())
            try await warm(rotated.secret, on: clients)
            let regenerated = try await timed { try await via.call("POST", "/v1/tokens/\(rotated.id)/regenerate", token: admin) }
            #expect(regenerated.status == 200, "\(regenerated.text)")
            try await expectRefused(rotated.secret, on: clients, "regenerate #\(iteration)")
            if iteration == 0, let fresh = try regenerated.object["secret"] as? String { try await warm(fresh, on: clients) }

            // Deactivate a user.
            let member = try await anyClient().call("POST", "/v1/users", token: admin,
                                                    json: #"{"email":"m\#(iteration)@multi.test","full_name":"M \#(iteration)","role":"MEMBER"}"#)
            #expect(member.status == 201, "\(member.text)")
            let memberID = try member.object["user_id"] as? String ?? ""
            let memberToken = try await createToken(via: anyClient(), userID: memberID)
            try await warm(memberToken.secret, on: clients)
            #expect(try await timed { try await via.call("DELETE", "/v1/users/\(memberID)", token: admin) }.status == 200)
            try await expectRefused(memberToken.secret, on: clients, "deactivate #\(iteration)")

            // Delete a service user (its key and an access token exchanged for it).
            let service = try await anyClient().call("POST", "/v1/service-users", token: admin,
                                                     json: #"{"name":"svc \#(iteration)","role":"MEMBER"}"#)
            #expect(service.status == 201, "\(service.text)")
            let serviceID = try service.object["user_id"] as? String ?? ""
            let key = try await createToken(via: anyClient(), userID: serviceID)
            let exchanged = try await anyClient().call("POST", "/v1/auth/token", json: #"{"api_key":"\#(key.secret)"}"#)
            #expect(exchanged.status == 200, "\(exchanged.text)")
            let access = try exchanged.object["access_token"] as? String ?? ""
            try await warm(key.secret, on: clients)
            try await warm(access, on: clients)
            #expect(try await timed { try await via.call("DELETE", "/v1/service-users/\(serviceID)", token: admin) }.status == 200)
            try await expectRefused(key.secret, on: clients, "delete service user #\(iteration)")
            try await expectRefused(access, on: clients, "delete service user (access token) #\(iteration)")
        }
        let sorted = latencies.sorted()
        print("multi-instance: \(checks) checks of revoked secrets on 3 instances, \(accepted) accepted; "
              + "revocation latency median \(format(sorted[sorted.count / 2])) ms, max \(format(sorted.last ?? 0)) ms "
              + "(regenerations include their 200 ms settling pause)")
        #expect(accepted == 0)

        // kill -9 one instance: the others keep revoking, within its lease.
        let survivors = Array(clients.prefix(2))
        let doomed = try await createToken(via: clients[0])
        try await warm(doomed.secret, on: clients)
        servers[2].stop(signal: SIGKILL)
        let killedAt = ContinuousClock.now
        let first = try await createToken(via: clients[0])
        try await warm(first.secret, on: survivors)
        let start = ContinuousClock.now
        #expect(try await clients[0].call("DELETE", "/v1/tokens/\(first.id)", token: admin).status == 200)
        let waited = ContinuousClock.now - start
        print("multi-instance: a delete right after kill -9 of a peer answered in \(waited) (\(ContinuousClock.now - killedAt) after the kill)")
        #expect(waited < .seconds(5), "a dead instance holds revocations up for at most its lease (3 s)")
        try await expectRefused(first.secret, on: survivors, "delete after kill -9")
        // Revoked while the third instance is down.
        #expect(try await clients[1].call("DELETE", "/v1/tokens/\(doomed.id)", token: admin).status == 200)
        try await expectRefused(doomed.secret, on: survivors, "delete while an instance is down")
        for _ in 0..<3 {
            let token = try await createToken(via: clients[0])
            try await warm(token.secret, on: survivors)
            let start = ContinuousClock.now
            #expect(try await clients[1].call("DELETE", "/v1/tokens/\(token.id)", token: admin).status == 200)
            #expect(ContinuousClock.now - start < .seconds(1))
            try await expectRefused(token.secret, on: survivors, "delete with a dead peer")
        }

        // Restarted, it refuses what was revoked while it was down.
        try await servers[2].launch()
        clients = servers.map(\.client)
        try await waitUntilReady(clients[2])
        try await expectRefused(doomed.secret, on: clients, "revoked while the instance was down")
        let last = try await createToken(via: clients[2])
        try await warm(last.secret, on: clients)
        #expect(try await clients[2].call("DELETE", "/v1/tokens/\(last.id)", token: admin).status == 200)
        try await expectRefused(last.secret, on: clients, "delete after the restart")
        #expect(accepted == 0, "\(accepted) requests with a revoked secret were accepted")
    }

    /// Polls `GET /v1/readyz` until it is 200 (10 s at most).
    func waitUntilReady(_ client: LoopbackClient) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if try await client.call("GET", "/v1/readyz").status == 200 { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ServerError(description: "an instance did not become ready within 10 s")
    }

    func format(_ milliseconds: Double) -> String { String(format: "%.1f", milliseconds) }
}
