#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How long connections may stay open and how many there may be: what keeps
/// idle, slow or stalled clients from holding the server's sockets and file
/// descriptors. Every limit has a default that is safe on the open internet.
///
///     var limits = ConnectionLimits()
///     limits.idleTimeout = .seconds(30)
///     APIHTTPServer.application(responder: responder, host: host, port: port, limits: limits, logger: logger)
public struct ConnectionLimits: Sendable, Equatable {
    /// A connection with no request in progress (just opened, or between
    /// keep-alive requests) is closed after this long. Default 60 s: long
    /// enough for clients' connection pools to reuse connections; set it
    /// above the idle timeout of a proxy in front, so the proxy never sends
    /// on a connection the server is closing.
    public var idleTimeout: Duration
    /// A request's head and body must have arrived this long after its first
    /// byte, or the connection is closed without a response (slowloris and
    /// stalled uploads). Default 10 s: a request is at most 80 KiB of head
    /// and 64 KiB of body, so even a client at 20 KB/s has time to spare.
    public var requestReadTimeout: Duration
    /// At most this many connections are open at once. A connection beyond
    /// the cap closes the connection that has been idle longest (then the
    /// one that has waited longest for a request's head); when every
    /// connection has a request in progress, the new one is closed. Default
    /// 4096, lowered to fit the open-file limit (see `effectiveMaxConnections`).
    public var maxConnections: Int
    /// On SIGTERM or SIGINT the server stops accepting, closes idle
    /// connections, and lets requests in progress finish for this long; then
    /// it closes what is left and cancels its handlers. Default 10 s.
    public var shutdownTimeout: Duration

    /// File descriptors kept for everything but connections: the listening
    /// socket, the database and its WAL (one pair per pooled connection),
    /// the event loops' epoll and event descriptors, standard streams, logs.
    public static let reservedFileDescriptors = 128

    /// Limits with the defaults above; each parameter overrides one.
    public init(
        idleTimeout: Duration = .seconds(60),
        requestReadTimeout: Duration = .seconds(10),
        maxConnections: Int = 4096,
        shutdownTimeout: Duration = .seconds(10)
    ) {
        self.idleTimeout = idleTimeout
        self.requestReadTimeout = requestReadTimeout
        self.maxConnections = maxConnections
        self.shutdownTimeout = shutdownTimeout
    }

    /// `maxConnections`, lowered so that connections never use the file
    /// descriptors the rest of the process needs: at most the open-file
    /// limit less `reservedFileDescriptors` (and at least 1).
    public func effectiveMaxConnections(openFileLimit: Int? = OpenFileLimit.current) -> Int {
        guard let openFileLimit else { return max(1, maxConnections) }
        return max(1, min(maxConnections, openFileLimit - Self.reservedFileDescriptors))
    }
}

/// The process's limit on open files (RLIMIT_NOFILE).
public enum OpenFileLimit {
    /// The soft limit in force, nil when it cannot be read.
    public static var current: Int? {
        var limit = rlimit()
        guard getrlimit(resourceNoFile, &limit) == 0 else { return nil }
        return Int(clamping: limit.rlim_cur)  // RLIM_INFINITY (all ones) clamps to Int.max
    }

    /// Raises the soft limit to the hard limit (many systems start services
    /// with a soft limit of 1024, which a few hundred sockets exhaust).
    /// Returns the soft limit in force afterwards.
    @discardableResult
    public static func raiseToHardLimit() -> Int? {
        var limit = rlimit()
        guard getrlimit(resourceNoFile, &limit) == 0 else { return nil }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            _ = setrlimit(resourceNoFile, &raised)
        }
        return current
    }

    #if os(Linux)
    private static let resourceNoFile = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resourceNoFile = RLIMIT_NOFILE
    #endif
}
