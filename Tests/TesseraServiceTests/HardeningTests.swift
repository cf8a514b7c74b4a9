import Foundation
import HTTPTestClient
import TesseraClient
import Testing
import TestSupport

/// What an outside security review broke, each through a real
/// `tessera serve`: exchanged access tokens and member service users
/// managing keys, concurrent regenerations, failed-authentication
/// throttling, unbounded growth, the verification cache under eviction,
/// file permissions, bootstrap, path canonicalization and input checks.
@Suite("Hardening")
struct HardeningTests {
    // MARK: Who may manage credentials

    @Test("An exchanged access token uses the API but never creates, relabels, deletes or regenerates a token")
    func accessTokenCannotManageCredentials() async throws {
        let server = try await TesseraProcess.start()
        let key = try await ServiceSteps.newToken(server, label: "full key")
        let other = try await ServiceSteps.newToken(server, label: "other key")
        let access = server.api(try await ServiceSteps.accessToken(server, key.secret).accessToken)
        // It is a working credential for everything else, admin operations included.
        let me = try await access.getSelf()
        guard case .ok = me else { throw Unexpected(me, "200") }
        let list = try await access.getTokens()
        guard case .ok = list else { throw Unexpected(list, "200") }

        var refusals: [Schemas.Error] = []
        switch try await access.createToken(.init(body: .init(tokenLabel: "forever", accessLevel: .fullAccess))) {
        case .forbidden(let error): refusals.append(error)
        case let output: Issue.record(Unexpected(output, "403"))
        }
        for id in [key.token.tokenID, other.token.tokenID] {
            switch try await access.regenerateToken(.init(tokenID: id)) {
            case .forbidden(let error): refusals.append(error)
            case let output: Issue.record(Unexpected(output, "403"))
            }
            switch try await access.updateToken(.init(tokenID: id, body: .init(tokenLabel: "mine"))) {
            case .forbidden(let error): refusals.append(error)
            case let output: Issue.record(Unexpected(output, "403"))
            }
            switch try await access.deleteToken(.init(tokenID: id)) {
            case .forbidden(let error): refusals.append(error)
            case let output: Issue.record(Unexpected(output, "403"))
            }
        }
        for error in refusals { ServiceSteps.expectError(error, .forbidden) }
        // Nothing changed: the parent key and the other key still work, and
        // no token was added.
        try await ServiceSteps.expectAccepted(server, key.secret)
        let stillOther = try await server.adminAPI.getToken(.init(tokenID: other.token.tokenID))
        guard case .ok(let otherToken) = stillOther else { throw Unexpected(stillOther, "200") }
        #expect(otherToken.tokenLabel == "other key")
        let all = try await ServiceSteps.listed(server, .init(pageSize: 100))
        #expect(all.count == 3, "\(all)")
    }

    @Test("A service user's own key never creates, rotates or revokes keys, whatever the PAT setting says")
    func serviceUserKeysAreAdminManaged() async throws {
        let server = try await TesseraProcess.start()
        _ = try await ServiceSteps.update(server, .init(allowAllUsersToCreatePats: true))
        let robot = try await ServiceSteps.newServiceUser(server, role: .member)
        let key = try await ServiceSteps.newToken(server, label: "robot key", userID: robot)
        let robotAPI = server.api(key.secret)

        var refusals: [Schemas.Error] = []
        switch try await robotAPI.createToken(.init(body: .init(tokenLabel: "second", accessLevel: .fullAccess))) {
        case .forbidden(let error): refusals.append(error)
        case let output: Issue.record(Unexpected(output, "403"))
        }
        switch try await robotAPI.regenerateToken(.init(tokenID: key.token.tokenID)) {
        case .forbidden(let error): refusals.append(error)
        case let output: Issue.record(Unexpected(output, "403"))
        }
        switch try await robotAPI.deleteToken(.init(tokenID: key.token.tokenID)) {
        case .forbidden(let error): refusals.append(error)
        case let output: Issue.record(Unexpected(output, "403"))
        }
        try await ServiceSteps.expectAccepted(server, key.secret)

        // An ADMIN service user may issue keys to others, never to itself.
        let admin = try await ServiceSteps.newServiceUser(server, role: .admin)
        let adminKey = try await ServiceSteps.newToken(server, label: "admin robot", userID: admin)
        switch try await server.api(adminKey.secret).createToken(.init(body: .init(tokenLabel: "own", accessLevel: .fullAccess))) {
        case .forbidden(let error): refusals.append(error)
        case let output: Issue.record(Unexpected(output, "403"))
        }
        #expect(refusals.count == 4)
        for error in refusals { ServiceSteps.expectError(error, .forbidden) }
        _ = try await ServiceSteps.newToken(server, label: "issued by a robot", userID: robot, token: adminKey.secret)
        // A person (a member, with the setting on) still manages their own.
        let member = try await ServiceSteps.newUser(server, role: .member)
        let memberKey = try await ServiceSteps.newToken(server, label: "member", userID: member)
        _ = try await ServiceSteps.newToken(server, label: "member's own", token: memberKey.secret)
    }

    @Test("Of 20 regenerations of one token that arrive together exactly one wins; the others get 409 and no dead secret")
    func concurrentRegenerations() async throws {
        let server = try await TesseraProcess.start()
        let token = try await ServiceSteps.newToken(server, label: "contested")
        let client = server.client
        let admin = server.adminSecret
        // The server is stopped while the requests' last bytes are written,
        // so all twenty are readable at the same instant when it resumes.
        let pid = try #require(server.process?.processIdentifier)
        let responses = try await client.sendTogether("POST", "/v1/tokens/\(token.token.tokenID.uuidString.lowercased())/regenerate",
                                                      headers: [("Authorization", "Bearer \(admin)")], count: 20,
                                                      holding: ({ kill(pid, SIGSTOP) }, { kill(pid, SIGCONT) }))
        let won = responses.filter { $0.status == 200 }
        #expect(won.count == 1, "\(responses.map(\.status))")
        for lost in responses where lost.status != 200 {
            try lost.expectError(409, .conflict)
        }
        // Every secret handed out works.
        for response in won {
            try await ServiceSteps.expectAccepted(server, try ServiceSteps.decode(Schemas.CreatedToken.self, response, 200).secret)
        }
        try await ServiceSteps.expectRefused(server, token.secret)
    }

    // MARK: Throttling

    @Test("Failed authentication is throttled per client address: 429 with Retry-After, other addresses unaffected")
    func failedAuthenticationIsThrottled() async throws {
        let server = try await TesseraProcess.start(extraEnvironment: [
            "TESSERA_AUTH_FAILURE_LIMIT": "20", "TESSERA_AUTH_FAILURE_WINDOW": "120", "TESSERA_TRUSTED_PROXIES": "127.0.0.3",
        ])
        let attacker = server.client(from: "127.0.0.2")
        let bystander = server.client
        let guess = SecretFormat.make(prefix: "tsp_")
        // Requests without a credential guess nothing: they never count.
        for _ in 0..<30 {
            try ServiceSteps.expectUnauthorized(try await attacker.call("GET", "/v1/self"))
        }
        for _ in 0..<20 {
            try ServiceSteps.expectUnauthorized(try await attacker.call("GET", "/v1/self", token: guess))
        }
        let blocked = try await attacker.call("GET", "/v1/self", token: guess)
        try blocked.expectError(429, .tooManyRequests)
        let retry = try #require(blocked.header("Retry-After").flatMap { Int($0) })
        #expect((1...120).contains(retry))
        // A valid credential from that address is refused too (no oracle),
        // and so is the exchange, whose credential is in the body.
        try (try await attacker.call("GET", "/v1/self", token: server.adminSecret)).expectError(429, .tooManyRequests)
        try (try await attacker.call("POST", "/v1/auth/token", json: ServiceSteps.json(["api_key": server.adminSecret])))
            .expectError(429, .tooManyRequests)
        // What needs no credential is answered; unknown paths stay 404.
        #expect(try await attacker.call("GET", "/v1/healthz").status == 200)
        try (try await attacker.call("GET", "/v1/nowhere", token: guess)).expectError(404, .notFound)
        // Another address is never slowed.
        _ = try ServiceSteps.object(try await bystander.call("GET", "/v1/self", token: server.adminSecret), 200)

        // Behind a trusted proxy (127.0.0.3) the forwarded address counts;
        // an untrusted peer's X-Forwarded-For is ignored.
        let proxy = server.client(from: "127.0.0.3")
        for _ in 0..<20 {
            try ServiceSteps.expectUnauthorized(try await proxy.call("GET", "/v1/self", token: guess, headers: [("X-Forwarded-For", "198.51.100.7")]))
        }
        try (try await proxy.call("GET", "/v1/self", token: server.adminSecret, headers: [("X-Forwarded-For", "198.51.100.7")]))
            .expectError(429, .tooManyRequests)
        _ = try ServiceSteps.object(try await proxy.call("GET", "/v1/self", token: server.adminSecret,
                                                     headers: [("X-Forwarded-For", "198.51.100.8")]), 200)
        try (try await attacker.call("GET", "/v1/self", token: server.adminSecret, headers: [("X-Forwarded-For", "198.51.100.9")]))
            .expectError(429, .tooManyRequests)
        // The events of the trusted proxy's clients carry the forwarded address.
        _ = try await ServiceSteps.newToken(server, label: "via proxy", token: server.adminSecret)
        let viaProxy = try await proxy.call("POST", "/v1/tokens", token: server.adminSecret,
                                            json: ServiceSteps.json(["token_label": "forwarded", "access_level": "READ_ONLY"]),
                                            headers: [("X-Forwarded-For", "203.0.113.5")])
        let id = try ServiceSteps.decode(Schemas.CreatedToken.self, viaProxy, 201).token.tokenID
        let events = try await server.adminAPI.events(.init(objectFilter: id))
        guard case .ok(let page) = events else { throw Unexpected(events, "200") }
        let event = try #require(page.results?.first)
        #expect(event.actorIPAddress == "203.0.113.5", "\(event)")
    }

    // MARK: Bounded growth

    @Test("A key holds at most 100 live access tokens: the 101st exchange revokes the oldest at once")
    func accessTokensPerKeyAreCapped() async throws {
        let server = try await TesseraProcess.start()
        let key = try await ServiceSteps.newToken(server, label: "busy key", level: .readOnly)
        var issued: [String] = []
        for _ in 0..<103 {
            issued.append(try await ServiceSteps.accessToken(server, key.secret).accessToken)
        }
        // Every one was used while it lived (and so sat in the cache).
        for access in issued.suffix(100) {
            try await ServiceSteps.expectAccepted(server, access)
        }
        for access in issued.prefix(3) {
            try await ServiceSteps.expectRefused(server, access)
        }
        // An access token that was cached before it was pushed out is refused too.
        let cached = issued[3]
        try await ServiceSteps.expectAccepted(server, cached)
        _ = try await ServiceSteps.accessToken(server, key.secret)
        try await ServiceSteps.expectRefused(server, cached)
    }

    @Test("event_retention_days: 400 by default, validated, and older events are pruned")
    func eventRetention() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let settings = try await server.adminAPI.getSettings()
        guard case .ok(let defaults) = settings else { throw Unexpected(settings, "200") }
        #expect(defaults.eventRetentionDays == 400)
        // Values the client cannot write (or would not send as they are): raw.
        for bad in ["0", "-1", "1.5", "\"7\""] {
            let response = try await client.call("PATCH", "/v1/settings", token: server.adminSecret, json: #"{"event_retention_days": \#(bad)}"#)
            try ServiceSteps.expectValidation(response, fields: ["event_retention_days"])
        }
        #expect(try await ServiceSteps.update(server, .init(eventRetentionDays: .some(nil))).eventRetentionDays == nil)
        #expect(try await ServiceSteps.update(server, .init(eventRetentionDays: 2)).eventRetentionDays == 2)

        // Three events made now, then aged three days in the database while
        // the server is stopped; one made after. On restart the old go.
        let old = try await ServiceSteps.newToken(server, label: "old news").token.tokenID
        server.stop()
        let aged = try server.sql("UPDATE events SET created_at = created_at - 3 * 86400000")
        #expect(aged.status == 0, "\(aged.stderr)")
        try await server.launch()
        let fresh = try await ServiceSteps.newToken(server, label: "new news").token.tokenID
        func events(about id: UUID) async throws -> [Schemas.Event] {
            let output = try await server.adminAPI.events(.init(objectFilter: id))
            guard case .ok(let page) = output else { throw Unexpected(output, "200") }
            return page.results ?? []
        }
        var oldEvents: [Schemas.Event] = []
        let deadline = Date().addingTimeInterval(30)
        repeat {
            oldEvents = try await events(about: old)
            if oldEvents.isEmpty { break }
            try await Task.sleep(for: .milliseconds(200))
        } while Date() < deadline
        #expect(oldEvents.isEmpty, "aged events were not pruned: \(oldEvents)")
        #expect(try await events(about: fresh).count == 1)
        #expect(server.log.contains("events older than 2 days (event_retention_days)"))
    }

    // MARK: The verification cache

    @Test("A cache far smaller than the working set still answers every secret and revokes at once")
    func verificationCacheUnderEviction() async throws {
        let server = try await TesseraProcess.start(extraEnvironment: ["TESSERA_CACHE_SIZE": "8"])
        let admin = server.adminAPI
        let owner = try await ServiceSteps.newUser(server, role: .member)
        var keys: [Schemas.CreatedToken] = []
        for index in 0..<24 {
            keys.append(try await ServiceSteps.newToken(server, label: "k\(index)", userID: index.isMultiple(of: 3) ? owner : nil))
        }
        for _ in 0..<3 {
            for key in keys {
                try await ServiceSteps.expectAccepted(server, key.secret)
            }
        }
        // A label change shows at once, whether or not the entry was evicted.
        let relabel = try await admin.updateToken(.init(tokenID: keys[1].token.tokenID, body: .init(tokenLabel: "renamed")))
        guard case .ok = relabel else { throw Unexpected(relabel, "200") }
        #expect(try await ServiceSteps.me(server, keys[1].secret).token.tokenLabel == "renamed")
        // Revocation by token and by user, right after the answers.
        let deletion = try await admin.deleteToken(.init(tokenID: keys[2].token.tokenID))
        guard case .ok = deletion else { throw Unexpected(deletion, "200") }
        try await ServiceSteps.expectRefused(server, keys[2].secret)
        let deactivation = try await admin.deactivateUser(.init(userID: owner))
        guard case .ok = deactivation else { throw Unexpected(deactivation, "200") }
        for (index, key) in keys.enumerated() where index != 2 {
            if index.isMultiple(of: 3) {
                try await ServiceSteps.expectRefused(server, key.secret)
            } else {
                try await ServiceSteps.expectAccepted(server, key.secret)
            }
        }
    }

    // MARK: Files, bootstrap, paths and input

    @Test("What the database holds stays private: files 0600 on SQLite, the password never logged on PostgreSQL")
    func databaseIsPrivate() async throws {
        let server = try await TesseraProcess.start()
        _ = try await ServiceSteps.newToken(server, label: "writes the WAL")
        if TesseraProcess.usesPostgres {
            // No file of Tessera's: what must stay private is the password
            // in the URL it was given, whatever it logs or prints.
            let url = server.databasePath
            let afterScheme = try #require(url.range(of: "://")).upperBound
            let credentials = url[afterScheme...].prefix { $0 != "@" }
            let password = String(try #require(credentials.split(separator: ":", maxSplits: 1).last))
            #expect(password.count >= 8, "the test database needs a real password: \(credentials.count)")
            let again = try run(Locations.tessera, ["bootstrap", "--database", url])
            for text in [server.log, again.stdout, again.stderr] {
                #expect(!text.contains(password), "the database password was printed")
            }
            return
        }
        for suffix in ["", "-wal", "-shm"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: server.databasePath + suffix)
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
            #expect(mode == 0o600, "\(suffix.isEmpty ? "database" : suffix): \(String(mode, radix: 8))")
        }
    }

    @Test("tessera bootstrap obeys max_token_lifetime_days and names the command line as the actor")
    func bootstrapObeysLifetimeLimit() async throws {
        let server = try await TesseraProcess.start()
        _ = try await ServiceSteps.update(server, .init(maxTokenLifetimeDays: 30))
        let before = Date()
        let again = try run(Locations.tessera, ["bootstrap", "--database", server.databasePath])
        #expect(again.status == 0, "\(again.stderr)")
        let secret = try #require(again.stdout.split(separator: "\n").last.map(String.init))
        let token = try await ServiceSteps.me(server, secret).token
        let expires = try #require(token.expiresAt ?? nil, "\(token)")
        let expected = before.addingTimeInterval(30 * 86_400)
        #expect(abs(expires.timeIntervalSince(expected)) < 120, "\(token)")

        let events = try await server.adminAPI.events(.init(objectFilter: token.tokenID))
        guard case .ok(let page) = events else { throw Unexpected(events, "200") }
        let created = try #require(page.results?.first)
        #expect(created.eventType == "API_TOKEN_CREATED")
        #expect(created.actorName == "tessera bootstrap (command line)", "\(created)")
    }

    @Test("Paths match only as written: doubled or trailing slashes are 404")
    func nonCanonicalPathsAre404() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        _ = try ServiceSteps.object(try await client.call("GET", "/v1/self", token: server.adminSecret), 200)
        for path in ["//v1/self", "/v1//self", "/v1/self/", "/v1/self//", "/v1/tokens//", "/v1/tokens/"] {
            try (try await client.call("GET", path, token: server.adminSecret)).expectError(404, .notFound)
        }
    }

    @Test("Labels, names and descriptions with control characters are a 400 naming the field")
    func controlCharactersAreRefused() async throws {
        let server = try await TesseraProcess.start()
        let client = server.client
        let admin = server.adminSecret
        let key = try await ServiceSteps.newToken(server, label: "plain")
        for bad in ["new\nline", "tab\there", "nul\u{0}", "bell\u{7}", "del\u{7F}", "c1\u{85}"] {
            try ServiceSteps.expectValidation(try await client.call("POST", "/v1/tokens", token: admin,
                                                                json: ServiceSteps.json(["token_label": bad, "access_level": "READ_ONLY"])),
                                          fields: ["token_label"])
            try ServiceSteps.expectValidation(try await client.call("PATCH", "/v1/tokens/\(key.token.tokenID.uuidString.lowercased())", token: admin,
                                                                json: ServiceSteps.json(["token_label": bad])), fields: ["token_label"])
            try ServiceSteps.expectValidation(try await client.call("POST", "/v1/users", token: admin,
                                                                json: ServiceSteps.json(["email": "x@example.com", "full_name": bad, "role": "MEMBER"])),
                                          fields: ["full_name"])
            try ServiceSteps.expectValidation(try await client.call("POST", "/v1/service-users", token: admin,
                                                                json: ServiceSteps.json(["name": "bot", "description": bad, "role": "MEMBER"])),
                                          fields: ["description"])
        }
        // Letters of any script, emoji and spaces are fine.
        _ = try await ServiceSteps.newToken(server, label: "Zoë's 🔑 — déploiement")
    }

    @Test("A database failure is a 500 in the published format, logged with the database's error code and no argument")
    func databaseFailureIsLoggedWithItsCode() async throws {
        let server = try await TesseraProcess.start()
        // Another process holds the write lock longer than the server's
        // 10 s busy timeout (SQLite) or lock_timeout (PostgreSQL: reads go
        // on, inserts into tokens wait), so the next write fails with
        // SQLITE_BUSY or 55P03 (lock_not_available).
        // The holder prints `locked` once its transaction holds the lock
        // (the statement after it ran): the only sure sign, since a probe
        // from outside can be fooled by the server's own short writes
        // (housekeeping at start-up, the last_used_at flush).
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/bin/sh")
        if server.usesPostgres {
            holder.arguments = ["-c", #"(echo "BEGIN; LOCK TABLE tokens IN EXCLUSIVE MODE; SELECT 'locked';"; sleep 25; echo "COMMIT;") | "$1" -q -tA "$0""#,
                                server.databasePath, TesseraProcess.postgresTool("psql").path]
        } else {
            holder.arguments = ["-c", #"(echo "BEGIN EXCLUSIVE;"; echo "SELECT 'locked';"; sleep 25; echo "COMMIT;") | /usr/bin/sqlite3 "$0""#,
                                server.databasePath]
        }
        let output = server.folder.appendingPathComponent("holder.out")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        holder.standardOutput = try FileHandle(forWritingTo: output)
        holder.standardError = FileHandle.nullDevice
        try holder.run()
        defer { holder.terminate() }
        // A loaded machine may start the holder late: wait until it says it holds the lock.
        let held = Date().addingTimeInterval(20)
        while (try? String(contentsOf: output, encoding: .utf8))?.contains("locked") != true, Date() < held {
            try await Task.sleep(for: .milliseconds(50))
        }
        try #require((try? String(contentsOf: output, encoding: .utf8))?.contains("locked") == true, "the lock holder never took the lock")
        let label = "label-\(UUID().uuidString)"
        let response = try await server.client.call("POST", "/v1/tokens", token: server.adminSecret,
                                                    json: ServiceSteps.json(["token_label": label, "access_level": "READ_ONLY"]))
        try response.expectError(500, .serverError)
        let id = try #require(response.header("X-Correlation-ID"))
        // The log is written by a background thread: wait for the line.
        var found: Substring?
        let deadline = Date().addingTimeInterval(10)
        repeat {
            found = server.log.split(separator: "\n").first { $0.contains(id) }
            if found == nil { try await Task.sleep(for: .milliseconds(50)) }
        } while found == nil && Date() < deadline
        let line = try #require(found, "no log line for \(id)")
        #expect(line.contains(server.usesPostgres ? "PostgreSQL error 55P03: " : "SQLite error 5 "), "\(line)")
        #expect(line.contains(" error "), "not an error-level line: \(line)")
        #expect(!line.contains(label) && !server.log.contains(label), "the statement's argument reached the log")
        #expect(!response.text.contains("SQLite") && !response.text.contains("PostgreSQL"), "the fault's details reached the client: \(response.text)")
    }

    @Test("A body that is not JSON at all is a 400 without field errors")
    func malformedJSONHasNoFieldErrors() async throws {
        let server = try await TesseraProcess.start()
        for body in ["{", "not json", #"{"token_label": "x",}"#] {
            let response = try await server.client.call("POST", "/v1/tokens", token: server.adminSecret, json: body)
            try response.expectError(400, .validationError)
            #expect(try response.object["errors"] == nil, "\(response.text)")
        }
    }
}
