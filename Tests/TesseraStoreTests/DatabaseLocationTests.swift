import Foundation
import Testing
import TesseraStore

/// `--database`: a file path or a PostgreSQL URL, whose password never
/// appears in any message.
@Suite("Database locations")
struct DatabaseLocationTests {
    @Test("Anything but a postgres:// URL is a SQLite file")
    func sqlitePaths() throws {
        #expect(try DatabaseLocation("tessera.sqlite3", environment: [:]) == .sqlite(path: "tessera.sqlite3"))
        #expect(try DatabaseLocation("/var/lib/postgres.sqlite3", environment: [:]) == .sqlite(path: "/var/lib/postgres.sqlite3"))
    }

    @Test("A URL's parts, percent-decoded once, and its description with the password as ***")
    func postgresURL() throws {
        let location = try DatabaseLocation("postgresql://tess%40ra:p%40ss%2525w@db.example:5433/tessera?sslmode=require", environment: [:])
        #expect(location == .postgres(PostgresLocation(user: "tess@ra", password: "p@ss%25w", host: "db.example", port: 5433,
                                                       database: "tessera", tls: .require)))
        #expect(location.description == "postgres://tess%40ra:***@db.example:5433/tessera?sslmode=require")
        #expect(try DatabaseLocation("postgres://u@h/d", environment: [:]).description == "postgres://u@h:5432/d")
    }

    @Test("Without a password in the URL: TESSERA_DATABASE_PASSWORD, else TESSERA_DATABASE_PASSWORD_FILE; the URL's wins")
    func passwordSources() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pw-\(UUID().uuidString)")
        try Data("from-file\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        func password(_ url: String, _ environment: [String: String]) throws -> String? {
            guard case .postgres(let location) = try DatabaseLocation(url, environment: environment) else { return nil }
            return location.password
        }
        #expect(try password("postgres://u@h/d", [:]) == nil)
        #expect(try password("postgres://u@h/d", ["TESSERA_DATABASE_PASSWORD": "from-env"]) == "from-env")
        #expect(try password("postgres://u@h/d", ["TESSERA_DATABASE_PASSWORD_FILE": file.path]) == "from-file")
        #expect(try password("postgres://u@h/d", ["TESSERA_DATABASE_PASSWORD": "from-env", "TESSERA_DATABASE_PASSWORD_FILE": file.path])
                == "from-env")
        #expect(try password("postgres://u:in-url@h/d", ["TESSERA_DATABASE_PASSWORD": "from-env"]) == "in-url")
        #expect(throws: DatabaseLocationError.self) {
            _ = try password("postgres://u@h/d", ["TESSERA_DATABASE_PASSWORD_FILE": "/nonexistent/pw"])
        }
    }

    @Test("A URL that cannot be used is refused with its password redacted", arguments: [
        "postgres://u:hunter2@/tessera", "postgres://u:hunter2@h", "postgres://u:hunter2@h/a/b", "postgres://:hunter2@h/d",
        "postgres://u:hunter2@h/d?sslmode=maybe", "postgres://u:hunter2@h/d?password=x",
    ])
    func refusedURLs(_ url: String) {
        do {
            _ = try DatabaseLocation(url, environment: [:])
            Issue.record("accepted \(url)")
        } catch {
            #expect(!"\(error)".contains("hunter2"), "\(error)")
            #expect("\(error)".contains("***"), "\(error)")
        }
    }
}
