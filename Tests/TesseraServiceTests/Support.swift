import Foundation
import HTTPTestClient
import TesseraClient
import TesseraPostgres
import TesseraStore
import Testing
import TestSupport

struct ServerError: Error, CustomStringConvertible {
    var description: String
}

/// A real `tessera serve` process on a free loopback port with its own
/// SQLite file in a temporary folder; bootstrapped, so `adminSecret` is a
/// full-access admin token. Its stderr (the request log) is kept in a file.
final class TesseraProcess: @unchecked Sendable {
    let folder: URL
    let databasePath: String
    let logPath: String
    private(set) var port = 0
    private(set) var process: Process?
    /// The secret `tessera bootstrap` printed.
    let adminSecret: String

    var client: LoopbackClient { LoopbackClient(host: "127.0.0.1", port: port) }
    /// The same server, seen from another loopback address (`127.0.0.2`).
    func client(from source: String) -> LoopbackClient { LoopbackClient(host: "127.0.0.1", port: port, sourceAddress: source) }

    /// Variables added to `tessera serve`'s environment (e.g. `TESSERA_IDLE_TIMEOUT`).
    let extraEnvironment: [String: String]
    /// `ulimit -n` arguments run before `tessera serve` (e.g. `["-S", "-n", "256"]`).
    let openFileLimit: [String]

    /// Bootstraps a new database and starts serving it.
    static func start(extraEnvironment: [String: String] = [:], openFileLimit: [String] = []) async throws -> TesseraProcess {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = try await freshDatabase(in: folder)
        let bootstrap = try run(Locations.tessera, ["bootstrap", "--database", database])
        guard bootstrap.status == 0, let secret = bootstrap.stdout.split(separator: "\n").last.map(String.init) else {
            throw ServerError(description: "bootstrap failed (\(bootstrap.status)): \(bootstrap.stderr)")
        }
        let server = TesseraProcess(folder: folder, databasePath: database, adminSecret: secret,
                                    extraEnvironment: extraEnvironment, openFileLimit: openFileLimit)
        try await server.launch()
        return server
    }

    /// A new SQLite file in `folder`, or, with `TESSERA_TEST_BACKEND=postgres`,
    /// the URL (password included) of a new database beside
    /// `TESSERA_TEST_POSTGRES`. The databases are left for the throwaway
    /// server to take with it (`scripts/postgres stop`).
    static func freshDatabase(in folder: URL) async throws -> String {
        let environment = ProcessInfo.processInfo.environment
        guard environment["TESSERA_TEST_BACKEND"] == "postgres" else {
            return folder.appendingPathComponent("tessera.sqlite3").path
        }
        guard let text = environment["TESSERA_TEST_POSTGRES"], case .postgres(let server)? = try? DatabaseLocation(text) else {
            throw ServerError(description: "TESSERA_TEST_BACKEND=postgres needs TESSERA_TEST_POSTGRES (eval \"$(scripts/postgres start)\")")
        }
        let scratch = try await PostgresStore.createScratchDatabase(beside: server)
        return "postgres://\(scratch.user):\(scratch.password ?? "")@\(scratch.host):\(scratch.port)/\(scratch.database)"
    }

    /// A new database beside `TESSERA_TEST_POSTGRES`, whatever
    /// `TESSERA_TEST_BACKEND` says (the multi-instance test needs one), or
    /// an error saying how to provide the server.
    static func freshPostgresDatabase() async throws -> String {
        guard let text = ProcessInfo.processInfo.environment["TESSERA_TEST_POSTGRES"], !text.isEmpty,
              case .postgres(let server)? = try? DatabaseLocation(text) else {
            throw ServerError(description: "this test needs PostgreSQL: set TESSERA_TEST_POSTGRES (scripts/test does; by hand: "
                              + #"eval "$(scripts/postgres start)"; export TESSERA_TEST_POSTGRES)"#)
        }
        let scratch = try await PostgresStore.createScratchDatabase(beside: server)
        return "postgres://\(scratch.user):\(scratch.password ?? "")@\(scratch.host):\(scratch.port)/\(scratch.database)"
    }

    /// Another `tessera serve` on an existing (bootstrapped) database.
    static func serve(database: String, adminSecret: String, extraEnvironment: [String: String] = [:]) async throws -> TesseraProcess {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let server = TesseraProcess(folder: folder, databasePath: database, adminSecret: adminSecret,
                                    extraEnvironment: extraEnvironment, openFileLimit: [])
        try await server.launch()
        return server
    }

    private init(folder: URL, databasePath: String, adminSecret: String, extraEnvironment: [String: String], openFileLimit: [String]) {
        self.extraEnvironment = extraEnvironment
        self.openFileLimit = openFileLimit
        self.folder = folder
        self.databasePath = databasePath
        self.logPath = folder.appendingPathComponent("server.log").path
        self.adminSecret = secret(adminSecret)
    }

    /// Whether this server's database is PostgreSQL (`TESSERA_TEST_BACKEND=postgres`).
    var usesPostgres: Bool { databasePath.hasPrefix("postgres://") }
    static var usesPostgres: Bool { ProcessInfo.processInfo.environment["TESSERA_TEST_BACKEND"] == "postgres" }

    /// Runs SQL on the database behind the server's back (sqlite3 or psql).
    func sql(_ statement: String) throws -> RunResult {
        usesPostgres
            ? try run(Self.postgresTool("psql"), [databasePath, "-v", "ON_ERROR_STOP=1", "-tA", "-c", statement])
            : try run(URL(fileURLWithPath: "/usr/bin/sqlite3"), [databasePath, statement])
    }

    /// What the database holds at rest, to search for bytes: the SQLite
    /// file, its -wal and -shm, or a `pg_dump` of the PostgreSQL database.
    func storedBytes(_ when: String) throws -> [(path: String, bytes: Data)] {
        if usesPostgres {
            let dump = try run(Self.postgresTool("pg_dump"), [databasePath])
            return [("pg_dump (\(when))", Data(dump.stdout.utf8))]
        }
        return ["", "-wal", "-shm"].map { suffix in
            let path = databasePath + suffix
            return (path + " (\(when))", (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data())
        }
    }

    /// How `bytes` (a digest) appear in `storedBytes`: as they are in
    /// SQLite's file, as lowercase hex in a dump.
    func storedForm(of bytes: Data) -> Data {
        usesPostgres ? Data(bytes.map { String(format: "%02x", $0) }.joined().utf8) : bytes
    }

    /// PostgreSQL 15's client tools (the server's version), else the ones on PATH.
    static func postgresTool(_ name: String) -> URL {
        let versioned = "/usr/lib/postgresql/15/bin/\(name)"
        return URL(fileURLWithPath: FileManager.default.isExecutableFile(atPath: versioned) ? versioned : "/usr/bin/\(name)")
    }

    /// Starts `tessera serve --port 0` and waits for its "listening on" line.
    func launch() async throws {
        if !FileManager.default.fileExists(atPath: logPath) {
            FileManager.default.createFile(atPath: logPath, contents: nil)
        }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        try log.seekToEnd()
        let before = (try? String(contentsOfFile: logPath, encoding: .utf8))?.utf8.count ?? 0
        let process = Process()
        let arguments = ["serve", "--database", databasePath, "--host", "127.0.0.1", "--port", "0"]
        if openFileLimit.isEmpty {
            process.executableURL = Locations.tessera
            process.arguments = arguments
        } else {
            // exec keeps the process id, so `process` is the server itself.
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit \(openFileLimit.joined(separator: " ")) && exec \"$0\" \"$@\"", Locations.tessera.path] + arguments
        }
        process.environment = ProcessInfo.processInfo.environment.merging(extraEnvironment) { $1 }
        process.standardError = log
        process.standardOutput = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            let fresh = text.utf8.count > before ? String(text.utf8.dropFirst(before))! : ""
            if let range = fresh.range(of: "listening on http://127.0.0.1:") {
                let digits = fresh[range.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits) {
                    self.port = port
                    return
                }
            }
            if !process.isRunning {
                throw ServerError(description: "tessera serve exited (\(process.terminationStatus)):\n\(fresh)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ServerError(description: "tessera serve did not start within 60 s")
    }

    /// SIGTERM (graceful) or SIGKILL, then waits for the process to end
    /// (`waitForExit`: at most 30 s, then SIGKILL).
    func stop(signal: Int32 = SIGTERM) {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, signal)
        waitForExit(process, killAfter: 30)
        self.process = nil
    }

    func restart() async throws {
        stop()
        try await launch()
    }

    /// The server's log so far.
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    deinit {
        stop(signal: SIGKILL)
        try? FileManager.default.removeItem(at: folder)
    }
}

private func secret(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

// MARK: Requests

extension LoopbackClient {
    /// A request with `Authorization: Bearer <secret>` (when given) and a
    /// JSON body (when given).
    func call(_ method: String, _ path: String, token: String? = nil, json: String? = nil, headers: [(String, String)] = []) async throws -> LoopbackResponse {
        var all = headers
        if let token { all.append(("Authorization", "Bearer \(token)")) }
        if let json {
            all.append(("Content-Type", "application/json"))
            return try await send(method, path, headers: all, body: Array(json.utf8))
        }
        return try await send(method, path, headers: all)
    }
}

extension LoopbackResponse {
    /// The body as a JSON object (fails the test otherwise).
    var object: [String: Any] {
        get throws {
            guard let object = try json() as? [String: Any] else { throw ServerError(description: "not a JSON object: \(text)") }
            return object
        }
    }

    /// Checks the published error format: the status, the body read as the
    /// contract's `Error` by the generated client's rules, its `error` code,
    /// a 32-hex `correlationId` equal to the `X-Correlation-ID` header.
    @discardableResult
    func expectError(_ status: Int, _ code: Schemas.Error.ErrorValue, sourceLocation: SourceLocation = #_sourceLocation) throws -> Schemas.Error {
        let error = try errorBody(status, sourceLocation: sourceLocation)
        ServiceSteps.expectError(error, code, sourceLocation: sourceLocation)
        return error
    }

    /// The body as the contract's `Error` after checking the status, and
    /// that the `X-Correlation-ID` header repeats its `correlationId`.
    func errorBody(_ status: Int, sourceLocation: SourceLocation = #_sourceLocation) throws -> Schemas.Error {
        let error = try ServiceSteps.decode(Schemas.Error.self, self, status, sourceLocation: sourceLocation)
        #expect(header("X-Correlation-ID") == error.correlationId, sourceLocation: sourceLocation)
        return error
    }
}
