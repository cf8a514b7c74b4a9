import ArgumentParser
import Foundation
import LineLogging
import Logging
import Metrics
import Prometheus
import APIServer
import TesseraService
import TesseraSQLite
import TesseraStore

/// `tessera serve`, `bootstrap`, `backup` and `import`.
@main
struct TesseraCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tessera",
        abstract: "A self-hosted API-token service.",
        subcommands: [Serve.self, Bootstrap.self, Backup.self, Import.self]
    )
}

struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: """
        A SQLite database file, or postgres://user:password@host:port/database for PostgreSQL (env TESSERA_DATABASE; \
        default ./tessera.sqlite3). A PostgreSQL password may instead come from TESSERA_DATABASE_PASSWORD or the file \
        named by TESSERA_DATABASE_PASSWORD_FILE.
        """)
    var database: String?

    var text: String {
        database ?? ProcessInfo.processInfo.environment["TESSERA_DATABASE"] ?? "tessera.sqlite3"
    }

    /// Where the data lives; a PostgreSQL URL's password is never shown.
    var location: DatabaseLocation {
        get throws {
            do {
                return try DatabaseLocation(text)
            } catch {
                throw ValidationError("--database (TESSERA_DATABASE): \(error)")
            }
        }
    }

    /// Makes the database files private to their owner: new ones (the
    /// database, its -wal and -shm) are created 0600, and existing ones are
    /// narrowed to it. They hold emails, labels and the audit trail with
    /// client addresses.
    func makePrivate() {
        umask(0o077)
        guard case .sqlite(let path)? = try? location else { return }
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let file = path + suffix
            var status = stat()
            if stat(file, &status) == 0, status.st_mode & 0o077 != 0 {
                chmod(file, status.st_mode & 0o700)
            }
        }
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the API until SIGINT or SIGTERM.")

    @OptionGroup var database: DatabaseOption

    @Option(help: "The address to listen on (env TESSERA_HOST; default 127.0.0.1).")
    var host: String?

    @Option(help: "The port to listen on (env TESSERA_PORT; default 8080; 0 picks a free one).")
    var port: Int?

    @Option(help: "trace, debug, info, notice, warning, error or critical (env TESSERA_LOG_LEVEL; default info).")
    var logLevel: String?

    @Option(help: "Failed authentications one client address may make per window before its credentialed requests get 429 (env TESSERA_AUTH_FAILURE_LIMIT; default 1000).")
    var authFailureLimit: Int?

    @Option(help: "The throttle's window in seconds (env TESSERA_AUTH_FAILURE_WINDOW; default 60).")
    var authFailureWindow: Int?

    @Option(help: "Comma-separated proxy addresses or CIDR ranges whose X-Forwarded-For names the client (env TESSERA_TRUSTED_PROXIES; default none).")
    var trustedProxies: String?

    @Option(help: "The most verified secrets cached, about 1.3 KB each (env TESSERA_CACHE_SIZE; default 50000).")
    var cacheSize: Int?

    @Option(help: "GitHub's secret-scanning public keys, as its /meta/public_keys/secret_scanning document, saved to a file; re-read when it changes (env TESSERA_GITHUB_SECRET_SCANNING_KEYS; default none: reports are refused).")
    var githubSecretScanningKeys: String?

    @Option(help: "Seconds a connection with no request in progress stays open (env TESSERA_IDLE_TIMEOUT; default 60).")
    var idleTimeout: Double?

    @Option(help: "Seconds from a request's first byte to its last, head and body (env TESSERA_REQUEST_READ_TIMEOUT; default 10).")
    var requestReadTimeout: Double?

    @Option(help: "Most connections open at once, idle ones shed first (env TESSERA_MAX_CONNECTIONS; default 4096, lowered to fit the open-file limit).")
    var maxConnections: Int?

    @Option(help: "Seconds a graceful shutdown waits for requests in progress (env TESSERA_SHUTDOWN_TIMEOUT; default 10).")
    var shutdownTimeout: Double?

    /// The tuning options, from flags or the environment, checked.
    func options(_ environment: [String: String]) throws -> TesseraServer.Options {
        func number(_ flag: Int?, _ variable: String, _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
            let number = flag ?? environment[variable].map { Int($0) ?? Int.min } ?? value
            guard range.contains(number) else {
                throw ValidationError("--\(name) (\(variable)) must be a whole number from \(range.lowerBound) to \(range.upperBound).")
            }
            return number
        }
        var options = TesseraServer.Options()
        options.authFailureLimit = try number(authFailureLimit, "TESSERA_AUTH_FAILURE_LIMIT", "auth-failure-limit",
                                              default: options.authFailureLimit, range: 1...10_000_000)
        options.authFailureWindowSeconds = try number(authFailureWindow, "TESSERA_AUTH_FAILURE_WINDOW", "auth-failure-window",
                                                      default: options.authFailureWindowSeconds, range: 1...86_400)
        options.cacheSize = try number(cacheSize, "TESSERA_CACHE_SIZE", "cache-size", default: options.cacheSize, range: 1...10_000_000)
        let proxies = trustedProxies ?? environment["TESSERA_TRUSTED_PROXIES"] ?? ""
        options.trustedProxies = proxies.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        do {
            _ = try ClientAddressPolicy(trustedProxies: options.trustedProxies)
        } catch {
            throw ValidationError("--trusted-proxies (TESSERA_TRUSTED_PROXIES): \(error)")
        }
        options.connections = try connectionLimits(environment)
        options.githubSecretScanningKeys = githubSecretScanningKeys ?? environment["TESSERA_GITHUB_SECRET_SCANNING_KEYS"]
        return options
    }

    /// The connection settings, each from its option, else its environment
    /// variable, else the default.
    func connectionLimits(_ environment: [String: String]) throws -> ConnectionLimits {
        var limits = ConnectionLimits()
        func seconds(_ value: Double?, _ variable: String, _ option: String) throws -> Duration? {
            guard let text = value.map({ "\($0)" }) ?? environment[variable] else { return nil }
            guard let number = Double(text), number > 0, number <= 86_400 else {
                throw ValidationError("--\(option) (\(variable)) must be a number of seconds above 0 and at most 86400.")
            }
            return .milliseconds(Int64((number * 1000).rounded(.up)))
        }
        limits.idleTimeout = try seconds(idleTimeout, "TESSERA_IDLE_TIMEOUT", "idle-timeout") ?? limits.idleTimeout
        limits.requestReadTimeout = try seconds(requestReadTimeout, "TESSERA_REQUEST_READ_TIMEOUT", "request-read-timeout") ?? limits.requestReadTimeout
        limits.shutdownTimeout = try seconds(shutdownTimeout, "TESSERA_SHUTDOWN_TIMEOUT", "shutdown-timeout") ?? limits.shutdownTimeout
        if let text = maxConnections.map({ "\($0)" }) ?? environment["TESSERA_MAX_CONNECTIONS"] {
            guard let number = Int(text), number >= 1 else {
                throw ValidationError("--max-connections (TESSERA_MAX_CONNECTIONS) must be a whole number of at least 1.")
            }
            limits.maxConnections = number
        }
        return limits
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let host = host ?? environment["TESSERA_HOST"] ?? "127.0.0.1"
        let port = port ?? environment["TESSERA_PORT"].map({ Int($0) ?? -1 }) ?? 8080
        guard (0...65535).contains(port) else {
            throw ValidationError("The port must be a number from 0 to 65535.")
        }
        let levelName = logLevel ?? environment["TESSERA_LOG_LEVEL"] ?? "info"
        guard let level = Logger.Level(rawValue: levelName) else {
            throw ValidationError("Unknown log level '\(levelName)'.")
        }
        var options = try options(environment)
        options.metricsExposition = Self.bootstrapMetrics()
        let location = try database.location
        database.makePrivate()
        LoggingSystem.bootstrap { label in LineLogHandler(label: label, logLevel: level) }
        // Every line logged before serve returns or throws is written.
        defer { LogWriter.standardError.shutdown() }
        let logger = {
            var logger = Logger(label: "tessera")
            logger.logLevel = level
            return logger
        }()
        try await TesseraServer(database: location, logger: logger).serve(host: host, port: port, options: options) { port in
            // Scripts wait for this line to know the port (useful with --port 0).
            logger.notice("listening on http://\(host):\(port)")
        }
    }
}

extension Serve {
    /// Timer buckets, in seconds, for every `_seconds` histogram: a cached
    /// verification takes tens of microseconds, a PostgreSQL revocation's
    /// round trip milliseconds, a stalled one up to the 3 s lease.
    static let durationBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500),
        .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
    ]

    /// Makes swift-prometheus the process's swift-metrics backend (once,
    /// here in the executable: libraries only use the swift-metrics API)
    /// and returns what renders its registry for `GET /metrics`.
    static func bootstrapMetrics() -> @Sendable () -> [UInt8] {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = durationBuckets
        MetricsSystem.bootstrap(factory)
        return { registry.emitToBuffer() }
    }
}

struct Bootstrap: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create the database and its first admin; print a new full-access admin token.",
        discussion: """
            On a new database this creates the first admin user. On a database that \
            already has an admin it creates no second one: it issues a new full-access \
            token to the first admin. The token's secret is the last line of standard \
            output, shown this once.
            """
    )

    @OptionGroup var database: DatabaseOption

    @Option(help: "The first admin's email (only used when there is no admin yet).")
    var email = "admin@tessera.local"

    @Option(help: "The first admin's full name (only used when there is no admin yet).")
    var name = "Tessera Admin"

    func run() async throws {
        let location = try database.location
        database.makePrivate()
        // Only warnings from the database client (connection failures).
        LoggingSystem.bootstrap { label in LineLogHandler(label: label, logLevel: .warning) }
        defer { LogWriter.standardError.shutdown() }
        let result = try await TesseraServer.bootstrap(database: location, email: email, fullName: name,
                                                       logger: Logger(label: "tessera"))
        if result.createdAdmin {
            print("Created admin \(result.email) (\(result.userID.text)) in \(location).")
        } else {
            print("\(location) already has an admin, \(result.email) (\(result.userID.text)); issued a new token.")
        }
        print("Admin token (full access; shown once, store it now):")
        print(result.secret)
    }
}

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a consistent copy of a live SQLite database to a new file.",
        discussion: """
            Uses SQLite's online backup, so `tessera serve` may keep running. The \
            copy is readable by its owner only and is written whole or not at all; \
            an existing output file is refused. For PostgreSQL, use pg_dump (README).
            """
    )

    @OptionGroup var database: DatabaseOption

    @Option(help: "The new file to write the copy to.")
    var output: String

    func run() async throws {
        guard case .sqlite(let path) = try database.location else {
            throw ValidationError("tessera backup copies SQLite databases; back up PostgreSQL with pg_dump (see README).")
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("There is no database at \(path).")
        }
        database.makePrivate()
        try SQLiteStore(path: path).backup(to: output)
        print("Backed up \(path) to \(output).")
    }
}

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy a SQLite database into an empty PostgreSQL database, to move to several instances.",
        discussion: """
            Copies every user, token, access token, event and the settings, with their \
            ids, times and secret digests, so every secret keeps working. Reads a \
            consistent snapshot of the SQLite file; writes in one transaction that \
            commits only after checking every table's count, so a failure leaves \
            PostgreSQL unchanged. Refuses a PostgreSQL database that already holds \
            users, tokens or events. Stop `tessera serve` on the SQLite file first: \
            what it writes after the snapshot is not copied.
            """
    )

    @Option(help: "The SQLite database file to copy from.")
    var from: String

    @OptionGroup var database: DatabaseOption

    func run() async throws {
        guard case .postgres(let target) = try database.location else {
            throw ValidationError("--database must be a postgres:// URL: tessera import copies a SQLite file into PostgreSQL.")
        }
        guard FileManager.default.fileExists(atPath: from) else {
            throw ValidationError("There is no database at \(from).")
        }
        LoggingSystem.bootstrap { label in LineLogHandler(label: label, logLevel: .warning) }
        defer { LogWriter.standardError.shutdown() }
        do {
            let report = try await StoreFactory.importSQLite(from, into: target, logger: Logger(label: "tessera"))
            let counts = report.rows.map { "\($0.count) \($0.table)" }.joined(separator: ", ")
            print("Imported \(from) into \(target): \(counts).")
        } catch let error as CopyError {
            throw ValidationError("Nothing was imported: \(error)")
        }
    }
}
