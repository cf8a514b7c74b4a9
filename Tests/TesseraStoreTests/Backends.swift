import Foundation
import Logging
import Synchronization
import Testing
import TesseraPostgres
import TesseraSQLite
import TesseraStore

/// The backends every store test runs against, in process: SQLite in a
/// temporary file, PostgreSQL in a fresh database of its own (created
/// beside `TESSERA_TEST_POSTGRES`, so tests run in parallel).
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// Runs `body` with a new, empty, migrated store, then removes it. The
    /// PostgreSQL variant fails (never skips) without `TESSERA_TEST_POSTGRES`.
    func withStore(clock: TesseraClock = TesseraClock(), _ body: (any TokenStore) async throws -> Void) async throws {
        switch self {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-store-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            try await body(SQLiteStore(path: folder.appendingPathComponent("store.sqlite3").path, clock: clock))
        case .postgres:
            let server = try Self.postgresServer()
            let scratch = try await PostgresStore.createScratchDatabase(beside: server)
            do {
                try await PostgresStore.withStore(scratch, clock: clock, logger: Logger(label: "tessera.test")) { store in try await body(store) }
            } catch {
                try? await PostgresStore.dropScratchDatabase(scratch, beside: server)
                throw error
            }
            try await PostgresStore.dropScratchDatabase(scratch, beside: server)
        }
    }

    /// The server from `TESSERA_TEST_POSTGRES` (a URL whose role may create
    /// databases).
    static func postgresServer() throws -> PostgresLocation {
        guard let text = ProcessInfo.processInfo.environment["TESSERA_TEST_POSTGRES"], !text.isEmpty else {
            throw MissingPostgres()
        }
        guard case .postgres(let location) = try DatabaseLocation(text) else {
            throw MissingPostgres(detail: "TESSERA_TEST_POSTGRES is not a postgres:// URL")
        }
        return location
    }
}

struct MissingPostgres: Error, CustomStringConvertible {
    var detail = "TESSERA_TEST_POSTGRES is not set"
    var description: String {
        "\(detail): the PostgreSQL variants need a server. Start one with "
            + "`eval \"$(scripts/postgres start)\"; export TESSERA_TEST_POSTGRES` (stop it with `scripts/postgres stop \"$TESSERA_TEST_POSTGRES_DIR\"`)."
    }
}

// MARK: Fixtures

let now: Milliseconds = Date().milliseconds

func someActor(_ userID: UUID = UUID(uuidString: "00000000-0000-0000-0000-000000000000")!, tokenName: String? = "ci", tokenPreview: String? = "AB12C") -> EventActor {
    EventActor(userID: userID, name: "Tester", email: "tester@example.com", ipAddress: "127.0.0.1", tokenName: tokenName, tokenPreview: tokenPreview)
}

/// A fresh random digest (its value only has to be unique).
func digest() -> [UInt8] { (0..<32).map { _ in UInt8.random(in: 0...255) } }

extension TokenStore {
    func admin(_ email: String = "admin@example.com") async throws -> UserRecord {
        try await createUser(NewUser(email: email, fullName: "Admin \(email)", role: .admin), actor: nil, at: now)
    }

    func personalToken(for user: UserRecord, label: String = "t", digest: [UInt8] = digest(),
                       expiresAt: Milliseconds? = nil) async throws -> TokenRecord {
        try await createToken(NewToken(kind: .personal, userID: user.id, creatorUserID: user.id, label: label, accessLevel: .fullAccess,
                                       digest: digest, preview: "PREVW", expiresAt: expiresAt), actor: someActor(user.id), at: now)
    }

    func serviceKey(for user: UserRecord, digest: [UInt8] = digest()) async throws -> TokenRecord {
        try await createToken(NewToken(kind: .service, userID: user.id, creatorUserID: user.id, label: "key", accessLevel: .fullAccess,
                                       digest: digest, preview: "KEYPV", expiresAt: nil), actor: someActor(), at: now)
    }
}

/// The error `body` throws, if any.
func failure(_ body: () async throws -> Void) async -> (any Error)? {
    do {
        try await body()
        return nil
    } catch {
        return error
    }
}

/// `body(0)` … `body(count - 1)` all at once; their results in any order.
func concurrently<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) async -> T) async -> [T] {
    await withTaskGroup(of: T.self) { group in
        for index in 0..<count {
            group.addTask { await body(index) }
        }
        return await group.reduce(into: [T]()) { $0.append($1) }
    }
}

/// A clock that moves 1 ms per reading from `start`.
final class Ticks: Sendable {
    private let value: Mutex<Int64>
    init(start: Int64) { value = Mutex(start) }
    func next() -> Int64 { value.withLock { $0 += 1; return $0 } }
}
