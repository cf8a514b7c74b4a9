import Foundation
import TesseraClient
import Testing
import TestSupport

/// `tessera backup`: a consistent copy of a live SQLite database, taken
/// while the server runs, from which a server starts and every token still
/// authenticates.
@Suite("Backup")
struct BackupTests {
    @Test("A backup of a live database restores with every token working; PostgreSQL is pointed to pg_dump")
    func backupRestores() async throws {
        let server = try await TesseraProcess.start()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("copy.sqlite3").path
        if TesseraProcess.usesPostgres {
            let refused = try run(Locations.tessera, ["backup", "--database", server.databasePath, "--output", output])
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("pg_dump"), "\(refused.stderr)")
            #expect(!FileManager.default.fileExists(atPath: output))
            return
        }
        var keys: [Schemas.CreatedToken] = []
        for index in 0..<5 {
            keys.append(try await ServiceSteps.newToken(server, label: "kept \(index)"))
        }
        // Taken while the server runs and writes (last_used_at, events).
        _ = try await ServiceSteps.me(server, keys[0].secret)
        let backup = try run(Locations.tessera, ["backup", "--database", server.databasePath, "--output", output])
        #expect(backup.status == 0, "\(backup.stderr)")
        let mode = ((try FileManager.default.attributesOfItem(atPath: output))[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600, "backup mode \(String(mode ?? -1, radix: 8))")
        // An existing file is never overwritten.
        let again = try run(Locations.tessera, ["backup", "--database", server.databasePath, "--output", output])
        #expect(again.status != 0)

        // Restore: the server stops, its database is replaced by the copy.
        server.stop()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: server.databasePath + suffix) }
        try FileManager.default.copyItem(atPath: output, toPath: server.databasePath)
        try await server.launch()
        for key in keys {
            _ = try await ServiceSteps.me(server, key.secret)
        }
        _ = try await ServiceSteps.me(server, server.adminSecret)
        #expect(try await ServiceSteps.listed(server, .init(pageSize: 100)).count == 6)
    }
}
