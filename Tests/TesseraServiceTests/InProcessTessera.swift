import Foundation
import HTTPTestClient
import Logging
import TesseraService
import TesseraStore

/// `TesseraServer` running inside the test process on a free loopback port,
/// with a fresh database and a `ManualClock`: for the rules that depend on
/// time, which a real process's wall clock would make a race. Everything
/// else (HTTP, routing, the store) is the real thing; the end-to-end suites
/// keep driving the `tessera` binary for processes and durability.
struct InProcessTessera: TesseraEndpoint {
    let port: Int
    let adminSecret: String
    let clock: ManualClock

    var client: LoopbackClient { LoopbackClient(host: "127.0.0.1", port: port) }

    /// Bootstraps a new database (SQLite, or PostgreSQL with
    /// `TESSERA_TEST_BACKEND=postgres`), serves it while `body` runs, then
    /// stops the server.
    static func with<T: Sendable>(clock: ManualClock = ManualClock(),
                                  _ body: (InProcessTessera) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-in-process-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try DatabaseLocation(try await TesseraProcess.freshDatabase(in: folder))
        let logger = Logger(label: "tessera-in-process") { _ in SwiftLogNoOpLogHandler() }
        let bootstrap = try await TesseraServer.bootstrap(database: database, email: "admin@tessera.test", fullName: "Admin",
                                                          logger: logger, clock: clock.tesseraClock)
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        let server = Task {
            defer { portSink.finish() }
            try await TesseraServer(database: database, logger: logger, clock: clock.tesseraClock)
                .serve(host: "127.0.0.1", port: 0) { port in portSink.yield(port) }
        }
        defer { server.cancel() }
        var started = ports.makeAsyncIterator()
        guard let port = await started.next() else {
            _ = try await server.value
            throw ServerError(description: "the in-process server stopped before it listened")
        }
        let result = try await body(InProcessTessera(port: port, adminSecret: bootstrap.secret, clock: clock))
        server.cancel()
        _ = try? await server.value
        return result
    }
}
