import Crypto
import Foundation
import HTTPTestClient
import TesseraClient
import Testing

/// Revoking a secret without signing in: by whoever holds it
/// (`POST /v1/tokens/revoke`) and by GitHub's secret scanning
/// (`POST /v1/secret-scanning/github`, signed reports), through the real
/// server, on the backend the run uses.
@Suite("Leaked secrets")
struct LeakedSecretTests {
    // MARK: POST /tokens/revoke

    @Test("Whoever holds a secret revokes it; the answer never tells whether it was live; each request counts against the throttle")
    func holderRevokes() async throws {
        let server = try await TesseraProcess.start(extraEnvironment: ["TESSERA_AUTH_FAILURE_LIMIT": "12"])
        let key = try await ServiceSteps.newToken(server, label: "revoked by its holder")
        let other = try await ServiceSteps.newToken(server, label: "kept")
        let service = try await ServiceSteps.newServiceUser(server, role: .member)
        let serviceKey = try await ServiceSteps.newToken(server, label: "ci", userID: service)
        let access = try await ServiceSteps.accessToken(server, serviceKey.secret).accessToken
        try await ServiceSteps.expectAccepted(server, key.secret)

        func revoke(_ secret: String, from client: LoopbackClient? = nil) async throws -> LoopbackResponse {
            try await (client ?? server.client).call("POST", "/v1/tokens/revoke", json: ServiceSteps.json(["secret": secret]))
        }
        let answers = [
            try await revoke(key.secret),
            try await revoke(SecretFormat.make(prefix: "tsp")),  // well-formed, never issued
            try await revoke("not a secret at all"),
            try await revoke(access),
        ]
        let first = try ServiceSteps.object(answers[0], 200)
        for answer in answers.dropFirst() {
            #expect(NSDictionary(dictionary: try ServiceSteps.object(answer, 200)) == NSDictionary(dictionary: first))
        }
        try await ServiceSteps.expectRefused(server, key.secret)
        try await ServiceSteps.expectRefused(server, access)
        // Only what was presented: the other token, and the key behind the access token, live on.
        try await ServiceSteps.expectAccepted(server, other.secret)
        try await ServiceSteps.expectAccepted(server, serviceKey.secret)
        #expect(try await ServiceSteps.listed(server, .init(pageSize: 100)).contains(key.token.tokenID) == false)

        let events = try await server.adminAPI.events(.init(eventTypeFilter: "API_TOKEN_REVOKED"))
        guard case .ok(let page) = events else { throw Unexpected(events, "200") }
        let revoked = try #require(page.results)
        #expect(revoked.count == 2)
        #expect(revoked.allSatisfy { $0.actorName == "secret holder (POST /tokens/revoke)" })
        #expect(revoked.allSatisfy { $0.actorIPAddress == "127.0.0.1" })

        // A body that is not the request is a 400, as everywhere.
        try await server.client.call("POST", "/v1/tokens/revoke", json: #"{"token": "x"}"#).expectError(400, .validationError)
        // So far this address spent 7 of its 12: four revocations, the 400,
        // and the two 401s above. Five more revocations are answered, the
        // twelfth blocks the address, and the next gets 429, whatever it
        // presents; 127.0.0.2 is not slowed.
        var statuses: [Int] = []
        for _ in 0..<6 { statuses.append(try await revoke(SecretFormat.make(prefix: "tss")).status) }
        #expect(statuses == [200, 200, 200, 200, 200, 429])
        try await revoke(other.secret).expectError(429, .tooManyRequests)
        let elsewhere = server.client(from: "127.0.0.2")
        let fromElsewhere = try await elsewhere.api(other.secret).getSelf()
        guard case .ok = fromElsewhere else { throw Unexpected(fromElsewhere, "200") }
        _ = try ServiceSteps.object(try await revoke(SecretFormat.make(prefix: "tsp"), from: elsewhere), 200)
    }

    // MARK: GitHub secret scanning

    /// GitHub's signing key and the keys document Tessera reads.
    struct GitHubKeys {
        let signing = P256.Signing.PrivateKey()
        let identifier = "90a421169f0a406205f1563a953312f0be898d3c7b6c06b681aa86a874555f4a"

        func document(_ keys: [(id: String, key: P256.Signing.PublicKey)]) -> String {
            let entries = keys.map { ServiceSteps.json(["key_identifier": $0.id, "key": $0.key.pemRepresentation, "is_current": true]) }
            return #"{"public_keys": ["# + entries.joined(separator: ", ") + "]}"
        }

        func headers(_ body: [UInt8], identifier: String? = nil, key: P256.Signing.PrivateKey? = nil) throws -> [(String, String)] {
            let signature = try (key ?? signing).signature(for: body).derRepresentation.base64EncodedString()
            return [("Github-Public-Key-Identifier", identifier ?? self.identifier), ("Github-Public-Key-Signature", signature),
                    ("Content-Type", "application/json")]
        }
    }

    static func report(_ tokens: [String]) -> [UInt8] {
        let entries = tokens.enumerated().map { index, token in
            ServiceSteps.json(["token": token, "type": "tessera_api_token", "url": "https://github.com/octo/app/blob/main/leak\(index).txt",
                           "source": "content"])
        }
        return Array(("[" + entries.joined(separator: ",") + "]").utf8)
    }

    static func sha256(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    @Test("A signed GitHub report revokes every live Tessera secret in it, at once, and answers GitHub's feedback")
    func githubReportRevokes() async throws {
        let github = GitHubKeys()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-github-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let keysFile = folder.appendingPathComponent("secret_scanning.json")
        try github.document([(github.identifier, github.signing.publicKey)]).write(to: keysFile, atomically: true, encoding: .utf8)
        let server = try await TesseraProcess.start(extraEnvironment: ["TESSERA_GITHUB_SECRET_SCANNING_KEYS": keysFile.path])

        let leaked = try await ServiceSteps.newToken(server, label: "leaked")
        let kept = try await ServiceSteps.newToken(server, label: "kept")
        let service = try await ServiceSteps.newServiceUser(server, role: .member)
        let serviceKey = try await ServiceSteps.newToken(server, label: "ci", userID: service)
        let access = try await ServiceSteps.accessToken(server, serviceKey.secret).accessToken
        // Cached on the server before the report.
        for secret in [leaked.secret, kept.secret, access] {
            try await ServiceSteps.expectAccepted(server, secret)
        }
        func post(_ body: [UInt8], _ headers: [(String, String)]) async throws -> LoopbackResponse {
            try await server.client.send("POST", "/v1/secret-scanning/github", headers: headers, body: body)
        }

        // Refused reports revoke nothing.
        let body = Self.report([leaked.secret])
        var tampered = body
        tampered[tampered.count - 3] ^= 0x01
        try await post(tampered, try github.headers(body)).expectError(401, .unauthorized)
        try await post(body, try github.headers(body, identifier: "unknown-key")).expectError(401, .unauthorized)
        try await post(body, try github.headers(body, key: P256.Signing.PrivateKey())).expectError(401, .unauthorized)
        try await post(body, [("Content-Type", "application/json")]).expectError(401, .unauthorized)
        try await post(body, [("Github-Public-Key-Identifier", github.identifier), ("Github-Public-Key-Signature", "bm90IERFUg=="),
                              ("Content-Type", "application/json")]).expectError(401, .unauthorized)
        try await ServiceSteps.expectAccepted(server, leaked.secret)
        // Signed but not the format: 400; too large: 413; too many: 400.
        let notJSON = Array("not json".utf8)
        try await post(notJSON, try github.headers(notJSON)).expectError(400, .validationError)
        let huge = Self.report(Array(repeating: String(repeating: "x", count: 1000), count: 1100))
        try await post(huge, try github.headers(huge)).expectError(413, .payloadTooLarge)
        let many = Self.report((0..<1001).map { "x\($0)" })
        try await post(many, try github.headers(many)).expectError(400, .validationError)
        try await ServiceSteps.expectAccepted(server, leaked.secret)

        // A valid report: a live token, junk, an access token, the token
        // again, a well-formed secret never issued.
        let made = SecretFormat.make(prefix: "tss")
        let tokens = [leaked.secret, "ghp_notTessera", access, leaked.secret, made]
        let valid = Self.report(tokens)
        let response = try await post(valid, try github.headers(valid))
        let feedback = try ServiceSteps.decode([Schemas.SecretScanningFeedback].self, response, 200)
        #expect(feedback.map(\.label) == [.truePositive, .falsePositive, .truePositive, .truePositive, .falsePositive])
        #expect(feedback.map(\.tokenHash) == tokens.map(Self.sha256))
        #expect(feedback.allSatisfy { $0.tokenType == "tessera_api_token" })
        try await ServiceSteps.expectRefused(server, leaked.secret)
        try await ServiceSteps.expectRefused(server, access)
        try await ServiceSteps.expectAccepted(server, kept.secret)
        try await ServiceSteps.expectAccepted(server, serviceKey.secret)
        let events = try await server.adminAPI.events(.init(eventTypeFilter: "API_TOKEN_LEAKED"))
        guard case .ok(let page) = events else { throw Unexpected(events, "200") }
        let leaks = try #require(page.results)
        #expect(leaks.count == 2)
        #expect(leaks.allSatisfy { ($0.detail ?? nil)?.contains("source content, url https://github.com/octo/app/blob/main/leak") == true })
        #expect(leaks.allSatisfy { $0.actorName == "GitHub secret scanning" })
        // Reported again: nothing live is left, so false positives.
        let again = try await post(valid, try github.headers(valid))
        #expect(again.status == 200 && !again.text.contains("true_positive"), "\(again.text)")

        // GitHub rotates its key: the file is read again, the new key verifies.
        let rotated = P256.Signing.PrivateKey()
        try github.document([("rotated-key", rotated.publicKey)]).write(to: keysFile, atomically: true, encoding: .utf8)
        let next = Self.report([kept.secret])
        try await post(next, try github.headers(next)).expectError(401, .unauthorized)
        let accepted = try await post(next, try github.headers(next, identifier: "rotated-key", key: rotated))
        #expect(accepted.status == 200, "\(accepted.text)")
        try await ServiceSteps.expectRefused(server, kept.secret)
    }

    @Test("Without a keys file every report is refused; a keys file that is not GitHub's document stops the server at start-up")
    func githubNotConfigured() async throws {
        let server = try await TesseraProcess.start()
        let key = try await ServiceSteps.newToken(server, label: "x")
        let github = GitHubKeys()
        let body = Self.report([key.secret])
        try await server.client.send("POST", "/v1/secret-scanning/github", headers: try github.headers(body), body: body)
            .expectError(401, .unauthorized)
        try await ServiceSteps.expectAccepted(server, key.secret)

        let bad = server.folder.appendingPathComponent("keys.json")
        try "{\"public_keys\": [{\"key_identifier\": \"k\", \"key\": \"not a key\"}]}".write(to: bad, atomically: true, encoding: .utf8)
        await #expect(throws: ServerError.self) {
            _ = try await TesseraProcess.serve(database: server.databasePath, adminSecret: server.adminSecret,
                                               extraEnvironment: ["TESSERA_GITHUB_SECRET_SCANNING_KEYS": bad.path])
        }
    }
}
