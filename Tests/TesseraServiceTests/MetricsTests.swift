import Foundation
import HTTPTestClient
import Testing

/// `GET /v1/metrics` through a real `tessera serve`: Prometheus's text
/// format, counters that move with requests under the operation's id
/// (never its path), authentication failures by reason, the cache, the
/// database's connection waits and, on PostgreSQL, a revocation's
/// invalidation round trip. No secret, id or email in it.
@Suite("Metrics")
struct MetricsTests {
    @Test("Requests, refusals and cache use show up under operation ids and reasons, in valid exposition text")
    func countersMoveWithRequests() async throws {
        // A low failure limit, so one address can be throttled quickly.
        let server = try await TesseraProcess.start(extraEnvironment: ["TESSERA_AUTH_FAILURE_LIMIT": "3"])
        defer { server.stop() }
        let client = server.client
        let admin = server.adminSecret

        // Before anything: the page is there, needs no credentials and parses.
        let first = try await client.call("GET", "/v1/metrics")
        #expect(first.status == 200)
        #expect(first.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true, "\(first.header("Content-Type") ?? "none")")
        let before = try Exposition(first.text)

        for _ in 0 ..< 3 { #expect(try await client.call("GET", "/v1/self", token: admin).status == 200) }
        let token = try await ServiceSteps.newToken(server, label: "metrics")
        let tokenID = token.token.tokenID.uuidString.lowercased()
        #expect(try await client.call("GET", "/v1/self", token: token.secret).status == 200)
        // 401s: no credential, a malformed one, a well-formed one nobody issued.
        #expect(try await client.call("GET", "/v1/self").status == 401)
        #expect(try await client.call("GET", "/v1/self", token: "tsp_nope").status == 401)
        let madeUp = SecretFormat.make(prefix: "tsp_")
        #expect(try await client.call("GET", "/v1/self", token: madeUp).status == 401)
        // 404s: an unknown path, and a token id that does not exist.
        #expect(try await client.call("GET", "/v1/no-such-thing/\(UUID().uuidString.lowercased())").status == 404)
        let missingID = UUID().uuidString.lowercased()
        #expect(try await client.call("GET", "/v1/tokens/\(missingID)", token: admin).status == 404)
        // Another address fails three times and is then throttled.
        let guesser = server.client(from: "127.0.0.2")
        for _ in 0 ..< 3 { #expect(try await guesser.call("GET", "/v1/self", token: SecretFormat.make(prefix: "tsp_")).status == 401) }
        #expect(try await guesser.call("GET", "/v1/self", token: SecretFormat.make(prefix: "tsp_")).status == 429)
        // A revocation (on PostgreSQL it waits for the other instances: none here).
        #expect(try await client.call("DELETE", "/v1/tokens/\(tokenID)", token: admin).status == 200)
        #expect(try await client.call("GET", "/v1/self", token: token.secret).status == 401)

        let page = try await client.call("GET", "/v1/metrics")
        #expect(page.status == 200)
        let after = try Exposition(page.text)
        func moved(_ name: String, _ labels: [String: String] = [:]) -> Double {
            (after.value(name, labels) ?? 0) - (before.value(name, labels) ?? 0)
        }

        // Requests by operation id and status; never a path or an id.
        #expect(moved("tessera_http_requests_total", ["operation": "getSelf", "status": "200"]) == 4)
        #expect(moved("tessera_http_requests_total", ["operation": "getSelf", "status": "401"]) == 7)
        #expect(moved("tessera_http_requests_total", ["operation": "getSelf", "status": "429"]) == 1)
        #expect(moved("tessera_http_requests_total", ["operation": "createToken", "status": "201"]) == 1)
        #expect(moved("tessera_http_requests_total", ["operation": "deleteToken", "status": "200"]) == 1)
        #expect(moved("tessera_http_requests_total", ["operation": "getToken", "status": "404"]) == 1)
        #expect(moved("tessera_http_requests_total", ["operation": "unmatched", "status": "404"]) == 1)
        #expect(moved("tessera_http_requests_total", ["operation": "getMetrics", "status": "200"]) == 1)
        let operations = Set(after.samples.compactMap { $0.labels["operation"] })
        #expect(operations.allSatisfy { $0.allSatisfy { $0.isLetter } }, "\(operations)")
        // Latency histograms by operation: every request is counted once.
        #expect(moved("tessera_http_request_duration_seconds_count", ["operation": "getSelf"]) == 12)
        #expect(moved("tessera_http_request_duration_seconds_bucket", ["operation": "getSelf", "le": "+Inf"]) == 12)
        #expect(after.type(of: "tessera_http_request_duration_seconds") == "histogram")
        #expect(after.type(of: "tessera_http_requests_total") == "counter")

        // Authentication failures by reason.
        #expect(moved("tessera_authentication_failures_total", ["reason": "missing"]) == 1)
        #expect(moved("tessera_authentication_failures_total", ["reason": "malformed"]) == 1)
        // The made-up secret, the guesser's three, and the deleted token's.
        #expect(moved("tessera_authentication_failures_total", ["reason": "unknown"]) == 5)
        #expect(moved("tessera_authentication_failures_total", ["reason": "throttled"]) == 1)
        let reasons = Set(after.samples.filter { $0.name == "tessera_authentication_failures_total" }.compactMap { $0.labels["reason"] })
        #expect(reasons == ["missing", "malformed", "unknown", "expired", "deactivated", "throttled"])

        // The cache: the admin's secret and the new token were read once
        // each, then hit; the deleted token missed (and was refused).
        #expect(moved("tessera_verification_cache_hits_total") >= 2)
        #expect(moved("tessera_verification_cache_misses_total") >= 3)
        #expect((after.value("tessera_verification_cache_entries") ?? 0) >= 1)

        // Waits for a database connection (SQLite's writer, or PostgreSQL's pool).
        let pool = server.usesPostgres ? "postgresql" : "sqlite_writer"
        #expect(moved("tessera_database_pool_wait_seconds_count", ["pool": pool]) >= 2)

        if server.usesPostgres {
            #expect(moved("tessera_invalidation_roundtrip_seconds_count") >= 1)
            #expect(after.value("tessera_instance_lease_current") == 1)
        } else {
            #expect(after.value("tessera_invalidation_roundtrip_seconds_count") == nil)
            #expect(after.value("tessera_instance_lease_current") == nil)
        }

        // Nothing that identifies a caller or a token.
        for secret in [admin, token.secret, madeUp, tokenID, missingID, "admin@tessera.local", "tsp_", "127.0.0."] {
            #expect(!page.text.contains(secret), "\(secret) is in the metrics")
        }
    }

    @Test("An expired token and a deactivated owner's token are counted under their own reasons")
    func expiredAndDeactivatedReasons() async throws {
        let server = try await TesseraProcess.start()
        defer { server.stop() }
        let client = server.client
        let expiring = try await ServiceSteps.newToken(server, label: "short", expiresAt: Date().addingTimeInterval(2))
        let member = try await ServiceSteps.newUser(server, role: .member)
        let leaver = try await ServiceSteps.newToken(server, label: "leaver", userID: member)
        #expect(try await client.call("GET", "/v1/self", token: leaver.secret).status == 200)
        let before = try Exposition(try await client.call("GET", "/v1/metrics").text)
        #expect(try await client.call("DELETE", "/v1/users/\(member.uuidString.lowercased())", token: server.adminSecret).status == 200)
        #expect(try await client.call("GET", "/v1/self", token: leaver.secret).status == 401)
        try await Task.sleep(for: .milliseconds(2100))
        #expect(try await client.call("GET", "/v1/self", token: expiring.secret).status == 401)
        let after = try Exposition(try await client.call("GET", "/v1/metrics").text)
        func moved(_ reason: String) -> Double {
            let labels = ["reason": reason]
            return (after.value("tessera_authentication_failures_total", labels) ?? 0)
                - (before.value("tessera_authentication_failures_total", labels) ?? 0)
        }
        #expect(moved("deactivated") == 1)
        #expect(moved("expired") == 1)
        #expect(moved("unknown") == 0)
    }

    @Test("A revocation's wait for the other instances is observed (PostgreSQL)", .enabled(if: TesseraProcess.usesPostgres))
    func invalidationRoundTrip() async throws {
        let first = try await TesseraProcess.start()
        defer { first.stop() }
        // A second instance on the same database, which must acknowledge.
        let second = try await TesseraProcess.serve(database: first.databasePath, adminSecret: first.adminSecret)
        defer { second.stop() }
        let token = try await ServiceSteps.newToken(first, label: "revoked")
        #expect(try await second.client.call("GET", "/v1/self", token: token.secret).status == 200)
        let before = try Exposition(try await first.client.call("GET", "/v1/metrics").text)
        #expect(try await first.client.call("DELETE", "/v1/tokens/\(token.token.tokenID.uuidString.lowercased())", token: first.adminSecret).status == 200)
        #expect(try await second.client.call("GET", "/v1/self", token: token.secret).status == 401)
        let after = try Exposition(try await first.client.call("GET", "/v1/metrics").text)
        let count = (after.value("tessera_invalidation_roundtrip_seconds_count") ?? 0)
            - (before.value("tessera_invalidation_roundtrip_seconds_count") ?? 0)
        #expect(count == 1)
        let sum = (after.value("tessera_invalidation_roundtrip_seconds_sum") ?? 0)
            - (before.value("tessera_invalidation_roundtrip_seconds_sum") ?? 0)
        #expect(sum > 0 && sum < 10, "\(sum)")
        #expect(after.type(of: "tessera_invalidation_roundtrip_seconds") == "histogram")
    }
}

/// Prometheus's text exposition format (0.0.4), parsed strictly enough to
/// fail on anything a scraper would refuse: each line is a `# TYPE` or
/// `# HELP` comment, or `name{label="value",...} number`.
struct Exposition {
    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    var samples: [Sample] = []
    var types: [String: String] = [:]

    init(_ text: String) throws {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
            if line.hasPrefix("#") {
                let parts = line.split(separator: " ", maxSplits: 3)
                guard parts.count >= 3, parts[0] == "#", parts[1] == "TYPE" || parts[1] == "HELP",
                      Self.isName(parts[2]) else { throw ServerError(description: "bad comment line: \(line)") }
                if parts[1] == "TYPE" {
                    guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else {
                        throw ServerError(description: "bad TYPE line: \(line)")
                    }
                    types[String(parts[2])] = String(parts[3])
                }
                continue
            }
            samples.append(try Self.sample(line))
        }
        let keys = samples.map { "\($0.name)\($0.labels.sorted { $0.key < $1.key })" }
        guard Set(keys).count == keys.count else { throw ServerError(description: "a series appears twice") }
    }

    static func isName(_ text: Substring) -> Bool {
        guard let first = text.first, first.isASCII, first.isLetter || first == "_" || first == ":" else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ":") }
    }

    static func sample(_ line: Substring) throws -> Sample {
        let bad = ServerError(description: "bad sample line: \(line)")
        var rest = line[...]
        let name = rest.prefix { $0 != "{" && $0 != " " }
        guard isName(name) else { throw bad }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                let label = rest.prefix { $0 != "=" }
                guard isName(label), !label.contains(":") else { throw bad }
                rest = rest.dropFirst(label.count)
                guard rest.hasPrefix("=\"") else { throw bad }
                rest = rest.dropFirst(2)
                var value = ""
                while let character = rest.first, character != "\"" {
                    rest = rest.dropFirst()
                    if character == "\\" {
                        guard let escaped = rest.first else { throw bad }
                        rest = rest.dropFirst()
                        switch escaped {
                        case "n": value.append("\n")
                        case "\\", "\"": value.append(escaped)
                        default: throw bad
                        }
                    } else {
                        value.append(character)
                    }
                }
                guard rest.first == "\"" else { throw bad }
                rest = rest.dropFirst()
                guard labels.updateValue(value, forKey: String(label)) == nil else { throw bad }
                if rest.first == "," { rest = rest.dropFirst() } else if rest.first != "}" { throw bad }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " " else { throw bad }
        let number = rest.dropFirst()
        let value: Double? = switch number {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: number.allSatisfy({ "0123456789.eE+-".contains($0) }) ? Double(number) : nil
        }
        guard let value else { throw bad }
        return Sample(name: String(name), labels: labels, value: value)
    }

    /// The value of the series with exactly these labels.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    /// The `# TYPE` of a metric family.
    func type(of family: String) -> String? { types[family] }
}
