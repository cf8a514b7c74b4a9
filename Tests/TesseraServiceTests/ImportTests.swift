import Foundation
import TesseraClient
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

        let member = try await ServiceSteps.newUser(source, role: .member, email: "Ada@Example.com")
        let service = try await ServiceSteps.newServiceUser(source, role: .member)
        var secrets: [String] = [adminSecret]
        for index in 0..<3 {
            secrets.append(try await ServiceSteps.newToken(source, label: "token \(index)").secret)
        }
        let memberToken = try await ServiceSteps.newToken(source, label: "member's", level: .readOnly, userID: member)
        let expiring = try await ServiceSteps.newToken(source, label: "expiring", expiresAt: Date().addingTimeInterval(86_400))
        let key = try await ServiceSteps.newToken(source, label: "ci key", userID: service)
        secrets += [memberToken.secret, expiring.secret, key.secret]
        let access = try await ServiceSteps.accessToken(source, key.secret).accessToken
        // A regenerated token: only its new secret may work after the move.
        let rotated = try await ServiceSteps.newToken(source, label: "rotated")
        let regeneration = try await source.adminAPI.regenerateToken(.init(tokenID: rotated.token.tokenID))
        guard case .ok(let regenerated) = regeneration else { throw Unexpected(regeneration, "200") }
        secrets.append(regenerated.secret)
        _ = try await ServiceSteps.update(source, .init(allowAllUsersToCreatePats: true, maxTokenLifetimeDays: 90))
        // Every secret used once, so last_used_at is stored.
        for secret in secrets { _ = try await ServiceSteps.me(source, secret) }
        try await Task.sleep(for: .milliseconds(600))
        let tokensBefore = try await Self.tokens(source)
        let eventsBefore = try await Self.events(source)
        let usersBefore = try await Self.users(source)
        let settingsBefore = try await Self.settings(source)
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
        #expect(Self.withoutLastUse(try await Self.tokens(moved), label: "bootstrap") == Self.withoutLastUse(tokensBefore, label: "bootstrap"))
        #expect(try await Self.users(moved) == usersBefore)
        let eventsAfter = try await Self.events(moved)
        #expect(eventsAfter == eventsBefore)
        #expect(try await Self.settings(moved) == settingsBefore)
        for secret in secrets + [access] {
            _ = try await ServiceSteps.me(moved, secret)
        }
        try await ServiceSteps.expectRefused(moved, rotated.secret)
        // Rules keep holding on the imported data: the service user's two-key limit.
        _ = try await ServiceSteps.newToken(moved, label: "second key", userID: service)
        let third = try await moved.adminAPI.createToken(.init(body: .init(tokenLabel: "third", accessLevel: .readOnly, userID: service)))
        guard case .conflict(let thirdError) = third else { throw Unexpected(third, "409") }
        ServiceSteps.expectError(thirdError, .conflict)
        let duplicate = try await moved.adminAPI.createUser(.init(body: .init(email: "ada@example.com", fullName: "Ada", role: .member)))
        guard case .conflict = duplicate else { throw Unexpected(duplicate, "409") }

        // A database that already holds data is refused, and left as it was.
        let again = try run(Locations.tessera, ["import", "--from", file, "--database", target])
        #expect(again.status != 0)
        #expect(again.stderr.contains("already holds data"), "\(again.stderr)")
        #expect(try await Self.tokens(moved).count == tokensBefore.count + 1)
        // Neither a SQLite target nor a missing source is accepted.
        let toSQLite = try run(Locations.tessera, ["import", "--from", file, "--database", folder.appendingPathComponent("b.sqlite3").path])
        #expect(toSQLite.status != 0 && toSQLite.stderr.contains("postgres://"), "\(toSQLite.stderr)")
        let missing = try run(Locations.tessera, ["import", "--from", folder.appendingPathComponent("none.sqlite3").path, "--database", target])
        #expect(missing.status != 0 && missing.stderr.contains("no database"), "\(missing.stderr)")
        moved.stop()
    }

    /// `tokens` with `last_used_at` dropped from those whose label starts with `label`.
    static func withoutLastUse(_ tokens: [Schemas.Token], label: String) -> [Schemas.Token] {
        tokens.map { token in
            var token = token
            if token.tokenLabel.hasPrefix(label) { token.lastUsedAt = nil }
            return token
        }
    }

    /// Every item of a list, following `next` cursors from the first page:
    /// `page` answers one page for a cursor (nil: the first).
    static func all<Item>(_ page: (String?) async throws -> (results: [Item], next: String??)) async throws -> [Item] {
        var items: [Item] = []
        var cursor: String?
        for _ in 0..<50 {
            let (results, next) = try await page(cursor)
            items += results
            guard let next = next ?? nil else { break }
            cursor = next
        }
        return items
    }

    /// Every token, 100 a page, as the bootstrap admin.
    static func tokens(_ server: TesseraProcess) async throws -> [Schemas.Token] {
        try await all { cursor in
            let output = try await server.adminAPI.getTokens(.init(cursor: cursor, pageSize: 100))
            guard case .ok(let page) = output else { throw Unexpected(output, "200") }
            return (page.results, page.next)
        }
    }

    /// Every event, 200 a page.
    static func events(_ server: TesseraProcess) async throws -> [Schemas.Event] {
        try await all { cursor in
            let output = try await server.adminAPI.events(.init(cursor: cursor, pageSize: 200))
            guard case .ok(let page) = output else { throw Unexpected(output, "200") }
            return (page.results ?? [], page.next)
        }
    }

    /// Every person, 100 a page.
    static func users(_ server: TesseraProcess) async throws -> [Schemas.User] {
        try await all { cursor in
            let output = try await server.adminAPI.getUsers(.init(cursor: cursor, pageSize: 100))
            guard case .ok(let page) = output else { throw Unexpected(output, "200") }
            return (page.results, page.next)
        }
    }

    static func settings(_ server: TesseraProcess) async throws -> Schemas.Settings {
        let output = try await server.adminAPI.getSettings()
        guard case .ok(let settings) = output else { throw Unexpected(output, "200") }
        return settings
    }
}
