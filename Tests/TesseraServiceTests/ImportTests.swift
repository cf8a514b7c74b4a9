import Foundation
import HTTPTestClient
import Testing
import TestSupport

/// `tessera import`: moving from one SQLite file to PostgreSQL (and so to
/// several instances) without reissuing a single secret.
@Suite("Import from SQLite")
struct ImportTests {
    @Test("Everything a SQLite server holds arrives in PostgreSQL: every secret, access token, list order, event and setting")
    func importKeepsEverything() async throws {
        // The source is always SQLite, whatever TESSERA_TEST_BACKEND says.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("source.sqlite3").path
        let bootstrap = try run(Locations.tessera, ["bootstrap", "--database", file])
        let adminSecret = try #require(bootstrap.stdout.split(separator: "\n").last.map(String.init), "\(bootstrap.stderr)")
        let source = try await TesseraProcess.serve(database: file, adminSecret: adminSecret)

        let member = try await ServiceSteps.createUser(source, role: "MEMBER", email: "Ada@Example.com")
        let service = try await ServiceSteps.createServiceUser(source, role: "MEMBER")
        var secrets: [String] = [adminSecret]
        for index in 0..<3 {
            secrets.append(try await ServiceSteps.createToken(source, label: "token \(index)").secret)
        }
        let memberToken = try await ServiceSteps.createToken(source, label: "member's", level: "READ_ONLY", userID: member)
        let expiring = try await ServiceSteps.createToken(source, label: "expiring", expiresAt: Date().addingTimeInterval(86_400))
        let key = try await ServiceSteps.createToken(source, label: "ci key", userID: service)
        secrets += [memberToken.secret, expiring.secret, key.secret]
        let access = try await ServiceSteps.exchange(source, key.secret)
        // A regenerated token: only its new secret may work after the move.
        let rotated = try await ServiceSteps.createToken(source, label: "rotated")
        let regenerated = try ServiceSteps.object(try await source.client.call("POST", "/v1/tokens/\(rotated.id)/regenerate",
                                                                           token: adminSecret), 200)
        let newSecret = try #require(regenerated["secret"] as? String)
        secrets.append(newSecret)
        _ = try await ServiceSteps.patchSettings(source, ["allow_all_users_to_create_pats": true, "max_token_lifetime_days": 90])
        // Every secret used once, so last_used_at is stored.
        for secret in secrets { _ = try ServiceSteps.object(try await source.client.call("GET", "/v1/self", token: secret), 200) }
        try await Task.sleep(for: .milliseconds(600))
        let tokensBefore = try await Self.all(source, "/v1/tokens?page_size=100", secret: adminSecret)
        let eventsBefore = try await Self.all(source, "/v1/events?page_size=200", secret: adminSecret)
        let usersBefore = try await Self.all(source, "/v1/users?page_size=100", secret: adminSecret)
        let settingsBefore = try ServiceSteps.object(try await source.client.call("GET", "/v1/settings", token: adminSecret), 200)
        // Left running: the import reads a consistent snapshot beside it.

        let target = try await TesseraProcess.freshPostgresDatabase()
        let imported = try run(Locations.tessera, ["import", "--from", file, "--database", target])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("3 users") && imported.stdout.contains("\(tokensBefore.count) tokens")
                && imported.stdout.contains("1 access_tokens"), "\(imported.stdout)")
        #expect(!imported.stdout.contains(target) && !imported.stderr.contains(target), "the password must not be printed")
        source.stop()

        let moved = try await TesseraProcess.serve(database: target, adminSecret: adminSecret)
        // Lists keep their order and content, last_used_at included (but
        // the admin's, whose secret reads them: its use is this request's).
        #expect(Self.withoutLastUse(try await Self.all(moved, "/v1/tokens?page_size=100", secret: adminSecret), label: "bootstrap")
                == Self.withoutLastUse(tokensBefore, label: "bootstrap"))
        #expect(try await Self.all(moved, "/v1/users?page_size=100", secret: adminSecret) == usersBefore)
        let eventsAfter = try await Self.all(moved, "/v1/events?page_size=200", secret: adminSecret)
        #expect(eventsAfter == eventsBefore)
        let settingsAfter = try ServiceSteps.object(try await moved.client.call("GET", "/v1/settings", token: adminSecret), 200)
        #expect(NSDictionary(dictionary: settingsAfter) == NSDictionary(dictionary: settingsBefore))
        for secret in secrets + [access] {
            _ = try ServiceSteps.object(try await moved.client.call("GET", "/v1/self", token: secret), 200)
        }
        try await moved.client.call("GET", "/v1/self", token: rotated.secret).expectError(401, "unauthorized")
        // Rules keep holding on the imported data: the service user's two-key limit.
        _ = try await ServiceSteps.createToken(moved, label: "second key", userID: service)
        let third = try await moved.client.call("POST", "/v1/tokens", token: adminSecret,
                                                json: ServiceSteps.json(["token_label": "third", "access_level": "READ_ONLY", "user_id": service]))
        try third.expectError(409, "conflict")
        #expect(try await moved.client.call("POST", "/v1/users", token: adminSecret,
                                            json: ServiceSteps.json(["email": "ada@example.com", "full_name": "Ada", "role": "MEMBER"])).status == 409)

        // A database that already holds data is refused, and left as it was.
        let again = try run(Locations.tessera, ["import", "--from", file, "--database", target])
        #expect(again.status != 0)
        #expect(again.stderr.contains("already holds data"), "\(again.stderr)")
        #expect(try await Self.all(moved, "/v1/tokens?page_size=100", secret: adminSecret).count == tokensBefore.count + 1)
        // Neither a SQLite target nor a missing source is accepted.
        let toSQLite = try run(Locations.tessera, ["import", "--from", file, "--database", folder.appendingPathComponent("b.sqlite3").path])
        #expect(toSQLite.status != 0 && toSQLite.stderr.contains("postgres://"), "\(toSQLite.stderr)")
        let missing = try run(Locations.tessera, ["import", "--from", folder.appendingPathComponent("none.sqlite3").path, "--database", target])
        #expect(missing.status != 0 && missing.stderr.contains("no database"), "\(missing.stderr)")
        moved.stop()
    }

    /// `items` with `last_used_at` dropped from those whose label starts with `label`.
    static func withoutLastUse(_ items: [String], label: String) -> [String] {
        items.map { text in
            guard var item = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                  (item["token_label"] as? String)?.hasPrefix(label) == true else { return text }
            item["last_used_at"] = nil
            return String(decoding: (try? JSONSerialization.data(withJSONObject: item, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
        }
    }


    /// Every item of a list, following `next` cursors, as JSON text.
    static func all(_ server: TesseraProcess, _ path: String, secret: String) async throws -> [String] {
        var items: [String] = []
        var next: String? = path
        var pages = 0
        while let current = next, pages < 50 {
            let page = try ServiceSteps.object(try await server.client.call("GET", current, token: secret), 200)
            for item in page["results"] as? [[String: Any]] ?? [] {
                items.append(String(decoding: try JSONSerialization.data(withJSONObject: item, options: [.sortedKeys]), as: UTF8.self))
            }
            next = (page["next"] as? String).map { path.split(separator: "?")[0] + "?page_size=100&cursor=\($0)" }
            pages += 1
        }
        return items
    }
}
