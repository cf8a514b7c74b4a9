import Foundation
import HTTPTestClient
import TesseraClient
import Testing
#if canImport(Glibc)
import Glibc
import TestSupport
#endif

/// PRODUCT.md §8: the zero-window revocation guarantee holds while
/// PostgreSQL restarts. Three `tessera serve` instances share a throwaway
/// PostgreSQL cluster of this test's own (the shared one other suites use
/// is never restarted); the cluster is stopped (`pg_ctl -m fast`, then, a
/// second time, `-m immediate`, crash-like) and started again on the same
/// port.
///
/// While it is down, every instance answers an authenticated request with
/// 503 `service_unavailable` in the published error format, never from a
/// cache it cannot prove current, and `/readyz` says 503. The one window
/// allowed: a request sent less than one lease length (3 s) after the
/// database stopped may still be answered 200 from the cache, because no
/// revocation can commit while the database is down, so none could have
/// answered yet; the instance stops trusting its cache when its LISTEN
/// connection drops, or at the latest when its lease runs out. Every request
/// answers within a few seconds (none waits for a connection to a dead
/// database), and no instance exits.
///
/// Once the database is back, every instance is ready again within 15 s;
/// revocations (delete, regenerate, deactivate) through one instance are
/// refused by all three as soon as they answered; and an instance that was
/// still disconnected (frozen with SIGSTOP) when a revocation committed
/// refuses that secret after it reconnects, though it had it cached.
///
/// Needs PostgreSQL 15 (`/usr/lib/postgresql/15/bin`) and, like
/// MultiInstanceTests, `TESSERA_TEST_POSTGRES` (scripts/test provides it):
/// it fails without it. As root, the cluster runs as the `postgres` user.
@Suite(.serialized) struct PostgresRestartTests {
    /// `PostgresInstance.leaseLength`: how long after the database stopped
    /// an instance may still answer from its cache.
    static let lease: Duration = .seconds(3)
    /// Past the lease, time for a request in flight to finish.
    static let margin: Duration = .milliseconds(1_500)
    /// A request that takes longer than this hangs (the test fails).
    static let hangBound: Double = 8
    /// How long the instances have to be ready again after the restart.
    static let recoveryBound: Duration = .seconds(15)

    @Test func revocationStaysImmediateAcrossDatabaseRestarts() async throws {
        guard let shared = ProcessInfo.processInfo.environment["TESSERA_TEST_POSTGRES"], !shared.isEmpty else {
            throw ServerError(description: "this test needs PostgreSQL: set TESSERA_TEST_POSTGRES (scripts/test does; by hand: "
                              + #"eval "$(scripts/postgres start)"; export TESSERA_TEST_POSTGRES)"#)
        }
        let began = ContinuousClock.now
        let cluster = try ThrowawayCluster()
        defer { cluster.destroy() }
        try cluster.start()
        let database = try cluster.createDatabase()

        let bootstrap = try run(Locations.tessera, ["bootstrap", "--database", database])
        guard bootstrap.status == 0, let admin = bootstrap.stdout.split(separator: "\n").last.map(String.init) else {
            throw ServerError(description: "bootstrap failed (\(bootstrap.status)): \(bootstrap.stderr)")
        }
        var servers: [TesseraProcess] = []
        defer {
            for server in servers {
                if let process = server.process { kill(process.processIdentifier, SIGCONT) }
                server.stop(signal: SIGKILL)
            }
        }
        for _ in 0..<3 { servers.append(try await TesseraProcess.serve(database: database, adminSecret: admin)) }
        let clients = servers.map { LoopbackClient(host: "127.0.0.1", port: $0.port, timeout: Self.hangBound) }
        var probe = Probe(admin: admin, clients: clients)
        for instance in probe.instances { try await ServiceSteps.waitUntilReady(instance, within: .seconds(15)) }

        // Secrets every instance has cached.
        var warmed: [Schemas.CreatedToken] = []
        for _ in 0..<3 { warmed.append(try await probe.createToken()) }
        for token in warmed { try await probe.warm(token.secret, on: [0, 1, 2]) }
        try await probe.warm(admin, on: [0, 1, 2])

        // 1. A fast shutdown; instance 2 is frozen before the restart, so a
        //    revocation commits while it is still disconnected.
        let survivor = warmed[0]
        try await outage(cluster, mode: "fast", probe: probe, secrets: warmed.map(\.secret))
        let frozen = servers[2].process!.processIdentifier
        kill(frozen, SIGSTOP)
        try cluster.start()
        let restarted = ContinuousClock.now
        for index in [0, 1] { try await ServiceSteps.waitUntilReady(probe.instances[index], within: Self.recoveryBound) }
        print("postgres restart: instances 0 and 1 ready \(restarted.duration(to: .now)) after `pg_ctl start` returned")
        for index in [0, 1] { try await ServiceSteps.expectAccepted(probe.instances[index], survivor.secret) }
        // Revoked while instance 2 cannot hear of it; it had the secret cached.
        let missed = warmed[1]
        try await probe.delete(missed, via: 0)
        try await probe.expectRefused(missed.secret, on: [0, 1], "delete while instance 2 is disconnected")
        kill(frozen, SIGCONT)
        // From the moment it runs again it must never accept the revoked
        // secret: 503 while it reconnects, then 401.
        let thawed = ContinuousClock.now
        var answers: [Int: Int] = [:]
        while true {
            let response = try await clients[2].call("GET", "/v1/self", token: missed.secret)
            answers[response.status, default: 0] += 1
            if response.status == 503 { try response.expectError(503, .serviceUnavailable) }
            if response.status != 503 { break }
            if thawed.duration(to: .now) > Self.recoveryBound {
                Issue.record("instance 2 still answers 503 \(Self.recoveryBound) after it resumed")
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(answers[200] == nil, "instance 2 accepted a secret revoked while it was disconnected: \(answers)")
        #expect(answers.keys.allSatisfy { $0 == 401 || $0 == 503 }, "\(answers)")
        try await ServiceSteps.waitUntilReady(probe.instances[2], within: Self.recoveryBound)
        print("postgres restart: instance 2 ready \(thawed.duration(to: .now)) after SIGCONT; answers for the missed revocation: \(answers)")
        try await probe.expectRefused(missed.secret, on: [0, 1, 2], "delete while instance 2 was disconnected, after it reconnected")
        try await probe.revocations("after the fast restart")

        // 2. A crash-like stop (`-m immediate`: no shutdown checkpoint, the
        //    backends are killed).
        let again = try await probe.createToken()
        try await probe.warm(again.secret, on: [0, 1, 2])
        try await outage(cluster, mode: "immediate", probe: probe, secrets: [survivor.secret, again.secret])
        try cluster.start()
        let crashed = ContinuousClock.now
        for instance in probe.instances { try await ServiceSteps.waitUntilReady(instance, within: Self.recoveryBound) }
        print("postgres restart (after -m immediate): every instance ready \(crashed.duration(to: .now)) after `pg_ctl start` returned")
        try await probe.warm(again.secret, on: [0, 1, 2])
        try await probe.revocations("after the crash-like restart")

        for (index, server) in servers.enumerated() {
            #expect(server.process?.isRunning == true, "instance \(index) exited")
        }
        #expect(probe.accepted == 0, "\(probe.accepted) requests with a revoked secret were accepted")
        print("postgres restart: \(probe.checks) checks of revoked secrets, \(probe.accepted) accepted; test took \(began.duration(to: .now))")
    }

    /// Stops the cluster with `pg_ctl -m mode` and checks what the
    /// instances answer until one lease and a margin have passed, then
    /// that every one of them refuses with 503 (authenticated requests and
    /// `/readyz`).
    func outage(_ cluster: ThrowawayCluster, mode: String, probe: Probe, secrets: [String]) async throws {
        try cluster.stop(mode: mode)
        let stopped = ContinuousClock.now
        var first503: [Int: Duration] = [:]
        var firstUnready: [Int: Duration] = [:]
        var cached = 0
        var slowest: Double = 0
        var round = 0
        while stopped.duration(to: .now) < Self.lease + Self.margin {
            round += 1
            for (index, client) in probe.clients.enumerated() {
                let secret = secrets[round % secrets.count]
                let sent = ContinuousClock.now
                let response = try await client.call("GET", "/v1/self", token: secret)
                let took = sent.duration(to: .now)
                slowest = max(slowest, took.seconds)
                let since = stopped.duration(to: sent)
                switch response.status {
                case 200:
                    // Allowed only within the first lease: no revocation can
                    // have committed since, the database being down.
                    cached += 1
                    #expect(since < Self.lease, "[\(mode)] instance \(index) answered 200 from its cache \(since) after the database stopped")
                case 503:
                    try response.expectError(503, .serviceUnavailable)
                    if first503[index] == nil { first503[index] = since + took }
                default:
                    Issue.record("[\(mode)] instance \(index) answered \(response.status) while the database is down: \(response.text)")
                }
                let ready = try await client.call("GET", "/v1/readyz")
                if ready.status == 200 {
                    #expect(stopped.duration(to: .now) < Self.lease, "[\(mode)] instance \(index) says ready with the database down")
                } else {
                    try ready.expectError(503, .serviceUnavailable)
                    if firstUnready[index] == nil { firstUnready[index] = stopped.duration(to: .now) }
                }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        // Past the lease: 503 everywhere, for every secret, for an admin
        // operation that reads the database, and for /readyz; the liveness
        // check still answers.
        for (index, client) in probe.clients.enumerated() {
            for secret in secrets + [probe.admin] {
                let sent = ContinuousClock.now
                try await client.call("GET", "/v1/self", token: secret).expectError(503, .serviceUnavailable)
                slowest = max(slowest, sent.duration(to: .now).seconds)
            }
            let sent = ContinuousClock.now
            try await client.call("GET", "/v1/tokens", token: probe.admin).expectError(503, .serviceUnavailable)
            try await client.call("GET", "/v1/readyz").expectError(503, .serviceUnavailable)
            slowest = max(slowest, sent.duration(to: .now).seconds)
            #expect(try await client.call("GET", "/v1/healthz").status == 200, "instance \(index) is not alive")
        }
        #expect(slowest < Self.hangBound, "[\(mode)] a request took \(slowest) s with the database down")
        print("postgres down (\(mode)): first 503 per instance after \(first503.sorted { $0.key < $1.key }.map { "\($0.value)" }), "
              + "/readyz 503 after \(firstUnready.sorted { $0.key < $1.key }.map { "\($0.value)" }); \(cached) answers from cache "
              + "within the first lease; slowest request \(String(format: "%.2f", slowest)) s")
    }
}

/// A PostgreSQL 15 cluster of this test's own in a temporary folder, on a
/// fixed loopback port it keeps across restarts; as root, owned by and run
/// as `postgres`. `pg_ctl` is spawned with its standard streams on
/// /dev/null and the server logs to a file, so the postmaster holds none
/// of the test's pipes.
final class ThrowawayCluster: @unchecked Sendable {
    let folder: URL
    let port: Int
    let password = UUID().uuidString.replacingOccurrences(of: "-", with: "")
    static let bin = "/usr/lib/postgresql/15/bin"
    private var running = false

    var data: String { folder.appendingPathComponent("data").path }
    var logFile: String { folder.appendingPathComponent("server.log").path }

    init() throws {
        guard FileManager.default.isExecutableFile(atPath: "\(Self.bin)/initdb") else {
            throw ServerError(description: "PostgreSQL 15 is not installed (\(Self.bin)); scripts/postgres installs it")
        }
        folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("tessera-restart-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if getuid() == 0 {
            let chown = try run(URL(fileURLWithPath: "/bin/chown"), ["postgres:", folder.path])
            guard chown.status == 0 else { throw ServerError(description: "chown postgres: \(chown.stderr)") }
        }
        port = try Self.freePort()
        let initdb = try asOwner("\(Self.bin)/initdb", ["-D", data, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256",
                                                     "-E", "UTF8", "--locale=C.UTF-8"])
        guard initdb.status == 0 else { throw ServerError(description: "initdb failed: \(initdb.stdout)\(initdb.stderr)") }
    }

    /// `pg_ctl start`, waiting until it accepts connections.
    func start() throws {
        let options = "-c listen_addresses=127.0.0.1 -c port=\(port) -c unix_socket_directories=\(folder.path) "
            // synchronous_commit stays on: a commit that answered survives
            // `-m immediate` (fsync=off only matters if the machine crashes).
            + "-c fsync=off -c full_page_writes=off -c max_connections=200"
        let status = try detached("\(Self.bin)/pg_ctl", ["-D", data, "-l", logFile, "-w", "-t", "60", "start", "-o", options])
        guard status == 0 else { throw ServerError(description: "pg_ctl start failed (\(status)):\n\(serverLog)") }
        running = true
    }

    /// `pg_ctl stop -m mode` (`fast`, or `immediate`: crash-like).
    func stop(mode: String) throws {
        let status = try detached("\(Self.bin)/pg_ctl", ["-D", data, "-m", mode, "-w", "-t", "60", "stop"])
        guard status == 0 else { throw ServerError(description: "pg_ctl stop -m \(mode) failed (\(status)):\n\(serverLog)") }
        running = false
    }

    /// A role and a database for Tessera; its URL.
    func createDatabase() throws -> String {
        let psql = try asOwner("\(Self.bin)/psql", ["-h", folder.path, "-p", "\(port)", "-U", "postgres", "-d", "postgres",
                                                    "-v", "ON_ERROR_STOP=1", "-q",
                                                    "-c", "CREATE ROLE tessera LOGIN PASSWORD '\(password)'",
                                                    "-c", "CREATE DATABASE tessera OWNER tessera"])
        guard psql.status == 0 else { throw ServerError(description: "psql failed: \(psql.stderr)") }
        return "postgres://tessera:\(password)@127.0.0.1:\(port)/tessera?sslmode=disable"
    }

    /// Stops the server (if running) and removes the folder.
    func destroy() {
        if running || FileManager.default.fileExists(atPath: data + "/postmaster.pid") {
            _ = try? detached("\(Self.bin)/pg_ctl", ["-D", data, "-m", "immediate", "-w", "-t", "60", "stop"])
        }
        running = false
        try? FileManager.default.removeItem(at: folder)
    }

    deinit { destroy() }

    var serverLog: String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }

    /// Runs a tool to completion as the cluster's owner, collecting its output.
    private func asOwner(_ tool: String, _ arguments: [String]) throws -> RunResult {
        getuid() == 0
            ? try run(URL(fileURLWithPath: "/usr/sbin/runuser"), ["-u", "postgres", "--", tool] + arguments)
            : try run(URL(fileURLWithPath: tool), arguments)
    }

    /// Runs `pg_ctl` as the owner, returning its exit status. Spawned
    /// with its standard streams on /dev/null and every other descriptor
    /// closed: the postmaster it starts outlives it and inherits what it
    /// has, and Foundation's `Process` waits for the end of a socket its
    /// child holds, which a postmaster holding it would keep open forever.
    private func detached(_ tool: String, _ arguments: [String]) throws -> Int32 {
        let argv = getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--", tool] + arguments : [tool] + arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in [0, 1, 2] {
            posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
        }
        if let closeFrom = Self.closeFrom {
            _ = closeFrom(&actions, 3)
        } else {
            let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
            for fd in open.compactMap({ Int32($0) }) where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        }
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { for argument in cArguments { free(argument) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArguments, environ)
        guard spawned == 0 else { throw ServerError(description: "posix_spawn \(argv[0]) failed: \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS
        return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and
    /// later), which Swift's Glibc module does not declare.
    static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    /// A loopback port the kernel had free a moment ago.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError(description: "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress -> Bool in
                bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        guard bound else { throw ServerError(description: "bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
