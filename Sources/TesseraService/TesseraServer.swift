import APIServer
import Foundation
import Logging
import TesseraAPI
import TesseraConsole
import ServiceLifecycle
import Synchronization
import TesseraCore
import TesseraPostgres
import TesseraStore

/// Assembles the service: the store, the verifier, the generated routes on
/// Hummingbird, and the background flusher; runs it until SIGINT/SIGTERM.
public struct TesseraServer: Sendable {
    let database: DatabaseLocation
    let logger: Logger
    let clock: TesseraClock

    /// A server for `database`. `clock` is what every expiry, lifetime and
    /// timestamp is read from: the system's wall clock unless an embedding
    /// program (or an in-process test) gives another.
    public init(database: DatabaseLocation, logger: Logger, clock: TesseraClock = TesseraClock()) {
        self.database = database
        self.logger = logger
        self.clock = clock
    }

    /// What `tessera serve` may tune beyond the address; every default is
    /// safe (README, "Configuration").
    public struct Options: Sendable {
        /// Failed authentications one client address may make per window
        /// before its credentialed requests get 429.
        public var authFailureLimit = 1_000
        public var authFailureWindowSeconds = 60
        /// Proxies (addresses or CIDR ranges) whose `X-Forwarded-For` names
        /// the client; none by default.
        public var trustedProxies: [String] = []
        /// The most verified secrets cached (about 1.3 KB each).
        public var cacheSize = TokenVerifier.defaultCapacity
        /// Timeouts and the cap on open connections.
        public var connections = ConnectionLimits()
        /// GitHub's secret-scanning public keys (its `public_keys`
        /// document); without it, `POST /secret-scanning/github` refuses
        /// every report (401).
        public var githubSecretScanningKeys: String?
        /// The text `GET /metrics` answers: the executable's metrics
        /// backend (swift-prometheus) rendering everything recorded through
        /// swift-metrics. Nil answers an empty page.
        public var metricsExposition: (@Sendable () -> [UInt8])?

        public init() {}
    }

    /// Serves until SIGINT or SIGTERM, then stops accepting requests,
    /// writes the last `last_used_at` times and checkpoints the WAL. Raises
    /// the soft open-file limit to the hard limit first, so the connection
    /// cap (`connections.maxConnections`, lowered to fit) is what limits clients.
    public func serve(host: String, port: Int, options: Options = Options(),
                      onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await StoreFactory.withStore(database, clock: clock, logger: logger) { store in
            try await serve(store: store, host: host, port: port, options: options, onRunning: onRunning)
        }
    }

    func serve(store: any TokenStore, host: String, port: Int, options: Options,
               onRunning: @escaping @Sendable (Int) async -> Void) async throws {
        let limits = options.connections
        let openFiles = OpenFileLimit.raiseToHardLimit()
        let maxConnections = limits.effectiveMaxConnections(openFileLimit: openFiles)
        if maxConnections < limits.maxConnections {
            logger.notice("at most \(maxConnections) connections: the open-file limit is \(openFiles ?? 0)")
        }
        let lastUsed = LastUsedRecorder()
        // On PostgreSQL, this instance's lease and invalidation channel
        // (PostgresInstance): the cache answers only while they are current.
        let instanceLease = CacheLease()
        let verifierBox = VerifierBox()
        var instance: PostgresInstance?
        if let postgres = store as? PostgresStore, let location = postgres.location {
            instance = PostgresInstance(store: postgres, location: location, lease: instanceLease, logger: logger,
                                        apply: { verifierBox.verifier?.apply($0) }, reset: { verifierBox.verifier?.reset() })
        }
        let metrics = ServiceMetrics(sharedDatabase: instance != nil)
        let verifier = TokenVerifier(store: store, lastUsed: lastUsed, capacity: options.cacheSize,
                                     lease: instance == nil ? nil : instanceLease, metrics: metrics)
        verifierBox.verifier = verifier
        let secretScanningKeys = SecretScanningKeys(path: options.githubSecretScanningKeys)
        try secretScanningKeys.check()
        let service = TokenService(store: store, verifier: verifier, lastUsed: lastUsed, clock: clock, instance: instance,
                                   secretScanningKeys: secretScanningKeys, exposition: options.metricsExposition)
        let authenticator = TokenAuthenticator(verifier: verifier, clock: clock)
        let throttle = AuthenticationThrottle(
            limits: .init(failures: options.authFailureLimit, window: Milliseconds(options.authFailureWindowSeconds) * 1000),
            clock: clock, bodyCredentialOperations: [Operations.ExchangeToken.id, Operations.RevokeSecret.id],
            countedOperations: [Operations.RevokeSecret.id], metrics: metrics
        )
        let responder = APIResponder(
            routes: service.routes(authenticator: authenticator), errorBody: Schemas.Error.self,
            // A GitHub report lists up to 1,000 findings of about 200 bytes.
            bodyLimits: [Operations.ReportLeakedSecrets.id: 1024 * 1024], logger: logger,
            redactPath: PathRedaction.redact,
            clientAddresses: try ClientAddressPolicy(trustedProxies: options.trustedProxies),
            gate: throttle,
            describeFailure: store.describeFailure,
            isUnavailable: store.isUnavailable,
            metrics: RequestMetrics(prefix: "tessera"),
            unrouted: ConsoleResponder()  // the web console at /console
        )
        let flusher = LastUsedFlusher(recorder: lastUsed, store: store, clock: clock, logger: logger)
        let housekeeping = Housekeeping(store: store, clock: clock, logger: logger, instance: instance)
        var services: [any Service] = [flusher, housekeeping]
        if let instance { services.append(InstanceLeaseService(instance: instance)) }
        let application = APIHTTPServer.application(
            responder: responder, host: host, port: port, limits: limits, logger: logger, services: services,
            onRunning: onRunning
        )
        var failure: (any Error)?
        do {
            try await APIHTTPServer.run(application, shutdownTimeout: limits.shutdownTimeout, logger: logger)
        } catch {
            // Still record what was used and checkpoint, then report it.
            failure = error
        }
        do {
            try await lastUsed.flush(to: store, now: clock.now())
        } catch {
            logger.error("could not record last_used_at at shutdown", metadata: ["error": "\(store.describeFailure(error))"])
        }
        await store.checkpoint()
        if let failure { throw failure }
        logger.notice("stopped")
    }

    /// What `tessera bootstrap` did.
    public struct BootstrapResult: Sendable {
        public var createdAdmin: Bool
        public var userID: UUID
        public var email: String
        /// The new full-access token's secret, shown this once.
        public var secret: String
    }

    /// Creates the database and, when it has no active admin, the first
    /// admin; then issues that admin a new full-access token, stamped by `clock`.
    public static func bootstrap(database: DatabaseLocation, email: String, fullName: String, logger: Logger,
                                 clock: TesseraClock = TesseraClock()) async throws -> BootstrapResult {
        try await StoreFactory.withStore(database, clock: clock, logger: logger) { store in
            try await bootstrap(store: store, email: email, fullName: fullName, now: clock.now())
        }
    }

    static func bootstrap(store: any TokenStore, email: String, fullName: String,
                          now: Milliseconds = TesseraClock().now()) async throws -> BootstrapResult {
        var created = false
        let admin: UserRecord
        if let existing = try await store.firstActiveAdmin() {
            admin = existing
        } else {
            admin = try await store.createUser(NewUser(email: email, fullName: fullName, role: .admin), actor: nil, at: now)
            created = true
        }
        let secret = TokenSecret.generate(.personal)
        // Like any new token without `expires_at`: it expires at the
        // organization's lifetime limit, when there is one.
        let expiresAt = try await store.settings().maxTokenLifetimeDays.map { now + Milliseconds($0) * 86_400_000 }
        _ = try await store.createToken(
            NewToken(kind: .personal, userID: admin.id, creatorUserID: admin.id, label: "bootstrap \(RFC3339.format(Date(milliseconds: now)))",
                     accessLevel: .fullAccess, digest: secret.digest.bytes, preview: secret.preview, expiresAt: expiresAt),
            actor: .commandLine(userID: admin.id), at: now
        )
        await store.checkpoint()
        return BootstrapResult(createdAdmin: created, userID: admin.id, email: admin.email ?? "", secret: secret.text)
    }
}

/// The verifier, for the instance's callbacks (created before it).
final class VerifierBox: @unchecked Sendable {
    private let lock = Mutex<TokenVerifier?>(nil)
    var verifier: TokenVerifier? {
        get { lock.withLock { $0 } }
        set { lock.withLock { $0 = newValue } }
    }
}

/// Runs the instance's lease and LISTEN connection beside the server
/// until graceful shutdown; then the lease is given up (requests still in
/// progress verify against PostgreSQL) and the instance's row deleted, so
/// other instances' revocations no longer wait for it.
struct InstanceLeaseService: Service {
    let instance: PostgresInstance

    func run() async throws {
        await cancelWhenGracefulShutdown { await instance.run() }
    }
}
