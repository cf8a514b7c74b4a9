import APIRuntime
import Foundation
import HTTPTestClient
import TesseraClient
import TesseraCore
import Testing
import TestSupport

/// What must hold across crashes and restarts, and what must never be
/// written anywhere: every answered write survives `kill -9`;
/// `last_used_at` reaches the database within a second and on graceful
/// shutdown; no secret appears in the log, the audit trail, an error body
/// or the database files; one log line per request with its correlation id.
@Suite struct DurabilityAndSecretsTests {
    // MARK: kill -9

    @Test func everyAnsweredWriteSurvivesKill9() async throws {
        let server = try await TesseraProcess.start()
        defer { server.stop() }
        let client = server.client
        let admin = server.adminSecret
        let ledger = BurstLedger()
        let total = 200, concurrency = 16, killAfter = 60

        // A burst of creations (and deletions of tokens already created);
        // the server is killed from another task after `killAfter` of them.
        let killer = Task {
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline, await ledger.createdCount < killAfter {
                try? await Task.sleep(for: .milliseconds(2))
            }
            server.stop(signal: SIGKILL)
            await ledger.markKilled()
        }
        @Sendable func job(_ index: Int) async {
            guard !(await ledger.killed) else { return }
            do {
                let response = try await client.call("POST", "/v1/tokens", token: admin,
                                                     json: #"{"token_label":"burst \#(index)","access_level":"READ_ONLY"}"#)
                if response.status == 201, let body = try? ServiceSteps.decode(Schemas.CreatedToken.self, response, 201) {
                    await ledger.created(id: body.token.tokenID.uuidString.lowercased(), secret: body.secret)
                } else {
                    await ledger.unexpected("POST /v1/tokens → \(response.status) \(response.text)")
                }
            } catch {
                // No answer: in flight when the server died. Either outcome is allowed.
            }
            guard index % 4 == 3, !(await ledger.killed), let id = await ledger.claimDeletion() else { return }
            do {
                let response = try await client.call("DELETE", "/v1/tokens/\(id)", token: admin)
                if response.status == 200 {
                    await ledger.deleted(id)
                } else {
                    await ledger.unexpected("DELETE /v1/tokens/\(id) → \(response.status) \(response.text)")
                }
            } catch {}
        }
        await withTaskGroup(of: Void.self) { group in
            var next = 0
            while next < concurrency {
                let index = next
                group.addTask { await job(index) }
                next += 1
            }
            while await group.next() != nil, next < total {
                let index = next
                group.addTask { await job(index) }
                next += 1
            }
        }
        await killer.value

        let created = await ledger.createdTokens
        let attempted = await ledger.deletionAttempted
        let deleted = await ledger.deletedTokens
        let killed = await ledger.killed
        let unexpected = await ledger.unexpectedAnswers
        #expect(killed)
        #expect(unexpected.isEmpty, "\(unexpected)")
        #expect(created.count >= killAfter && created.count < total, "the kill came mid-burst: \(created.count) of \(total) created")
        #expect(!deleted.isEmpty)

        try await server.restart()
        let restarted = server.client
        var survivors = 0
        for (id, secret) in created {
            let response = try await restarted.call("GET", "/v1/self", token: secret)
            if deleted.contains(id) {
                #expect(response.status == 401, "token \(id) was deleted (200) before the kill but authenticates after it")
            } else if !attempted.contains(id) {
                #expect(response.status == 200, "token \(id) was created (201) before the kill but is lost: \(response.status)")
                if response.status == 200 {
                    #expect(try ServiceSteps.decode(Schemas.SelfResponse.self, response, 200).token.tokenID.uuidString.lowercased() == id)
                    survivors += 1
                }
            }
        }
        #expect(survivors > 0)
        let list = try await restarted.call("GET", "/v1/tokens?page_size=1000", token: admin)
        try #require(list.status == 200, "\(list.text)")
        let listed = Set(try ServiceSteps.decode(Schemas.PaginatedTokensList.self, list, 200).results.map { $0.tokenID.uuidString.lowercased() })
        for (id, _) in created where !attempted.contains(id) {
            #expect(listed.contains(id), "created token \(id) missing from GET /v1/tokens after the restart")
        }
        for id in deleted {
            #expect(!listed.contains(id), "deleted token \(id) listed after the restart")
        }
    }

    // MARK: last_used_at

    @Test func lastUsedAtIsWrittenOnGracefulShutdown() async throws {
        let server = try await TesseraProcess.start()
        defer { server.stop() }
        let used = try await durabilityIssue(server.client, by: server.adminSecret, label: "used before SIGTERM")
        let unused = try await durabilityIssue(server.client, by: server.adminSecret, label: "never used")

        let before = Date()
        let response = try await server.client.call("GET", "/v1/self", token: used.secret)
        try #require(response.status == 200)
        // At once: well before the 250 ms flusher would run.
        try terminateGracefully(server)
        let after = Date()

        try await server.restart()
        let lastUsed = try await lastUsedAt(server, used.id)
        let time = try #require(lastUsed, "last_used_at was not written on graceful shutdown")
        #expect(isWithin(time, before, after), "last_used_at \(time) not within [\(before), \(after)]")
        #expect(try await lastUsedAt(server, unused.id) == nil)
    }

    @Test func lastUsedAtReachesTheDatabaseWithinOneSecond() async throws {
        let server = try await TesseraProcess.start()
        defer { server.stop() }
        let used = try await durabilityIssue(server.client, by: server.adminSecret, label: "used, then killed")
        let unused = try await durabilityIssue(server.client, by: server.adminSecret, label: "never used")

        let before = Date()
        let response = try await server.client.call("GET", "/v1/self", token: used.secret)
        try #require(response.status == 200)
        let after = Date()
        // The property under test is a deadline: 1 s after the use (plus
        // margin), the time must be in the file. SIGKILL flushes nothing.
        try await Task.sleep(for: .milliseconds(1200))
        server.stop(signal: SIGKILL)

        try await server.restart()
        let lastUsed = try await lastUsedAt(server, used.id)
        let time = try #require(lastUsed, "last_used_at did not reach the database within 1 s")
        #expect(isWithin(time, before, after), "last_used_at \(time) not within [\(before), \(after)]")
        #expect(try await lastUsedAt(server, unused.id) == nil)
    }

    // MARK: secrets

    @Test func secretsNeverLeak() async throws {
        let server = try await TesseraProcess.start()
        defer { server.stop() }
        let scenario = LeakScenario(client: server.client)
        let a = server.adminSecret
        scenario.secrets.append(a)

        // A second bootstrap on the live database: a new admin token.
        let bootstrap = try run(Locations.tessera, ["bootstrap", "--database", server.databasePath])
        try #require(bootstrap.status == 0, "\(bootstrap.stderr)")
        let b = try #require(bootstrap.stdout.split(separator: "\n").last.map { $0.trimmingCharacters(in: .whitespaces) })
        #expect(TokenSecret(parsing: b) != nil)
        scenario.secrets.append(b)

        _ = try await scenario.call("PATCH", "/v1/settings", as: a, json: #"{"allow_all_users_to_create_pats":true}"#, expect: 200)
        // Through the scenario, so each answer is searched for secrets too;
        // the id is read as the generated client reads the body.
        func person(_ json: String, as secret: String) async throws -> String {
            let response = try await scenario.call("POST", "/v1/users", as: secret, json: json, expect: 201)
            return try ServiceSteps.decode(Schemas.User.self, response, 201).userID.uuidString.lowercased()
        }
        func robot(_ json: String, as secret: String) async throws -> String {
            let response = try await scenario.call("POST", "/v1/service-users", as: secret, json: json, expect: 201)
            return try ServiceSteps.decode(Schemas.ServiceUser.self, response, 201).userID.uuidString.lowercased()
        }
        let member = try await person(#"{"email":"mia@example.com","full_name":"Mia Member","role":"MEMBER"}"#, as: a)
        let admin2 = try await person(#"{"email":"ada@example.com","full_name":"Ada Admin","role":"ADMIN"}"#, as: a)
        let robotA = try await robot(#"{"name":"deployer","role":"ADMIN"}"#, as: b)
        let robotM = try await robot(#"{"name":"reporter","description":"reads","role":"MEMBER"}"#, as: a)

        let t1 = try await scenario.issue(by: a, "member full", for: member)
        let t2 = try await scenario.issue(by: a, "member read-only", level: "READ_ONLY", for: member)
        let t3 = try await scenario.issue(by: b, "admin2 full", for: admin2)
        let k1 = try await scenario.issue(by: a, "deployer key", for: robotA)
        let k2 = try await scenario.issue(by: a, "reporter key", level: "READ_ONLY", for: robotM)
        let t4 = try await scenario.issue(by: t1.secret, "member's own")
        #expect(k1.secret.hasPrefix("tss_") && t4.secret.hasPrefix("tsp_"))
        let t4new = try await scenario.regenerate(t4.id, by: t1.secret)
        let k1new = try await scenario.regenerate(k1.id, by: a)
        let x1 = try await scenario.exchange(t1.secret)
        let x2 = try await scenario.exchange(k1new)
        #expect(x1.hasPrefix("tsa_"))

        // Every live credential works.
        for secret in [a, b, t1.secret, t2.secret, t3.secret, k1new, k2.secret, t4new, x1, x2] {
            _ = try await scenario.call("GET", "/v1/self", as: secret, expect: 200)
        }
        _ = try await scenario.call("GET", "/v1/tokens", as: x2, expect: 200)
        // An access token never manages tokens; its key does.
        _ = try await scenario.call("PATCH", "/v1/tokens/\(t4.id)", as: x1, json: #"{"token_label":"renamed by access token"}"#, expect: 403)
        _ = try await scenario.call("PATCH", "/v1/tokens/\(t4.id)", as: t1.secret, json: #"{"token_label":"renamed by its owner"}"#, expect: 200)
        _ = try await scenario.call("GET", "/v1/users", as: k2.secret, expect: 200)
        _ = try await scenario.call("GET", "/v1/service-users", as: k1new, expect: 200)

        // Real secrets in the wrong places.
        let basic = Data("\(t1.secret):".utf8).base64EncodedString()
        for header in ["Bearer \(t4.secret)", "Bearer \(k1.secret)", "Basic \(basic)", "Basic \(t1.secret)", t1.secret,
                       "Bearer \(t1.secret)x", "Bearer \(t1.secret) \(t2.secret)", "Bearer \(t1.secret.dropLast())",
                       "Bearer \(t1.secret.dropFirst(4))", "Token \(t1.secret)\(t2.secret)", "Bearer \(t1.secret.uppercased())"] {
            _ = try await scenario.call("GET", "/v1/self", authorization: header, expect: 401)
        }
        _ = try await scenario.call("GET", "/v1/self", authorization: nil, headers: [("X-API-Key", t1.secret)], expect: 401)
        _ = try await scenario.call("GET", "/v1/self", authorization: nil, headers: [("Cookie", "session=\(t1.secret)")], expect: 401)
        _ = try await scenario.call("POST", "/v1/auth/token", authorization: nil, json: #"{"api_key":"\#(x1)"}"#, expect: 401)
        _ = try await scenario.call("POST", "/v1/auth/token", authorization: nil, json: #"{"api_key":"\#(t4.secret)"}"#, expect: 401)
        _ = try await scenario.call("POST", "/v1/auth/token", authorization: nil, json: #"{"api_key":"Bearer \#(t1.secret)"}"#, expect: 401)
        _ = try await scenario.call("POST", "/v1/auth/token", authorization: "Bearer \(t2.secret)", json: #"{"api_key":"nope"}"#, expect: 401)
        _ = try await scenario.call("POST", "/v1/auth/token", authorization: nil,
                                    json: #"{"api_key":"\#(t1.secret)","api_secret":"\#(t2.secret)"}"#, expect: 400)
        _ = try await scenario.call("POST", "/v1/auth/token", authorization: nil, json: #"{"api_key":"\#(t1.secret)""#, expect: 400)
        _ = try await scenario.call("POST", "/v1/auth/token", authorization: nil, json: #"{"api_key":["\#(t1.secret)"]}"#, expect: 400)
        _ = try await scenario.call("PATCH", "/v1/settings", as: a, json: #"{"allow_all_users_to_create_pats":"\#(t2.secret)"}"#, expect: 400)
        _ = try await scenario.call("POST", "/v1/tokens", as: a, json: #"{"token_label":"x","access_level":"\#(t2.secret)"}"#, expect: 400)
        _ = try await scenario.call("POST", "/v1/tokens", as: a, json: #"{"token_label":"x","access_level":"READ_ONLY","user_id":"\#(t2.secret)"}"#, expect: 400)
        _ = try await scenario.call("POST", "/v1/tokens", as: a, json: #"{"token_label":"x","access_level":"READ_ONLY","expires_at":"\#(t2.secret)"}"#, expect: 400)
        _ = try await scenario.call("POST", "/v1/users", as: a, json: #"{"email":"\#(t2.secret)","full_name":"x","role":"\#(t3.secret)"}"#, expect: 400)
        _ = try await scenario.call("POST", "/v1/tokens", as: t2.secret, json: #"{"token_label":"x","access_level":"READ_ONLY"}"#, expect: 403)
        _ = try await scenario.call("GET", "/v1/tokens?user_id=\(t2.secret)", as: a, expect: 400)
        _ = try await scenario.call("GET", "/v1/tokens?token_ids=\(t2.secret)", as: a, expect: 400)
        _ = try await scenario.call("GET", "/v1/tokens?cursor=\(t2.secret)", as: a, expect: 400)
        _ = try await scenario.call("GET", "/v1/user?email=\(t2.secret)", as: a, expect: 404)
        _ = try await scenario.call("GET", "/v1/events?api_token_filter=\(t2.secret)", as: a, expect: 400)
        _ = try await scenario.call("GET", "/v1/events?actor_filter=\(t2.secret)", as: a, expect: 400)
        _ = try await scenario.call("GET", "/v1/events?start_date_filter=\(t2.secret)", as: a, expect: 400)

        // Revocations.
        _ = try await scenario.call("DELETE", "/v1/tokens/\(t3.id)", as: a, expect: 200)
        _ = try await scenario.call("GET", "/v1/self", as: t3.secret, expect: 401)
        _ = try await scenario.call("DELETE", "/v1/service-users/\(robotM)", as: a, expect: 200)
        _ = try await scenario.call("GET", "/v1/self", as: k2.secret, expect: 401)
        _ = try await scenario.call("DELETE", "/v1/users/\(member)", as: b, expect: 200)
        for secret in [t1.secret, t2.secret, t4new, x1] {
            _ = try await scenario.call("GET", "/v1/self", as: secret, expect: 401)
        }

        // The audit trail, every page and a few events one by one.
        var cursor: String?
        var eventIDs: [String] = []
        for _ in 0..<50 {
            let path = "/v1/events?page_size=7" + (cursor.map { "&cursor=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0)" } ?? "")
            let page = try ServiceSteps.decode(Schemas.PaginatedEventList.self, try await scenario.call("GET", path, as: a, expect: 200), 200)
            eventIDs += (page.results ?? []).map { $0.eventID.uuidString.lowercased() }
            cursor = page.next ?? nil
            if cursor == nil { break }
        }
        #expect(cursor == nil && eventIDs.count > 15, "\(eventIDs.count) events")
        for id in eventIDs.prefix(12) {
            _ = try await scenario.call("GET", "/v1/events/\(id)", as: a, expect: 200)
        }
        let events = scenario.checked.filter { $0.label.contains("/v1/events") }.map(\.text).joined(separator: "\n")
        #expect(events.contains("API_TOKEN_REGENERATED") && events.contains("ACCESS_TOKEN_ISSUED"))
        #expect(events.contains(String(t1.secret.suffix(5))), "the events show the acting token's preview (control)")

        // The database, as it is while running and after a graceful stop.
        let running = try server.storedBytes("running")
        try terminateGracefully(server)
        let stopped = try server.storedBytes("stopped")
        let log = server.log

        // Controls: the haystacks are the right ones.
        #expect(running[0].bytes.count > 0 && stopped[0].bytes.count > 0)
        let digest = server.storedForm(of: Data(SecretDigest(of: a).bytes))
        #expect(stopped[0].bytes.range(of: digest) != nil, "the database stores the SHA-256 of each secret")
        #expect(log.contains(scenario.lastCorrelationID), "the log has the requests (control)")

        let secrets = scenario.secrets
        #expect(secrets.count == 12, "\(secrets.count) secrets")
        #expect(Set(secrets).count == secrets.count)
        for secret in secrets {
            #expect(TokenSecret(parsing: secret) != nil, "\(secret.prefix(4))…")
            let random = String(secret.dropFirst(4).prefix(TokenSecret.randomLength))
            let name = "\(secret.prefix(4))…\(secret.suffix(5))"
            for needle in [secret, random] {
                #expect(!log.contains(needle), "secret \(name) in the server log")
                for body in scenario.checked where body.text.contains(needle) {
                    Issue.record("secret \(name) in the response to \(body.label): \(body.text.prefix(300))")
                }
                for file in running + stopped where file.bytes.range(of: Data(needle.utf8)) != nil {
                    Issue.record("secret \(name) in the bytes of \(file.path)")
                }
            }
        }
    }

    /// A secret pasted into a URL path is still a secret: the 404/400 it
    /// earns must not echo it, and the request's log line must not hold it.
    @Test func secretsInTheURLPathAreNeitherEchoedNorLogged() async throws {
        let server = try await TesseraProcess.start()
        defer { server.stop() }
        let scenario = LeakScenario(client: server.client)
        let a = server.adminSecret
        let token = try await scenario.issue(by: a, "pasted")
        _ = try await scenario.call("GET", "/v1/\(token.secret)", as: a, expect: 404)
        _ = try await scenario.call("GET", "/v1/tokens/\(token.secret)", as: a, expect: 400)
        _ = try await scenario.call("DELETE", "/v1/tokens/\(token.secret)", as: a, expect: 400)
        _ = try await scenario.call("GET", "/v1/self/\(token.secret)", authorization: nil, expect: 404)
        _ = try await scenario.call("GET", "/v1/self?access_token=\(token.secret)", authorization: nil, expect: 401)
        try terminateGracefully(server)
        let log = server.log
        #expect(log.contains(scenario.lastCorrelationID), "the log has the requests (control)")
        let random = String(token.secret.dropFirst(4).prefix(TokenSecret.randomLength))
        for needle in [token.secret, random] {
            #expect(!log.contains(needle), "the secret is in the server log: \(log.split(separator: "\n").filter { $0.contains(needle) }.prefix(3))")
            for body in scenario.checked where body.text.contains(needle) {
                Issue.record("the secret is in the response to \(body.label): \(body.text.prefix(300))")
            }
        }
    }

    // MARK: log format

    @Test func oneLogLinePerRequestWithItsCorrelationID() async throws {
        let server = try await TesseraProcess.start()
        defer { server.stop() }
        let client = server.client
        let admin = server.adminSecret
        let fixed = "0123456789abcdef0123456789abcdef"
        struct Sent { var method: String; var path: String; var status: Int; var id: String }
        var sent: [Sent] = []
        let requests: [(method: String, target: String, logged: String, auth: Bool, json: String?, headers: [(String, String)], status: Int)] = [
            ("GET", "/v1/healthz", "/v1/healthz", false, nil, [], 200),
            ("GET", "/v1/self", "/v1/self", true, nil, [], 200),
            ("GET", "/v1/self", "/v1/self", false, nil, [], 401),
            ("GET", "/v1/self", "/v1/self", false, nil, [("Authorization", "Bearer \(TokenSecret.generate(.personal).text)")], 401),
            ("GET", "/v1/nope", "/v1/nope", true, nil, [], 404),
            ("DELETE", "/v1/self", "/v1/self", true, nil, [], 405),
            ("POST", "/v1/tokens", "/v1/tokens", true, #"{"token_label":"logged","access_level":"READ_ONLY"}"#, [], 201),
            ("POST", "/v1/tokens", "/v1/tokens", true, #"{"token_label":"logged"}"#, [], 400),
            ("HEAD", "/v1/self", "/v1/self", true, nil, [], 200),
            ("GET", "/v1/tokens?page_size=2", "/v1/tokens", true, nil, [], 200),
            ("GET", "/v1/self", "/v1/self", true, nil, [("X-Correlation-ID", fixed)], 200),
            ("GET", "/v1/self", "/v1/self", true, nil, [("X-Correlation-ID", "NOT-A-WELL-FORMED-ID")], 200),
        ]
        for request in requests {
            let response = try await client.call(request.method, request.target, token: request.auth ? admin : nil,
                                                 json: request.json, headers: request.headers)
            #expect(response.status == request.status, "\(request.method) \(request.target): \(response.status) \(response.text)")
            let id = try #require(response.header("X-Correlation-ID"))
            #expect(id.count == 32 && id.allSatisfy { $0.isHexDigit && !$0.isUppercase })
            if request.headers.contains(where: { $0.1 == fixed }) { #expect(id == fixed, "a well-formed incoming id is reused") }
            sent.append(Sent(method: request.method, path: request.logged, status: request.status, id: id))
        }
        #expect(Set(sent.map(\.id)).count == sent.count, "every request has its own id")

        // Bounded poll for the last line, then one line per request.
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline, !server.log.contains(sent.last!.id) {
            try await Task.sleep(for: .milliseconds(20))
        }
        let lines = server.log.split(separator: "\n").map(String.init)
        for request in sent {
            let matching = lines.filter { $0.contains(request.id) }
            #expect(matching.count == 1, "\(request.method) \(request.path) (\(request.id)): \(matching.count) log lines")
            guard let line = matching.first else { continue }
            let words = Set(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init))
            #expect(words.contains(request.method) && words.contains(request.path) && words.contains(String(request.status)),
                    "log line lacks method, path or status: \(line)")
        }
        let methods: Set<String> = ["GET", "HEAD", "POST", "PATCH", "DELETE", "PUT"]
        let requestLines = lines.filter { line in
            let words = line.split(separator: " ")
            return zip(words, words.dropFirst()).contains { methods.contains(String($0.0)) && $0.1.hasPrefix("/") }
        }
        #expect(requestLines.count == requests.count, "exactly one line per request:\n\(requestLines.joined(separator: "\n"))")
    }
}

// MARK: - Helpers

/// What the burst saw answered (only answered requests are asserted on).
private actor BurstLedger {
    private(set) var createdTokens: [(id: String, secret: String)] = []
    private(set) var deletionAttempted: Set<String> = []
    private(set) var deletedTokens: Set<String> = []
    private(set) var unexpectedAnswers: [String] = []
    private(set) var killed = false
    private var nextDeletion = 0

    var createdCount: Int { createdTokens.count }

    func created(id: String, secret: String) { createdTokens.append((id, secret)) }

    /// The oldest created token not yet chosen for deletion.
    func claimDeletion() -> String? {
        guard nextDeletion < createdTokens.count else { return nil }
        let id = createdTokens[nextDeletion].id
        nextDeletion += 1
        deletionAttempted.insert(id)
        return id
    }

    func deleted(_ id: String) { deletedTokens.insert(id) }

    /// A non-success answer; only counts while the server was alive.
    func unexpected(_ text: String) { if !killed { unexpectedAnswers.append(text) } }

    func markKilled() { killed = true }
}

/// Runs a scenario and keeps every response body that must not hold a
/// secret (all but the ones that hand out a new secret), and every secret.
private final class LeakScenario {
    let client: LoopbackClient
    var secrets: [String] = []
    var checked: [(label: String, text: String)] = []
    var lastCorrelationID = ""

    init(client: LoopbackClient) { self.client = client }

    func call(_ method: String, _ path: String, as secret: String, json: String? = nil, expect status: Int,
              sourceLocation: SourceLocation = #_sourceLocation) async throws -> LoopbackResponse {
        try await call(method, path, authorization: "Bearer \(secret)", json: json, expect: status, sourceLocation: sourceLocation)
    }

    func call(_ method: String, _ path: String, authorization: String?, json: String? = nil, headers: [(String, String)] = [],
              expect status: Int, revealsSecret: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) async throws -> LoopbackResponse {
        var all = headers
        if let authorization { all.append(("Authorization", authorization)) }
        let response: LoopbackResponse
        if let json {
            all.append(("Content-Type", "application/json"))
            response = try await client.send(method, path, headers: all, body: Array(json.utf8))
        } else {
            response = try await client.send(method, path, headers: all)
        }
        let label = "\(method) \(path.prefix(60))"
        #expect(response.status == status, "\(label): \(response.status) \(response.text.prefix(300))", sourceLocation: sourceLocation)
        if status >= 400, method != "HEAD" {
            try response.expectError(status, ServiceSteps.errorCode(status), sourceLocation: sourceLocation)
        }
        lastCorrelationID = response.header("X-Correlation-ID") ?? ""
        if !revealsSecret { checked.append((label, response.text)) }
        return response
    }

    func issue(by secret: String, _ label: String, level: String = "FULL_ACCESS", for userID: String? = nil) async throws -> (id: String, secret: String) {
        let user = userID.map { #","user_id":"\#($0)""# } ?? ""
        let response = try await call("POST", "/v1/tokens", authorization: "Bearer \(secret)",
                                      json: #"{"token_label":"\#(label)","access_level":"\#(level)"\#(user)}"#, expect: 201, revealsSecret: true)
        let body = try ServiceSteps.decode(Schemas.CreatedToken.self, response, 201)
        let issued = (id: body.token.tokenID.uuidString.lowercased(), secret: body.secret)
        secrets.append(issued.secret)
        return issued
    }

    func regenerate(_ id: String, by secret: String) async throws -> String {
        let response = try await call("POST", "/v1/tokens/\(id)/regenerate", authorization: "Bearer \(secret)", expect: 200, revealsSecret: true)
        let new = try ServiceSteps.decode(Schemas.CreatedToken.self, response, 200).secret
        secrets.append(new)
        return new
    }

    func exchange(_ key: String) async throws -> String {
        let response = try await call("POST", "/v1/auth/token", authorization: nil, json: #"{"api_key":"\#(key)"}"#, expect: 200, revealsSecret: true)
        let token = try ServiceSteps.decode(Schemas.AccessToken.self, response, 200).accessToken
        secrets.append(token)
        return token
    }
}

/// SIGTERM, then a bounded wait for the server to exit on its own (it
/// must handle the signal: exit, not death by signal).
/// SIGTERM, then waits (at most `seconds`) for a clean exit.
func terminateGracefully(_ server: TesseraProcess, within seconds: Double = 15, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let process = try #require(server.process, sourceLocation: sourceLocation)
    kill(process.processIdentifier, SIGTERM)
    let deadline = Date().addingTimeInterval(seconds)
    while process.isRunning, Date() < deadline { usleep(5_000) }
    if process.isRunning {
        Issue.record("tessera serve did not exit within \(seconds) s of SIGTERM", sourceLocation: sourceLocation)
        server.stop(signal: SIGKILL)
        return
    }
    #expect(process.terminationReason == .exit && process.terminationStatus == 0,
            "SIGTERM: \(process.terminationReason == .exit ? "exit" : "signal") \(process.terminationStatus)", sourceLocation: sourceLocation)
}

func durabilityIssue(_ client: LoopbackClient, by secret: String, label: String) async throws -> (id: String, secret: String) {
    let response = try await client.call("POST", "/v1/tokens", token: secret, json: #"{"token_label":"\#(label)","access_level":"READ_ONLY"}"#)
    let body = try ServiceSteps.decode(Schemas.CreatedToken.self, response, 201)
    #expect((body.token.lastUsedAt ?? nil) == nil, "a new token has not been used")
    return (body.token.tokenID.uuidString.lowercased(), body.secret)
}

/// `last_used_at` of token `id` as the admin reads it (nil when null); the
/// client's decoding refuses a text that is not RFC 3339.
func lastUsedAt(_ server: TesseraProcess, _ id: String) async throws -> Date? {
    let response = try await server.client.call("GET", "/v1/tokens/\(id)", token: server.adminSecret)
    return try ServiceSteps.decode(Schemas.Token.self, response, 200).lastUsedAt ?? nil
}

/// Whether the server's `time` (milliseconds, as served) lies between two
/// instants the test took around the request.
private func isWithin(_ time: Date, _ before: Date, _ after: Date) -> Bool {
    let served = (time.timeIntervalSince1970 * 1000).rounded()
    return served >= (before.timeIntervalSince1970 * 1000).rounded(.down) && served <= (after.timeIntervalSince1970 * 1000).rounded(.up)
}
