import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import ServiceLifecycle
import UnixSignals

/// Runs an `APIResponder` as a Hummingbird application on a host and port.
///
///     let responder = APIResponder(routes: service.routes(authenticator: auth), errorBody: Schemas.Error.self, logger: logger)
///     let application = APIHTTPServer.application(responder: responder, host: "127.0.0.1", port: 8080, logger: logger)
///     try await APIHTTPServer.run(application, shutdownTimeout: .seconds(10), logger: logger)
public enum APIHTTPServer {
    /// An application ready to run (see `run`). `onRunning` receives the
    /// bound port (useful with port 0). Its connections follow `limits`:
    /// idle timeout, read deadline, cap on open connections, shutdown bound.
    public static func application(
        responder: APIResponder,
        host: String,
        port: Int,
        limits: ConnectionLimits = ConnectionLimits(),
        logger: Logger,
        services: [any Service] = [],
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> Application<APIResponder> {
        var quiet = logger
        // Hummingbird's own lines (start-up) at notice and above; requests
        // are logged once each by the responder.
        quiet.logLevel = max(logger.logLevel, .notice)
        let registry = ConnectionRegistry(capacity: limits.effectiveMaxConnections())
        return Application(
            responder: responder,
            server: HTTPServerBuilder { respond in
                GuardedHTTP1Channel(responder: respond, limits: limits, registry: registry, refusal: responder.refusal)
            },
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            services: services,
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: quiet
        )
    }

    /// Runs an application until SIGTERM or SIGINT, then shuts it down
    /// gracefully: requests in progress have `shutdownTimeout` (the
    /// application's connections are closed then), and whatever still runs
    /// a second later is cancelled. Returns once everything has stopped.
    public static func run(_ application: some ApplicationProtocol, shutdownTimeout: Duration, logger: Logger) async throws {
        var configuration = ServiceGroupConfiguration(
            services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
        )
        // The connections' own shutdown deadline closes them first, so their
        // requests are logged for what happened; cancellation is the backstop.
        configuration.maximumGracefulShutdownDuration = shutdownTimeout + .seconds(1)
        try await ServiceGroup(configuration: configuration).run()
    }
}

/// Hummingbird's HTTP/1 child channel with a `ConnectionGuard` after the
/// codec, in place of its connection-state handler and of NIO's
/// protocol-error handler; each connection is counted against the cap.
struct GuardedHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    let limits: ConnectionLimits
    let registry: ConnectionRegistry
    let refusal: @Sendable (_ error: any Error, _ elapsed: Duration) -> (head: HTTPResponse, body: ByteBuffer)

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let activity = ConnectionActivity(channel: channel, now: .now())
            let admitted = registry.admit(activity)
            let registry = registry
            channel.closeFuture.whenComplete { _ in registry.remove(activity) }
            let pipeline = channel.pipeline.syncOperations
            try pipeline.configureHTTPServerPipeline(
                withPipeliningAssistance: false,  // NIOAsyncChannel reads requests one at a time
                withErrorHandling: false,  // ConnectionGuard answers parser errors
                withOutboundHeaderValidation: false,  // HTTPTypes validates them
                withEncoderConfiguration: .init(),
                withDecoderLimitConfiguration: Self.decoderLimits
            )
            try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try pipeline.addHandler(ConnectionGuard(limits: limits, activity: activity, refuse: refusal))
            let value = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                wrappingChannelSynchronously: channel,
                configuration: .init(isOutboundHalfClosureEnabled: true)
            )
            if !admitted {
                logger.debug("connection refused: every open connection has a request in progress")
                channel.close(promise: nil)
            }
            return value
        }
    }

    /// Hummingbird's: 80 KiB for the request line and headers, 1000 fields.
    static let decoderLimits = {
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldCount = 1000
        return limits
    }()

    func handle(value: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: value, logger: logger)
    }
}
